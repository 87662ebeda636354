"""The public pages, through the test client."""
import datetime
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Correction, SlugRedirect
from counts.queries import analyst_counts
from pagecache import cache
from reader import views
from reader.formats import machine_time
from reader.queries import RELATED_WINDOW
from reader.views import MAX_PAGES, PAGE_SIZE, server_error

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    BylineFactory,
    CitationFactory,
    CommentaryFactory,
    CorrectionFactory,
    OrganizationFactory,
    TopicFactory,
)
from .desk import SITE, build_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return build_desk()


class HeadTags(HTMLParser):
    """Collect what a page declares about itself: title, metas, links, h1s, landmarks."""

    def __init__(self):
        super().__init__()
        self.title, self.meta, self.links, self.h1, self.tags = "", {}, [], 0, []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta[key] = attrs.get("content", "")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "h1":
            self.h1 += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(response):
    parser = HeadTags()
    parser.feed(response.content.decode())
    return parser


def public_urls(desk):
    return [
        reverse("articles:home"),
        desk.story.get_absolute_url(),
        reverse("articles:topic_list"),
        desk.topic.get_absolute_url(),
        reverse("articles:analyst_list"),
        desk.analyst.get_absolute_url(),
        desk.source.get_absolute_url(),
        reverse("articles:search") + "?q=border",
        reverse("articles:search"),
    ]


def test_every_public_page_answers_with_one_h1_and_full_head_tags(client, desk):
    for url in public_urls(desk):
        response = client.get(url)
        assert response.status_code == 200, url
        page = parse(response)
        assert page.h1 == 1, url
        assert page.title.strip(), url
        assert page.meta.get("description"), url
        for key in ("og:title", "og:description", "og:url", "og:type", "twitter:card", "twitter:title"):
            assert page.meta.get(key), (url, key)
        canonical = [link for link in page.links if link.get("rel") == "canonical"]
        assert len(canonical) == 1 and canonical[0]["href"].startswith(SITE + "/"), url
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in page.tags, (url, landmark)
        assert 'class="skip-link" href="#main"' in response.content.decode(), url


def test_hidden_stories_appear_on_no_page(client, desk):
    for url in public_urls(desk) + [reverse("articles:search") + "?q=Hiddenword"]:
        body = client.get(url).content.decode()
        for headline in desk.hidden_headlines():
            assert headline not in body, url
        assert "Secret" not in body, url


@pytest.mark.parametrize("label", ["draft", "in_review", "scheduled", "archived"])
def test_hidden_story_page_is_404(client, desk, label):
    assert client.get(desk.hidden[label].get_absolute_url()).status_code == 404


def test_scheduled_story_appears_once_its_time_comes(client, desk, time_machine):
    scheduled = desk.hidden["scheduled"]
    time_machine.move_to(scheduled.published_at + datetime.timedelta(minutes=1))
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert scheduled.headline in client.get(desk.topic.get_absolute_url()).content.decode()


def test_home_lists_latest_stories_busiest_topics_and_most_quoted_analysts(client, desk):
    body = client.get("/").content.decode()
    assert desk.story.headline in body
    assert desk.story.dek in body
    assert "SEOUL" in body
    assert 'href="/topics/imaginary-frontier/"' in body
    assert "Odalys Penwright" in body
    assert "Quoted in 1 story" in body


def test_topic_and_analyst_counts_count_published_stories_only(client, desk):
    topics = client.get(reverse("articles:topic_list")).content.decode()
    assert re.search(r"Imaginary frontier</a>\s*<span[^>]*>1 story<", topics)
    analysts = client.get(reverse("articles:analyst_list")).content.decode()
    assert "Quoted in 1 story" in analysts


def test_topic_list_counts_every_published_story_on_the_topic(client, desk):
    ArticleFactory(topics=[desk.topic], published_at=timezone.now() - datetime.timedelta(days=3))
    topics = client.get(reverse("articles:topic_list")).content.decode()
    assert re.search(r"Imaginary frontier</a>\s*<span[^>]*>2 stories<", topics)


