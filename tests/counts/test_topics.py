"""A topic page's count is kept by the writes that change it, and never shown stale."""
import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Article
from counts import queries as count_queries
from counts import topics as topic_stats
from counts.models import TopicCounts
from reader import queries as page_queries

from ..factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def desk():
    harbour, grain = TopicFactory(name="Pretend harbour dispute"), TopicFactory(name="Pretend grain quota")
    now = timezone.now()
    stories = [
        ArticleFactory(topics=topics, published_at=now - (n + 1) * HOUR)
        for n, topics in enumerate([[harbour, grain], [harbour], [grain], [harbour]])
    ]
    ArticleFactory(status=Article.Status.DRAFT, published_at=None, topics=[harbour])  # never counted
    return {"harbour": harbour, "grain": grain, "stories": stories}


def stats_of(topic):
    return TopicCounts.objects.get(pk=topic.pk)


def shown_count(client, topic):
    """Return the count the topic page heads with ("3 stories")."""
    body = client.get(topic.get_absolute_url()).content.decode()
    return re.search(r'class="pagehead__meta">\s*([\d,+]+) stor', body).group(1)


def test_refresh_keeps_what_counting_live_finds(desk):
    harbour, grain, now = desk["harbour"], desk["grain"], timezone.now()
    assert topic_stats.refresh([harbour.pk, grain.pk], now=now) == 2
    assert (stats_of(harbour).story_count, stats_of(grain).story_count) == (3, 2)
    assert topic_stats.count(harbour.pk, now) == (3, None)
    assert stats_of(harbour).current and stats_of(harbour).valid_until is None  # nothing scheduled


def test_the_page_uses_the_kept_count_without_counting(client, desk):
    harbour = desk["harbour"]
    topic_stats.refresh([harbour.pk])
    # A kept number that differs from the links' shows that the page read it, not a count.
    TopicCounts.objects.filter(pk=harbour.pk).update(story_count=41)
    assert shown_count(client, harbour) == "41"
    # The page's one query carries both; the database counts the links only when it needs to.
    with CaptureQueriesContext(connection) as queries:
        list(page_queries.topic_stories(harbour.pk, timezone.now(), 0, 5))
    assert len(queries) == 1 and "COALESCE" in queries[0]["sql"].upper()


def test_a_stale_missing_or_capped_count_is_counted_live(client, desk, monkeypatch):
    harbour = desk["harbour"]
    topic_stats.refresh([harbour.pk])
    TopicCounts.objects.filter(pk=harbour.pk).update(story_count=41, current=False)
    assert shown_count(client, harbour) == "3"
    TopicCounts.objects.filter(pk=harbour.pk).delete()
    assert shown_count(client, harbour) == "3"
    monkeypatch.setattr(count_queries, "COUNT_CAP", 2)
    topic_stats.refresh([harbour.pk], force=True)
    assert stats_of(harbour).story_count == 3  # one past the cap: the page says "2+"


def test_publishing_and_unpublishing_change_the_count_at_once(client, desk, django_capture_on_commit_callbacks):
    harbour = desk["harbour"]
    topic_stats.refresh([harbour.pk])
    fresh = ArticleFactory(status=Article.Status.DRAFT, published_at=None, topics=[harbour])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.articles_publish(articles=Article.objects.filter(pk=fresh.pk), user=None)
    # Before the commit's callbacks run: not current, so the page counts the new story already.
    assert not stats_of(harbour).current
    assert shown_count(client, harbour) == "4"
    for callback in callbacks:
        callback()
    assert stats_of(harbour).current and stats_of(harbour).story_count == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.articles_unpublish(articles=Article.objects.filter(pk=fresh.pk), user=None)
    assert stats_of(harbour).current and stats_of(harbour).story_count == 3
    assert shown_count(client, harbour) == "3"


