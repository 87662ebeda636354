"""The page cache never serves stale news: every change readers may see reaches every cached page."""
import datetime

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from pagecache import cache

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    BylineFactory,
    CitationFactory,
    CommentaryFactory,
    OrganizationFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    topic = TopicFactory(name="Pretend border talks")
    article = ArticleFactory(headline="Freedonia recalls its imaginary envoy", topics=[topic])
    CommentaryFactory(article=article, analyst=AnalystFactory(name="Orla Pennywhistle"),
                      text="Nobody expected the recall.")
    CitationFactory(article=article, source=SourceFactory(name="Sylvanian gazette dispatch"),
                    taken="The envoy left on Monday.")
    BylineFactory(article=article)
    return article


def pages_of(article):
    """Every cached public page that shows this story."""
    topic = article.topics.get()
    analyst = article.commentary.get().analyst
    source = article.citations.get().source
    return [
        "/",
        article.get_absolute_url(),
        reverse("articles:topic_list"),
        topic.get_absolute_url(),
        reverse("articles:topic_feed_rss", kwargs={"slug": topic.slug}),
        reverse("articles:topic_feed_atom", kwargs={"slug": topic.slug}),
        reverse("articles:analyst_list"),
        analyst.get_absolute_url(),
        reverse("articles:analyst_feed_rss", kwargs={"slug": analyst.slug}),
        source.get_absolute_url(),
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
        "/sitemap-stories.xml",
        "/sitemap-news.xml",
    ]


def text(response):
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def served_from_the_cache(queries):
    """Tell whether a request ran no query but the page cache's check of the change count (not rendered)."""
    return [query["sql"] for query in queries.captured_queries] == [cache.COUNT_SQL]


