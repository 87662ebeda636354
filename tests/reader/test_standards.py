"""The standards pages: each answers at its fixed address with one heading and sanitized text, is
linked from every page's footer, and says what the publisher's JSON-LD says it does."""
import pytest
from django.urls import reverse

from people.models import StandardsPage

from ..factories import StaffProfileFactory
from .desk import SITE, jsonld_blocks
from .test_views import parse

pytestmark = pytest.mark.django_db

ADDRESSES = {
    "about": "/about/", "masthead": "/about/masthead/", "ethics": "/about/ethics/",
    "corrections": "/about/corrections/", "diversity": "/about/diversity/",
    "unnamed-sources": "/about/unnamed-sources/", "verification": "/about/verification/",
    "ownership": "/about/ownership/", "contact": "/about/contact/",
}


def test_every_standards_page_answers_at_its_address_with_one_heading_and_its_text(client):
    for page in StandardsPage.objects.all():
        url = ADDRESSES[page.kind]
        assert page.get_absolute_url() == url
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = parse(response)
        assert parsed.h1 == 1 and parsed.title.startswith(page.title), url
        assert "Starting text, written for the editors to replace." in response.content.decode()


def test_only_the_standards_pages_answer_under_about(client):
    assert client.get("/about/nonsense/").status_code == 404


def test_text_stored_raw_is_sanitized_again_on_the_page(client):
    StandardsPage.objects.filter(kind="ethics").update(body='<p>Fair</p><script>alert("x")</script>')
    body = client.get("/about/ethics/").content.decode()
    assert "<p>Fair</p>" in body and 'alert("x")' not in body


def test_every_page_footer_links_each_standards_page(client):
    footer = client.get("/").content.decode().split('class="sitefooter"')[1]
    for url in ADDRESSES.values():
        assert f'href="{url}"' in footer, url
    assert f'href="{reverse("articles:author_list")}"' in footer


def test_the_masthead_lists_current_staff_with_their_titles(client):
    current = StaffProfileFactory(display_name="Current Quillwright", job_title="Managing editor")
    former = StaffProfileFactory(display_name="Former Quillwright", is_current=False)
    body = client.get("/about/masthead/").content.decode()
    assert f'href="{current.get_absolute_url()}">Current Quillwright</a>' in body and "Managing editor" in body
    assert former.display_name not in body


def test_about_lists_the_other_pages_and_the_policies_link_onwards(client):
    about = client.get("/about/").content.decode()
    for kind, url in ADDRESSES.items():
        if kind != "about":
            assert f'href="{url}"' in about, url
    assert 'href="/about/voices/"' in client.get("/about/diversity/").content.decode()
    assert 'href="/corrections/"' in client.get("/about/corrections/").content.decode()


def test_a_standards_page_describes_itself_with_the_publisher(client):
    [data] = jsonld_blocks(client.get("/about/contact/"))
    assert data["@type"] == "ContactPage" and data["url"] == SITE + "/about/contact/"
    assert data["publisher"]["actionableFeedbackPolicy"] == SITE + "/about/contact/"
    [about] = jsonld_blocks(client.get("/about/"))
    assert about["@type"] == "AboutPage"


def test_an_edit_reaches_the_cached_page(client):
    assert "Ethics policy" in client.get("/about/ethics/").content.decode()
    page = StandardsPage.objects.get(kind="ethics")
    page.title = "How we keep faith with readers"
    page.save()
    assert "How we keep faith with readers" in client.get("/about/ethics/").content.decode()
