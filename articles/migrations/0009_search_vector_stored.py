"""PostgreSQL: store each story's search vector in a generated column and index that; nothing elsewhere.

Migration 0002 indexed an expression (to_tsvector over headline, dek and search_document). Finding
matches was fast, but anything else that needed the vector parsed the story's text again: ranking,
and bounding a search to its newest matches, which made PostgreSQL parse a story per row it
walked (5.3 s for a common word at 100,000 stories). search_vector is the same vector, computed
by PostgreSQL whenever a story's headline, dek or search_document is written (whoever writes it:
the ORM, generate_corpus's COPY, a shell) and never otherwise. article_search_vector is now a GIN
index on that column. articles/search.py reads the column; it is not a model field, so SQLite
and every other query never see it.

Adding the column rewrites the table under an exclusive lock, parsing every story once: 32 s at
100,000 stories (the table grows from 315 to 500 MB), during which the site cannot read stories.
PostgreSQL refuses to change the type of a column that a generated column uses: a migration that
alters headline, dek or search_document (max_length, say) must drop search_vector first and add
it and its index back after, with the statements below.
"""
from django.db import migrations

VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(dek, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(search_document, '')), 'C'))"
)


def stored_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Dropped first, so that the table rewrite does not rebuild it (parsing every story once more).
    schema_editor.execute("DROP INDEX IF EXISTS article_search_vector")
    schema_editor.execute(
        f"ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute("CREATE INDEX article_search_vector ON articles_article USING gin (search_vector)")
    # How common each word is, at once: the planner walks the newest stories for a common word and
    # uses the index for a rare one. Autovacuum would take its time to notice the new column.
    schema_editor.execute("ANALYZE articles_article (search_vector)")


def expression_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_search_vector")
    schema_editor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(f"CREATE INDEX article_search_vector ON articles_article USING gin ({VECTOR})")


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_links_story_live_at")]

    operations = [migrations.RunPython(stored_vector, expression_index)]