def test_retagging_tagging_and_merging_count_every_topic_they_touch(client, desk, django_capture_on_commit_callbacks):
    harbour, grain = desk["harbour"], desk["grain"]
    topic_stats.refresh([harbour.pk, grain.pk])
    with django_capture_on_commit_callbacks(execute=True):
        desk["stories"][3].topics.remove(harbour)
    assert stats_of(harbour).story_count == 2 and shown_count(client, harbour) == "2"
    with django_capture_on_commit_callbacks(execute=True):
        services.articles_tag(articles=Article.objects.filter(pk=desk["stories"][1].pk), name=grain.name)
    assert stats_of(grain).story_count == 3 and shown_count(client, grain) == "3"
    with django_capture_on_commit_callbacks(execute=True):
        services.topics_merge(target=grain, others=[harbour])
    # The merged topic's count went with it; the target's counts every story once.
    assert not TopicCounts.objects.filter(pk=harbour.pk).exists()
    assert stats_of(grain).current and stats_of(grain).story_count == 3
    assert shown_count(client, grain) == "3"


def test_a_draft_edit_leaves_the_count_alone(desk, django_capture_on_commit_callbacks):
    harbour = desk["harbour"]
    topic_stats.refresh([harbour.pk])
    version = stats_of(harbour).version
    draft = Article.objects.get(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        draft.headline = "Pretend autosaved headline"
        draft.save()
    assert stats_of(harbour).version == version and stats_of(harbour).current


def test_the_count_is_kept_only_until_a_scheduled_story_goes_live(client, desk):
    grain, now = desk["grain"], timezone.now()
    later = now + 2 * HOUR
    ArticleFactory(published_at=later, topics=[grain])
    topic_stats.refresh([grain.pk], now=now)
    assert stats_of(grain).valid_until == later and stats_of(grain).story_count == 2
    assert shown_count(client, grain) == "2"
    with time_machine.travel(later + datetime.timedelta(minutes=1), tick=False):
        # Past valid_until, with no write since: counted live, the scheduled story included.
        assert shown_count(client, grain) == "3"
        call_command("refresh_topic_counts", verbosity=0)
        assert stats_of(grain).story_count == 3 and stats_of(grain).valid_until is None
        assert shown_count(client, grain) == "3"


def test_a_count_is_not_kept_when_a_write_replaced_the_version_while_it_counted(desk, monkeypatch):
    harbour = desk["harbour"]
    topic_stats.refresh([harbour.pk])
    TopicCounts.objects.filter(pk=harbour.pk).update(current=False)
    original = topic_stats.count

    def count_while_someone_writes(topic_id, now, **kwargs):
        counted = original(topic_id, now, **kwargs)
        topic_stats.invalidate([topic_id])  # another writer's mark, committed mid-count
        return counted

    monkeypatch.setattr(topic_stats, "count", count_while_someone_writes)
    assert topic_stats.refresh([harbour.pk]) == 0
    assert not stats_of(harbour).current


def test_the_command_counts_stale_topics_or_every_topic(desk):
    harbour, idle = desk["harbour"], TopicFactory(name="Pretend quiet topic")
    call_command("refresh_topic_counts", verbosity=0)
    assert stats_of(harbour).story_count == 3
    assert stats_of(idle).current and stats_of(idle).story_count == 0
    assert topic_stats.refresh([harbour.pk]) == 0  # current: nothing to do
    assert topic_stats.refresh([harbour.pk], force=True) == 1
    assert topic_stats.refresh([10**9]) == 0  # a topic deleted since it was marked is skipped


def test_postgresql_counts_the_links_only_without_a_kept_count(desk, postgres_only):
    harbour, now = desk["harbour"], timezone.now()
    sql, params = page_queries.topic_stories_queryset(harbour.pk, now, 0, 5).query.sql_with_params()

    def plan():
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    # The live count is an InitPlan: run when no kept count may be used, and never otherwise.
    counting = re.compile(r"Aggregate \(actual .*\n(.*\n)*?.*tagged_topic_live.*\(actual", re.M)
    assert counting.search(plan()), plan()
    topic_stats.refresh([harbour.pk])
    assert "never executed" in plan() and not counting.search(plan()), plan()
