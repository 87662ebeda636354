"""Count again every topic's page count that is stale or past a scheduled story's time."""
from ...topics import refresh
from ._refresh_counts import RefreshCountsCommand


class Command(RefreshCountsCommand):
    help = (
        "Count again the topics' page counts (their published stories) that a write marked stale or "
        "a scheduled story's time has passed. Run it every few minutes from cron; --all counts every "
        "topic (after a bulk load or raw SQL)."
    )
    kind = "topics"

    def refresh(self, *, using, force):
        return refresh(using=using, force=force)
