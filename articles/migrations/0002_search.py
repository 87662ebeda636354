"""PostgreSQL search indexes for the reader site; nothing to do on other databases.

- article_search_vector: GIN over the weighted tsvector that articles/search.py `search_vector()`
  builds (headline A, dek B, search_document C, English configuration). The expression must stay
  identical to the query's for PostgreSQL to use it; tests/articles/test_search.py checks the plan.
- article_search_trgm: pg_trgm GIN over UPPER(search_document), serving the substring (icontains)
  matching used for Hangul and other CJK queries.
"""
from django.db import migrations

VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(dek, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(search_document, '')), 'C'))"
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS article_search_vector ON articles_article USING gin ({VECTOR})"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS article_search_trgm ON articles_article "
        "USING gin (UPPER(search_document) gin_trgm_ops)"
    )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_search_vector")
    schema_editor.execute("DROP INDEX IF EXISTS article_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
