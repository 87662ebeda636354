"""An analyst page's counts are kept by the writes that change them, and never shown stale."""
import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Article, Commentary, TaggedArticle
from counts import analysts as analyst_stats
from counts.models import AnalystCounts

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory, TopicFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def desk():
    analyst = AnalystFactory(name="Pretend Analyst Marrowby")
    harbour, grain = TopicFactory(name="Pretend harbour dispute"), TopicFactory(name="Pretend grain quota")
    now = timezone.now()
    stories = []
    for n, topics in enumerate([[harbour, grain], [harbour], [grain], [harbour]]):
        story = ArticleFactory(topics=topics, published_at=now - (n + 1) * HOUR)
        CommentaryFactory(article=story, analyst=analyst)
        stories.append(story)
    return {"analyst": analyst, "harbour": harbour, "grain": grain, "stories": stories}


def stats_of(analyst):
    return AnalystCounts.objects.get(pk=analyst.pk)


def profile(client, analyst):
    body = client.get(analyst.get_absolute_url()).content.decode()
    head = body.split('class="profile__facts"', 1)[1].split("</header>", 1)[0]
    return head


def test_refresh_keeps_what_counting_live_finds(desk):
    analyst, now = desk["analyst"], timezone.now()
    assert analyst_stats.refresh([analyst.pk], now=now) == 1
    stats, live = stats_of(analyst), analyst_stats.count(analyst.pk, now)
    assert stats.current
    assert stats.story_count == live.story_count == 4
    assert (stats.first_quoted, stats.last_quoted) == (live.first_quoted, live.last_quoted)
    assert stats.last_quoted == desk["stories"][0].published_at
    assert stats.first_quoted == desk["stories"][3].published_at
    assert dict(stats.topic_counts) == dict(live.topic_counts)
    assert dict(live.topic_counts) == {desk["harbour"].pk: 3, desk["grain"].pk: 2}
    assert stats.valid_until is None  # nothing scheduled


def test_the_page_uses_kept_counts_without_counting(client, desk):
    analyst = desk["analyst"]
    analyst_stats.refresh([analyst.pk])
    # Kept numbers that differ from the quotes' show that the page read them, not a count.
    AnalystCounts.objects.filter(pk=analyst.pk).update(story_count=41, topic_counts=[[desk["grain"].pk, 9]])
    with CaptureQueriesContext(connection) as queries:
        head = profile(client, analyst)
    assert "Quoted in</dt><dd>41 stories" in head
    assert "Pretend grain quota" in head and "Pretend harbour dispute" not in head
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


def test_stale_or_missing_counts_are_counted_live(client, desk):
    analyst = desk["analyst"]
    analyst_stats.refresh([analyst.pk])
    AnalystCounts.objects.filter(pk=analyst.pk).update(story_count=41, current=False)
    assert "Quoted in</dt><dd>4 stories" in profile(client, analyst)
    AnalystCounts.objects.filter(pk=analyst.pk).delete()
    head = profile(client, analyst)
    assert "Quoted in</dt><dd>4 stories" in head
    assert "Pretend harbour dispute" in head and "Pretend grain quota" in head


def test_a_write_marks_the_counts_stale_in_its_transaction_and_counts_after_commit(
    client, desk, django_capture_on_commit_callbacks,
):
    analyst = desk["analyst"]
    analyst_stats.refresh([analyst.pk])
    fresh = ArticleFactory(status=Article.Status.DRAFT, published_at=None, topics=[desk["grain"]])
    CommentaryFactory(article=fresh, analyst=analyst)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.articles_publish(articles=Article.objects.filter(pk=fresh.pk), user=None)
    # Before the commit's callbacks run: not current, so the page counts the new story already.
    assert not stats_of(analyst).current
    assert "Quoted in</dt><dd>5 stories" in profile(client, analyst)
    for callback in callbacks:
        callback()
    stats = stats_of(analyst)
    assert stats.current and stats.story_count == 5
    assert dict(stats.topic_counts) == {desk["harbour"].pk: 3, desk["grain"].pk: 3}
    assert "Quoted in</dt><dd>5 stories" in profile(client, analyst)