def test_analyst_list_counts_a_story_quoting_twice_once_and_dates_the_latest_published(client, desk):
    CommentaryFactory(article=desk.story, analyst=desk.analyst, text="And a second quote in the same story.")
    older = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=3))
    CommentaryFactory(article=older, analyst=desk.analyst)
    analysts = client.get(reverse("articles:analyst_list")).content.decode()
    assert "Quoted in 2 stories" in analysts
    # The scheduled story quoting the analyst goes live tomorrow: "most recently" is the live one.
    latest = timezone.localtime(desk.story.published_at)
    assert f'most recently <time datetime="{machine_time(latest)}">' in analysts


def test_topic_analyst_and_source_with_only_unpublished_stories_are_404(client):
    topic = TopicFactory(name="Only in drafts")
    analyst = AnalystFactory(name="Quentin Draftly")
    draft = ArticleFactory(status=Article.Status.DRAFT, topics=[topic])
    CommentaryFactory(article=draft, analyst=analyst)
    citation = CitationFactory(article=draft)
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert client.get(analyst.get_absolute_url()).status_code == 404
    assert client.get(citation.source.get_absolute_url()).status_code == 404
    assert "Quentin Draftly" not in client.get(reverse("articles:analyst_list")).content.decode()
    assert "Only in drafts" not in client.get(reverse("articles:topic_list")).content.decode()


@pytest.mark.parametrize("url", ["/stories/no-such-story/", "/topics/no-such-topic/", "/analysts/nobody/",
                                 "/sources/nothing/", "/no/such/page/"])
def test_unknown_addresses_get_a_styled_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "We couldn’t find that page" in body
    assert body.count("<h1") == 1
    assert 'rel="stylesheet"' in body
    # Not a page of the site's: no canonical (it pointed to the home page), and not indexed.
    page = parse(response)
    assert [link for link in page.links if link.get("rel") == "canonical"] == []
    assert "og:url" not in page.meta and page.meta.get("robots") == "noindex, follow"


SEARCH_FORM = re.compile(r'<form\b[^>]*\brole="search"[^>]*>')


def search_landmark_names(body):
    """Return the accessible name of each search landmark (aria-label; none is an empty name)."""
    names = []
    for form in SEARCH_FORM.findall(body):
        label = re.search(r'aria-label="([^"]*)"', form)
        names.append(label[1] if label else "")
    return names


@pytest.mark.parametrize("url", ["/search/", "/search/?q=frontier", "/no/such/page/", "/"])
def test_search_landmarks_each_have_their_own_name(client, desk, url):
    names = search_landmark_names(client.get(url).content.decode())
    assert names and all(names), (url, names)
    assert len(set(names)) == len(names), (url, names)


def test_server_error_page_is_styled_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body and body.count("<h1") == 1 and "site.css" in body


def test_story_page_shows_everything_a_reader_needs(client, desk):
    story = desk.story
    story.published_at = datetime.datetime(2025, 7, 28, 1, 30, tzinfo=datetime.UTC)
    story.save()
    body = client.get(story.get_absolute_url()).content.decode()
    assert 'By <a href="/authors/rhea-inkwell/" rel="author">Rhea Inkwell</a>, Test Desk' in body
    assert "28 July 2025, 10:30 KST" in body  # shown in the desk's zone, Asia/Seoul
    assert 'datetime="2025-07-28T10:30:00+09:00"' in body
    assert "Expert commentary" in body
    assert 'href="/analysts/odalys-penwright/">Odalys Penwright</a>' in body
    assert "senior fellow, Institute for Pretend Strategy" in body
    assert "Sources cited" in body and "The ministry rejected the proposal." in body
    assert 'href="/topics/imaginary-frontier/"' in body


def test_story_keeps_the_affiliation_printed_at_the_time(client, desk):
    desk.analyst.organization = OrganizationFactory(name="Brand New Pretend University")
    desk.analyst.save()
    story_body = client.get(desk.story.get_absolute_url()).content.decode()
    assert "Institute for Pretend Strategy" in story_body
    analyst_body = client.get(desk.analyst.get_absolute_url()).content.decode()
    assert "Brand New Pretend University" in analyst_body  # current affiliation in the header
    assert "Described as: senior fellow, Institute for Pretend Strategy" in analyst_body


