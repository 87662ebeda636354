"""Staff profiles and standards pages: the name a byline prints, addresses, links, sanitized text."""
import pytest
from django.core.exceptions import ValidationError
from django.utils.encoding import uri_to_iri

from people.models import POLICY_PROPERTIES, StaffProfile, StandardsPage, standards_url
from people.names import credited, display_name

from ..factories import ArticleFactory, BylineFactory, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_display_name_is_the_profiles_else_the_full_name_never_the_login():
    with_profile = StaffProfileFactory(display_name="Marisol Pennyquill", user__username="mp-login").user
    named = UserFactory(username="named-login", first_name="Tobiah", last_name="Inkstone")
    bare = UserFactory(username="bare-login", first_name="", last_name="")
    assert display_name(with_profile) == "Marisol Pennyquill"
    assert display_name(named) == "Tobiah Inkstone"
    assert display_name(bare) == ""


def test_credited_keeps_the_printed_order_and_leaves_out_bylines_with_no_name():
    story = ArticleFactory()
    second = StaffProfileFactory(display_name="Second Pennyquill")
    BylineFactory(article=story, author=second.user, sort_order=2)
    BylineFactory(article=story, author=UserFactory(username="ghost-login", first_name="", last_name=""), sort_order=1)
    BylineFactory(article=story, author=UserFactory(first_name="First", last_name="Inkstone"), sort_order=0)
    authors = credited(story.bylines.select_related("author__staff_profile"))
    assert [(a.name, a.url) for a in authors] == [
        ("First Inkstone", "/authors/first-inkstone/"), ("Second Pennyquill", f"/authors/{second.slug}/"),
    ]


def test_profile_address_comes_from_the_display_name_and_stays_unique():
    first = StaffProfileFactory(display_name="  Hana   Quillwright ")
    second = StaffProfileFactory(display_name="Hana Quillwright")
    hangul = StaffProfileFactory(display_name="김 가상")
    assert first.display_name == "Hana Quillwright"
    assert (first.slug, second.slug) == ("hana-quillwright", "hana-quillwright-2")
    assert hangul.slug == "김-가상"
    assert uri_to_iri(hangul.get_absolute_url()) == "/authors/김-가상/"


@pytest.mark.parametrize("name,initials", [
    ("Marisol Pennyquill", "MP"), ("Hana Ji-woo Quillwright", "HQ"), ("Plato", "P"), ("김 가상", "김가"), ("", ""),
])
def test_initials_stand_in_for_a_portrait(name, initials):
    assert StaffProfile(display_name=name).initials == initials


def test_links_must_be_web_addresses_one_per_line():
    profile = StaffProfileFactory(links="https://example.org/marisol\n\n  https://social.example/@mp  ")
    assert profile.link_list == ["https://example.org/marisol", "https://social.example/@mp"]
    profile.links = "https://example.org/ok\njavascript:alert(1)"
    with pytest.raises(ValidationError, match="javascript:alert"):
        profile.full_clean()


def test_every_standards_page_ships_with_a_starting_text_marked_as_such():
    pages = {page.kind: page for page in StandardsPage.objects.all()}
    assert set(pages) == set(StandardsPage.Kind.values)
    for page in pages.values():
        assert page.starting_text and page.title
        assert "Starting text, written for the editors to replace." in page.body
    assert "state-controlled when a government" in pages["verification"].body  # the labels' criterion
    assert 'href="/corrections/"' in pages["corrections"].body


def test_standards_page_text_is_sanitized_on_save():
    page = StandardsPage.objects.get(kind="ethics")
    page.body = '<p onclick="x()">Fair <script>alert(1)</script><a href="javascript:alert(2)">play</a></p>'
    page.save()
    page.refresh_from_db()
    assert page.body == "<p>Fair <a rel=\"noopener noreferrer\">play</a></p>"


def test_standards_pages_have_fixed_addresses_and_the_policies_name_them():
    assert standards_url("about") == "/about/"
    assert StandardsPage.objects.get(kind="unnamed-sources").get_absolute_url() == "/about/unnamed-sources/"
    assert set(POLICY_PROPERTIES) == set(StandardsPage.Kind.values) - {"about"}
    assert {prop for props in POLICY_PROPERTIES.values() for prop in props} == {
        "masthead", "ethicsPolicy", "publishingPrinciples", "correctionsPolicy", "diversityPolicy",
        "unnamedSourcesPolicy", "verificationFactCheckingPolicy", "ownershipFundingInfo", "actionableFeedbackPolicy",
    }
