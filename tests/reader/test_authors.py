"""Author pages, the staff list, author feeds and sitemap entries, bylines and their JSON-LD: published
stories only, display names only (never a login name), a former member of staff keeps their page."""
import datetime
import xml.etree.ElementTree as ET  # noqa: S405 - parses only our own responses
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from reader.people import AuthorDetailView

from ..factories import (
    ArticleFactory,
    BylineFactory,
    StaffProfileFactory,
    TopicFactory,
    UserFactory,
)
from .desk import SITE, jsonld_blocks
from .test_query_budget import BUDGET  # the reader's budget for any public page
from .test_views import parse

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Login names distinctive enough that finding one anywhere in a page means it leaked.
LOGINS = ("mp-secret-login", "former-secret-login", "ghost-secret-login", "draft-only-secret-login")


@dataclass
class Staff:
    marisol: object
    former: object
    draft_only: object
    topic: object
    published: list
    hidden: dict = field(default_factory=dict)
    shared: object = None
    ghostly: object = None


def build_staff():
    """A current reporter with three published stories and four hidden ones, a former reporter with one
    published story (shared with the first), a former reporter with only a draft, and a legacy byline
    whose account has no name at all."""
    now = timezone.now()
    topic = TopicFactory(name="Pretend border talks")
    marisol = StaffProfileFactory(
        display_name="Marisol Pennyquill", job_title="Frontier correspondent",
        bio="Marisol Pennyquill is a fictional reporter.\n\nShe covers the pretend frontier.",
        languages="English, Korean", public_email="marisol@newsroom.test",
        links="https://example.org/marisol\nhttps://social.example/@marisol",
        user=UserFactory(username="mp-secret-login", first_name="", last_name=""), expertise=[topic],
    )
    former = StaffProfileFactory(
        display_name="Tobiah Formerly", is_current=False, job_title="Former night editor",
        user=UserFactory(username="former-secret-login", first_name="", last_name=""),
    )
    draft_only = StaffProfileFactory(
        display_name="Quentin Draftwell", is_current=False,
        user=UserFactory(username="draft-only-secret-login", first_name="", last_name=""),
    )
    published = []
    for days, headline in ((3, "Oldest pretend dispatch"), (2, "Middle pretend dispatch"),
                           (1, "Newest pretend dispatch")):
        story = ArticleFactory(headline=headline, published_at=now - datetime.timedelta(days=days), topics=[topic])
        BylineFactory(article=story, author=marisol.user)
        published.append(story)
    shared = ArticleFactory(headline="Two bylines on a pretend treaty", published_at=now - datetime.timedelta(hours=5),
                            credit="")
    BylineFactory(article=shared, author=marisol.user, sort_order=0)
    BylineFactory(article=shared, author=former.user, sort_order=1)
    published.append(shared)
    hidden = {}
    for label, status, published_at in [
        ("draft", Article.Status.DRAFT, None),
        ("in_review", Article.Status.IN_REVIEW, None),
        ("scheduled", Article.Status.PUBLISHED, now + datetime.timedelta(days=1)),
        ("archived", Article.Status.ARCHIVED, now - datetime.timedelta(days=1)),
    ]:
        story = ArticleFactory(headline=f"Hiddenword {label} pretend story", status=status, published_at=published_at)
        BylineFactory(article=story, author=marisol.user)
        BylineFactory(article=story, author=draft_only.user, sort_order=1)
        hidden[label] = story
    ghostly = ArticleFactory(headline="A legacy pretend story", credit="Test Desk")
    BylineFactory(article=ghostly, author=UserFactory(username="ghost-secret-login", first_name="", last_name=""))
    return Staff(marisol, former, draft_only, topic, published, hidden, shared, ghostly)


@pytest.fixture
def staff():
    return build_staff()


def headlines(response):
    """Return the headlines a page shows, in the order it shows them."""
    page = response.content.decode()
    shown = [story.headline for story in Article.objects.all() if story.headline in page]
    return sorted(shown, key=page.index)


def parse_xml(content):
    return ET.fromstring(content)  # noqa: S314 - the site's own output, in tests


