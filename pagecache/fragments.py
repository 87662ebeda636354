"""Story fragments (a teaser, an analyst's quotes in one story) rendered once and reused unchanged.

After an editor's write every cached page is stale (pagecache/cache.py), but most stories on a
list page are not: re-rendering twenty unchanged teasers was half of a list page's render. Each
fragment is cached under a hash of everything its template can read: every loaded field of the
story, the related rows named in PARTS, the template's source and the sources it includes, the
time zone and the context passed in. Nothing is ever invalidated: any change makes a new key, so a
stale fragment cannot be served, and unused ones age out of the cache (the "fragments" alias:
Redis with REDIS_URL, else each process's memory). For the same reason each process also keeps the
fragments it used last (RECENT_ENTRIES) in front of that cache: a list page reads its twenty from
a dictionary instead of twenty cache entries (Redis: a round trip; local memory: a key check, a
lock and an unpickling each).

Which stories a page lists is never cached here: views fetch them through published() on every
render, so a story unpublished a moment ago is simply not asked for.

A fragment template may read only the story's own fields, the parts PARTS names for it, and
values passed to story_fragments(): add anything else it needs to PARTS. The same holds for a
fragment of another object (an analyst page's head: `{% fragment %}`, named as NAMES says).
"""
import datetime
import functools
import hashlib
import marshal
import pickle
import threading
import time
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import models
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from . import topic_catalog
from .cache import keeping, story_tokens
from .topic_catalog import ListedTopic

# A story page's parts, as its view gives them to the story (reader/views.py), for its pieces (kept_pieces).
STORY_PARTS = (
    "page_topics", "page_bylines", "page_commentary", "page_citations", "page_pictures", "page_corrections",
)
# Related rows each fragment template reads, by attribute name on the story (or other object).
PARTS = {
    "includes/story_article.html": STORY_PARTS,
    "includes/story_head.html": STORY_PARTS,
    "includes/story_teaser.html": ("listed_topics", "teaser_image"),
    "includes/analyst_story.html": ("listed_topics", "analyst_quotes", "teaser_image"),
    # An analyst page's head: the organization names the affiliation; the rest the view adds.
    "includes/analyst_profile.html": (
        "organization", "first_quoted", "last_quoted", "stories_label", "top_topics", "portrait_image",
    ),
}
# The name a fragment template knows its object by, when it is not a story ("article"). The
# site's header and footer show the publication (settings.NEWSROOM) and, the header, its section.
NAMES = {
    "includes/analyst_profile.html": "analyst",
    # A page's <head> shows its `seo` values (SeoMixin), the publication and the static files' URLs.
    "includes/page_head.html": "seo",
    "includes/site_header.html": "newsroom",
    "includes/site_footer.html": "newsroom",
}
# Templates each fragment template includes; their sources are part of its key.
INCLUDES = {
    "includes/story_teaser.html": ("includes/story_meta.html",),
    "includes/analyst_story.html": ("includes/story_meta.html",),
    "includes/story_article.html": (
        "people/byline.html", "photos/lead.html", "photos/picture.html", "photos/credit.html", "photos/figure.html",
        "includes/state_label.html", "includes/story_sources.html", "includes/story_reporting.html",
    ),
    "includes/story_related.html": ("includes/story_meta.html",),
}
# Fragment templates that show no date, time or time zone: their fragments are the same in every
# zone. Looking the zone up costs asgiref a raised and caught exception when none is activated
# (about 6 µs; a page has four or five fragment tags). tests/articles/test_fragments.py checks
# that these templates use no date or time filter or tag.
ZONE_FREE = frozenset(("includes/page_head.html", "includes/site_header.html"))
# Row types whose fields are plain values already (str, int, None): fingerprinted as they are.
_PLAIN_ROWS = {ListedTopic}
# Long enough to outlive a news cycle; unused fragments leave earlier when the cache is full.
TIMEOUT = 24 * 3600
# Fragments each process keeps in front of the cache: about 1 kB each, the stories of a hundred pages.
RECENT_ENTRIES = 2000


class _Recent:
    """The fragments this process used last, least recently used out first."""

    def __init__(self, size):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get_many(self, keys):
        found = {}
        with self.lock:
            for key in keys:
                html = self.items.get(key)
                if html is not None:
                    self.items.move_to_end(key)
                    found[key] = html
        return found

    def put_many(self, fragments):
        with self.lock:
            self.items.update(fragments)
            for key in fragments:
                self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


_recent = _Recent(RECENT_ENTRIES)


def forget_recent():
    """Empty this process's copies (as a restart would); the shared cache keeps its own."""
    _recent.clear()