def test_story_body_is_sanitized_even_when_stored_raw(client, desk):
    Article.objects.filter(pk=desk.story.pk).update(body='<p>Fine</p><script>alert("x")</script>')
    body = client.get(desk.story.get_absolute_url()).content.decode()
    assert "<p>Fine</p>" in body and 'alert("x")' not in body


def test_serious_corrections_lead_and_other_kinds_follow_the_story(client, desk):
    CorrectionFactory(article=desk.story, kind=Correction.Kind.CORRECTION, text="We misnamed the pretend ministry.")
    CorrectionFactory(article=desk.story, kind=Correction.Kind.UPDATE, text="Adds the second statement.")
    body = client.get(desk.story.get_absolute_url()).content.decode()
    body = body[body.index("<main"):]  # the head's JSON-LD carries them too
    serious, update, story_text = (
        body.index("We misnamed the pretend ministry."),
        body.index("Adds the second statement."),
        body.index("The two imaginary states traded notes"),
    )
    assert serious < story_text < update


def test_related_stories_share_topics_or_analysts_and_are_published(client, desk):
    by_topic = ArticleFactory(headline="Another frontier story", topics=[desk.topic])
    by_analyst = ArticleFactory(headline="Odalys again, elsewhere")
    CommentaryFactory(article=by_analyst, analyst=desk.analyst)
    unrelated = ArticleFactory(headline="Nothing in common at all")
    body = client.get(desk.story.get_absolute_url()).content.decode()
    related = body[body.index("Related stories"):]
    assert by_topic.headline in related and by_analyst.headline in related
    assert unrelated.headline not in related
    assert "Hiddenword" not in related


def test_analyst_page_lists_every_quoting_story_newest_first_with_the_quote(client, desk):
    older = ArticleFactory(headline="An older story quoting Odalys",
                           published_at=timezone.now() - datetime.timedelta(days=9))
    CommentaryFactory(article=older, analyst=desk.analyst, text="An older quote, as printed then.",
                      title_as_printed="fellow", affiliation_as_printed="Old Pretend Institute")
    body = client.get(desk.analyst.get_absolute_url()).content.decode()
    assert body.index(desk.story.headline) < body.index(older.headline)
    assert "Both sides are speaking to voters at home." in body
    assert "An older quote, as printed then." in body
    assert "Described as: fellow, Old Pretend Institute" in body
    assert "Quoted in</dt><dd>2 stories" in body
    assert 'href="/analysts/odalys-penwright/rss/"' in body


def test_analyst_page_talks_about_their_most_covered_topics_from_published_stories(client, desk):
    # Imaginary frontier: the desk's story. Pretend tariffs: two more stories; Pretend canals and
    # Pretend bridges: one each (a tie, A to Z). Pretend secrets: only on a draft that quotes them.
    tariffs, canals, bridges, secrets = (TopicFactory(name=f"Pretend {n}") for n in ("tariffs", "canals",
                                                                                      "bridges", "secrets"))
    for n, topics in enumerate([[tariffs, canals], [tariffs, bridges]]):
        story = ArticleFactory(topics=topics, published_at=timezone.now() - datetime.timedelta(days=n + 1))
        CommentaryFactory(article=story, analyst=desk.analyst)
    draft = ArticleFactory(topics=[secrets], status=Article.Status.DRAFT, published_at=None)
    CommentaryFactory(article=draft, analyst=desk.analyst)
    body = client.get(desk.analyst.get_absolute_url()).content.decode()
    about = body[body.index("Talks to us about"):]
    about = about[: about.index("</ul>")]
    assert re.findall(r'<a href="/topics/([^/]+)/">', about) == [
        "pretend-tariffs", "imaginary-frontier", "pretend-bridges", "pretend-canals",
    ]
    assert "Pretend secrets" not in about


def test_source_page_lists_citing_stories_with_what_was_taken(client, desk):
    body = client.get(desk.source.get_absolute_url()).content.decode()
    assert desk.story.headline in body
    assert "The ministry rejected the proposal." in body


