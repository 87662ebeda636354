"""/sitemap.xml (an index of one sitemap per section, in pages) and the Google News sitemap."""
import datetime
import xml.etree.ElementTree as ET  # noqa: S405 - parses only our own responses

import pytest
from django.utils import timezone

from articles.models import Article
from pagecache.cache import COUNT_SQL, bump_generation
from reader.formats import whole_seconds
from reader.sitemaps import ArticleSitemap

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory, TopicFactory
from .desk import SITE, build_desk

pytestmark = pytest.mark.django_db


def parse_xml(content):
    return ET.fromstring(content)  # noqa: S314 - the site's own output, in tests
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BASE = SITE


def locations(response):
    root = parse_xml(response.content)
    return [loc.text for loc in root.iter(f"{SM}loc")]


def lastmods(response):
    """Return {loc: lastmod} for a sitemap or a sitemap index."""
    root = parse_xml(response.content)
    return {entry.findtext(f"{SM}loc"): entry.findtext(f"{SM}lastmod") for entry in root}


def every_sitemap_location(client):
    """Return the URLs on every page of every sitemap the index lists."""
    locs = []
    for sitemap_url in locations(client.get("/sitemap.xml")):
        response = client.get(sitemap_url)
        assert response.status_code == 200, sitemap_url
        locs += locations(response)
    return locs


def local_date(moment):
    return timezone.localtime(moment).date().isoformat()


def test_sitemap_is_an_index_of_one_sitemap_per_section(client):
    build_desk()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert parse_xml(response.content).tag == f"{SM}sitemapindex"
    assert locations(response) == [
        f"{BASE}/sitemap-sections.xml",
        f"{BASE}/sitemap-stories.xml",
        f"{BASE}/sitemap-topics.xml",
        f"{BASE}/sitemap-analysts.xml",
        f"{BASE}/sitemap-people.xml",
    ]


def test_sitemaps_list_stories_topics_and_analysts_but_nothing_hidden(client):
    desk = build_desk()
    only_hidden_topic, only_hidden_analyst = TopicFactory(name="Only on drafts"), AnalystFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, topics=[only_hidden_topic])
    CommentaryFactory(article=draft, analyst=only_hidden_analyst)
    locs = every_sitemap_location(client)
    assert BASE + desk.story.get_absolute_url() in locs
    assert BASE + desk.topic.get_absolute_url() in locs
    assert BASE + desk.analyst.get_absolute_url() in locs
    assert BASE + "/" in locs
    for hidden in [*desk.hidden.values(), draft, only_hidden_topic, only_hidden_analyst]:
        assert BASE + hidden.get_absolute_url() not in locs
    assert len(locs) == len(set(locs))


def test_story_sitemap_is_paged_oldest_first_and_the_index_lists_every_page(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    desk = build_desk()
    now = timezone.now()
    stories = [ArticleFactory(published_at=now - datetime.timedelta(days=n)) for n in range(4, 0, -1)]
    index = locations(client.get("/sitemap.xml"))
    pages = [f"{BASE}/sitemap-stories.xml", f"{BASE}/sitemap-stories.xml?p=2", f"{BASE}/sitemap-stories.xml?p=3"]
    assert [loc for loc in index if "stories" in loc] == pages
    listed = [locations(client.get(page)) for page in pages]
    assert [len(page) for page in listed] == [2, 2, 1]
    assert sum(listed, []) == [BASE + story.get_absolute_url() for story in [*stories, desk.story]]
    for past_the_end in ["4", "0", "two"]:
        assert client.get("/sitemap-stories.xml", {"p": past_the_end}).status_code == 404


def test_unknown_section_is_404(client):
    assert client.get("/sitemap-editors.xml").status_code == 404


def test_story_sitemap_gives_story_lastmod(client):
    desk = build_desk()
    lastmod = lastmods(client.get("/sitemap-stories.xml"))[BASE + desk.story.get_absolute_url()]
    assert lastmod == local_date(desk.story.last_modified)


def test_topic_and_analyst_lastmod_is_their_newest_published_story(client):
    topic, analyst = TopicFactory(name="Dated pretend topic"), AnalystFactory()
    now = timezone.now()
    published = ArticleFactory(published_at=now - datetime.timedelta(days=3), topics=[topic])
    older = ArticleFactory(published_at=now - datetime.timedelta(days=9), topics=[topic])
    hidden = [
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=now + datetime.timedelta(days=1), topics=[topic]),
        ArticleFactory(status=Article.Status.ARCHIVED, published_at=now - datetime.timedelta(days=1), topics=[topic]),
        ArticleFactory(status=Article.Status.DRAFT, published_at=None, topics=[topic]),
    ]
    for story in [published, older, *hidden]:
        CommentaryFactory(article=story, analyst=analyst)
    assert lastmods(client.get("/sitemap-topics.xml"))[BASE + topic.get_absolute_url()] == local_date(
        published.published_at
    )
    assert lastmods(client.get("/sitemap-analysts.xml"))[BASE + analyst.get_absolute_url()] == local_date(
        published.published_at
    )
    index = lastmods(client.get("/sitemap.xml"))
    for section in ("stories", "topics", "analysts"):
        stamp = datetime.datetime.fromisoformat(index[f"{BASE}/sitemap-{section}.xml"])
        assert stamp == whole_seconds(published.published_at), section


