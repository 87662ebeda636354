"""Count again every topic's page count that is stale or past a scheduled story's time."""
from django.core.management.base import BaseCommand

from ...topic_stats import refresh


class Command(BaseCommand):
    help = (
        "Count again the topics' page counts (their published stories) that a write marked stale or "
        "a scheduled story's time has passed. Run it every few minutes from cron; --all counts every "
        "topic (after a bulk load or raw SQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Count every topic, current or not.")
        parser.add_argument("--database", default="default", help="The database to count in.")

    def handle(self, *args, all=False, database="default", **options):
        kept = refresh(using=database, force=all)
        if options["verbosity"]:
            self.stdout.write(f"Counted {kept:,} topics.")