def test_hangul_topic_and_story_slugs_route_and_reverse(client):
    topic = TopicFactory(name="남북 관계")
    story = ArticleFactory(headline="남북 회담 재개", slug="", topics=[topic])
    assert topic.slug == "남북-관계"
    assert topic.get_absolute_url() == "/topics/%EB%82%A8%EB%B6%81-%EA%B4%80%EA%B3%84/"
    assert client.get(topic.get_absolute_url()).status_code == 200
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert "남북 회담 재개" in response.content.decode()


def test_old_story_address_redirects_permanently(client, desk):
    SlugRedirect.objects.create(old_slug="old-address", article=desk.story)
    response = client.get("/stories/old-address/")
    assert response.status_code == 301
    assert response["Location"] == desk.story.get_absolute_url()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", "2.5"])
def test_bad_page_numbers_are_404_not_500(client, page):
    ArticleFactory.create_batch(3)
    assert client.get(f"/?page={page}").status_code == 404


def test_pagination_splits_stories_and_links_pages(client):
    topic = TopicFactory(name="Busy pretend topic")
    ArticleFactory.create_batch(PAGE_SIZE + 5, topics=[topic])
    first = client.get(topic.get_absolute_url())
    assert len(first.context["articles"]) == PAGE_SIZE
    older = first.context["pager"]["older"]
    assert f'rel="next" href="{older}"' in first.content.decode()
    second = client.get(older)
    assert len(second.context["articles"]) == 5
    assert parse(second).h1 == 1
    canonical = [link["href"] for link in parse(second).links if link.get("rel") == "canonical"]
    assert canonical == [f"{SITE}{older}"]
    by_number = client.get(topic.get_absolute_url() + "?page=2")
    assert by_number.context["articles"] == second.context["articles"]
    assert client.get(topic.get_absolute_url() + "?page=last").status_code == 200


def test_page_two_has_one_canonical_address_the_cursor_the_pages_link_to(client):
    topic = TopicFactory(name="Busy pretend topic")
    ArticleFactory.create_batch(PAGE_SIZE + 5, topics=[topic])
    older = client.get(topic.get_absolute_url()).context["pager"]["older"]
    canonicals = {}
    for url in (older, topic.get_absolute_url() + "?page=2", topic.get_absolute_url() + "?page=last"):
        page = parse(client.get(url))
        canonicals[url] = [link["href"] for link in page.links if link.get("rel") == "canonical"]
        if url != older:  # another address of a page the cursor names: not to be indexed
            assert page.meta.get("robots") == "noindex, follow", url
    path = topic.get_absolute_url()
    assert canonicals == {older: [f"{SITE}{older}"], f"{path}?page=2": [], f"{path}?page=last": []}
    first = parse(client.get(topic.get_absolute_url() + "?page=1"))
    assert [link["href"] for link in first.links if link.get("rel") == "canonical"] == [SITE + topic.get_absolute_url()]
    assert "robots" not in first.meta


def test_pagination_is_capped(client, monkeypatch):
    from reader import views

    ArticleFactory.create_batch(7)
    monkeypatch.setattr(views.HomeView, "page_size", 2)
    monkeypatch.setattr(views.HomeView, "max_pages", 3)
    response = client.get("/?page=3")
    assert len(response.context["articles"]) == 2
    assert response.context["page_obj"].number == 3
    assert client.get("/?page=4").status_code == 404
    assert MAX_PAGES >= 10


def _populate(n, topic, analyst):
    for i in range(n):
        article = ArticleFactory(topics=[topic, TopicFactory(name=f"Side topic {i}")])
        BylineFactory(article=article)
        CommentaryFactory(article=article, analyst=analyst)
        CitationFactory(article=article)


@pytest.mark.parametrize("name", ["home", "topic_list", "topic_detail", "analyst_list", "analyst_detail",
                                  "source_detail", "search"])
