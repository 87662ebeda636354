"""Count again the sourcing dashboard's kept summary: what a write left stale, or every bucket.

Writes count their buckets again after they commit; one that failed leaves them stale (the
dashboard counts them live), and writes that send no signals (QuerySet.update(), raw SQL) leave
them wrong. Operators run this from cron, and with --all after a bulk load or raw SQL.
"""
from django.core.management.base import BaseCommand

from ...summary import archive_keys, refresh, to_count


class Command(BaseCommand):
    help = (
        "Count again the sourcing dashboard's day, month and year buckets that a write marked stale or "
        "that are missing (a day that has ended since). --all counts every bucket of the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Count every bucket, current or not.")
        parser.add_argument("--database", default="default", help="The database to count in.")
        parser.add_argument("--dry-run", action="store_true", help="Say how many buckets would be counted; keep none.")

    def handle(self, *args, all=False, database="default", dry_run=False, **options):
        if dry_run:
            keys = archive_keys(using=database) if all else to_count(using=database)
            self.stdout.write(f"Would count {len(keys):,} sourcing summary buckets.")
            return
        # Each bucket is kept in its own transaction, under the version it was counted from.
        kept = refresh(using=database, force=all)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Counted {kept:,} sourcing summary buckets."))
