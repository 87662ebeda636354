"""Structured data: valid JSON-LD with the schema.org types and fields search engines read."""
import json

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article, Correction
from reader.formats import machine_time
from reader.jsonld import script_tag

from ..factories import ArticleFactory, CorrectionFactory
from .desk import SITE, build_desk, jsonld_blocks

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return build_desk()


def only_block(client, url):
    blocks = jsonld_blocks(client.get(url))
    assert len(blocks) == 1, url
    assert blocks[0]["@context"] == "https://schema.org"
    return blocks[0]


def test_story_is_an_analysis_news_article_with_all_fields(client, desk):
    CorrectionFactory(article=desk.story, kind=Correction.Kind.CORRECTION, text="We misdated the pretend note.")
    data = only_block(client, desk.story.get_absolute_url())
    assert data["@type"] == "AnalysisNewsArticle"
    assert data["headline"] == desk.story.headline
    assert data["description"] == desk.story.dek
    assert data["dateline"] == "SEOUL"
    assert data["datePublished"] == machine_time(desk.story.published_at)
    assert data["dateModified"]
    assert data["url"] == SITE + desk.story.get_absolute_url()
    assert data["author"] == [
        {"@type": "Person", "name": "Rhea Inkwell", "url": SITE + "/authors/rhea-inkwell/"},
        {"@type": "Organization", "name": "Test Desk", "url": SITE + "/about/"},
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"] == "Newsroom"
    assert data["about"] == [
        {"@type": "Thing", "name": "Imaginary frontier", "url": SITE + "/topics/imaginary-frontier/"}
    ]
    assert data["citation"][0]["@type"] == "CreativeWork"
    assert data["citation"][0]["name"] == "Sylvanian Foreign Ministry statement"
    person = data["mentions"][0]
    assert person == {
        "@type": "Person",
        "name": "Odalys Penwright",
        "url": SITE + "/analysts/odalys-penwright/",
        "jobTitle": "senior fellow",
        "affiliation": {"@type": "Organization", "name": "Institute for Pretend Strategy"},
    }
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert data["correction"][0]["text"] == "We misdated the pretend note."


@pytest.mark.parametrize(("kind", "schema_type"), [
    (Article.Kind.NEWS, "NewsArticle"),
    (Article.Kind.ANALYSIS, "AnalysisNewsArticle"),
    (Article.Kind.OPINION, "OpinionNewsArticle"),
])
def test_story_type_follows_its_kind(client, kind, schema_type):
    story = ArticleFactory(kind=kind)
    assert only_block(client, story.get_absolute_url())["@type"] == schema_type


def test_story_jsonld_omits_hidden_related_content(client, desk):
    raw = client.get(desk.story.get_absolute_url()).content.decode()
    assert "Secret" not in raw and "Hiddenword" not in raw


def test_a_script_end_tag_in_a_headline_cannot_break_out(client):
    story = ArticleFactory(headline='Pretend </script><script>alert("x")</script> & <!-- talks')
    response = client.get(story.get_absolute_url())
    raw = response.content.decode()
    assert '</script><script>alert("x")' not in raw
    assert jsonld_blocks(response)[0]["headline"] == story.headline


def test_script_tag_escapes_markup_characters():
    tag = script_tag({"x": "</script>&<"})
    assert tag == '<script type="application/ld+json">{"x":"\\u003C/script\\u003E\\u0026\\u003C"}</script>'
    assert json.loads(tag.split(">", 1)[1].rsplit("<", 1)[0]) == {"x": "</script>&<"}


@settings(max_examples=200, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
))
def test_script_tag_writes_what_the_standard_library_writes(data):
    text = str(script_tag(data)).removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    expected = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026")):
        expected = expected.replace(character, escaped)
    assert text == expected
    assert json.loads(text) == data


def test_analyst_page_is_a_profile_of_a_person(client, desk):
    data = only_block(client, desk.analyst.get_absolute_url())
    assert data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Odalys Penwright"
    assert person["jobTitle"] == "senior fellow"
    assert person["affiliation"] == {"@type": "Organization", "name": "Institute for Pretend Strategy"}
    assert person["description"].startswith("Odalys Penwright is a fictional expert")


@pytest.mark.parametrize("url_name", ["home", "topic_list", "analyst_list"])
def test_list_pages_are_collection_pages_with_an_item_list(client, desk, url_name):
    data = only_block(client, reverse(f"articles:{url_name}"))
    assert data["@type"] == "CollectionPage"
    items = data["mainEntity"]["itemListElement"]
    assert items[0]["@type"] == "ListItem" and items[0]["position"] == 1
    assert items[0]["url"].startswith(SITE + "/")


def test_topic_page_lists_only_published_stories(client, desk):
    data = only_block(client, desk.topic.get_absolute_url())
    assert data["@type"] == "CollectionPage"
    assert [item["name"] for item in data["mainEntity"]["itemListElement"]] == [desk.story.headline]


def test_second_page_positions_continue_from_the_first(client):
    ArticleFactory.create_batch(22)
    data = only_block(client, "/?page=2")
    assert data["mainEntity"]["itemListElement"][0]["position"] == 21


@pytest.mark.parametrize("url_name", ["home", "topic_list", "analyst_list"])
def test_list_items_link_each_items_own_page(client, desk, url_name):
    response = client.get(reverse(f"articles:{url_name}"))
    data = only_block(client, reverse(f"articles:{url_name}"))
    shown = list(response.context["object_list"])
    assert [item["url"] for item in data["mainEntity"]["itemListElement"]] == [
        SITE + item.get_absolute_url() for item in shown
    ]