def test_list_pages_use_a_constant_number_of_queries(client, django_assert_max_num_queries, name):
    topic = TopicFactory(name="Counted topic")
    analyst = AnalystFactory(name="Counted Analyst")
    source_citation = None

    def url():
        return {
            "home": "/",
            "topic_list": reverse("articles:topic_list"),
            "topic_detail": topic.get_absolute_url(),
            "analyst_list": reverse("articles:analyst_list"),
            "analyst_detail": analyst.get_absolute_url(),
            "source_detail": source_citation.source.get_absolute_url(),
            "search": reverse("articles:search") + "?q=Freedonia",
        }[name]

    _populate(2, topic, analyst)
    source_citation = CitationFactory(article=Article.objects.first())
    # Nine: the page cache's check of the change count (pagecache/cache.py) is one of them.
    with django_assert_max_num_queries(9):
        assert client.get(url()).status_code == 200
    _populate(15, topic, analyst)
    for article in Article.objects.all()[:15]:
        CitationFactory(article=article, source=source_citation.source)
    with django_assert_max_num_queries(9):
        assert client.get(url()).status_code == 200


def test_story_page_query_count_does_not_grow_with_commentary(client, django_assert_max_num_queries):
    story = ArticleFactory()
    for _ in range(6):
        CommentaryFactory(article=story)
        CitationFactory(article=story)
        BylineFactory(article=story)
    with django_assert_max_num_queries(10):
        assert client.get(story.get_absolute_url()).status_code == 200


def test_robots_txt_points_at_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in body
    assert f"Sitemap: {SITE}/sitemap-news.xml" in body
    assert "Disallow: /admin/" in body


def test_feeds_are_linked_from_pages(client, desk):
    page = parse(client.get(desk.topic.get_absolute_url()))
    alternates = {link["href"] for link in page.links if link.get("rel") == "alternate"}
    assert {"/feeds/rss/", "/feeds/atom/", "/topics/imaginary-frontier/rss/",
            "/topics/imaginary-frontier/atom/"} <= alternates
    page = parse(client.get(desk.analyst.get_absolute_url()))
    alternates = {link["href"] for link in page.links if link.get("rel") == "alternate"}
    assert "/analysts/odalys-penwright/rss/" in alternates


def test_user_text_is_escaped_on_pages(client):
    story = ArticleFactory(headline='Pretend <img src=x onerror=alert(1)> headline', dek="<b>dek</b>")
    body = client.get(story.get_absolute_url()).content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def sidebar(body, heading_id):
    start = body.index(f'id="{heading_id}"')
    return body[start: body.index("</section>", start)]


def test_busiest_topics_count_this_month_only(client, desk, monkeypatch):
    monkeypatch.setattr(views, "SIDEBAR_MIN_STORIES", 1)
    old_topic = TopicFactory(name="Last season pretend summit")
    for n in range(3):
        ArticleFactory(topics=[old_topic], published_at=timezone.now() - datetime.timedelta(days=40 + n))
    body = client.get("/").content.decode()
    topics = sidebar(body, "busiest-topics")
    assert "Most covered this month" in topics
    assert desk.topic.name in topics
    assert old_topic.name not in topics


def test_busiest_topics_reach_back_when_the_month_is_empty(client, monkeypatch):
    monkeypatch.setattr(views, "SIDEBAR_MIN_STORIES", 2)
    topic = TopicFactory(name="Quiet desk pretend topic")
    analyst = AnalystFactory(name="Quiet Pretend Voice")
    for n in range(3):
        story = ArticleFactory(topics=[topic], published_at=timezone.now() - datetime.timedelta(days=200 + n))
        CommentaryFactory(article=story, analyst=analyst)
    body = client.get("/").content.decode()
    assert "Most covered in the latest stories" in sidebar(body, "busiest-topics")
    assert topic.name in sidebar(body, "busiest-topics")
    assert "Most quoted in the latest stories" in sidebar(body, "most-quoted")
    assert analyst.name in sidebar(body, "most-quoted")


def test_small_site_sidebar_counts_every_published_story(client, desk):
    old = ArticleFactory(topics=[desk.topic], published_at=timezone.now() - datetime.timedelta(days=400))
    CommentaryFactory(article=old, analyst=desk.analyst)
    body = client.get("/").content.decode()
    topics, analysts = sidebar(body, "busiest-topics"), sidebar(body, "most-quoted")
    assert "Most covered topics" in topics and re.search(r">2<span[^>]*> stories", topics)
    assert "Most quoted analysts" in analysts and "Quoted in 2 stories" in analysts
    for headline in desk.hidden_headlines():
        assert headline not in body


