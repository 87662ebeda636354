"""PostgreSQL: keep only stories with CJK text in the trigram index; nothing to do elsewhere.

The pg_trgm index of migration 0002 serves Hangul and other CJK queries only (English goes
through the tsvector index), yet it indexed every story's whole text: at 100,000 stories building
it took about two minutes, as long as the full-text index. A partial index over the stories that
contain a CJK character serves the same queries; articles/search.py adds the same predicate
(CJK_PREDICATE there must stay identical to this one for PostgreSQL to use the index).
"""
from django.db import migrations

CJK_CLASS = "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"


def partial_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_search_trgm")
    schema_editor.execute(
        "CREATE INDEX article_search_trgm ON articles_article USING gin (UPPER(search_document) gin_trgm_ops) "
        f"WHERE search_document ~ '{CJK_CLASS}'"
    )


def full_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_search_trgm")
    schema_editor.execute(
        "CREATE INDEX article_search_trgm ON articles_article USING gin (UPPER(search_document) gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_search_fts")]

    operations = [migrations.RunPython(partial_index, full_index)]
