"""Keep SQLite's query planner informed about the data, as PostgreSQL's autovacuum does on its own.

Without statistics SQLite guesses that `status = 'published'` picks out a few rows, so a small
topic's page walked every published story in time order (3-6 ms at 100,000 stories) instead of
fetching its few stories by id (under 1 ms). `ANALYZE` (about 0.7 s at 100,000 stories) runs after
every `migrate` and after bulk loads (generate_corpus); its figures are ratios, which stay right
as the archive grows.
"""
from django.db import connections


def refresh_statistics(using="default"):
    """Gather SQLite's planner statistics (sqlite_stat1); nothing to do on other databases."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def refresh_after_migrate(sender, using="default", **kwargs):
    refresh_statistics(using)
