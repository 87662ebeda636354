"""/sitemap.xml and the Google News sitemap."""
import datetime
import xml.etree.ElementTree as ET  # noqa: S405 - parses only our own responses

import pytest
from django.utils import timezone

from ..factories import ArticleFactory
from .reader import build_desk

pytestmark = pytest.mark.django_db


def parse_xml(content):
    return ET.fromstring(content)  # noqa: S314 - the site's own output, in tests
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def locations(response):
    root = parse_xml(response.content)
    return [loc.text for loc in root.iter(f"{SM}loc")]


def test_sitemap_lists_stories_topics_and_analysts_but_nothing_hidden(client):
    desk = build_desk()
    locs = locations(client.get("/sitemap.xml"))
    base = "http://testserver"
    assert base + desk.story.get_absolute_url() in locs
    assert base + desk.topic.get_absolute_url() in locs
    assert base + desk.analyst.get_absolute_url() in locs
    assert base + "/" in locs
    for hidden in desk.hidden.values():
        assert base + hidden.get_absolute_url() not in locs


def test_sitemap_gives_story_lastmod(client):
    desk = build_desk()
    root = parse_xml(client.get("/sitemap.xml").content)
    for url in root.iter(f"{SM}url"):
        if url.findtext(f"{SM}loc").endswith(desk.story.get_absolute_url()):
            assert url.findtext(f"{SM}lastmod") == timezone.localtime(desk.story.last_modified).date().isoformat()
            break
    else:
        pytest.fail("story missing from sitemap")


def test_news_sitemap_has_only_the_last_two_days(client):
    desk = build_desk()
    old = ArticleFactory(headline="Pretend story from last week",
                         published_at=timezone.now() - datetime.timedelta(days=7))
    response = client.get("/sitemap-news.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = parse_xml(response.content)
    urls = list(root.iter(f"{SM}url"))
    assert [u.findtext(f"{SM}loc") for u in urls] == ["http://testserver" + desk.story.get_absolute_url()]
    news = urls[0].find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication").findtext(f"{NEWS}name") == "Newsroom"
    assert news.find(f"{NEWS}publication").findtext(f"{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == desk.story.headline
    published = datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == desk.story.published_at
    assert old.headline not in response.content.decode()


def test_news_sitemap_escapes_headlines(client):
    ArticleFactory(headline="Tom & Jerry <pretend> talks")
    root = parse_xml(client.get("/sitemap-news.xml").content)  # parses: escaped
    assert root.find(f".//{NEWS}title").text == "Tom & Jerry <pretend> talks"


def test_hangul_story_in_sitemap_is_percent_encoded(client):
    story = ArticleFactory(headline="남북 회담", slug="")
    assert "http://testserver" + story.get_absolute_url() in locations(client.get("/sitemap.xml"))
