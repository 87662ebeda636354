"""What the refresh_*_stats commands share: count again the kept page counts of one kind (counts/kept.py)."""
from django.core.management.base import BaseCommand


class RefreshCountsCommand(BaseCommand):
    """Subclasses name what they count (`kind`, plural) and give `refresh(using=, force=)`."""

    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help=f"Count every {self.kind[:-1]}, current or not.")
        parser.add_argument("--database", default="default", help="The database to count in.")

    def refresh(self, *, using, force):
        raise NotImplementedError

    def handle(self, *args, all=False, database="default", **options):
        kept = self.refresh(using=database, force=all)
        if options["verbosity"]:
            self.stdout.write(f"Counted {kept:,} {self.kind}.")