def test_author_page_lists_only_published_stories_newest_first(client, staff):
    response = client.get(staff.marisol.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    newest_first = sorted(staff.published, key=lambda s: s.published_at, reverse=True)
    order = [page.index(story.headline) for story in newest_first]
    assert order == sorted(order)
    assert "Hiddenword" not in page
    assert parse(response).h1 == 1


def test_author_page_shows_who_they_are(client, staff):
    page = client.get(staff.marisol.get_absolute_url()).content.decode()
    for shown in ("Marisol Pennyquill", "Frontier correspondent", "<p>She covers the pretend frontier.</p>",
                  "English, Korean", 'href="mailto:marisol@newsroom.test"', 'href="https://example.org/marisol"',
                  ">social.example/@marisol</a>", f'href="{staff.topic.get_absolute_url()}"',
                  'class="portrait portrait--large" aria-hidden="true">MP</span>',
                  reverse("articles:author_feed_rss", kwargs={"slug": staff.marisol.slug})):
        assert shown in page, shown


def test_author_pages_page_like_topic_pages(client, staff, monkeypatch):
    monkeypatch.setattr(AuthorDetailView, "page_size", 2)
    url = staff.marisol.get_absolute_url()
    first, second = client.get(url), client.get(url, {"page": 2})
    assert headlines(first) == ["Two bylines on a pretend treaty", "Newest pretend dispatch"]
    assert headlines(second) == ["Middle pretend dispatch", "Oldest pretend dispatch"]
    assert "?before=" in first.content.decode()  # older pages by cursor, as on a topic page
    assert client.get(url, {"page": 3}).status_code == 404


def test_a_former_member_of_staff_keeps_their_page_with_their_published_work(client, staff):
    response = client.get(staff.former.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Former staff" in page and "Two bylines on a pretend treaty" in page and "Hiddenword" not in page


def test_a_former_member_of_staff_with_no_published_story_has_no_page_feed_or_sitemap_entry(client, staff):
    assert client.get(staff.draft_only.get_absolute_url()).status_code == 404
    slug = staff.draft_only.slug
    assert client.get(reverse("articles:author_feed_rss", kwargs={"slug": slug})).status_code == 404
    assert client.get("/authors/no-such-person/").status_code == 404


def test_current_staff_with_nothing_published_yet_have_a_page(client):
    profile = StaffProfileFactory(display_name="Newly Hiredwright")
    response = client.get(profile.get_absolute_url())
    assert response.status_code == 200 and "No published stories yet." in response.content.decode()


def test_staff_list_shows_current_staff_with_counts_and_former_staff_apart(client, staff):
    response = client.get(reverse("articles:author_list"))
    assert response.status_code == 200 and parse(response).h1 == 1
    page = response.content.decode()
    current, former = page.split('id="former-staff"')
    assert "Marisol Pennyquill" in current and "4 stories" in current
    assert "Tobiah Formerly" in former and "1 story" in former
    assert "Quentin Draftwell" not in page  # former, and nothing of theirs is published


def test_story_byline_prints_display_names_linked_to_author_pages(client, staff):
    page = client.get(staff.shared.get_absolute_url()).content.decode()
    marisol, former = staff.marisol.get_absolute_url(), staff.former.get_absolute_url()
    assert (f'By <a href="{marisol}" rel="author">Marisol Pennyquill</a> and '
            f'<a href="{former}" rel="author">Tobiah Formerly</a></p>') in page


def test_a_byline_with_no_name_is_left_out_rather_than_showing_the_login(client, staff):
    page = client.get(staff.ghostly.get_absolute_url()).content.decode()
    assert '<p class="story__byline">By Test Desk</p>' in page


def test_no_page_feed_or_structured_data_shows_a_login_name(client, staff):
    urls = [
        "/", reverse("articles:author_list"), staff.marisol.get_absolute_url(), staff.former.get_absolute_url(),
        staff.shared.get_absolute_url(), staff.ghostly.get_absolute_url(), staff.published[0].get_absolute_url(),
        staff.topic.get_absolute_url(), reverse("articles:feed_rss"), reverse("articles:feed_atom"),
        reverse("articles:topic_feed_atom", kwargs={"slug": staff.topic.slug}),
        reverse("articles:author_feed_rss", kwargs={"slug": staff.marisol.slug}),
        reverse("articles:author_feed_atom", kwargs={"slug": staff.marisol.slug}),
        "/sitemap.xml", "/sitemap-people.xml", "/sitemap-stories.xml", "/sitemap-news.xml",
        reverse("articles:about"), reverse("articles:standards_page", kwargs={"slug": "masthead"}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for login in LOGINS:
            assert login not in body, f"{login} shown on {url}"


def test_author_feeds_list_their_published_stories_and_atom_names_each_author(client, staff):
    slug = staff.marisol.slug
    rss = parse_xml(client.get(reverse("articles:author_feed_rss", kwargs={"slug": slug})).content)
    assert [item.findtext("title") for item in rss.iter("item")] == [
        "Two bylines on a pretend treaty", "Newest pretend dispatch", "Middle pretend dispatch",
        "Oldest pretend dispatch",
    ]
    atom = parse_xml(client.get(reverse("articles:author_feed_atom", kwargs={"slug": slug})).content)
    shared = next(entry for entry in atom.iter(f"{ATOM}entry")
                  if entry.findtext(f"{ATOM}title") == "Two bylines on a pretend treaty")
    authors = [(a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri")) for a in shared.iter(f"{ATOM}author")]
    assert authors == [
        ("Marisol Pennyquill", SITE + staff.marisol.get_absolute_url()),
        ("Tobiah Formerly", SITE + staff.former.get_absolute_url()),
    ]
    former = parse_xml(client.get(reverse("articles:author_feed_rss", kwargs={"slug": staff.former.slug})).content)
    assert [item.findtext("title") for item in former.iter("item")] == ["Two bylines on a pretend treaty"]


def test_the_sitemap_lists_the_staff_pages_that_answer_and_the_standards_pages(client, staff):
    index = [loc.text for loc in parse_xml(client.get("/sitemap.xml").content).iter(f"{SM}loc")]
    assert SITE + "/sitemap-people.xml" in index
    root = parse_xml(client.get("/sitemap-people.xml").content)
    listed = {url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root.iter(f"{SM}url")}
    assert SITE + staff.marisol.get_absolute_url() in listed
    assert SITE + staff.former.get_absolute_url() in listed
    assert SITE + staff.draft_only.get_absolute_url() not in listed
    assert SITE + reverse("articles:author_list") in listed
    assert SITE + "/about/" in listed and SITE + "/about/verification/" in listed
    # An author's lastmod is their newest published story (the scheduled one does not count).
    newest = timezone.localtime(staff.shared.published_at).date().isoformat()
    assert listed[SITE + staff.marisol.get_absolute_url()].startswith(newest)
    for url in listed:
        assert client.get(url.removeprefix(SITE)).status_code == 200, url


def story_jsonld(client, story):
    [data] = jsonld_blocks(client.get(story.get_absolute_url()))
    return data


def test_story_jsonld_names_authors_with_pages_and_the_desk_credit_with_a_url(client, staff):
    data = story_jsonld(client, staff.published[0])
    assert data["author"] == [
        {"@type": "Person", "name": "Marisol Pennyquill", "url": SITE + staff.marisol.get_absolute_url(),
         "jobTitle": "Frontier correspondent",
         "sameAs": ["https://example.org/marisol", "https://social.example/@marisol"]},
        {"@type": "Organization", "name": "Test Desk", "url": SITE + "/about/"},
    ]
    for author in data["author"]:
        assert client.get(author["url"].removeprefix(SITE)).status_code == 200


def test_a_story_with_no_byline_and_no_credit_is_credited_to_the_publication_with_a_url(client):
    story = ArticleFactory(credit="")
    publication = {"@type": "Organization", "name": "Newsroom", "url": SITE + "/about/"}
    assert story_jsonld(client, story)["author"] == [publication]


def test_the_publisher_has_a_raster_logo_and_every_policy_page_answers(client, staff):
    publisher = story_jsonld(client, staff.published[0])["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    logo = client.get(publisher["logo"]["url"].removeprefix(SITE))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content if logo.streaming else [logo.content])[:8] == b"\x89PNG\r\n\x1a\n"
    policies = {key: value for key, value in publisher.items() if key.endswith(("Policy", "Info", "Principles"))}
    policies["masthead"] = publisher["masthead"]
    assert set(policies) == {
        "masthead", "ethicsPolicy", "publishingPrinciples", "correctionsPolicy", "diversityPolicy",
        "unnamedSourcesPolicy", "verificationFactCheckingPolicy", "ownershipFundingInfo", "actionableFeedbackPolicy",
    }
    for url in policies.values():
        assert client.get(url.removeprefix(SITE)).status_code == 200, url


def test_the_author_page_describes_a_person_who_works_for_the_desk(client, staff):
    [data] = jsonld_blocks(client.get(staff.marisol.get_absolute_url()))
    person = data["mainEntity"]
    assert data["@type"] == "ProfilePage" and person["@type"] == "Person"
    assert person["name"] == "Marisol Pennyquill" and person["url"] == SITE + staff.marisol.get_absolute_url()
    assert person["knowsAbout"] == ["Pretend border talks"] and person["knowsLanguage"] == ["English", "Korean"]
    assert person["worksFor"]["@type"] == "Organization" and person["sameAs"][0] == "https://example.org/marisol"
    [former] = jsonld_blocks(client.get(staff.former.get_absolute_url()))
    assert "worksFor" not in former["mainEntity"]


def test_a_profile_change_reaches_cached_story_and_author_pages(client, staff):
    story_url, author_url = staff.published[0].get_absolute_url(), staff.marisol.get_absolute_url()
    assert "Marisol Pennyquill" in client.get(story_url).content.decode()
    client.get(author_url)
    staff.marisol.display_name = "Marisol Q. Pennyquill"
    staff.marisol.save()
    assert "Marisol Q. Pennyquill" in client.get(story_url).content.decode()
    assert "Marisol Q. Pennyquill" in client.get(author_url).content.decode()


def test_what_staff_type_about_themselves_is_escaped(client):
    profile = StaffProfileFactory(
        display_name='<script>alert("n")</script>', job_title="<b>boss</b>", bio="<img src=x onerror=alert(1)>",
        links="javascript:alert(1)\nhttps://example.org/ok",
    )
    story = ArticleFactory()
    BylineFactory(article=story, author=profile.user)
    for url in (profile.get_absolute_url(), story.get_absolute_url(), reverse("articles:author_list")):
        page = client.get(url).content.decode()
        assert '<script>alert("n")' not in page and "<b>boss</b>" not in page and "<img src=x" not in page, url
        assert "javascript:alert" not in page, url


def count_queries(client, url):
    cache.clear()
    # Another page first, so the shared tokens exist again: what is counted is the page's own render.
    client.get("/about/ownership/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_staff_pages_use_a_small_constant_number_of_queries(client):
    profile = StaffProfileFactory(expertise=[TopicFactory(name="Counted topic")])
    colleague = StaffProfileFactory()

    def add_stories(n):
        for i in range(n):
            story = ArticleFactory(topics=[TopicFactory(name=f"Side topic {i % 5}")])
            BylineFactory(article=story, author=profile.user)
            BylineFactory(article=story, author=colleague.user, sort_order=1)
            StaffProfileFactory()  # the staff list grows too

    urls = [
        profile.get_absolute_url(), reverse("articles:author_list"), "/sitemap-people.xml",
        reverse("articles:author_feed_rss", kwargs={"slug": profile.slug}),
        reverse("articles:author_feed_atom", kwargs={"slug": profile.slug}),
        reverse("articles:about"), reverse("articles:standards_page", kwargs={"slug": "masthead"}),
        reverse("articles:standards_page", kwargs={"slug": "ethics"}),
    ]
    add_stories(3)
    small = {url: count_queries(client, url) for url in urls}
    add_stories(30)
    large = {url: count_queries(client, url) for url in urls}
    assert small == large
    assert max(large.values()) <= BUDGET, large