def test_index_lastmod_for_stories_follows_a_correction(client):
    story = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=2))
    Article.objects.filter(pk=story.pk).update(revised_at=timezone.now() - datetime.timedelta(hours=1))
    story.refresh_from_db()
    index = lastmods(client.get("/sitemap.xml"))
    assert datetime.datetime.fromisoformat(index[f"{BASE}/sitemap-stories.xml"]) == whole_seconds(story.revised_at)


def test_index_lastmod_for_stories_ignores_revisions_of_stories_readers_cannot_see(client, monkeypatch):
    now = timezone.now()
    live = ArticleFactory(published_at=now - datetime.timedelta(days=2))
    Article.objects.filter(pk=live.pk).update(revised_at=now - datetime.timedelta(hours=5))
    # Revised later than the live story, but scheduled again, unpublished or a draft.
    hidden = [
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=now + datetime.timedelta(days=1)),
        ArticleFactory(status=Article.Status.ARCHIVED, published_at=now - datetime.timedelta(days=1)),
        ArticleFactory(status=Article.Status.DRAFT, published_at=None),
    ]
    for hours, story in enumerate(hidden, start=1):
        Article.objects.filter(pk=story.pk).update(revised_at=now - datetime.timedelta(hours=hours))
    expected = now - datetime.timedelta(hours=5)

    def stories_lastmod():
        index = lastmods(client.get("/sitemap.xml"))
        return datetime.datetime.fromisoformat(index[f"{BASE}/sitemap-stories.xml"])

    assert stories_lastmod() == whole_seconds(expected)
    # More hidden revisions than the index scan reads: the aggregate answers, with the same result.
    monkeypatch.setattr("reader.sitemaps.REVISIONS_SCANNED", 1)
    bump_generation()  # the index page is cached
    assert stories_lastmod() == whole_seconds(expected)


def test_index_and_section_pages_are_served_from_the_page_cache(client, django_assert_num_queries):
    build_desk()
    for url in ["/sitemap.xml", "/sitemap-stories.xml", "/sitemap-topics.xml", "/sitemap-analysts.xml"]:
        first = client.get(url)
        with django_assert_num_queries(1) as ran:  # the page cache's check of the change count only
            again = client.get(url)
        assert ran.captured_queries[0]["sql"] == COUNT_SQL, url
        assert again.status_code == 200 and again.content == first.content, url
        assert again["X-Robots-Tag"] == first["X-Robots-Tag"], url


def test_news_sitemap_has_only_the_last_two_days(client):
    desk = build_desk()
    old = ArticleFactory(headline="Pretend story from last week",
                         published_at=timezone.now() - datetime.timedelta(days=7))
    response = client.get("/sitemap-news.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = parse_xml(response.content)
    urls = list(root.iter(f"{SM}url"))
    assert [u.findtext(f"{SM}loc") for u in urls] == [BASE + desk.story.get_absolute_url()]
    news = urls[0].find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication").findtext(f"{NEWS}name") == "Newsroom"
    assert news.find(f"{NEWS}publication").findtext(f"{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == desk.story.headline
    published = datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == whole_seconds(desk.story.published_at)
    assert old.headline not in response.content.decode()


def test_news_sitemap_escapes_headlines(client):
    ArticleFactory(headline="Tom & Jerry <pretend> talks")
    root = parse_xml(client.get("/sitemap-news.xml").content)  # parses: escaped
    assert root.find(f".//{NEWS}title").text == "Tom & Jerry <pretend> talks"


def test_hangul_story_in_sitemap_is_percent_encoded(client):
    story = ArticleFactory(headline="남북 회담", slug="")
    assert BASE + story.get_absolute_url() in every_sitemap_location(client)
