"""Topic links, quotes and citations carry a copy of their story's live-from time, written on every route.

The copy only orders and bounds list queries; the stories shown still pass published(). These tests
check the copy agrees with the rule after each way a story or a link can change, and that a copy
gone wrong can hide a story but never show one readers may not see.
"""
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import services, visibility
from articles.models import Article, Citation, Commentary, TaggedArticle

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    CitationFactory,
    CommentaryFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def assert_copies_agree():
    """Every link's copy equals its story's live_from, and live() agrees with published()."""
    stories = {a.pk: a for a in Article.objects.all()}
    links = [*TaggedArticle.objects.all(), *Commentary.objects.all(), *Citation.objects.all()]
    assert links, "nothing to check"
    for link in links:
        story_id = link.content_object_id if isinstance(link, TaggedArticle) else link.article_id
        assert link.story_live_at == stories[story_id].live_from, link
    published = set(Article.objects.published().values_list("pk", flat=True))
    assert set(TaggedArticle.objects.live().values_list("content_object_id", flat=True)) <= published
    assert set(Commentary.objects.live().values_list("article_id", flat=True)) <= published
    assert set(Citation.objects.live().values_list("article_id", flat=True)) <= published
    tagged = set(TaggedArticle.objects.values_list("content_object_id", flat=True))
    assert set(TaggedArticle.objects.live().values_list("content_object_id", flat=True)) == published & tagged


@pytest.mark.parametrize(
    ("status", "offset"),
    [
        (Article.Status.PUBLISHED, -datetime.timedelta(minutes=1)),
        (Article.Status.PUBLISHED, datetime.timedelta(hours=3)),  # scheduled
        (Article.Status.PUBLISHED, None),
        (Article.Status.DRAFT, -datetime.timedelta(days=1)),
        (Article.Status.IN_REVIEW, -datetime.timedelta(days=1)),
        (Article.Status.ARCHIVED, -datetime.timedelta(days=1)),
    ],
)
def test_live_links_agree_with_the_published_rule(status, offset):
    story = ArticleFactory(status=status, published_at=None if offset is None else NOW + offset,
                           topics=[TopicFactory(name="Pretend trade")])
    CommentaryFactory(article=story)
    assert_copies_agree()
    live = TaggedArticle.objects.live(at=NOW).filter(content_object=story).exists()
    assert live is story.is_published(at=NOW)


def test_status_and_time_changes_reach_every_link():
    topic, analyst = TopicFactory(name="Pretend fisheries"), AnalystFactory(name="Ottoline Fennimore")
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None, topics=[topic])
    CommentaryFactory(article=story, analyst=analyst)
    CommentaryFactory(article=story, analyst=analyst)  # quoted twice
    CitationFactory(article=story)
    assert not TaggedArticle.objects.live().exists()

    story.status, story.published_at = Article.Status.PUBLISHED, NOW - datetime.timedelta(minutes=5)
    story.save()
    assert_copies_agree()
    assert Commentary.objects.filter(analyst=analyst).live().count() == 2

    story.published_at = NOW + datetime.timedelta(days=1)  # rescheduled
    story.save()
    assert_copies_agree()
    assert not Commentary.objects.live().exists()

    story.status = Article.Status.ARCHIVED
    story.save()
    assert_copies_agree()
    assert set(TaggedArticle.objects.values_list("story_live_at", flat=True)) == {None}
    assert set(Citation.objects.values_list("story_live_at", flat=True)) == {None}


def test_workflow_moves_keep_links_in_step():
    editor = UserFactory(is_staff=True, is_superuser=True)
    story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None,
                           topics=[TopicFactory(name="Pretend shipping")])
    CommentaryFactory(article=story)
    CitationFactory(article=story)
    services.article_transition(article=story, action="publish", user=editor)
    assert_copies_agree()
    assert Citation.objects.live().filter(article=story).exists()
    assert TaggedArticle.objects.live().filter(content_object=story).exists()
    services.article_transition(article=Article.objects.get(pk=story.pk), action="unpublish", user=editor)
    assert_copies_agree()
    assert not TaggedArticle.objects.live().exists()