def test_sidebar_windows_never_count_unpublished_stories(client, desk, monkeypatch):
    monkeypatch.setattr(views, "SIDEBAR_MIN_STORIES", 1)
    drafts = TopicFactory(name="Only drafted pretend topic")
    for status in (Article.Status.DRAFT, Article.Status.ARCHIVED, Article.Status.IN_REVIEW):
        ArticleFactory(topics=[drafts], status=status)
    ArticleFactory(topics=[drafts], published_at=timezone.now() + datetime.timedelta(hours=2))
    assert drafts.name not in sidebar(client.get("/").content.decode(), "busiest-topics")


def test_related_stories_come_from_around_the_story_time(client, desk):
    long_ago = ArticleFactory(headline="Frontier story from years back", topics=[desk.topic],
                              published_at=desk.story.published_at - RELATED_WINDOW - datetime.timedelta(days=1))
    recent = ArticleFactory(headline="Frontier story from last week", topics=[desk.topic],
                            published_at=desk.story.published_at - datetime.timedelta(days=7))
    body = client.get(desk.story.get_absolute_url()).content.decode()
    related = body[body.index("Related stories"):]
    assert recent.headline in related
    assert long_ago.headline not in related


def test_related_stories_rank_shared_analysts_above_shared_topics(client, desk):
    by_topic = ArticleFactory(headline="Shares only the frontier topic", topics=[desk.topic])
    by_both = ArticleFactory(headline="Shares topic and analyst", topics=[desk.topic],
                             published_at=timezone.now() - datetime.timedelta(days=3))
    CommentaryFactory(article=by_both, analyst=desk.analyst)
    body = client.get(desk.story.get_absolute_url()).content.decode()
    related = body[body.index("Related stories"):]
    assert related.index(by_both.headline) < related.index(by_topic.headline)


def test_huge_topic_and_analyst_counts_say_plus(client, desk, monkeypatch):
    monkeypatch.setattr(views, "COUNT_CAP", 2)
    for n in range(3):
        story = ArticleFactory(topics=[desk.topic], published_at=timezone.now() - datetime.timedelta(days=n + 1))
        CommentaryFactory(article=story, analyst=desk.analyst)
    assert "2+ stories" in client.get(desk.topic.get_absolute_url()).content.decode()
    body = client.get(desk.analyst.get_absolute_url()).content.decode()
    assert "Quoted in</dt><dd>2+ stories" in body
    assert "First quoted" in body and "Most recently" in body


def test_analyst_count_counts_a_story_quoting_them_twice_once(client, desk, monkeypatch):
    monkeypatch.setattr(views, "COUNT_CAP", 3)
    quoted_twice = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=1))
    CommentaryFactory(article=quoted_twice, analyst=desk.analyst, sort_order=1)
    CommentaryFactory(article=quoted_twice, analyst=desk.analyst, sort_order=2)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    CommentaryFactory(article=draft, analyst=desk.analyst)
    expected = Article.objects.published().quoting(desk.analyst).count()
    assert expected < 3
    assert analyst_counts(desk.analyst.pk, timezone.now())[0][0] == expected
    body = client.get(desk.analyst.get_absolute_url()).content.decode()
    assert f"Quoted in</dt><dd>{expected} stor" in body


# A story page and the home page keep their pieces (pagecache/fragments.py, kept_pieces; the home
# page's teasers and sidebar): each write below must show on both at once all the same.


@pytest.fixture
def read_twice(client):
    """Return a function that reads the story page and home, both rendered and kept first."""

    def read(desk):
        pages = (desk.story.get_absolute_url(), "/")
        for url in pages:
            assert client.get(url).status_code == 200, url
        return [client.get(url).content.decode() for url in pages]

    return read


@pytest.fixture
def related(desk):
    """A second published story sharing the desk story's topic: a related story on its page."""
    return ArticleFactory(
        headline="Freedonia answers with a pretend counter-offer",
        published_at=timezone.now() - datetime.timedelta(hours=3), topics=[desk.topic],
    )


