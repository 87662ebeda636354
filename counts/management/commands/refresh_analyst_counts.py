"""Count again every analyst's page counts that are stale or past a scheduled story's time."""
from ...analysts import refresh
from ._refresh_counts import RefreshCountsCommand


class Command(RefreshCountsCommand):
    help = (
        "Count again the analysts' page counts (stories quoting them, first and last quoted, their "
        "topics) that a write marked stale or a scheduled story's time has passed. Run it every few "
        "minutes from cron; --all counts every analyst (after a bulk load or raw SQL)."
    )
    kind = "analysts"

    def refresh(self, *, using, force):
        return refresh(using=using, force=force)