def test_unpublishing_takes_the_story_out_of_the_counts_at_once(client, desk, django_capture_on_commit_callbacks):
    analyst, newest = desk["analyst"], desk["stories"][0]
    analyst_stats.refresh([analyst.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.articles_unpublish(articles=Article.objects.filter(pk=newest.pk), user=None)
    stats = stats_of(analyst)
    assert stats.current and stats.story_count == 3
    assert stats.last_quoted == desk["stories"][1].published_at
    assert dict(stats.topic_counts) == {desk["harbour"].pk: 2, desk["grain"].pk: 1}
    assert "Quoted in</dt><dd>3 stories" in profile(client, analyst)


def test_moving_a_quote_to_another_analyst_counts_both_again(desk, django_capture_on_commit_callbacks):
    analyst, other = desk["analyst"], AnalystFactory(name="Pretend Analyst Quenby")
    CommentaryFactory(article=desk["stories"][0], analyst=other, sort_order=5)
    analyst_stats.refresh([analyst.pk, other.pk])
    quote = Commentary.objects.get(article=desk["stories"][1], analyst=analyst)
    with django_capture_on_commit_callbacks(execute=True):
        quote.analyst = other
        quote.save()
    assert (stats_of(analyst).story_count, stats_of(other).story_count) == (3, 2)
    assert stats_of(analyst).current and stats_of(other).current


def test_deleting_a_quote_counts_its_analyst_again(desk, django_capture_on_commit_callbacks):
    analyst = desk["analyst"]
    analyst_stats.refresh([analyst.pk])
    with django_capture_on_commit_callbacks(execute=True):
        Commentary.objects.filter(article=desk["stories"][2]).delete()
    assert stats_of(analyst).story_count == 3 and stats_of(analyst).current


def test_retagging_a_live_story_and_merging_topics_change_talks_to_us_about(
    client, desk, django_capture_on_commit_callbacks,
):
    analyst, harbour, grain = desk["analyst"], desk["harbour"], desk["grain"]
    analyst_stats.refresh([analyst.pk])
    with django_capture_on_commit_callbacks(execute=True):
        desk["stories"][3].topics.remove(harbour)
    assert dict(stats_of(analyst).topic_counts) == {harbour.pk: 2, grain.pk: 2}
    with django_capture_on_commit_callbacks(execute=True):
        services.topics_merge(target=grain, others=[harbour])
    stats = stats_of(analyst)
    assert stats.current and dict(stats.topic_counts) == {grain.pk: 3}  # the first story had both
    head = profile(client, analyst)
    assert "Pretend grain quota" in head and "Pretend harbour dispute" not in head


def test_bulk_tagging_counts_again(desk, django_capture_on_commit_callbacks):
    analyst = desk["analyst"]
    analyst_stats.refresh([analyst.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.articles_tag(articles=Article.objects.filter(pk=desk["stories"][2].pk), name="Pretend ferry strike")
    ferry = TaggedArticle.objects.get(tag__name="Pretend ferry strike").tag_id
    assert dict(stats_of(analyst).topic_counts)[ferry] == 1


def test_a_draft_edit_leaves_the_counts_alone(desk, django_capture_on_commit_callbacks):
    analyst = desk["analyst"]
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    CommentaryFactory(article=draft, analyst=analyst)
    analyst_stats.refresh([analyst.pk])
    version = stats_of(analyst).version
    with django_capture_on_commit_callbacks(execute=True):
        draft.headline = "Pretend autosaved headline"
        draft.save()
    assert stats_of(analyst).version == version and stats_of(analyst).current


def test_counts_are_kept_only_until_a_scheduled_story_goes_live(client, desk):
    analyst, now = desk["analyst"], timezone.now()
    later = now + 2 * HOUR
    scheduled = ArticleFactory(published_at=later, topics=[desk["grain"]])
    CommentaryFactory(article=scheduled, analyst=analyst)
    analyst_stats.refresh([analyst.pk], now=now)
    stats = stats_of(analyst)
    assert stats.current and stats.story_count == 4 and stats.valid_until == later
    assert "Quoted in</dt><dd>4 stories" in profile(client, analyst)
    with time_machine.travel(later + datetime.timedelta(minutes=1), tick=False):
        # Past valid_until, with no write since: counted live, the scheduled story included.
        assert "Quoted in</dt><dd>5 stories" in profile(client, analyst)
        call_command("refresh_analyst_counts", verbosity=0)
        stats = stats_of(analyst)
        assert stats.story_count == 5 and stats.valid_until is None
        assert "Quoted in</dt><dd>5 stories" in profile(client, analyst)


def test_a_count_is_not_kept_when_a_write_replaced_the_version_while_it_counted(desk, monkeypatch):
    analyst = desk["analyst"]
    analyst_stats.refresh([analyst.pk])
    AnalystCounts.objects.filter(pk=analyst.pk).update(current=False)
    original = analyst_stats.count

    def count_while_someone_writes(analyst_id, now, **kwargs):
        counts = original(analyst_id, now, **kwargs)
        analyst_stats.invalidate([analyst_id])  # another writer's mark, committed mid-count
        return counts

    monkeypatch.setattr(analyst_stats, "count", count_while_someone_writes)
    assert analyst_stats.refresh([analyst.pk]) == 0
    assert not stats_of(analyst).current


def test_refresh_skips_current_counts_unless_forced_and_the_command_counts_every_analyst(desk):
    analyst, idle = desk["analyst"], AnalystFactory(name="Pretend Analyst Unquoted")
    AnalystCounts.objects.all().delete()
    call_command("refresh_analyst_counts", verbosity=0)
    assert stats_of(analyst).story_count == 4
    assert stats_of(idle).current and stats_of(idle).story_count == 0
    assert analyst_stats.refresh([analyst.pk]) == 0  # current: nothing to do
    assert analyst_stats.refresh([analyst.pk], force=True) == 1
