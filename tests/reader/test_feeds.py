"""RSS and Atom feeds: latest, per topic, per analyst; published stories only."""
import xml.etree.ElementTree as ET  # noqa: S405 - parses only our own responses

import pytest
from django.urls import reverse

from ..factories import ArticleFactory, BylineFactory, UserFactory
from .desk import SITE, build_desk

pytestmark = pytest.mark.django_db


def parse_xml(content):
    return ET.fromstring(content)  # noqa: S314 - the site's own output, in tests
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def desk():
    return build_desk()


def feed_urls(desk):
    return {
        "latest": (reverse("articles:feed_rss"), reverse("articles:feed_atom")),
        "topic": (reverse("articles:topic_feed_rss", kwargs={"slug": desk.topic.slug}),
                  reverse("articles:topic_feed_atom", kwargs={"slug": desk.topic.slug})),
        "analyst": (reverse("articles:analyst_feed_rss", kwargs={"slug": desk.analyst.slug}),
                    reverse("articles:analyst_feed_atom", kwargs={"slug": desk.analyst.slug})),
    }


def rss_titles(response):
    root = parse_xml(response.content)
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(response):
    root = parse_xml(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


@pytest.mark.parametrize("kind", ["latest", "topic", "analyst"])
def test_feeds_carry_the_published_story_and_no_hidden_one(client, desk, kind):
    rss_url, atom_url = feed_urls(desk)[kind]
    rss = client.get(rss_url)
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert rss_titles(rss) == [desk.story.headline]
    atom = client.get(atom_url)
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert atom_titles(atom) == [desk.story.headline]


@pytest.mark.parametrize("kind", ["latest", "topic", "analyst"])
def test_feeds_name_the_publications_language(client, desk, kind, settings):
    rss_url, atom_url = feed_urls(desk)[kind]
    assert parse_xml(client.get(rss_url).content).findtext("channel/language") == "en"
    assert parse_xml(client.get(atom_url).content).get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    settings.NEWSROOM = {**settings.NEWSROOM, "LANGUAGE": "ko"}
    from pagecache.cache import bump_generation

    bump_generation()  # the feeds are cached pages
    assert parse_xml(client.get(rss_url).content).findtext("channel/language") == "ko"


def test_rss_item_has_link_date_author_and_topics(client, desk):
    root = parse_xml(client.get(reverse("articles:feed_rss")).content)
    item = next(root.iter("item"))
    assert item.findtext("link") == SITE + desk.story.get_absolute_url()
    assert item.findtext("description") == desk.story.dek
    assert item.findtext("pubDate")
    assert [c.text for c in item.findall("category")] == ["Imaginary frontier"]
    assert "Test Desk" in ET.tostring(item, encoding="unicode")


def test_atom_entry_has_updated_and_author(client, desk):
    BylineFactory(article=desk.story, author=UserFactory(first_name="Ilse", last_name="Marginalia"))
    root = parse_xml(client.get(reverse("articles:feed_atom")).content)
    entry = next(root.iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}updated")
    # One <author> per author: the bylines in order, then the desk credit.
    names = [author.findtext(f"{ATOM}name") for author in entry.findall(f"{ATOM}author")]
    assert names == ["Rhea Inkwell", "Ilse Marginalia", "Test Desk"]


def test_latest_feed_is_newest_first_and_bounded(client):
    ArticleFactory.create_batch(35)
    titles = rss_titles(client.get(reverse("articles:feed_rss")))
    assert len(titles) == 30


def test_feed_for_unknown_topic_is_404(client):
    assert client.get("/topics/nothing-here/rss/").status_code == 404
    assert client.get("/analysts/nobody-here/atom/").status_code == 404


def test_feeds_of_topic_and_analyst_with_only_drafts_are_404(client):
    desk = build_desk()
    desk.story.status = "draft"
    desk.story.save()
    assert client.get(reverse("articles:topic_feed_rss", kwargs={"slug": desk.topic.slug})).status_code == 404
    assert client.get(reverse("articles:analyst_feed_atom", kwargs={"slug": desk.analyst.slug})).status_code == 404


def rss_guids(client, url):
    items = parse_xml(client.get(url).content).iter("item")
    return [(item.find("guid").text, item.find("guid").get("isPermaLink")) for item in items]


def atom_ids(client, url):
    return [entry.findtext(f"{ATOM}id") for entry in parse_xml(client.get(url).content).iter(f"{ATOM}entry")]


def test_feed_ids_are_tag_uris_that_a_new_slug_does_not_change(client, desk):
    from pagecache.cache import bump_generation
    from reader.formats import story_tag_uri

    tag = story_tag_uri(desk.story)
    assert tag.startswith("tag:news.example.org,") and tag.endswith(f":story-{desk.story.pk}")
    for rss_url, atom_url in feed_urls(desk).values():
        assert rss_guids(client, rss_url) == [(tag, "false")]
        assert atom_ids(client, atom_url) == [tag]
    desk.story.slug = "sylvania-says-no-to-border-talks"
    desk.story.save()
    bump_generation()
    root = parse_xml(client.get(reverse("articles:feed_rss")).content)
    assert next(root.iter("item")).findtext("link").endswith("/sylvania-says-no-to-border-talks/")
    assert rss_guids(client, reverse("articles:feed_rss")) == [(tag, "false")]
    assert atom_ids(client, reverse("articles:feed_atom")) == [tag]


def test_feeds_carry_the_dek_as_plain_text(client, desk):
    desk.story.dek = "Talks <b>collapse</b> & the <script>pretend</script> envoy leaves"
    desk.story.save()
    rss = parse_xml(client.get(reverse("articles:feed_rss")).content)
    # An RSS description is HTML: decoded once, it must still show the dek's characters, not markup.
    description = next(rss.iter("item")).findtext("description")
    assert description == (
        "Talks &lt;b&gt;collapse&lt;/b&gt; &amp; the &lt;script&gt;pretend&lt;/script&gt; envoy leaves"
    )
    atom = parse_xml(client.get(reverse("articles:feed_atom")).content)
    summary = next(atom.iter(f"{ATOM}entry")).find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == desk.story.dek


def test_rss_names_each_author_in_its_own_creator(client, desk):
    BylineFactory(article=desk.story, author=UserFactory(first_name="Ilse", last_name="Marginalia"))
    item = next(parse_xml(client.get(reverse("articles:feed_rss")).content).iter("item"))
    creators = [c.text for c in item.findall("{http://purl.org/dc/elements/1.1/}creator")]
    assert creators == ["Rhea Inkwell", "Ilse Marginalia", "Test Desk"]
