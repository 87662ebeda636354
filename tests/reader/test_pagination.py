"""Keyset pagination: every story exactly once at any depth, page numbers still answer, bad cursors 404."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from reader import pagination

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory, TopicFactory
from .desk import SITE

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(monkeypatch):
    from reader import views

    monkeypatch.setattr(views.TopicDetailView, "page_size", 3)
    topic = TopicFactory(name="Paged pretend topic")
    start = timezone.now() - datetime.timedelta(days=2)
    same_minute = start + datetime.timedelta(hours=1)
    for i in range(8):
        ArticleFactory(topics=[topic], published_at=start + datetime.timedelta(minutes=i))
    for _ in range(3):  # ties on the publication time are broken by id
        ArticleFactory(topics=[topic], published_at=same_minute)
    ArticleFactory(topics=[topic], status=Article.Status.DRAFT, published_at=None)
    return topic


def walk(client, url, direction):
    seen, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += [a.pk for a in response.context["articles"]]
        url = response.context["pager"][direction]
        pages += 1
        assert pages < 20
    return seen, response


def test_older_links_visit_every_published_story_once_newest_first(client, topic):
    seen, last = walk(client, topic.get_absolute_url(), "older")
    expected = list(Article.objects.published().tagged(topic).newest_first().values_list("pk", flat=True))
    assert seen == expected and len(seen) == 11
    last_page = [a.pk for a in last.context["articles"]]
    back, _ = walk(client, last.context["pager"]["newer"], "newer")
    assert sorted(back) == sorted(set(expected) - set(last_page))


def test_page_numbers_match_the_cursor_pages(client, topic):
    pages = []
    url = topic.get_absolute_url()
    while url:
        response = client.get(url)
        pages.append([a.pk for a in response.context["articles"]])
        url = response.context["pager"]["older"]
    for number, expected in enumerate(pages, start=1):
        response = client.get(f"{topic.get_absolute_url()}?page={number}")
        assert [a.pk for a in response.context["articles"]] == expected
    assert client.get(f"{topic.get_absolute_url()}?page={len(pages) + 1}").status_code == 404


def test_last_page_shows_the_oldest_stories(client, topic):
    response = client.get(topic.get_absolute_url() + "?page=last")
    oldest = Article.objects.published().tagged(topic).order_by("published_at", "pk")[:3]
    assert [a.pk for a in response.context["articles"]] == [a.pk for a in reversed(oldest)]
    assert response.context["pager"]["older"] is None


@pytest.mark.parametrize("cursor", ["abc", "1-", "-1", "99999999999999999999-1", "1.5-2", "1-2-3"])
def test_bad_cursors_are_404(client, topic, cursor):
    assert client.get(topic.get_absolute_url() + f"?before={cursor}").status_code == 404
    assert client.get(topic.get_absolute_url() + f"?after={cursor}").status_code == 404


def test_a_cursor_page_with_no_stories_is_a_404_not_an_error(client, topic):
    # Past the newest story (every newer one unpublished since, or a made-up cursor) and past the
    # oldest: building the empty page's links was a 500 on every cursor-paginated list.
    analyst = AnalystFactory(name="Pretend Analyst Cursorby")
    CommentaryFactory(article=Article.objects.published().tagged(topic).first(), analyst=analyst)
    for url in ("/", topic.get_absolute_url(), analyst.get_absolute_url()):
        assert client.get(url).status_code == 200
        for cursor in ("after=4102444800000000-1", "before=1-1"):
            assert client.get(f"{url}?{cursor}").status_code == 404, (url, cursor)


def test_cursor_round_trips_microseconds():
    story = ArticleFactory(published_at=timezone.now().replace(microsecond=123456))
    assert pagination.decode(pagination.encode(story)) == (story.published_at, story.pk)


def test_deep_pages_run_the_same_queries_as_the_first(client, topic):
    def count(url):
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first = count(topic.get_absolute_url())
    from django.core.cache import cache

    cache.clear()
    older = client.get(topic.get_absolute_url()).context["pager"]["older"]
    assert count(older) == first
    # The topic links' index skips the earlier pages inside the one stories query.
    assert count(topic.get_absolute_url() + "?page=3") == first


def test_deep_cursor_query_uses_no_offset(topic):
    story = Article.objects.published().tagged(topic).newest_first()[5]
    queryset = Article.objects.published().tagged(topic).newest_first()
    with CaptureQueriesContext(connection) as queries:
        pagination.paginate(queryset, {"before": pagination.encode(story)}, page_size=3)
    assert all("OFFSET" not in q["sql"] for q in queries)


# The analysts' directory: A to Z in pages, cursors on (name, id) -----------------------------------

DIRECTORY_NAMES = [
    "Adela Quill", "Barnaby Fenwick", "Barnaby Fenwick", "Cosima Thistle", "Dorian Lark",
    "Quentin Marrow", "Rosalind Vex", "Zebedee Plum",
]


@pytest.fixture
def directory(monkeypatch):
    """Eight quoted analysts (two share a name) and one quoted only in a draft, three to a page."""
    from reader import views

    from ..factories import AnalystFactory, CommentaryFactory

    monkeypatch.setattr(views, "ANALYSTS_PER_PAGE", 3)
    story = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=1))
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    analysts = [AnalystFactory(name=name) for name in DIRECTORY_NAMES]
    for analyst in analysts:
        CommentaryFactory(article=story, analyst=analyst)
    hidden = AnalystFactory(name="Bertha Draftwell")
    CommentaryFactory(article=draft, analyst=hidden)
    return {"analysts": sorted(analysts, key=lambda a: (a.name, a.pk)), "hidden": hidden}


def walk_directory(client, url, direction):
    """Return the pages (lists of analyst ids) from url following the pager's `direction` links."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append([a.pk for a in response.context["analysts"]])
        url = response.context["pager"][direction]
        assert len(pages) < 10
    return pages


