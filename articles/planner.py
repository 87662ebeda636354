"""Keep SQLite's query planner informed about the data, as PostgreSQL's autovacuum does on its own.

Without statistics SQLite guesses that `status = 'published'` picks out a few rows, so a small
topic's page walked every published story in time order (3-6 ms at 100,000 stories) instead of
fetching its few stories by id (under 1 ms). `ANALYZE` (about 0.7 s at 100,000 stories) runs after
`migrate` and after bulk loads (generate_corpus); its figures are ratios, which stay right as the
archive grows.

Statistics of a near-empty database are worse than none: gathered right after the first migrate,
they made generate_corpus's inserts three times slower and growing (40,000 stories: 47 s against
16 s). So `migrate` gathers them only once the desk has MIN_STORIES stories, and a bulk load drops
them first and gathers them at the end.
"""
from django.db import connections

MIN_STORIES = 1_000


def _on_sqlite(using, statement):
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(statement)


def refresh_statistics(using="default"):
    """Gather SQLite's planner statistics (sqlite_stat1); nothing to do on other databases."""
    _on_sqlite(using, "ANALYZE")


def forget_statistics(using="default"):
    """Drop SQLite's planner statistics before a bulk load (a no-op on other databases)."""
    _on_sqlite(using, "DROP TABLE IF EXISTS sqlite_stat1")


def refresh_after_migrate(sender, using="default", **kwargs):
    from .models import Article

    connection = connections[using]
    if connection.vendor != "sqlite" or Article._meta.db_table not in connection.introspection.table_names():
        return
    if Article._base_manager.using(using).order_by()[:MIN_STORIES].count() >= MIN_STORIES:
        refresh_statistics(using)
