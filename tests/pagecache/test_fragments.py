"""Cached story fragments are reused while unchanged and never shown once anything in them changed."""
import datetime
import re
import uuid
from unittest import mock

import pytest
from django.db import connection
from django.template.loader import render_to_string as real_render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from pagecache import cache, fragments
from reader.queries import attach_teaser_parts

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    topic = TopicFactory(name="Pretend border talks")
    article = ArticleFactory(headline="Freedonia recalls its imaginary envoy", dek="A make-believe row.",
                             topics=[topic])
    CommentaryFactory(article=article, analyst=AnalystFactory(name="Orla Pennywhistle"),
                      text="Nobody expected the recall.", title_as_printed="senior fellow")
    return article


def list_pages(story):
    """The list pages whose fragments show this story: home, its topic, its analyst."""
    topic = story.topics.order_by("pk").first()
    return ["/", topic.get_absolute_url(), story.commentary.order_by("pk").first().analyst.get_absolute_url()]


def story_fragments(body):
    """Return only the story teasers and analyst quote items of a page (not its sidebars or header)."""
    pieces = re.findall(r'<article class="teaser.*?</article>|<li class="quotetimeline__item">.*?</li>\s*$', body,
                        flags=re.S | re.M)
    assert pieces, "no story fragment on the page"
    return "".join(pieces)


