"""Indexes on analysts' and sources' names, which had none.

The lists are ordered by name (a sort of the whole table without an index), and the import
review screen on SQLite looks names up by their first word (ingest/views.py): a range of this
index each. (name, id) so the list's order by name, then id, reads the index alone.
"""
from django.db import migrations

INDEXES = {"articles_analyst": "articles_analyst_name_id", "articles_source": "articles_source_name_id"}


def create(apps, schema_editor):
    for table, index in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} (name, id)")


def drop(apps, schema_editor):
    for index in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_name_trigram_indexes")]

    operations = [migrations.RunPython(create, drop)]