def fragment_cache():
    return caches[getattr(settings, "NEWSROOM_FRAGMENT_CACHE", "fragments")]


@functools.cache
def _columns(model):
    """Return the model's label, its column names, and the positions of its date-time columns among them."""
    fields = model._meta.concrete_fields
    times = tuple(n for n, field in enumerate(fields) if isinstance(field, models.DateTimeField))
    return model._meta.label, tuple(field.attname for field in fields), times


def _plain(value):
    # An aware datetime pickles ten times slower than a number, and its instant is all a template
    # shows of it: templates convert it to the current time zone, which is part of the version.
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    # Marshal writes only exact strings; a safe one (a {% static %} URL) renders unescaped, so it
    # stays told apart from a plain string of the same text.
    if isinstance(value, SafeString):
        return ("SafeString", str.__str__(value))  # an exact str (SafeString.__str__ returns itself)
    return value


def fingerprint(value):
    """Return a plain, comparable description of a model row (its loaded fields) or a tuple of rows."""
    if isinstance(value, models.Model):
        label, names, times = _columns(type(value))
        row = list(map(value.__dict__.get, names))
        for n in times:
            if row[n] is not None:
                row[n] = _plain(row[n])
        return (label, *row)
    if isinstance(value, (list, tuple)):
        # Rows of plain values (a teaser's (name, slug) topics) are described as they are.
        if _PLAIN_ROWS.issuperset(map(type, value)):
            return tuple(map(tuple, value))
        return tuple([fingerprint(item) for item in value])
    return _plain(value)


# Versions by template name and time zone, kept until the TEMPLATES setting changes (tests).
# Asking the loaders for each template on every call cost an uncached list page 40-80 us for its
# four fragment templates. Under DEBUG (the development server, where template files change
# under a running process) every call reads the sources again.
_versions = {}


def forget_versions():
    """Forget the template versions this process worked out (the templates may have changed)."""
    _versions.clear()


def template_version(template_name):
    """Return a digest of the fragment template's source, of the templates it includes, and of the time zone."""
    zone = "" if template_name in ZONE_FREE else timezone.get_current_timezone_name()
    version = None if settings.DEBUG else _versions.get((template_name, zone))
    if version is None:
        digest = hashlib.blake2b(digest_size=16)
        for name in (template_name, *INCLUDES.get(template_name, ())):
            digest.update(Path(get_template(name).origin.name).read_bytes())
        digest.update(zone.encode())
        version = _versions[template_name, zone] = digest.hexdigest()
    return version


class Listing(list):
    """A list page's stories whose fragments follow each story's own token; parts are loaded only to render.

    A topic's or an analyst's page lists twenty stories, and after a write elsewhere nearly all of
    their fragments are cached: loading every story's topics and quotes only to describe them in
    the keys was a third of such a page's render. A story's token (cache.story_tokens) is replaced
    by every write that changes what readers see of it or of its parts (its topics, quotes,
    citations, corrections), and the topics' names and addresses have a version of their own
    (topic_catalog.version), so a key made of both, with the story's loaded fields, names what
    the fragment shows.
    `load_parts(stories)` gives the stories to be rendered what PARTS names; `owner` names whose
    parts they are (an analyst's quotes in each story), since the story's token is the same on
    every page.
    """

    def __init__(self, stories, load_parts, owner=None, *, whole=None):
        super().__init__(stories)
        self.load_parts, self.owner = load_parts, owner
        # A slice's stories' tokens are read with the whole list's, at the first slice rendered: so
        # a load_parts that loads the whole list's parts at once (the home page's lead and other
        # teasers are two slices: one query, not two) loads none before its token was read.
        self.whole = self if whole is None else whole
        self.tokens = None

    def __getitem__(self, index):
        if isinstance(index, slice):  # a page's slice of the rows fetched (one more, to know of a next page)
            return Listing(super().__getitem__(index), self.load_parts, self.owner, whole=self.whole)
        return super().__getitem__(index)

    def story_tokens(self):
        """Return each story's token (cache.story_tokens), read once for the whole list."""
        whole = self.whole
        if whole.tokens is None:
            whole.tokens = dict(zip([story.pk for story in whole], story_tokens([story.slug for story in whole]),
                                    strict=True))
        return [whole.tokens[story.pk] for story in self]


def fragment_key(template_name, version, story, context):
    return _cache_key(version, _described(template_name, version, [story], context)[0])


