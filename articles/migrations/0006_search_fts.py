"""SQLite full-text index for reader search; nothing to do on other databases or without FTS5.

article_search is an FTS5 external-content table over articles_article (headline and
search_document; rowid = the story's id), so it stores only the index, not a second copy of the
text. Triggers keep it in step with every insert, update and delete, whoever writes the row
(ORM, generate_corpus's executemany, a shell). Tokens: unicode61 words (Hangul syllable runs are
words too) with Porter stemming for English, close to PostgreSQL's English configuration.
articles/search.py falls back to substring matching when the table is absent.

A later migration that makes SQLite rebuild articles_article (ALTER TABLE it cannot do in place)
drops these triggers with the old table; tests/articles/test_search.py checks they are still
there after every migration has run.
"""
from django.db import migrations

CREATE = [
    "CREATE VIRTUAL TABLE article_search USING fts5("
    "headline, search_document, content='articles_article', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER article_search_insert AFTER INSERT ON articles_article BEGIN "
    "INSERT INTO article_search(rowid, headline, search_document) "
    "VALUES (new.id, new.headline, new.search_document); END",
    "CREATE TRIGGER article_search_delete AFTER DELETE ON articles_article BEGIN "
    "INSERT INTO article_search(article_search, rowid, headline, search_document) "
    "VALUES ('delete', old.id, old.headline, old.search_document); END",
    "CREATE TRIGGER article_search_update AFTER UPDATE OF headline, search_document ON articles_article BEGIN "
    "INSERT INTO article_search(article_search, rowid, headline, search_document) "
    "VALUES ('delete', old.id, old.headline, old.search_document); "
    "INSERT INTO article_search(rowid, headline, search_document) "
    "VALUES (new.id, new.headline, new.search_document); END",
    # Index the stories already there.
    "INSERT INTO article_search(article_search) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS article_search_insert",
    "DROP TRIGGER IF EXISTS article_search_delete",
    "DROP TRIGGER IF EXISTS article_search_update",
    "DROP TABLE IF EXISTS article_search",
]


def fts5_available(connection):
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.article_search_probe USING fts5(x)")
        except Exception:  # noqa: BLE001 - any failure means no usable FTS5 in this SQLite build
            return False
        cursor.execute("DROP TABLE temp.article_search_probe")
    return True


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite" or not fts5_available(schema_editor.connection):
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_list_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
