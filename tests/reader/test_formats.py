"""What machines read: whole-second times, the configured site address, permanent story ids."""
import datetime
import re

import pytest
from django.utils import timezone

from articles.models import Article
from reader import formats

from ..factories import ArticleFactory, CorrectionFactory, TopicFactory
from .desk import SITE, build_desk, jsonld_blocks

pytestmark = pytest.mark.django_db

# HTML's valid global date and time string allows one to three fraction digits; we write none.
WHOLE_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
DATETIME_ATTRIBUTE = re.compile(r'datetime="([^"]*)"')


def test_machine_time_drops_the_fraction_and_shows_the_desk_zone(settings):
    settings.TIME_ZONE = "Asia/Seoul"
    moment = datetime.datetime(2026, 12, 7, 18, 44, 58, 799336, tzinfo=datetime.UTC)
    assert formats.machine_time(moment) == "2026-12-08T03:44:58+09:00"
    assert formats.machine_time(None) == ""
    assert formats.whole_seconds(moment) == moment.replace(microsecond=0)


def test_absolute_url_names_the_configured_site(settings):
    settings.NEWSROOM_SITE_URL = "https://desk.example.net"
    assert formats.absolute_url("/topics/x/") == "https://desk.example.net/topics/x/"
    assert formats.site_domain() == "desk.example.net"


def test_a_storys_tag_uri_survives_a_new_slug_and_a_new_publication_time():
    story = ArticleFactory(headline="Sylvania renames a pretend ministry")
    before = formats.story_tag_uri(story)
    assert re.fullmatch(rf"tag:news\.example\.org,\d{{4}}-\d\d-\d\d:story-{story.pk}", before)
    story.slug = "a-new-address-for-the-pretend-ministry"
    story.published_at = timezone.now() - datetime.timedelta(days=40)
    story.save()
    story.refresh_from_db()
    assert formats.story_tag_uri(story) == before
    assert formats.story_tag_uri(ArticleFactory()) != before


@pytest.fixture
def stories_published_now():
    """A story published with "Publish now" (microseconds), with a correction, as editors make them."""
    desk = build_desk()
    now = timezone.now().replace(microsecond=799336)
    Article.objects.filter(pk=desk.story.pk).update(published_at=now - datetime.timedelta(minutes=5))
    desk.story.refresh_from_db()
    CorrectionFactory(article=desk.story, text="We misnamed the pretend envoy.",
                      published_at=now - datetime.timedelta(minutes=1, microseconds=-123))
    ArticleFactory(published_at=now - datetime.timedelta(minutes=2), topics=[TopicFactory(name="Pretend tariffs")])
    return desk


def test_no_page_writes_a_fraction_of_a_second(client, stories_published_now):
    desk = stories_published_now
    pages = ["/", desk.story.get_absolute_url(), desk.topic.get_absolute_url(), desk.analyst.get_absolute_url(),
             "/analysts/", "/corrections/", desk.source.get_absolute_url()]
    for url in pages:
        body = client.get(url).content.decode()
        stamps = DATETIME_ATTRIBUTE.findall(body)
        assert stamps, url
        assert all(WHOLE_SECONDS.match(stamp) for stamp in stamps), (url, stamps)
        for meta in re.findall(r'property="article:\w+_time" content="([^"]*)"', body):
            assert WHOLE_SECONDS.match(meta), (url, meta)


def test_structured_data_feeds_and_sitemaps_write_whole_seconds(client, stories_published_now):
    desk = stories_published_now
    data = next(block for block in jsonld_blocks(client.get(desk.story.get_absolute_url())) if "headline" in block)
    stamps = [data["datePublished"], data["dateModified"], *(c["datePublished"] for c in data["correction"])]
    assert all(WHOLE_SECONDS.match(stamp) for stamp in stamps), stamps
    atom = client.get("/feeds/atom/").content.decode()
    atom_stamps = re.findall(r"<(?:updated|published)>([^<]*)<", atom)
    assert atom_stamps and all(WHOLE_SECONDS.match(stamp) for stamp in atom_stamps), atom_stamps
    news = client.get("/sitemap-news.xml").content.decode()
    news_stamps = re.findall(r"<news:publication_date>([^<]*)<", news)
    assert news_stamps and all(WHOLE_SECONDS.match(stamp) for stamp in news_stamps), news_stamps
    index = client.get("/sitemap.xml").content.decode()
    index_stamps = re.findall(r"<lastmod>([^<]*)<", index)
    assert index_stamps and all(WHOLE_SECONDS.match(stamp) for stamp in index_stamps), index_stamps


@pytest.mark.parametrize("host", ["localhost:1337", "LOCALHOST", "127.0.0.1:8080"])
def test_pages_feeds_and_sitemaps_name_the_site_not_the_requests_host(client, host):
    desk = build_desk()
    story_page = client.get(desk.story.get_absolute_url(), HTTP_HOST=host).content.decode()
    assert f'<link rel="canonical" href="{SITE}{desk.story.get_absolute_url()}">' in story_page
    for url in ("/feeds/rss/", "/feeds/atom/", desk.topic.get_absolute_url(), "/sitemap.xml",
                "/sitemap-stories.xml", "/sitemap-news.xml", "/robots.txt", desk.story.get_absolute_url()):
        body = client.get(url, HTTP_HOST=host).content.decode()
        assert SITE in body, url
        assert host.lower().split(":")[0] not in body.lower(), (url, host)


def test_the_page_cache_keeps_one_entry_whatever_the_hosts_port_or_case():
    from django.test import RequestFactory

    from pagecache.cache import page_key

    keys = {page_key(RequestFactory().get("/topics/x/?page=2", HTTP_HOST=host), ["token"])
            for host in ("localhost", "LOCALHOST", "localhost:1337", "localhost:8000")}
    assert len(keys) == 1
    assert page_key(RequestFactory().get("/topics/y/?page=2"), ["token"]) not in keys