def test_an_edit_of_the_story_shows_at_once_on_its_page_and_home(desk, read_twice):
    read_twice(desk)
    desk.story.headline = "Sylvania reconsiders the fictional border talks"
    desk.story.save()
    story_page, home = read_twice(desk)
    assert "Sylvania reconsiders the fictional border talks" in story_page
    assert "Sylvania reconsiders the fictional border talks" in home
    assert "Sylvania turns down border talks" not in story_page + home


def test_an_edit_of_the_storys_analyst_shows_at_once_on_its_page_and_home(desk, read_twice):
    story_page, home = read_twice(desk)
    assert "Odalys Penwright" in story_page and "Odalys Penwright" in home  # quoted, and most quoted
    desk.analyst.name = "Odalys Quillfeather"
    desk.analyst.save()
    story_page, home = read_twice(desk)
    assert "Odalys Quillfeather" in story_page and "Odalys Quillfeather" in home
    assert "Odalys Penwright" not in story_page + home


def test_an_edit_of_the_storys_topic_shows_at_once_on_its_page_and_home(desk, read_twice):
    read_twice(desk)
    desk.topic.name = "Imagined borderland"
    desk.topic.save()
    story_page, home = read_twice(desk)
    assert "Imagined borderland" in story_page and "Imagined borderland" in home
    assert "Imaginary frontier" not in story_page + home


def test_an_edit_of_a_source_shows_at_once_on_the_story_page(desk, read_twice):
    read_twice(desk)
    desk.source.name = "Sylvanian Chancellery communique"
    desk.source.save()
    story_page, _ = read_twice(desk)
    assert "Sylvanian Chancellery communique" in story_page
    assert "Sylvanian Foreign Ministry statement" not in story_page


def test_an_unpublished_related_story_vanishes_at_once_from_the_story_page_and_home(desk, related, read_twice):
    story_page, home = read_twice(desk)
    assert related.headline in story_page and related.headline in home
    services.article_transition(article=related, action="unpublish", user=None)
    story_page, home = read_twice(desk)
    assert related.headline not in story_page and related.headline not in home


def test_a_new_story_on_its_topic_shows_at_once_among_the_related_stories(desk, related, read_twice):
    read_twice(desk)
    newer = ArticleFactory(
        headline="Grand Fenwick offers to host pretend talks",
        published_at=timezone.now() - datetime.timedelta(minutes=5), topics=[desk.topic],
    )
    story_page, home = read_twice(desk)
    assert newer.headline in story_page and newer.headline in home


def test_a_correction_shows_at_once_on_the_story_page(desk, read_twice):
    read_twice(desk)
    services.correction_add(article=desk.story, text="An earlier version misdated the pretend summit.", user=None)
    story_page, _ = read_twice(desk)
    assert "An earlier version misdated the pretend summit." in story_page
    assert "Corrected or updated 1 time" in story_page


def test_a_correction_dated_ahead_shows_once_its_time_comes_though_nothing_was_written(desk, read_twice):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        services.correction_add(
            article=desk.story, text="A pretend clarification, dated ahead.", user=None,
            published_at=timezone.now() + datetime.timedelta(minutes=10),
        )
        story_page, _ = read_twice(desk)
        assert "A pretend clarification, dated ahead." not in story_page
        traveller.shift(datetime.timedelta(minutes=11))
        cache.page_cache().clear()  # the page itself is kept no longer than NEWSROOM_PAGE_CACHE_SECONDS
        story_page, _ = read_twice(desk)
        assert "A pretend clarification, dated ahead." in story_page


def test_a_preview_never_takes_a_kept_piece_of_the_public_page(desk, client, admin_client):
    client.get(desk.story.get_absolute_url())  # the public page's pieces kept
    Article.objects.filter(pk=desk.story.pk).update(headline="A draft headline no reader may see")  # no signal
    preview = admin_client.get(reverse("articles:article_preview", kwargs={"pk": desk.story.pk}))
    assert "A draft headline no reader may see" in preview.content.decode()
