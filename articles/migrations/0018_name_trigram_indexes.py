"""PostgreSQL: trigram indexes on the names the admin's autocomplete boxes search; nothing to do elsewhere.

An analyst, source, organization or topic box finds names containing what the editor typed
(Django's icontains: UPPER(name) LIKE UPPER('%term%')), which read every name of the table. A
GIN trigram index on UPPER(name) serves exactly that predicate (pg_trgm, installed by migration
0002). SQLite has no such index: it reads the names, a small table next to the stories.
"""
from django.db import migrations

TABLES = ["articles_analyst", "articles_source", "articles_organization", "articles_topic"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_name_trgm ON {table} USING gin (UPPER(name) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_admin_list_indexes")]

    operations = [migrations.RunPython(create, drop)]