def test_directory_pages_visit_every_quoted_analyst_once_a_to_z(client, directory):
    expected = [a.pk for a in directory["analysts"]]
    forward = walk_directory(client, "/analysts/", "next")
    assert forward == [expected[:3], expected[3:6], expected[6:]]
    last = client.get(f"/analysts/?after={expected[-4]}")
    assert [a.pk for a in last.context["analysts"]] == expected[-3:]
    assert last.context["pager"]["next"] is None
    # Back from there: pages of three ending just before it, then what is left.
    backward = walk_directory(client, last.context["pager"]["previous"], "previous")
    assert backward == [expected[2:5], expected[:2]]
    assert directory["hidden"].pk not in sum(forward, [])


def test_directory_letter_starts_at_the_first_name_from_that_letter(client, directory):
    response = client.get("/analysts/?from=q")
    names = [a.name for a in response.context["analysts"]]
    assert names == ["Quentin Marrow", "Rosalind Vex", "Zebedee Plum"]
    body = response.content.decode()
    assert '<a href="/analysts/?from=q" aria-current="page">Q</a>' in body
    assert response.context["pager"]["previous"] and response.context["pager"]["next"] is None
    assert response.context["seo"]["canonical"] == SITE + "/analysts/?from=q"
    assert [a.name for a in client.get("/analysts/?from=z").context["analysts"]] == ["Zebedee Plum"]
    first = client.get("/analysts/?from=a")
    assert first.context["pager"]["previous"] is None


@pytest.mark.parametrize("query", ["from=ab", "from=1", "from=%C3%A9", "after=abc", "before=-1", "after=99999999",
                                   "from=a&after=1"])
def test_directory_bad_parameters_are_404(client, directory, query):
    assert client.get(f"/analysts/?{query}").status_code == 404


def test_directory_cursor_on_an_analyst_readers_cannot_see_is_404(client, directory):
    assert client.get(f"/analysts/?after={directory['hidden'].pk}").status_code == 404


def test_analyst_page_numbers_match_the_cursor_pages_when_some_stories_quote_twice(client, monkeypatch):
    """Two quotes in one story are two link rows: page N counts stories, as the cursor pages do."""
    from reader import views

    from ..factories import AnalystFactory, CommentaryFactory

    monkeypatch.setattr(views.AnalystDetailView, "page_size", 3)
    analyst = AnalystFactory(name="Perpetua Twicequoted")
    start = timezone.now() - datetime.timedelta(days=2)
    for i in range(10):
        story = ArticleFactory(published_at=start + datetime.timedelta(minutes=i))
        CommentaryFactory(article=story, analyst=analyst, text="First pretend remark.")
        if i % 2:
            CommentaryFactory(article=story, analyst=analyst, text="Second pretend remark.")
    pages, url = [], analyst.get_absolute_url()
    while url:
        response = client.get(url)
        pages.append([a.pk for a in response.context["articles"]])
        url = response.context["pager"]["older"]
    assert sum(len(page) for page in pages) == 10 and len(pages) == 4
    for number, expected in enumerate(pages, start=1):
        response = client.get(f"{analyst.get_absolute_url()}?page={number}")
        assert [a.pk for a in response.context["articles"]] == expected, number
    assert client.get(f"{analyst.get_absolute_url()}?page=5").status_code == 404
