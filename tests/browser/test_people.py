"""Staff, standards and sourcing pages in a real Chromium: no serious accessibility violation, nothing
wider than a phone's screen, and the byline leads from a story to its author's page."""
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from articles.models import Organization, Source

from ..factories import (
    ArticleFactory,
    BylineFactory,
    CitationFactory,
    OrganizationFactory,
    SourceFactory,
    StaffProfileFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

starting = importlib.import_module("people.migrations.0002_starting_texts")


@pytest.fixture
def staff():
    """A reporter with a full profile, their story citing state media, and the standards pages."""
    # A transactional test starts from an emptied database: put the pages the migration wrote back.
    starting.add_starting_texts(apps, SimpleNamespace(connection=connection))
    topic = TopicFactory(name="Imaginary frontier")
    profile = StaffProfileFactory(
        display_name="Marisol Pennyquill", job_title="Frontier correspondent",
        bio="Marisol Pennyquill is a fictional reporter.", languages="English, Korean",
        public_email="marisol@newsroom.test", links="https://example.org/marisol", expertise=[topic],
    )
    story = ArticleFactory(headline="Sylvania turns down border talks with Freedonia", topics=[topic],
                           backstory="We read the statement in full.")
    BylineFactory(article=story, author=profile.user)
    dispatch = SourceFactory(name="Freedonian Central News dispatch", kind=Source.Kind.STATE_MEDIA,
                             organization=None)
    CitationFactory(article=story, source=dispatch)
    institute = OrganizationFactory(name="Freedonian Institute of Official Thought", kind=Organization.Kind.THINK_TANK,
                                    state_controlled=True)
    CitationFactory(article=story, source=SourceFactory(organization=institute))
    return {"profile": profile, "story": story}


PATHS = {
    "author": lambda s: s["profile"].get_absolute_url(),
    "staff": lambda s: "/authors/",
    "policy": lambda s: "/about/verification/",
    "about": lambda s: "/about/",
    "masthead": lambda s: "/about/masthead/",
    "voices": lambda s: "/about/voices/",
    "story": lambda s: s["story"].get_absolute_url(),
}


@pytest.mark.parametrize("which", sorted(PATHS))
def test_people_and_standards_pages_have_no_serious_accessibility_violations(page, live_server, staff, which):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(live_server.url + PATHS[which](staff))
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, results.generate_report()


def test_nothing_is_wider_than_a_phone(browser, live_server, staff):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        for which, path in PATHS.items():
            phone.goto(live_server.url + path(staff))
            overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, which
    finally:
        context.close()


def test_a_reader_follows_the_byline_to_the_authors_page_and_back(page, live_server, staff):
    page.goto(live_server.url + staff["story"].get_absolute_url())
    page.get_by_role("link", name="Marisol Pennyquill").click()
    page.wait_for_url(f"**{staff['profile'].get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Marisol Pennyquill"
    page.get_by_role("link", name=staff["story"].headline).click()
    page.wait_for_url(f"**{staff['story'].get_absolute_url()}")
    labels = page.locator(".statelabel")
    assert labels.count() == 2  # the dispatch and the state-controlled institute's statement