def test_links_added_later_take_the_story_time():
    story = ArticleFactory()
    story.topics.add("Pretend rivers")  # taggit's own route
    CommentaryFactory(article=story)
    CitationFactory(article=story)
    assert_copies_agree()


def test_bulk_tagging_and_merging_copy_the_time():
    live, draft = ArticleFactory(), ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    services.articles_tag(articles=Article.objects.filter(pk__in=[live.pk, draft.pk]), name="Pretend canals")
    assert_copies_agree()
    target, other = TopicFactory(name="Pretend lakes"), TopicFactory(name="Pretend ponds")
    ArticleFactory(topics=[other])
    services.topics_merge(target=target, others=[other])
    assert_copies_agree()
    assert TaggedArticle.objects.filter(tag=target).live().count() == 1


def test_sync_links_repairs_any_copy():
    story = ArticleFactory(topics=[TopicFactory(name="Pretend tides")])
    CommentaryFactory(article=story)
    CitationFactory(article=story)
    TaggedArticle.objects.update(story_live_at=None)
    Commentary.objects.update(story_live_at=NOW - datetime.timedelta(days=400))
    Citation.objects.update(story_live_at=None)
    visibility.sync_links()
    assert_copies_agree()


def test_seed_fixtures_load_with_their_copies():
    call_command("load_seeds", stdout=io.StringIO())
    assert_copies_agree()


def test_a_wrong_copy_never_shows_an_unpublished_story(client):
    """published() decides what a list shows; the copy only orders and bounds it."""
    topic, analyst = TopicFactory(name="Pretend glaciers"), AnalystFactory(name="Bartholomew Quince")
    ArticleFactory(topics=[topic], headline="A live pretend story")
    CommentaryFactory(article=ArticleFactory(headline="Another live pretend story"), analyst=analyst)
    draft = ArticleFactory(status=Article.Status.DRAFT, headline="A secret pretend draft", topics=[topic])
    CommentaryFactory(article=draft, analyst=analyst)
    source = SourceFactory(name="Pretend glacier survey")
    CitationFactory(article=ArticleFactory(headline="A third live pretend story"), source=source)
    CitationFactory(article=draft, source=source)
    # A copy gone wrong: the draft's links claim it is live.
    TaggedArticle.objects.filter(content_object=draft).update(story_live_at=NOW - datetime.timedelta(hours=1))
    Commentary.objects.filter(article=draft).update(story_live_at=NOW - datetime.timedelta(hours=1))
    Citation.objects.filter(article=draft).update(story_live_at=NOW - datetime.timedelta(hours=1))
    for url in (
        reverse("articles:source_detail", kwargs={"slug": source.slug}),
        reverse("articles:topic_detail", kwargs={"slug": topic.slug}),
        reverse("articles:analyst_detail", kwargs={"slug": analyst.slug}),
        reverse("articles:topic_feed_rss", kwargs={"slug": topic.slug}),
        reverse("articles:analyst_feed_atom", kwargs={"slug": analyst.slug}),
    ):
        body = client.get(url).content.decode()
        assert "live pretend story" in body, url
        assert "secret pretend draft" not in body, url


def test_an_analyst_quoted_twice_in_a_story_lists_it_once_per_page(client, monkeypatch):
    from reader import views

    monkeypatch.setattr(views.AnalystDetailView, "page_size", 2)
    analyst = AnalystFactory(name="Cornelius Applewhite")
    stories = [ArticleFactory(published_at=NOW - datetime.timedelta(hours=i)) for i in range(1, 6)]
    for story in stories:
        CommentaryFactory(article=story, analyst=analyst)
        CommentaryFactory(article=story, analyst=analyst)
    url, seen = reverse("articles:analyst_detail", kwargs={"slug": analyst.slug}), []
    while url:
        response = client.get(url)
        seen += [a.pk for a in response.context["articles"]]
        url = response.context["pager"]["older"]
    assert seen == [s.pk for s in stories]