def _descriptions(version, descriptions):
    """Return each description (a tuple of plain values) of a fragment of this template version, as exact bytes.

    This process's recent fragments are found by these bytes themselves: no digest to compute for
    a fragment used again here (a list page's twenty: a fiftieth of its render). Only the shared
    cache, whose keys must stay short, gets a digest of them (_cache_key).
    """
    head = f"{version}:".encode()
    return [head + _serialized(described) for described in descriptions]


def _cache_key(version, described):
    """Return the shared cache's key for a fragment's description (bytes from _descriptions)."""
    return f"newsroom:fragment:{version}:" + hashlib.blake2b(described, digest_size=20).hexdigest()


def _described_context(context):
    return sorted((name, fingerprint(value)) for name, value in context.items())


def _described(template_name, version, stories, context):
    names, context = PARTS.get(template_name, ()), _described_context(context)
    return _descriptions(version, (
        (fingerprint(story), tuple([fingerprint(getattr(story, name)) for name in names]), context)
        for story in stories
    ))


def _listing_described(version, stories, context):
    # Both read before any part is loaded: a write after this replaces a token (or the topics), so
    # a fragment rendered from older parts is kept only under a key no later page asks for.
    tokens = stories.story_tokens()
    shared = (topic_catalog.version(), stories.owner, _described_context(context))
    return _descriptions(version, (
        ("listed", fingerprint(story), token, shared) for story, token in zip(stories, tokens, strict=True)
    ))


def _serialized(description):
    """Return bytes that only equal values give (so, equal keys on every process of this Python)."""
    try:
        # Five times faster than pickle for these tuples of plain values; version 2 writes no
        # back-references, so the bytes never depend on which objects happen to be shared.
        return b"m" + marshal.dumps(description, 2)
    except ValueError:  # a value marshal does not write (a date, a Decimal)
        return b"p" + pickle.dumps(description, protocol=5)


def render_stories(template_name, stories, **context):
    """Return each story rendered with template_name (as `article`, with context), joined, as safe HTML."""
    listing = isinstance(stories, Listing)
    stories = stories if listing else list(stories)
    if not stories:
        return SafeString("")
    version = template_version(template_name)
    if listing:
        described = _listing_described(version, stories, context)
    else:
        described = _described(template_name, version, stories, context)
    found = _recent.get_many(described)
    if len(found) < len(described):
        wanted = {_cache_key(version, one): one for one in described if one not in found}
        shared = {wanted[key]: html for key, html in fragment_cache().get_many(list(wanted)).items()}
        _recent.put_many(shared)
        found.update(shared)
    if listing and len(found) < len(described):
        stories.load_parts([story for one, story in zip(described, stories, strict=True) if one not in found])
    rendered, fresh = [], {}
    for one, story in zip(described, stories, strict=True):
        html = found.get(one)
        if html is None:
            html = fresh[one] = render_to_string(template_name, {**context, NAMES.get(template_name, "article"): story})
        rendered.append(html)
    # Not kept while a change is being committed: they may show its parts as they were before it.
    if fresh and keeping():
        fragment_cache().set_many({_cache_key(version, one): html for one, html in fresh.items()}, TIMEOUT)
        _recent.put_many(fresh)
    return mark_safe("".join(rendered))  # noqa: S308 - each piece was rendered by an autoescaping template


def kept_pieces(templates, description, build, *, fresh_until=None):
    """Return build()'s value (a page's rendered pieces and the plain values it needs besides), kept under description.

    For a page's pieces that are worth keeping whole rather than as a list of fragments (a story
    page: its head, its article and its related stories). `description` is a tuple of plain values
    naming everything the pieces show that is not the templates' sources and time zone (both added
    here): for a story, its loaded fields and the tokens every write to its parts replaces
    (cache.story_tokens, cache.structure_token). Nothing is invalidated: any change is a new key.
    `fresh_until(value)` returns the time (a Unix time) after which a kept value may no longer be
    served (a correction dated ahead shows from its date), or None.
    """
    digest = hashlib.blake2b(digest_size=16)
    for name in templates:
        digest.update(template_version(name).encode())
    version = digest.hexdigest()
    described = _descriptions(version, [description])[0]
    value = _recent.get_many([described]).get(described)
    if value is None:
        value = fragment_cache().get(_cache_key(version, described))
        if value is not None:
            _recent.put_many({described: value})
    if value is not None and fresh_until is not None:
        until = fresh_until(value)
        if until is not None and until <= time.time():
            value = None
    if value is None:
        value = build()
        # Not kept while a change is being committed: it may show the parts as they were before it.
        if keeping():
            fragment_cache().set(_cache_key(version, described), value, TIMEOUT)
            _recent.put_many({described: value})
    return value
