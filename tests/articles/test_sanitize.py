"""The story-body sanitizer: nothing that can run code survives, and cleaning twice changes nothing."""
from html.parser import HTMLParser

import pytest
from django_prose_editor.config import allowlist_from_extensions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.forms import BODY_EDITOR_EXTENSIONS, ArticleAdminForm
from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html
from tests.factories import ArticleFactory

HOSTILE_FRAGMENTS = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "</script>", "<script",
    '<img src=x onerror="alert(1)">', "<svg onload=alert(1)>", "<iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>', '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>', '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>', '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>', '<a href="https://example.org" onclick="x()">ok</a>',
    '<p onmouseover="alert(1)" style="background:url(javascript:alert(1))">p</p>', "<style>*{}</style>",
    "<object data=x></object>", "<embed src=x>", "<form action=x><input></form>", "<math><mi>x</mi></math>",
    "<!-- <script>alert(1)</script> -->", "<![CDATA[<script>]]>", "<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "<p", "<a", '"', "'", "`", "<", ">", "&",
    "\u202e", "\x00", "한국어 기사", "🇰🇷", "<p>plain paragraph</p>", '<a href="https://example.org/a?b=1&c=2">l</a>',
    "<q cite=\"https://example.org\">q</q>",
]
# nh3 checks URL schemes in href but not in cite; see test_cite_urls_are_limited_to_allowed_schemes.
CITE_FRAGMENTS = ["<blockquote cite=javascript:alert(1)>q</blockquote>", '<q cite="java\tscript:alert(1)">q</q>']

hostile_html = st.lists(
    st.one_of(st.sampled_from(HOSTILE_FRAGMENTS), st.text(max_size=20)), max_size=12
).map("".join)

DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "svg", "math", "base", "meta", "img"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


def parse(html):
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


def squash(value):
    """Drop whitespace and control characters, as browsers do when they read a URL scheme."""
    return "".join(ch for ch in value if ch.isprintable() and not ch.isspace()).lower()


def assert_safe(cleaned):
    parsed = parse(cleaned)
    assert "<script" not in cleaned.lower()
    assert not DANGEROUS_TAGS & set(parsed.tags)
    assert set(parsed.tags) <= ALLOWED_TAGS
    for tag, name, value in parsed.attrs:
        assert not name.startswith("on"), (tag, name)
        assert name != "style"
        assert not squash(value).startswith(DANGEROUS_SCHEMES), (tag, name, value)
    assert "\x00" not in cleaned


@pytest.mark.parametrize("fragment", HOSTILE_FRAGMENTS)
def test_each_hostile_fragment_is_neutralized(fragment):
    assert_safe(clean_html(fragment))


@pytest.mark.parametrize("fragment", CITE_FRAGMENTS)
def test_cite_urls_are_limited_to_allowed_schemes(fragment):
    assert_safe(clean_html(fragment))


@given(hostile_html)
@settings(max_examples=400, deadline=None)
def test_sanitized_html_never_carries_scripts_handlers_or_script_urls(html):
    assert_safe(clean_html(html))


@pytest.mark.parametrize("html", ["</script>\ufeff", "\ufeff\ufeff", "<b></b>\ufeffx"])
def test_a_byte_order_mark_left_first_by_a_removed_tag_does_not_make_cleaning_change_twice(html):
    once = clean_html(html)
    assert clean_html(once) == once


@given(hostile_html)
@settings(max_examples=400, deadline=None)
def test_sanitizing_is_idempotent(html):
    once = clean_html(html)
    assert clean_html(once) == once


def test_allowed_markup_survives():
    html = (
        '<h2>Head</h2><p>A <strong>b</strong> <em>c</em> <a href="https://example.org/x" title="t">link</a></p>'
        "<ul><li>one</li></ul><blockquote><p>quoted</p></blockquote>"
    )
    cleaned = clean_html(html)
    kept = ["<h2>Head</h2>", "<strong>b</strong>", "<em>c</em>", 'href="https://example.org/x"', "<li>one</li>"]
    for fragment in kept:
        assert fragment in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_editor_offers_only_markup_the_sanitizer_keeps():
    allowlist = allowlist_from_extensions(BODY_EDITOR_EXTENSIONS)
    assert allowlist["tags"] <= ALLOWED_TAGS
    # The editor's extra attributes (ol start/type, a rel) are dropped on save; none can run code.
    for tag, attributes in allowlist["attributes"].items():
        extra = set(attributes) - ALLOWED_ATTRIBUTES.get(tag, set())
        assert extra <= {"rel", "start", "type", "data-type"}, (tag, extra)


@pytest.mark.django_db
@given(html=hostile_html)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_stored_story_body_is_sanitized(html):
    article = ArticleFactory(body=html)
    article.refresh_from_db()
    assert_safe(article.body)
    assert article.body == clean_html(html)
    article.delete()


@pytest.mark.django_db
def test_admin_form_cleans_body_with_the_allow_list():
    form = ArticleAdminForm(
        data={
            "headline": "Freedonia sanitizer check", "slug": "freedonia-sanitizer-check", "kind": "news",
            "status": "draft", "body": '<p onclick="x()">Hi<script>alert(1)</script></p>', "topics": "",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == "<p>Hi</p>"


@pytest.mark.django_db
def test_admin_form_rejects_nul_bytes_with_a_clear_error():
    form = ArticleAdminForm(data={"headline": "Null\x00byte", "slug": "null-byte", "kind": "news", "status": "draft"})
    assert not form.is_valid()
    assert "Null characters are not allowed." in form.errors["headline"]