def sqlite_statistics():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchall():
            return []
        cursor.execute("SELECT tbl FROM sqlite_stat1")
        return cursor.fetchall()


@pytest.mark.sqlite
def test_migrate_gathers_sqlite_planner_statistics_once_there_is_data(monkeypatch):
    from articles import planner

    planner.forget_statistics()
    ArticleFactory.create_batch(3, topics=[TopicFactory(name="Pretend dunes")])
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate still runs
    assert sqlite_statistics() == []  # a near-empty desk's statistics would mislead bulk loads
    monkeypatch.setattr(planner, "MIN_STORIES", 3)
    call_command("migrate", verbosity=0)
    assert ("articles_article",) in sqlite_statistics()


def test_home_sidebar_counts_live_stories_once_each():
    from reader.views import busiest_topics, most_quoted_analysts

    topic, busy, quiet = TopicFactory(name="Pretend orchards"), AnalystFactory(name="Aldous Pemberwick"), \
        AnalystFactory(name="Beatrix Crumholt")
    for hours in (1, 2):
        story = ArticleFactory(published_at=NOW - datetime.timedelta(hours=hours), topics=[topic])
        CommentaryFactory(article=story, analyst=busy)
        CommentaryFactory(article=story, analyst=busy)  # twice in one story: still one story
    CommentaryFactory(article=ArticleFactory(published_at=NOW - datetime.timedelta(hours=3)), analyst=quiet)
    hidden = ArticleFactory(status=Article.Status.DRAFT, topics=[topic])
    CommentaryFactory(article=hidden, analyst=quiet)
    CommentaryFactory(article=ArticleFactory(published_at=NOW + datetime.timedelta(hours=3)), analyst=quiet)
    since = NOW - datetime.timedelta(days=1)
    assert [(a.name, a.story_count) for a in most_quoted_analysts(since, NOW)] == [
        ("Aldous Pemberwick", 2), ("Beatrix Crumholt", 1),
    ]
    assert [(t.name, t.story_count) for t in busiest_topics(since, NOW)] == [("Pretend orchards", 2)]


def test_restored_backups_get_their_copies():
    from articles.backup import dumps, export_data, restore

    topic = TopicFactory(name="Pretend archives")
    live = ArticleFactory(topics=[topic])
    CommentaryFactory(article=live)
    CitationFactory(article=live)
    CommentaryFactory(article=ArticleFactory(status=Article.Status.DRAFT, published_at=None, topics=[topic]))
    text = dumps(export_data())
    assert "story_live_at" not in text  # derived, so not part of a backup
    Article.objects.all().delete()
    restore(text)
    assert_copies_agree()
    assert TaggedArticle.objects.live().count() == 1


def test_link_lists_stay_on_their_own_index(client):
    """Newest first by (live-from, story id) of the links themselves: no join to order by the stories."""
    for links, field in ((Commentary.objects.filter(analyst_id=1), "article"),
                         (Citation.objects.filter(source_id=1), "article"),
                         (TaggedArticle.objects.filter(tag_id=1), "content_object")):
        sql = str(links.live().newest_first(field).values(f"{field}_id").query)
        assert "JOIN" not in sql, sql
    analyst, at = AnalystFactory(name="Theodora Twinstamp"), NOW - datetime.timedelta(hours=2)
    twins = [ArticleFactory(published_at=at, headline=f"Pretend twin {n}") for n in (1, 2)]
    for story in twins:
        CommentaryFactory(article=story, analyst=analyst)
    body = client.get(reverse("articles:analyst_feed_rss", kwargs={"slug": analyst.slug})).content.decode()
    assert body.index("Pretend twin 2") < body.index("Pretend twin 1")  # same time: the later id first