def warm(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert client.get(url)["ETag"] == response["ETag"], f"{url} was not served from the cache"


def test_second_request_is_served_from_the_cache_with_one_query_of_the_change_count(
    client, story, django_assert_num_queries,
):
    for url in pages_of(story):
        client.get(url)
        if url == story.get_absolute_url():
            # A story page learns its topics and analysts on its first render, and is kept from the
            # second: only tokens read before a render may key it.
            client.get(url)
        with django_assert_num_queries(1) as ran:
            assert client.get(url).status_code == 200
        assert ran.captured_queries[0]["sql"] == cache.COUNT_SQL, url


def test_reader_never_sees_a_story_after_it_was_unpublished(client, story):
    urls = pages_of(story)
    warm(client, urls)
    services.article_transition(article=story, action="unpublish", user=None)
    assert client.get(story.get_absolute_url()).status_code == 404
    for url in urls:
        body = text(client.get(url))
        assert story.headline not in body and story.slug not in body, url


def test_unpublishing_through_the_queryset_service_also_invalidates(client, story):
    warm(client, ["/"])
    services.articles_unpublish(articles=Article.objects.filter(pk=story.pk), user=None)
    assert story.headline not in client.get("/").content.decode()


def test_newly_published_story_appears_at_once_on_home_its_topics_and_analysts(client, story):
    urls = pages_of(story)
    warm(client, urls)
    draft = ArticleFactory(headline="Sylvania opens a make-believe consulate", status=Article.Status.DRAFT,
                           published_at=None, topics=[story.topics.get()])
    CommentaryFactory(article=draft, analyst=story.commentary.get().analyst)
    CitationFactory(article=draft, source=story.citations.get().source)
    assert draft.headline not in client.get("/").content.decode()
    services.article_transition(article=draft, action="publish", user=None)
    for url in urls[2:]:  # every list and feed that shows the first story now shows the new one
        if url in {reverse("articles:topic_list"), reverse("articles:analyst_list")}:
            continue
        assert draft.slug in text(client.get(url)), url
    assert draft.headline in client.get("/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_editing_a_headline_shows_everywhere(client, story):
    urls = pages_of(story)
    warm(client, urls)
    story.headline = "Freedonia recalls, then returns, its imaginary envoy"
    story.save()
    for url in urls[:2] + urls[3:6]:
        assert story.headline in text(client.get(url)), url


def _rename_topic(story):
    topic = story.topics.get()
    topic.name = "Renamed pretend border talks"
    topic.save()
    return topic.get_absolute_url(), topic.name


def _merge_topic(story):
    target = TopicFactory(name="Merged imaginary diplomacy")
    services.topics_merge(target=target, others=[story.topics.get()])
    return story.get_absolute_url(), target.name


def _tag_story(story):
    services.articles_tag(articles=Article.objects.filter(pk=story.pk), name="Freshly added fictional topic")
    return story.get_absolute_url(), "Freshly added fictional topic"


def _correction(story):
    services.correction_add(article=story, text="An earlier version misspelled the pretend envoy.", user=None)
    return story.get_absolute_url(), "misspelled the pretend envoy"


def _commentary_edit(story):
    quote = story.commentary.get()
    quote.text = "The recall was long planned, in fact."
    quote.save()
    return quote.analyst.get_absolute_url(), "long planned, in fact"


def _commentary_added(story):
    CommentaryFactory(article=story, analyst=AnalystFactory(name="Ignatius Quibble"), text="A second voice.")
    return story.get_absolute_url(), "Ignatius Quibble"


def _citation_edit(story):
    citation = story.citations.get()
    citation.taken = "The envoy left on Tuesday, not Monday."
    citation.save()
    return story.get_absolute_url(), "Tuesday, not Monday"


def _analyst_renamed(story):
    analyst = story.commentary.get().analyst
    analyst.name = "Orla Pennywhistle-Moon"
    analyst.save()
    return analyst.get_absolute_url(), "Orla Pennywhistle-Moon"


def _analyst_new_affiliation(story):
    analyst = story.commentary.get().analyst
    analyst.organization = OrganizationFactory(name="Grand Fenwick Institute of Pretend Affairs")
    analyst.save()
    return analyst.get_absolute_url(), "Grand Fenwick Institute of Pretend Affairs"


def _organization_renamed(story):
    organization = story.commentary.get().analyst.organization
    organization.name = "Renamed Institute of Imaginary Studies"
    organization.save()
    return story.commentary.get().analyst.get_absolute_url(), organization.name


def _source_renamed(story):
    source = story.citations.get().source
    source.name = "Sylvanian gazette, evening dispatch"
    source.save()
    return story.get_absolute_url(), source.name


def _byline_name(story):
    from people.models import StaffProfile

    # Bylines print the author's staff profile name (people/).
    StaffProfile.objects.update_or_create(user=story.bylines.get().author, defaults={"display_name": "Renamed Person"})
    return story.get_absolute_url(), "Renamed Person"


@pytest.mark.parametrize("change", [
    _rename_topic, _merge_topic, _tag_story, _correction, _commentary_edit, _commentary_added, _citation_edit,
    _analyst_renamed, _analyst_new_affiliation, _organization_renamed, _source_renamed, _byline_name,
], ids=lambda f: f.__name__.strip("_"))
def test_each_change_readers_can_see_invalidates_the_cache(client, story, change):
    warm(client, pages_of(story))
    url, expected = change(story)
    assert expected in text(client.get(url))


def test_login_does_not_invalidate(client, story):
    warm(client, ["/"])
    before = cache.current_generation()
    author = story.bylines.get().author
    author.last_login = timezone.now()
    author.save(update_fields=["last_login"])
    assert cache.current_generation() == before


def test_generation_changes_again_after_commit(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.headline = "Changed in a transaction"
        story.save()
    during = cache.current_generation()
    for callback in callbacks:
        callback()
    assert cache.current_generation() != during


def test_scheduled_story_appears_when_its_time_arrives_without_any_write(client, story):
    at = timezone.now() + datetime.timedelta(minutes=10)
    scheduled = ArticleFactory(headline="A pre-written fictional anniversary piece", published_at=at,
                               topics=[story.topics.get()])
    topic_url = story.topics.get().get_absolute_url()
    warm(client, ["/", topic_url, reverse("articles:feed_rss")])
    assert scheduled.headline not in client.get("/").content.decode()
    generation = cache.current_generation()
    with time_machine.travel(at + datetime.timedelta(seconds=1)):
        for url in ("/", topic_url, reverse("articles:feed_rss")):
            assert scheduled.headline in text(client.get(url)), url
        assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert cache.current_generation() == generation  # no write happened


def test_if_none_match_gets_304_until_the_page_changes(client, story):
    first = client.get("/")
    etag = first["ETag"]
    assert etag.startswith('"')
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    story.headline = "A fresh fictional headline"
    story.save()
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_if_modified_since_gets_304_until_the_page_changes(client, story):
    client.get("/")
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        response = client.get("/")
        last_modified = response["Last-Modified"]
        assert client.get("/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=10)):
        story.headline = "Another fresh fictional headline"
        story.save()
        client.get("/")
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=15)):
        response = client.get("/", HTTP_IF_MODIFIED_SINCE=last_modified)
        assert response.status_code == 200
        assert "Another fresh fictional headline" in response.content.decode()


def test_preconditions_that_fail_get_412_and_ones_that_hold_get_the_page(client, story):
    etag = client.get("/")["ETag"]
    assert client.get("/", HTTP_IF_MATCH='"not-this-page"').status_code == 412
    assert client.get("/", HTTP_IF_MATCH=etag).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        client.get("/")
        assert client.get("/", HTTP_IF_UNMODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 412
        assert client.get("/", HTTP_IF_UNMODIFIED_SINCE="Fri, 01 Jan 2100 00:00:00 GMT").status_code == 200


def test_public_pages_tell_shared_caches_how_long_and_browsers_to_revalidate(client, story):
    for url in pages_of(story):
        control = client.get(url)["Cache-Control"]
        assert "public" in control and "max-age=0" in control and "s-maxage=60" in control, url
        assert "stale-while-revalidate=30" in control


def test_the_shared_caches_limits_follow_the_settings(client, story, settings):
    settings.NEWSROOM_CDN_MAX_AGE, settings.NEWSROOM_CDN_STALE_WHILE_REVALIDATE = 0, 5
    control = client.get("/")["Cache-Control"]
    assert sorted(control.split(", ")) == ["max-age=0", "public", "s-maxage=0", "stale-while-revalidate=5"]


def test_search_is_not_cached_or_public(client, story, django_assert_max_num_queries):
    client.get("/search/?q=envoy")
    response = client.get("/search/?q=envoy")
    assert "public" not in response.get("Cache-Control", "")
    assert len(response.context["articles"]) == 1  # rendered, not replayed


def test_preview_is_private(client, story, admin_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    response = admin_client.get(reverse("articles:article_preview", kwargs={"pk": draft.pk}))
    assert "public" not in response.get("Cache-Control", "")


def test_logged_in_editor_gets_the_same_page_and_the_session_is_not_touched(client, story, admin_client):
    public = client.get("/")
    editor = admin_client.get("/")
    assert editor["ETag"] == public["ETag"]
    assert "Cookie" not in editor.get("Vary", "")


def test_unknown_query_parameters_share_the_cached_page(client, story):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/?utm_source=pretend-newsletter").status_code == 200
    assert served_from_the_cache(queries)


def test_a_page_never_outlives_the_next_scheduled_publication(story):
    at = timezone.now() + datetime.timedelta(minutes=3)
    ArticleFactory(published_at=at)
    generation = cache.current_generation()
    assert cache.next_scheduled_time(generation, timezone.now().timestamp()) == pytest.approx(at.timestamp())


def test_the_next_scheduled_time_is_looked_up_again_once_it_has_passed(story, django_assert_num_queries):
    first = timezone.now() + datetime.timedelta(minutes=3)
    second = first + datetime.timedelta(minutes=5)
    ArticleFactory(published_at=first)
    ArticleFactory(published_at=second)
    generation = cache.current_generation()
    assert cache.next_scheduled_time(generation, timezone.now().timestamp()) == pytest.approx(first.timestamp())
    cache.generation_cache().clear()  # the process's own copy answers alone, without a query
    with django_assert_num_queries(0):
        assert cache.next_scheduled_time(generation, timezone.now().timestamp()) == pytest.approx(first.timestamp())
    # The first story went live: no write, same generation, and the next one is the second story.
    later = (first + datetime.timedelta(seconds=1)).timestamp()
    assert cache.next_scheduled_time(generation, later) == pytest.approx(second.timestamp())


# Stories no reader can see ------------------------------------------------------------------------


def _draft():
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, headline="A pretend draft")


def _draft_edited(draft, parts):
    draft.headline = "A pretend draft, rewritten"
    draft.save()


def _draft_tagged(draft, parts):
    draft.topics.add(parts["topic"])
    services.articles_tag(articles=Article.objects.filter(pk=draft.pk), name=parts["other_topic"].name)
    draft.topics.remove(parts["topic"])


def _draft_quotes_and_sources(draft, parts):
    CommentaryFactory(article=draft, analyst=parts["analyst"])
    CitationFactory(article=draft, source=parts["source"])
    BylineFactory(article=draft, author=parts["author"])


def _draft_sent_to_review(draft, parts):
    draft.status = Article.Status.IN_REVIEW
    draft.save()


def _draft_deleted(draft, parts):
    CommentaryFactory(article=draft, analyst=parts["analyst"])
    draft.delete()


@pytest.mark.parametrize("change", [
    _draft_edited, _draft_tagged, _draft_quotes_and_sources, _draft_sent_to_review, _draft_deleted,
], ids=lambda f: f.__name__.strip("_"))
def test_work_on_a_story_no_reader_can_see_keeps_every_cached_page(story, change):
    # Existing topics, analysts, sources and staff: creating those is a change of its own.
    parts = {
        "topic": TopicFactory(name="Pretend drafting desk"), "other_topic": TopicFactory(name="Another pretend desk"),
        "analyst": AnalystFactory(name="Quentin Draftwell"), "source": SourceFactory(name="Pretend wire"),
        "author": BylineFactory(article=story).author,
    }
    draft = _draft()

    def tokens():
        scopes = [("topic", parts["topic"].slug), ("topic", parts["other_topic"].slug),
                  ("analyst", parts["analyst"].slug), ("source", parts["source"].slug)]
        return [cache.current_generation(), *(cache.page_tokens(scope) for scope in scopes)]

    before = tokens()
    change(draft, parts)
    assert tokens() == before


def test_archived_story_edits_keep_cached_pages(story):
    archived = ArticleFactory(status=Article.Status.ARCHIVED, headline="A pretend withdrawn story")
    before = cache.current_generation()
    archived.dek = "Still withdrawn."
    archived.save()
    assert cache.current_generation() == before


def test_saving_over_a_published_story_from_an_old_instance_still_invalidates(client, story):
    """The status before a save is read from the database, not from the (possibly stale) instance."""
    draft = _draft()
    stale = Article.objects.get(pk=draft.pk)  # an editor's form, loaded while it was a draft
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now() - datetime.timedelta(minutes=1)
    draft.save()  # someone else publishes it
    home = reverse("articles:home")
    assert "A pretend draft" in text(client.get(home))
    before = cache.current_generation()
    stale.save()  # saves the old draft status back over the live story
    assert cache.current_generation() != before
    assert "A pretend draft" not in text(client.get(home))


def test_publishing_a_draft_and_scheduling_one_invalidate(story):
    draft = _draft()
    before = cache.current_generation()
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now() + datetime.timedelta(hours=5)
    draft.save()  # scheduled: pages must learn when it goes live
    assert cache.current_generation() != before
    scheduled = cache.current_generation()
    CommentaryFactory(article=draft)  # a part of a scheduled story
    assert cache.current_generation() != scheduled


# Precise invalidation: a story's write reaches its own topics', analysts' and sources' pages only --

@pytest.fixture
def two_stories(story):
    """The story fixture, and another with its own topic, analyst and source (all published)."""
    other = ArticleFactory(headline="Sylvania names a pretend harbour master",
                           topics=[TopicFactory(name="Imaginary harbours")])
    CommentaryFactory(article=other, analyst=AnalystFactory(name="Bartholomew Quayle"), text="About time.")
    CitationFactory(article=other, source=SourceFactory(name="Harbour board notice"), taken="Appointed today.")
    return story, other


def entity_pages(article):
    """The topic, analyst and source pages (and feeds) of one story: each is cached under its own token."""
    topic = article.topics.get()
    analyst = article.commentary.get().analyst
    return [
        topic.get_absolute_url(),
        reverse("articles:topic_feed_rss", kwargs={"slug": topic.slug}),
        analyst.get_absolute_url(),
        reverse("articles:analyst_feed_atom", kwargs={"slug": analyst.slug}),
        article.citations.get().source.get_absolute_url(),
    ]


def _edit_headline(story):
    story.headline = "Freedonia recalls, then returns, its imaginary envoy"
    story.save()
    return story.headline


def _unpublish(story):
    services.article_transition(article=story, action="unpublish", user=None)
    return None


def _quote_edited(story):
    quote = story.commentary.get()
    quote.text = "The recall was long planned, in fact."
    quote.save()
    return None


def _correction_added(story):
    services.correction_add(article=story, text="An earlier version misspelled the pretend envoy.", user=None)
    return None


@pytest.mark.parametrize("change", [_edit_headline, _unpublish, _quote_edited, _correction_added],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_story_write_keeps_other_topic_analyst_and_source_pages_cached(
    client, two_stories, change,
):
    story, other = two_stories
    theirs, ours = entity_pages(other), entity_pages(story)
    warm(client, theirs + ours + ["/"])
    etags = {url: client.get(url)["ETag"] for url in theirs}
    headline = change(story)
    for url in theirs:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url)["ETag"] == etags[url], url
        assert served_from_the_cache(queries), url  # not rendered again
    with CaptureQueriesContext(connection) as home:
        client.get("/")
    assert not served_from_the_cache(home)  # the desk's own pages were stale: rendered again
    for url in ours:
        response = client.get(url)
        body = text(response) if response.status_code == 200 else ""
        if change is _unpublish:
            assert story.slug not in body, url
        elif headline:
            assert headline in body, url


def test_moving_a_quote_to_another_analyst_updates_both_analyst_pages(client, two_stories):
    story, other = two_stories
    first, second = story.commentary.get().analyst, other.commentary.get().analyst
    CommentaryFactory(article=ArticleFactory(headline="A pretend second story"), analyst=first)  # keeps a page
    warm(client, [first.get_absolute_url(), second.get_absolute_url()])
    quote = story.commentary.get()
    quote.analyst = second
    quote.save()
    assert story.slug not in text(client.get(first.get_absolute_url()))
    assert story.slug in text(client.get(second.get_absolute_url()))


@pytest.mark.parametrize("route", ["taggit", "service"])
def test_taking_a_topic_off_a_story_updates_that_topics_page(client, two_stories, route):
    story, other = two_stories
    topic = story.topics.get()
    ArticleFactory(headline="Another pretend border story", topics=[topic])  # the page stays a 200
    other_topic = other.topics.get()
    story.topics.add(other_topic)
    warm(client, [topic.get_absolute_url(), other_topic.get_absolute_url()])
    if route == "taggit":
        story.topics.remove(topic)
    else:
        services.articles_untag(articles=Article.objects.filter(pk=story.pk), name=topic.name)
    assert story.slug not in text(client.get(topic.get_absolute_url()))
    # The topic page of the story's other topic lists it with its topics: it changed too.
    assert f'href="{topic.get_absolute_url()}"' not in text(client.get(other_topic.get_absolute_url()))


def test_tagging_a_story_puts_it_on_the_new_topics_page(client, two_stories):
    story, other = two_stories
    other_topic = other.topics.get()
    warm(client, [other_topic.get_absolute_url()])
    services.articles_tag(articles=Article.objects.filter(pk=story.pk), name=other_topic.name)
    assert story.slug in text(client.get(other_topic.get_absolute_url()))


def test_renaming_a_topic_reaches_every_page_that_prints_it(client, two_stories):
    story, other = two_stories
    topic, other_topic = story.topics.get(), other.topics.get()
    other_analyst = other.commentary.get().analyst.get_absolute_url()
    other.topics.add(topic)  # the other story's topic and analyst pages print this topic's name
    warm(client, [other_topic.get_absolute_url(), other_analyst])
    topic.name = "Renamed pretend border talks"
    topic.save()
    for url in [other_topic.get_absolute_url(), other_analyst]:
        assert "Renamed pretend border talks" in text(client.get(url)), url


def test_a_new_analyst_affiliation_reaches_the_analyst_page(client, two_stories):
    story, _ = two_stories
    analyst = story.commentary.get().analyst
    warm(client, [analyst.get_absolute_url()])
    analyst.organization = OrganizationFactory(name="Grand Fenwick Institute of Pretend Affairs")
    analyst.save()
    assert "Grand Fenwick Institute of Pretend Affairs" in text(client.get(analyst.get_absolute_url()))


# Story pages: their own token, and their topics' and analysts' (their related stories share them) --

def cached(client, url):
    """Fetch url until it is served from the page cache (a story page keeps its second render)."""
    for _ in range(3):
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and served_from_the_cache(queries), url
    return response


def test_a_story_page_sharing_nothing_with_the_written_story_stays_cached(client, two_stories):
    story, other = two_stories
    etag = cached(client, other.get_absolute_url())["ETag"]
    _edit_headline(story)
    services.article_transition(article=story, action="unpublish", user=None)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(other.get_absolute_url())["ETag"] == etag
    assert served_from_the_cache(queries)


@pytest.mark.parametrize("shared", ["topic", "analyst"])
def test_a_related_story_unpublished_or_edited_leaves_the_story_pages_that_list_it(client, two_stories, shared):
    story, other = two_stories
    if shared == "topic":
        other.topics.add(story.topics.get())
    else:
        CommentaryFactory(article=other, analyst=story.commentary.get().analyst, text="Agreed, in pretend.")
    assert other.slug in text(cached(client, story.get_absolute_url()))  # listed as related
    other.headline = "Sylvania renames its pretend harbour master"
    other.save()
    assert other.headline in text(client.get(story.get_absolute_url()))
    cached(client, story.get_absolute_url())
    services.article_transition(article=other, action="unpublish", user=None)
    assert other.slug not in text(client.get(story.get_absolute_url()))


def test_a_story_page_learns_a_new_topic_and_follows_its_stories(client, two_stories):
    story, other = two_stories
    assert other.slug not in text(cached(client, story.get_absolute_url()))
    services.articles_tag(articles=Article.objects.filter(pk=story.pk), name=other.topics.get().name)
    assert other.slug in text(cached(client, story.get_absolute_url()))  # now related, through the new topic
    services.article_transition(article=other, action="unpublish", user=None)
    assert other.slug not in text(client.get(story.get_absolute_url()))


def test_a_story_page_rendered_before_it_knew_its_scopes_is_never_kept(client, two_stories, monkeypatch):
    """Its related stories' tokens were not read before that render: a write during it must not be missed."""
    from reader.views import ArticleDetailView

    story, other = two_stories
    other.topics.add(story.topics.get())
    render = ArticleDetailView.get_context_data

    def render_then_a_write_lands(view, **kwargs):
        context = render(view, **kwargs)  # the related stories read (and rendered) here
        monkeypatch.setattr(ArticleDetailView, "get_context_data", render)
        services.article_transition(article=other, action="unpublish", user=None)  # after the render read it
        return context

    monkeypatch.setattr(ArticleDetailView, "get_context_data", render_then_a_write_lands)
    assert other.slug in text(client.get(story.get_absolute_url()))  # rendered with it, as it was
    request = RequestFactory().get(story.get_absolute_url())
    cache.page_cache().delete(cache.route_key(request))  # the learned scopes evicted
    assert other.slug not in text(client.get(story.get_absolute_url()))
