"""A reader in a real Chromium: browse, search, and an accessibility scan of the main pages."""
import datetime
import re

import pytest
from django.utils import timezone

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    BylineFactory,
    CitationFactory,
    CommentaryFactory,
    OrganizationFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom():
    """Three published stories, two quoting the same analyst, and a draft that must stay hidden."""
    now = timezone.now()
    frontier = TopicFactory(name="Imaginary frontier", description="Talks over a fictional border.")
    trade = TopicFactory(name="Pretend trade")
    analyst = AnalystFactory(
        name="Odalys Penwright", title="senior fellow",
        organization=OrganizationFactory(name="Institute for Pretend Strategy"),
        bio="Odalys Penwright is a fictional expert on the pretend frontier.",
    )
    other = AnalystFactory(name="Caspian Wrenfield", title="professor",
                           organization=OrganizationFactory(name="University of Nowhere"))
    reporter = UserFactory(first_name="Rhea", last_name="Inkwell")
    first = ArticleFactory(
        headline="Sylvania turns down border talks with Freedonia",
        dek="The fictional kingdom called the offer a performance.",
        dateline="SEOUL", published_at=now - datetime.timedelta(hours=1), topics=[frontier],
    )
    second = ArticleFactory(
        headline="Freedonia weighs a pretend tariff on zeppelins",
        dek="Exporters in the imaginary republic brace for a long dispute.",
        published_at=now - datetime.timedelta(days=3), topics=[trade],
    )
    third = ArticleFactory(headline="Envoys trade notes once more", published_at=now - datetime.timedelta(days=5),
                           topics=[frontier])
    for story in (first, second, third):
        BylineFactory(article=story, author=reporter)
    CommentaryFactory(article=first, analyst=analyst, text="Both sides are speaking to voters at home.")
    CommentaryFactory(article=second, analyst=analyst, text="Tariffs are a signal, not a strategy.")
    CommentaryFactory(article=third, analyst=other, text="Notes are cheap; meetings are not.")
    CitationFactory(article=first)
    draft = ArticleFactory(headline="Hiddenword draft about the frontier", status="draft", topics=[frontier])
    CommentaryFactory(article=draft, analyst=analyst, text="Secret draft quote.")
    return {"first": first, "second": second, "analyst": analyst, "topic": frontier}


def test_reader_goes_from_home_to_topic_to_story_to_analyst_to_another_story(page, live_server, newsroom):
    page.goto(live_server.url + "/")
    assert page.locator("h1").text_content() == "Latest stories"
    assert "Hiddenword" not in page.content()

    page.locator("main").get_by_role("link", name="Imaginary frontier").first.click()
    page.wait_for_url("**/topics/imaginary-frontier/")
    assert page.locator("h1").inner_text() == "Imaginary frontier"

    page.get_by_role("link", name="Sylvania turns down border talks with Freedonia").click()
    page.wait_for_url("**/stories/sylvania-turns-down-border-talks-with-freedonia/")
    assert page.locator("h1").inner_text() == "Sylvania turns down border talks with Freedonia"
    commentary = page.locator("section", has=page.get_by_role("heading", name="Expert commentary"))
    assert "Both sides are speaking to voters at home." in commentary.inner_text()
    assert "senior fellow, Institute for Pretend Strategy" in commentary.inner_text()

    commentary.get_by_role("link", name="Odalys Penwright").click()
    page.wait_for_url("**/analysts/odalys-penwright/")
    assert page.locator("h1").inner_text() == "Odalys Penwright"
    assert "Tariffs are a signal, not a strategy." in page.content()
    assert "Secret draft quote." not in page.content()

    page.get_by_role("link", name="Freedonia weighs a pretend tariff on zeppelins").click()
    page.wait_for_url("**/stories/freedonia-weighs-a-pretend-tariff-on-zeppelins/")
    assert page.locator("h1").inner_text() == "Freedonia weighs a pretend tariff on zeppelins"


def test_reader_searches_and_finds_a_story(page, live_server, newsroom):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search stories").fill("zeppelins")
    page.get_by_role("searchbox", name="Search stories").press("Enter")
    page.wait_for_url("**/search/?q=zeppelins")
    result = page.locator("ol.results li").first
    assert "Freedonia weighs a pretend tariff on zeppelins" in result.inner_text()
    assert result.locator("mark").count() >= 1
    result.get_by_role("link").click()
    page.wait_for_url("**/stories/freedonia-weighs-a-pretend-tariff-on-zeppelins/")


def test_skip_link_is_first_and_visible_on_focus(page, live_server, newsroom):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0


def test_story_page_reads_well_on_a_phone(browser, live_server, newsroom):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        phone.goto(live_server.url + newsroom["first"].get_absolute_url())
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        size = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.prose p')).fontSize)")
        assert size >= 17
    finally:
        context.close()


@pytest.mark.parametrize("which", ["home", "story", "topic", "analyst", "search"])
def test_pages_have_no_serious_accessibility_violations(page, live_server, newsroom, which):
    from axe_playwright_python.sync_playwright import Axe

    path = {
        "home": "/",
        "story": newsroom["first"].get_absolute_url(),
        "topic": newsroom["topic"].get_absolute_url(),
        "analyst": newsroom["analyst"].get_absolute_url(),
        "search": "/search/?q=frontier",
    }[which]
    page.goto(live_server.url + path)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, results.generate_report()



@pytest.mark.parametrize("path", ["/search/?q=frontier", "/search/", "/no/such/page/"])
def test_each_search_landmark_has_a_name_of_its_own(page, live_server, newsroom, path):
    # The names Chromium gives assistive technology. axe passes two unnamed search landmarks, so
    # the scan above cannot tell a screen-reader user's two "search" regions apart for them.
    page.goto(live_server.url + path)
    tree = page.locator("body").aria_snapshot()
    names = [match[1] for match in re.finditer(r'^\s*- search(?: "([^"]*)")?:', tree, re.MULTILINE)]
    assert len(names) == 2, tree
    assert all(names) and len(set(names)) == len(names), names
