"""A database built before the kept counts and the imported copy moved to their own apps migrates
forward with every row kept, on SQLite and PostgreSQL."""
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("articles", "0014_topic_stats"), ("counts", None), ("ingest", None)]


def table_counts():
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name
            counts[table] = cursor.fetchone()[0]
        return counts


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_kept_counts_and_imported_copy_keep_every_row_when_they_move_apps():
    old = migrate(BEFORE_THE_MOVE)
    Topic, Analyst, Article = (old.get_model("articles", name) for name in ("Topic", "Analyst", "Article"))
    AnalystStats, TopicStats, CopyImport = (
        old.get_model("articles", name) for name in ("AnalystStats", "TopicStats", "CopyImport")
    )
    now = timezone.now().replace(microsecond=0)
    topic = Topic.objects.create(name="Pretend canal dispute", slug="pretend-canal-dispute")
    analyst = Analyst.objects.create(name="Orsolya Pretendwell", slug="orsolya-pretendwell")
    story = Article.objects.create(
        headline="Freedonia pretends to reopen a canal", slug="freedonia-pretends-to-reopen-a-canal",
        body="<p>Fictional.</p>", status="published", kind="news", published_at=now,
    )
    AnalystStats.objects.create(
        analyst=analyst, version=7, current=True, story_count=41, first_quoted=now - datetime.timedelta(days=3),
        last_quoted=now, topic_counts=[[topic.pk, 9]], computed_at=now,
    )
    TopicStats.objects.create(topic=topic, version=8, current=False, story_count=12, valid_until=now)
    CopyImport.objects.create(
        checksum="f" * 64, filename="pretend-wire.txt", text="PRETEND CITY -- Fictional copy.", article=story,
        suggestions=[{"id": 1, "status": "pending", "speaker": "Orsolya Pretendwell"}],
    )
    before = table_counts()

    new = migrate(latest())

    after = table_counts()
    # Every table of the older database holds the same rows (the migration log gains the new steps).
    assert {table: after.get(table) for table in before if table != "django_migrations"} == {
        table: n for table, n in before.items() if table != "django_migrations"
    }
    assert after["django_migrations"] > before["django_migrations"]
    AnalystCounts, TopicCounts = new.get_model("counts", "AnalystCounts"), new.get_model("counts", "TopicCounts")
    kept = AnalystCounts.objects.get(analyst_id=analyst.pk)
    assert (kept.version, kept.current, kept.story_count, kept.topic_counts) == (7, True, 41, [[topic.pk, 9]])
    assert (kept.first_quoted, kept.last_quoted) == (now - datetime.timedelta(days=3), now)
    counted = TopicCounts.objects.get(topic_id=topic.pk)
    assert (counted.version, counted.current, counted.story_count, counted.valid_until) == (8, False, 12, now)
    record = new.get_model("ingest", "CopyImport").objects.get()
    assert (record.checksum, record.filename, record.article_id) == ("f" * 64, "pretend-wire.txt", story.pk)
    assert record.suggestions == [{"id": 1, "status": "pending", "speaker": "Orsolya Pretendwell"}]