def show_all(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.fixture
def renders():
    """Count fragment renders (a fragment served from the cache is not rendered)."""
    with mock.patch.object(fragments, "render_to_string", side_effect=real_render_to_string) as spy:
        yield spy


def teasers(renders):
    """Return how many story teasers were rendered (not the site's header or footer)."""
    return sum(1 for call in renders.call_args_list if call.args[0] == "includes/story_teaser.html")


def test_unchanged_stories_are_not_rendered_again_after_a_write(client, story, renders):
    other = ArticleFactory(headline="Sylvania names a pretend ambassador", topics=[story.topics.get()])
    show_all(client, list_pages(story))
    rendered = renders.call_count
    assert rendered >= 4  # home (lead, other), topic (two), analyst (one)
    cache.bump_generation()  # every page is stale, as after any editor's write
    show_all(client, list_pages(story))
    assert renders.call_count == rendered
    other.headline = "Sylvania names a second pretend ambassador"
    other.save()
    show_all(client, list_pages(story))
    assert renders.call_count == rendered + 2  # the changed story, on home and on its topic page


def _headline(story):
    story.headline = "Freedonia recalls, then returns, its imaginary envoy"
    story.save()
    return story.headline, list_pages(story)


def _headline_by_bulk_update(story):
    # QuerySet.update() skips save() and signals: the fragment key still sees the new row.
    Article.objects.filter(pk=story.pk).update(headline="Bulk-updated imaginary headline")
    cache.bump_generation()
    return "Bulk-updated imaginary headline", list_pages(story)


def _dek(story):
    story.dek = "A different make-believe row."
    story.save()
    return story.dek, ["/", story.topics.get().get_absolute_url()]


def _kind(story):
    story.kind = Article.Kind.ANALYSIS
    story.save()
    return "kicker--analysis", ["/", story.topics.get().get_absolute_url()]


def _publication_time(story):
    story.published_at = datetime.datetime(2020, 2, 29, 3, 0, tzinfo=datetime.UTC)
    story.save()
    return "29 Feb 2020", list_pages(story)


def _topic_renamed(story):
    topic = story.topics.get()
    topic.name = "Renamed pretend border talks"
    topic.save()
    return topic.name, ["/", story.commentary.get().analyst.get_absolute_url()]


def _topic_added(story):
    services.articles_tag(articles=Article.objects.filter(pk=story.pk), name="Freshly added fictional topic")
    return "Freshly added fictional topic", list_pages(story)


def _topic_removed(story):
    story.topics.add("Second fictional topic")
    story.topics.remove(story.topics.get(name="Second fictional topic"))
    return None, list_pages(story)


def _quote_edited(story):
    quote = story.commentary.get()
    quote.text = "The recall was long planned, in fact."
    quote.save()
    return quote.text, [quote.analyst.get_absolute_url()]


def _quote_title_as_printed(story):
    quote = story.commentary.get()
    quote.title_as_printed = "visiting professor of imaginary affairs"
    quote.save()
    return quote.title_as_printed, [quote.analyst.get_absolute_url()]


def _second_quote(story):
    first = story.commentary.get()
    CommentaryFactory(article=story, analyst=first.analyst, text="And a second pretend remark.", sort_order=2)
    return "And a second pretend remark.", [first.analyst.get_absolute_url()]


@pytest.mark.parametrize("change", [
    _headline, _headline_by_bulk_update, _dek, _kind, _publication_time, _topic_renamed, _topic_added,
    _topic_removed, _quote_edited, _quote_title_as_printed, _second_quote,
], ids=lambda f: f.__name__.strip("_"))
def test_every_change_a_fragment_shows_reaches_every_list_page(client, story, change):
    show_all(client, list_pages(story))
    expected, urls = change(story)
    for url in urls:
        body = story_fragments(client.get(url).content.decode())
        if expected is None:
            assert "Second fictional topic" not in body, url
        else:
            assert expected in body, url


def test_fragments_escape_what_editors_type(client):
    topic = TopicFactory(name="Imaginary <b>bold</b> topic")
    story = ArticleFactory(headline="Envoy <script>alert(1)</script> recalled", dek="Tom & Jerry's <i>row</i>",
                           topics=[topic])
    CommentaryFactory(article=story, text="<img src=x onerror=alert(1)>", title_as_printed="<em>fellow</em>")
    for url in list_pages(story):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;" in body or "&lt;img" in body, url
        assert "<b>bold</b>" not in body and "<em>fellow</em>" not in body, url


def test_home_lead_and_other_teasers_are_separate_fragments(client, story):
    ArticleFactory(headline="An older pretend story", published_at=story.published_at - datetime.timedelta(hours=1))
    body = client.get("/").content.decode().split('<main id="main"')[1]
    assert body.count("teaser--lead") == 1
    assert body.index("teaser--lead") < body.index(story.headline) < body.index("An older pretend story")


def test_key_changes_with_context_fields_parts_and_templates(story):
    story = attach_teaser_parts([Article.objects.for_teasers().get(pk=story.pk)])[0]
    version = fragments.template_version("includes/story_teaser.html")
    key = fragments.fragment_key("includes/story_teaser.html", version, story, {})
    assert key == fragments.fragment_key("includes/story_teaser.html", version, story, {})
    assert key != fragments.fragment_key("includes/story_teaser.html", version, story, {"lead": True})
    story.dateline = "SYLVANIA TOWN"
    assert key != fragments.fragment_key("includes/story_teaser.html", version, story, {})
    assert version != fragments.template_version("includes/analyst_story.html")


def test_key_tells_times_apart_to_the_microsecond_but_not_by_their_time_zone(story):
    story = attach_teaser_parts([Article.objects.for_teasers().get(pk=story.pk)])[0]
    version = fragments.template_version("includes/story_teaser.html")
    key = fragments.fragment_key("includes/story_teaser.html", version, story, {})
    story.published_at += datetime.timedelta(microseconds=1)
    moved = fragments.fragment_key("includes/story_teaser.html", version, story, {})
    assert moved != key
    # The same instant in another zone renders the same (templates convert to the desk's zone).
    story.published_at = story.published_at.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    assert fragments.fragment_key("includes/story_teaser.html", version, story, {}) == moved


def test_a_fragment_never_carries_a_story_that_is_no_longer_listed(client, story):
    show_all(client, list_pages(story))
    services.article_transition(article=story, action="unpublish", user=None)
    for url in ["/", reverse("articles:topic_list")]:
        assert story.headline not in client.get(url).content.decode(), url


def test_the_process_keeps_the_fragments_it_used_in_front_of_the_cache(client, story, renders, monkeypatch):
    url = story.topics.get().get_absolute_url()
    show_all(client, [url])
    assert teasers(renders) == 1
    # Served from this process's copies: the shared cache is not asked again.
    shared = mock.Mock(wraps=fragments.fragment_cache())
    monkeypatch.setattr(fragments, "fragment_cache", lambda: shared)
    cache.bump_generation()
    show_all(client, [url])
    assert teasers(renders) == 1 and not shared.get_many.called
    # After a restart (no copies) the shared cache still has it.
    fragments.forget_recent()
    cache.bump_generation()
    show_all(client, [url])
    assert teasers(renders) == 1 and shared.get_many.called
    # A changed story is a new key: rendered again, never the old copy.
    story.headline = "Freedonia recalls a second imaginary envoy"
    story.save()
    body = client.get(url).content.decode()
    assert teasers(renders) == 2 and "a second imaginary envoy" in body


def test_the_shared_cache_gets_short_keys_however_long_the_story(client, monkeypatch):
    # This process finds its copies by the whole description; the shared cache (Redis, memcached:
    # 250 bytes at most) only ever sees a digest of it.
    ArticleFactory(headline="Freedonia " + "recalls an imaginary envoy " * 6, dek="A long make-believe row. " * 8,
                   topics=[TopicFactory(name="Pretend border talks")])
    shared = mock.Mock(wraps=fragments.fragment_cache())
    monkeypatch.setattr(fragments, "fragment_cache", lambda: shared)
    show_all(client, ["/"])
    written = [key for call in shared.set_many.call_args_list for key in call.args[0]]
    assert written and all(key.startswith("newsroom:fragment:") and len(key) <= 100 for key in written), written


def test_the_process_keeps_only_its_latest_fragments():
    recent = fragments._Recent(2)
    recent.put_many({"a": "A", "b": "B"})
    assert recent.get_many(["a"]) == {"a": "A"}  # "a" is now the latest used
    recent.put_many({"c": "C"})
    assert recent.get_many(["a", "b", "c"]) == {"a": "A", "c": "C"}


def _analyst_profile(client, analyst):
    body = client.get(analyst.get_absolute_url()).content.decode()
    return body[body.index('<header class="profile">'):body.index("</header>", body.index('<header class="profile">'))]


def _analyst_renamed(story, analyst):
    analyst.name, analyst.title = "Orla Pennywhistle-Quill", "visiting fellow"
    analyst.save()
    return ["Orla Pennywhistle-Quill", "Visiting fellow"]


def _organization_renamed(story, analyst):
    analyst.organization.name = "Renamed Institute of Pretend Studies"
    analyst.organization.save()
    return ["Renamed Institute of Pretend Studies"]


def _quoted_again(story, analyst):
    later = ArticleFactory(topics=[TopicFactory(name="Pretend harbour dues")],
                           published_at=story.published_at + datetime.timedelta(minutes=5))
    CommentaryFactory(article=later, analyst=analyst)
    return ["2 stories", "Pretend harbour dues", timezone.localtime(later.published_at).isoformat()[:16]]


def _story_unpublished(story, analyst):
    ArticleFactory(headline="Another pretend story", topics=[TopicFactory(name="Pretend mill tariffs")],
                   published_at=story.published_at - datetime.timedelta(days=3))
    CommentaryFactory(article=Article.objects.get(headline="Another pretend story"), analyst=analyst)
    services.article_transition(article=story, action="unpublish", user=None)
    return ["1 story", "Pretend mill tariffs"]


@pytest.mark.parametrize("change", [_analyst_renamed, _organization_renamed, _quoted_again, _story_unpublished],
                         ids=lambda f: f.__name__.strip("_"))
def test_every_change_the_analyst_profile_shows_reaches_it(client, story, change, renders):
    analyst = story.commentary.get().analyst
    before = _analyst_profile(client, analyst)
    expected = change(story, analyst)
    after = _analyst_profile(client, analyst)
    assert after != before
    for text in expected:
        assert text in after, text


def test_an_unchanged_analyst_profile_is_not_rendered_again(client, story, renders):
    analyst = story.commentary.get().analyst
    client.get(analyst.get_absolute_url())
    profile_renders = [c for c in renders.call_args_list if c.args[0] == "includes/analyst_profile.html"]
    assert len(profile_renders) == 1
    cache.bump_generation()  # the page is stale; nothing the profile shows changed
    client.get(analyst.get_absolute_url())
    assert [c for c in renders.call_args_list if c.args[0] == "includes/analyst_profile.html"] == profile_renders


def test_keys_depend_on_values_not_on_which_objects_hold_them(story):
    story = attach_teaser_parts([Article.objects.for_teasers().get(pk=story.pk)])[0]
    version = fragments.template_version("includes/story_teaser.html")
    key = fragments.fragment_key("includes/story_teaser.html", version, story, {})
    twin = attach_teaser_parts([Article.objects.for_teasers().get(pk=story.pk)])[0]
    twin.headline = "".join(list(story.headline))  # an equal string, another object
    twin.dek = story.headline  # the same object in two fields changes nothing but the value
    assert fragments.fragment_key("includes/story_teaser.html", version, twin, {}) != key
    twin.dek = "".join(list(story.dek))
    assert fragments.fragment_key("includes/story_teaser.html", version, twin, {}) == key
    # Values marshal does not write (a date) are still described, and values that compare equal
    # but render differently (1, True, 1.0) get keys of their own.
    def key_with(value):
        return fragments.fragment_key("includes/story_teaser.html", version, story, {"extra": value})

    assert key_with(datetime.date(2026, 1, 1)) != key_with(datetime.date(2026, 1, 2))
    assert key_with(datetime.date(2026, 1, 1)) == key_with(datetime.date(2026, 1, 1))
    assert len({key_with(1), key_with(True), key_with(1.0)}) == 3


def test_the_site_header_marks_each_pages_section_and_shows_a_searchs_query(client, story):
    pages = {"/": "Latest", story.topics.get().get_absolute_url(): "Topics",
             story.commentary.get().analyst.get_absolute_url(): "Analysts", reverse("articles:topic_list"): "Topics"}
    for url, section in pages.items():
        nav = client.get(url).content.decode().split('<nav class="sitenav"')[1].split("</nav>")[0]
        assert re.findall(r'aria-current="page">(\w+)<', nav) == [section], url
    with mock.patch.object(fragments, "render_to_string", side_effect=real_render_to_string) as renders:
        for _ in range(2):
            body = client.get(reverse("articles:search"), {"q": "zzpretend <query>"}).content.decode()
            assert 'value="zzpretend &lt;query&gt;"' in body
    # A search's header is rendered in the page, never as a fragment: random queries never fill the fragment cache.
    assert not [call for call in renders.call_args_list if call.args[0] == "includes/site_header.html"]
    assert 'value=""' in client.get("/").content.decode()


def test_the_site_header_and_footer_follow_the_publications_settings(client, story, settings):
    client.get("/")
    settings.NEWSROOM = {**settings.NEWSROOM, "NAME": "The Pretend Gazette", "TAGLINE": "Make-believe, daily"}
    cache.bump_generation()  # the page itself is cached; its header and footer fragments are keyed by the settings
    body = client.get("/").content.decode()
    header, footer = body.split('<header class="masthead">')[1], body.split('<footer class="sitefooter">')[1]
    assert "The Pretend Gazette" in header.split("</header>")[0] and "Make-believe, daily" in header
    assert "The Pretend Gazette" in footer and "Make-believe, daily" in footer


def _head(body):
    return body.split("<head>")[1].split("</head>")[0]


def test_an_unchanged_page_head_is_not_rendered_again(client, story, renders):
    # A name no other run used: a shared fragment cache (Redis) keeps heads between tests.
    topic = story.topics.get()
    topic.name = f"Pretend border talks {uuid.uuid4().hex[:8]}"
    topic.save()
    url = topic.get_absolute_url()
    first = client.get(url).content.decode()
    heads = [c for c in renders.call_args_list if c.args[0] == "includes/page_head.html"]
    assert len(heads) == 1
    cache.bump_generation()  # the page is stale; its title, description, address and feeds are not
    again = client.get(url).content.decode()
    assert [c for c in renders.call_args_list if c.args[0] == "includes/page_head.html"] == heads
    assert _head(again) == _head(first)


def test_every_change_the_page_head_shows_reaches_it(client, story, settings):
    topic = story.topics.get()
    client.get(topic.get_absolute_url())
    topic.name, topic.description = "Renamed pretend talks", "Make-believe diplomacy, <b>explained</b>."
    topic.save()
    head = _head(client.get(topic.get_absolute_url()).content.decode())
    assert "<title>Renamed pretend talks | " in head
    assert 'content="Make-believe diplomacy, &lt;b&gt;explained&lt;/b&gt;."' in head
    assert 'title="Renamed pretend talks: latest stories (RSS)"' in head
    # The static files' hashed names are part of its key: a deploy with new CSS links the new file.
    with mock.patch("django.templatetags.static.StaticNode.handle_simple", return_value="/static/css/site.new.css"):
        cache.bump_generation()
        head = _head(client.get(topic.get_absolute_url()).content.decode())
    assert 'href="/static/css/site.new.css"' in head


def test_a_searchs_head_is_rendered_not_kept(client, story):
    with mock.patch.object(fragments, "render_to_string", side_effect=real_render_to_string) as renders:
        body = client.get(reverse("articles:search"), {"q": "zzheadquery <x>"}).content.decode()
    assert "<title>Search: zzheadquery &lt;x&gt; | " in _head(body)
    assert not [call for call in renders.call_args_list if call.args[0] == "includes/page_head.html"]


def test_a_story_page_head_keeps_its_article_tags_outside_the_fragment(client, story):
    head = _head(client.get(story.get_absolute_url()).content.decode())
    assert '<meta property="article:tag" content="Pretend border talks">' in head
    assert '<script type="application/ld+json">' in head and head.count("<title>") == 1


def test_safe_strings_are_described_apart_from_plain_ones_and_by_marshal(story):
    from django.utils.safestring import mark_safe

    version = fragments.template_version("includes/page_head.html")
    seo = {"title": "Pretend", "feeds": []}
    safe = fragments.fragment_key("includes/page_head.html", version, seo, {"css": mark_safe("/a&b.css")})
    plain = fragments.fragment_key("includes/page_head.html", version, seo, {"css": "/a&b.css"})
    assert safe != plain  # they render differently: "&" and "&amp;"
    assert safe == fragments.fragment_key("includes/page_head.html", version, seo, {"css": mark_safe("/a&b.css")})


def test_zone_free_fragments_show_no_time_and_share_one_version_across_zones():
    from django.template.loader import get_template

    dated = re.compile(r"\|\s*(date|time|timesince|timeuntil|naturaltime|localtime|utc|timezone)\b"
                       r"|{%\s*(now|load tz|localtime|timezone|get_current_timezone)\b|\btz\b")
    for name in fragments.ZONE_FREE:
        sources = [get_template(one).template.source for one in (name, *fragments.INCLUDES.get(name, ()))]
        assert not any(dated.search(source) for source in sources), name
        version = fragments.template_version(name)
        with timezone.override("Asia/Seoul"):
            assert fragments.template_version(name) == version
    # The footer names the desk's zone, and the check sees it: not zone-free.
    assert "includes/site_footer.html" not in fragments.ZONE_FREE
    assert dated.search(get_template("includes/site_footer.html").template.source)


def test_the_template_version_follows_the_template_and_the_time_zone(settings):
    version = fragments.template_version("includes/story_teaser.html")
    assert fragments.template_version("includes/story_teaser.html") == version
    with timezone.override("Europe/Lisbon"):
        assert fragments.template_version("includes/story_teaser.html") != version
    with mock.patch.object(fragments, "INCLUDES", {"includes/story_teaser.html": ()}):
        # Kept while nothing says a template changed: the loaders are not asked on every call.
        assert fragments.template_version("includes/story_teaser.html") == version
        # Under DEBUG (the development server, where template files change under a running
        # process) the sources are read on every call: versioned anew.
        settings.DEBUG = True
        changed = fragments.template_version("includes/story_teaser.html")
        assert changed != version
        settings.DEBUG = False
        # Or the TEMPLATES setting changed (tests): the kept version is dropped, and read anew below.
        settings.TEMPLATES = [dict(settings.TEMPLATES[0])]
    assert fragments.template_version("includes/story_teaser.html") == version


def test_a_write_to_a_story_renders_its_item_once_more_on_each_list_page(client, story, renders):
    show_all(client, list_pages(story))
    rendered = renders.call_count
    story.body = "<p>A longer pretend account, nowhere on a list page.</p>"
    story.credit = "Pretend wires"
    story.save()  # also moves updated_at
    quote = story.commentary.get()
    quote.sort_order = 7  # its only quote in the story: the order shown does not change
    quote.save()
    # List pages key their items by the story's token, which every write to the story replaces
    # (fragments.Listing): each renders this story's item once more, and only it.
    show_all(client, list_pages(story))
    assert [call.args[0] for call in renders.call_args_list[rendered:]] == [
        "includes/story_teaser.html", "includes/story_teaser.html", "includes/analyst_story.html",
    ]
    rendered = renders.call_count
    cache.bump_generation()
    show_all(client, list_pages(story))
    assert renders.call_count == rendered
    story.dek = "A make-believe row, revisited."
    story.save()
    show_all(client, list_pages(story))
    assert teasers(renders) > 0 and renders.call_count > rendered


def _listing_pages(story):
    """Return (url, fragment template) of the pages that list the story through token-keyed fragments."""
    topic, quote = story.topics.get(), story.commentary.get()
    return [(topic.get_absolute_url(), "includes/story_teaser.html"),
            (quote.analyst.get_absolute_url(), "includes/analyst_story.html")]


def _reads_parts(queries):
    """Return the queries that read listed stories' topic links or an analyst's quotes in them."""
    return [q["sql"] for q in queries
            if re.search(r'FROM "articles_taggedarticle" .*"content_object_id" IN \((?!SELECT)', q["sql"])
            or re.search(r'FROM "articles_commentary" .*"article_id" IN \((?!SELECT)', q["sql"])]


def test_listed_stories_load_their_parts_only_for_the_items_rendered(client, story):
    pages = _listing_pages(story)
    other = ArticleFactory(headline="Sylvania names a pretend ambassador", topics=[story.topics.get()],
                           published_at=story.published_at - datetime.timedelta(hours=1))
    CommentaryFactory(article=other, analyst=story.commentary.get().analyst)
    for url, _ in pages:
        with CaptureQueriesContext(connection) as cold:
            first = client.get(url)
        assert first.status_code == 200 and _reads_parts(cold.captured_queries), url
        cache.bump_generation()  # the page is stale; both stories' items are kept
        with CaptureQueriesContext(connection) as warm:
            again = client.get(url)
        assert again.content == first.content
        # Neither the stories' topics nor the analyst's quotes were read: only the page's own rows.
        assert _reads_parts(warm.captured_queries) == [], url
        other.headline = f"Sylvania names a pretend ambassador, {url}"
        other.save()
        with CaptureQueriesContext(connection) as one:
            changed = client.get(url).content.decode()
        assert other.headline in changed
        # Only the changed story's parts: IN lists of its id alone.
        parts = _reads_parts(one.captured_queries)
        assert parts and all(re.search(rf"IN \({other.pk}\)", sql) for sql in parts), parts


def test_a_listed_item_is_rendered_again_after_a_write_a_topic_change_or_for_another_page(story, renders):
    def render(owner=None, **context):
        stories = list(Article.objects.for_teasers().filter(pk=story.pk))
        listing = fragments.Listing(stories, attach_teaser_parts, owner)
        before = teasers(renders)
        fragments.render_stories("includes/story_teaser.html", listing, **context)
        return teasers(renders) - before

    assert render() == 1
    assert render() == 0  # kept
    assert render(owner=("analyst", 1)) == 1  # whose page it is
    assert render(lead=True) == 1  # what the tag was given
    cache.stories_changed(scopes={("story", story.slug)})  # what every write to the story does
    assert render() == 1
    topic = story.topics.get()
    topic.slug = "renamed-pretend-border-talks"
    topic.save()
    assert render() == 1
    assert render() == 0


def test_a_change_to_an_analyst_or_source_keeps_listed_items(client, story, renders):
    pages = _listing_pages(story)
    for url, _ in pages:
        client.get(url)
    rendered = [c.args[0] for c in renders.call_args_list]
    analyst = AnalystFactory(name="Quentin Newcomer-Pretend")  # replaces the structure token, not the topics
    assert analyst.pk
    for url, _ in pages:
        client.get(url)
    again = [c.args[0] for c in renders.call_args_list][len(rendered):]
    assert "includes/story_teaser.html" not in again and "includes/analyst_story.html" not in again


@pytest.mark.parametrize("change", [_topic_added, _topic_removed, _quote_edited, _second_quote, _topic_renamed],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_listed_item_is_rendered_again_when_its_parts_change(client, story, renders, change):
    pages = _listing_pages(story)
    for url, _ in pages:
        client.get(url)
    before = len(renders.call_args_list)
    expected, urls = change(story)
    for url, template in pages:
        if url not in urls:
            continue
        body = story_fragments(client.get(url).content.decode())
        assert template in [c.args[0] for c in renders.call_args_list[before:]], url
        if expected is None:
            assert "Second fictional topic" not in body, url
        else:
            assert expected in body, url
