"""Rendered public pages, cached until anything they show changes.

Design (README, "Performance"):

- Tokens live in a cache every process shares (Redis in production; without REDIS_URL, a
  file-based cache on this machine so gunicorn workers, management commands and the shell agree),
  and every cached page key contains its tokens: the *content generation* for the desk's own pages
  (home, directories, feeds, sitemaps); the *structure* token and its own *scope* token for a
  topic's, an analyst's, a source's or a story's pages, and for a story page also the scope tokens
  of its topics and analysts (its related stories share them; `serve`'s `learn`). A write to a
  story or its parts (signals below) replaces the generation, the story's scope token and those of
  the topics, analysts and sources it is linked to, before and after; a write to a topic, analyst,
  organization, source, redirect or staff name replaces the generation and the structure token,
  so every page is stale at once. Writes inside a transaction replace them again after the
  commit, so a page rendered from pre-commit data during the commit cannot outlive it.
- A scheduled story going live is not a write. Each cached page records the time of the next
  scheduled publication when it was rendered (one query per generation, itself cached) and is
  neither served nor kept past it.
- Responses carry a strong ETag (hash of the body, equal on every server), a Last-Modified once
  the page is older than the current second, and Cache-Control for browsers (revalidate every
  time: max-age=0) and shared caches (s-maxage, stale-while-revalidate; NEWSROOM_CDN_MAX_AGE).
- Public pages show nothing per user (no user, messages or CSRF token in their templates), so a
  logged-in editor gets the same cached page as a reader; the session is never touched.
- A shared store (Redis) is checked against the database before anything in it is served: every
  change also counts itself in the database, in its own transaction (models.ChangeCount), and
  marks the store with its count before it commits. A page is served, or kept, only while the
  store has seen exactly the count the database has committed; a store that missed a change (it
  was unreachable, or restored from an old snapshot) is given a new *epoch*, part of every token,
  so nothing kept in it before is found again. One query of one row per request
  (docs/architecture.md, "Page cache").
- The store only accelerates: when it does not answer (pagecache/backends.py), pages are rendered
  and served without it, and changes are saved all the same.
"""
import contextvars
import datetime
import functools
import hashlib
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from articles import signals
from articles.models import Article

from .models import ChangeCount

GENERATION_KEY = "newsroom:content-generation"
# Topic, analyst and source pages are keyed by this token and their own (SCOPE_PREFIX): a story's
# write makes only its own topics', analysts' and sources' pages stale, a rename all of them.
STRUCTURE_KEY = "newsroom:content-structure"
SCOPE_PREFIX = "newsroom:scope:"
# Part of every token read from a shared store; replaced when the store missed a change.
EPOCH_KEY = "newsroom:epoch"
# (count, time): the change count (models.ChangeCount) the shared store has seen, and when.
SEEN_KEY = "newsroom:changes-seen"
# A change marks the store with its count before it commits: while the store is ahead of the
# database, pages are rendered but neither served from nor kept in it. Ahead for longer than this,
# the change rolled back (or holds a long transaction open): the store gets a new epoch.
WRITING_SECONDS = 5.0
# Query parameters that change what a public page shows; any other (utm_source, ...) is ignored,
# so random query strings cannot fill the cache.
PAGE_PARAMS = ("page", "before", "after", "p", "from")
# Response headers the view sets that are kept with the cached body.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")
NEVER = float("inf")
# The request headers that can make a response a 304 or a 412.
CONDITIONAL_HEADERS = frozenset(
    ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
)
# How long the scopes a story page learned are kept; a change to them is a write to the story,
# which changes its own token, so a page read with an outdated list is never served.
ROUTE_SECONDS = 24 * 3600


def _setting(name, default):
    return getattr(settings, name, default)


def page_cache():
    return caches[_setting("NEWSROOM_PAGE_CACHE", "default")]


def generation_cache():
    return caches[_setting("NEWSROOM_GENERATION_CACHE", "default")]


@functools.cache
def _shared_tokens(path):
    from .tokens import SharedTokens

    return SharedTokens(path)


def token_file():
    """Return the SharedTokens file holding the tokens on this machine, or None when a cache does (Redis)."""
    path = _setting("NEWSROOM_TOKEN_FILE", None)
    return _shared_tokens(str(path)) if path else None


# What _read() says of the store it read the tokens from.
FILE = "file"  # the token file on this machine: written by every change, nothing to check
DOWN = "down"  # the store did not answer: the tokens are random, nothing was kept under them


def _read(keys):
    """Return (the current token under each key, created if missing; what the store has seen), in one read.

    From a shared store each token is prefixed with the store's epoch, and what it has seen is
    SEEN_KEY's value (None if it has none), or DOWN when it did not answer. From the token file it is FILE.
    """
    shared = token_file()
    if shared is not None:
        return shared.get_many(keys), FILE
    store = generation_cache()
    found = store.get_many([EPOCH_KEY, SEEN_KEY, *keys])
    missing = [key for key in (EPOCH_KEY, *keys) if key not in found]
    if missing:
        for key in missing:
            store.add(key, secrets.token_hex(8), None)
        found.update(store.get_many(missing))
        if any(key not in found for key in missing):
            return [secrets.token_hex(16) for _ in keys], DOWN
    epoch = found[EPOCH_KEY]
    return [epoch + found[key] for key in keys], found.get(SEEN_KEY)


def _tokens(keys):
    """Return the current token under each key (created if missing), in one read of the shared store."""
    return _read(keys)[0]


def _bump(keys):
    """Give each key a new random token (never reused): pages keyed by the old one are stale everywhere."""
    shared = token_file()
    if shared is not None:
        shared.bump(keys)
    else:
        generation_cache().set_many({key: secrets.token_hex(8) for key in keys}, None)


# Plain SQL: building the ORM's query would cost more than the lookup itself, on every request.
COUNT_SQL = 'SELECT "changes" FROM "pagecache_changecount" WHERE "id" = 1'


def committed_changes(using=DEFAULT_DB_ALIAS):
    """Return the count of committed changes (models.ChangeCount; 0 before the first): one small query."""
    with connections[using].cursor() as cursor:
        cursor.execute(COUNT_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


def _count_change(using):
    """Count one more change in the database, in the caller's transaction; return the new count."""
    counts = ChangeCount.objects.using(using)
    if not counts.filter(pk=1).update(changes=F("changes") + 1):
        counts.bulk_create([ChangeCount(pk=1)], ignore_conflicts=True)  # the first change (or after a flush)
        counts.filter(pk=1).update(changes=F("changes") + 1)
    return counts.filter(pk=1).values_list("changes", flat=True).get()


def _new_epoch(values):
    values[EPOCH_KEY] = secrets.token_hex(8)
    return values


def _mark(keys, count):
    """Before the commit: replace the tokens and mark the store with the change's count.

    A store that has not seen the previous count missed a change: it gets a new epoch as well.
    """
    store = generation_cache()
    seen = store.get(SEEN_KEY)
    values = {key: secrets.token_hex(8) for key in keys}
    if not seen or seen[0] != count - 1:
        _new_epoch(values)
    values[SEEN_KEY] = (count, time.time())
    store.set_many(values, None)


def _after_commit(keys, count):
    """Replace the tokens again (pages rendered from the data before the commit are stale); a store
    that did not take the mark before the commit gets a new epoch."""
    store = generation_cache()
    store.set_many({key: secrets.token_hex(8) for key in keys}, None)
    seen = store.get(SEEN_KEY)
    if not seen or seen[0] < count:
        store.set_many(_new_epoch({SEEN_KEY: (count, time.time())}), None)


# Remembered: a list page asks for its twenty stories' keys on every render.
@functools.lru_cache(maxsize=16384)
def scope_key(kind, slug):
    """Return the key of the token of one topic's, analyst's or source's pages (kind, slug)."""
    digest = hashlib.blake2b(slug.encode(), digest_size=12).hexdigest()
    return f"{SCOPE_PREFIX}{kind}:{digest}"


def current_generation():
    """Return the content generation token every app server shares, creating it if missing."""
    return _tokens([GENERATION_KEY])[0]


# The structure token a render's page key was made of (serve() reads it before rendering), so the
# render itself need not read the shared store again (Redis: a round trip each time).
_render_structure = contextvars.ContextVar("newsroom_render_structure", default=None)
# False while serve() renders a page it may not keep (its store is ahead of the database, or does
# not answer): the fragments rendered for it are not kept either (pagecache/fragments.py).
_keeping = contextvars.ContextVar("newsroom_keeping", default=True)


def keeping():
    """Tell whether what is rendered now may be kept in the shared store."""
    return _keeping.get()


def structure_token():
    """Return the token every topic, analyst, organization or source change replaces (pagecache/topic_catalog.py).

    Inside a scoped page's render, the one its key was read with: a change after that read is a new
    token, so the page is not kept and the next render reads again.
    """
    return _render_structure.get() or _tokens([STRUCTURE_KEY])[0]


def _page_keys(scope, also):
    if scope is None:
        return [GENERATION_KEY]
    return [STRUCTURE_KEY, scope_key(*scope), *(scope_key(*other) for other in also)]


def page_tokens(scope=None, also=()):
    """Return the tokens a page's cache key is made of: the generation, or for a scoped page
    (a topic's, an analyst's, a source's or a story's) the structure token, its own and those of
    the scopes in `also`."""
    return _tokens(_page_keys(scope, also))


def checked_page_tokens(scope=None, also=()):
    """Return (page_tokens(scope, also), whether pages may be served from and kept in the store).

    A shared store is trusted only while it has seen exactly the change count the database has
    committed (one query). One that missed a change gets a new epoch first; one ahead of the
    database holds a change not yet committed (pages are then rendered, not kept); one that does
    not answer is not used.
    """
    keys = _page_keys(scope, also)
    tokens, seen = _read(keys)
    if seen == FILE:
        return tokens, True
    if seen == DOWN:
        return tokens, False
    count = committed_changes()
    if seen is not None and seen[0] == count:
        return tokens, True
    if seen is not None and seen[0] > count and time.time() - seen[1] < WRITING_SECONDS:
        return tokens, False
    # Missed a change, restored from an old snapshot, or emptied: nothing kept in it can be trusted.
    generation_cache().set_many(_new_epoch({SEEN_KEY: (count, time.time())}), None)
    tokens, seen = _read(keys)
    return tokens, seen not in (FILE, DOWN) and seen is not None and seen[0] == count


def story_tokens(slugs):
    """Return each story's own token (its story page's), in one read of the shared store.

    A story's token is replaced by every write that changes what readers see of the story or of
    its topics, quotes, citations, corrections and bylines (stories_changed; pagecache/fragments.py, Listing).
    """
    return _tokens([scope_key("story", slug) for slug in slugs])


def bump_generation():
    """Make every cached page stale on every app server."""
    _bump([GENERATION_KEY, STRUCTURE_KEY])


def _record_change(keys, using):
    """Make the pages keyed by these tokens stale, now and again once the change has committed.

    Work after the commit never fails the change (robust): it has been saved, and a store that
    missed it is found out by the next request (serve()).
    """
    using = using or DEFAULT_DB_ALIAS
    in_transaction = transaction.get_connection(using).in_atomic_block
    if token_file() is not None:
        _bump(keys)
        if in_transaction:
            transaction.on_commit(lambda: _bump(keys), using=using, robust=True)
        return
    count = _count_change(using)
    _mark(keys, count)
    if in_transaction:
        transaction.on_commit(lambda: _after_commit(keys, count), using=using, robust=True)


# Each process's copy of the next scheduled time, by generation (next_scheduled_time).
_next_scheduled = {}


def forget_process_state():
    """Forget this process's copies: the next scheduled times and the token file's handle (pagecache/state.py)."""
    _next_scheduled.clear()
    _shared_tokens.cache_clear()


def _remember_next_scheduled(key, value):
    if len(_next_scheduled) >= 64:  # generations pass with every write: keep the latest few
        _next_scheduled.clear()
    _next_scheduled[key] = value


def next_scheduled_time(generation, now):
    """Return the Unix time of the next scheduled publication after now (inf if none).

    Cached per generation, next to the generation itself: scheduling a story is a write, which
    starts a new generation, and every process and app server can share the one answer.
    """
    key = f"newsroom:next-scheduled:{generation}"
    # A generation's answer only changes by passing, so each process may also keep it: no read of
    # the shared store (a file without Redis) on every render.
    remembered = _next_scheduled.get(key)
    if remembered is not None and remembered > now:
        return remembered
    store = generation_cache()
    cached = store.get(key)
    if cached is not None and cached > now:
        _remember_next_scheduled(key, cached)
        return cached
    moment = datetime.datetime.fromtimestamp(now, tz=datetime.UTC)
    upcoming = (
        Article.objects.scheduled(at=moment).order_by("published_at").values_list("published_at", flat=True).first()
    )
    value = upcoming.timestamp() if upcoming else NEVER
    store.set(key, value, 24 * 3600)
    _remember_next_scheduled(key, value)
    return value


def _url_digest(request):
    # Most requests have no query string: parsing an empty one was a twentieth of a cached page.
    params = []
    if request.META.get("QUERY_STRING"):
        params = sorted((k, v) for k, v in request.GET.lists() if k in PAGE_PARAMS)
    # Not the scheme or Host: pages name the configured site address (reader/formats.py), so
    # `Host: news.example.org:1337` or `NEWS.example.org` is the same page, not another entry.
    url = f"{request.path}?{params}"
    return hashlib.sha256(url.encode()).hexdigest()[:32]


def page_key(request, tokens):
    return f"newsroom:page:{':'.join(tokens)}:{_url_digest(request)}"


def route_key(request):
    """Return the key under which the scopes a page learned from its data are kept (serve's `learn`)."""
    return f"newsroom:route:{_url_digest(request)}"


def _entry_from(response, now, next_at):
    body = response.content
    return {
        "status": response.status_code,
        "body": body,
        "headers": [(k, response[k]) for k in KEPT_HEADERS if response.has_header(k)],
        # SHA-256 runs on the CPU's SHA instructions where it has them: twice blake2b's speed on a page.
        "etag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
        "rendered": now,
        "until": next_at,
    }


def _cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def public_headers(response):
    """Mark a response any cache may store briefly; browsers revalidate it every time."""
    limits = (_setting("NEWSROOM_CDN_MAX_AGE", 60), _setting("NEWSROOM_CDN_STALE_WHILE_REVALIDATE", 30))
    if response.has_header("Cache-Control"):
        _patch_public(response, *limits)
    else:
        response["Cache-Control"] = _public_cache_control(*limits)


def _patch_public(response, s_maxage, stale_while_revalidate):
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=s_maxage, stale_while_revalidate=stale_while_revalidate,
    )


@functools.lru_cache(maxsize=8)
def _public_cache_control(s_maxage, stale_while_revalidate):
    # The header patch_cache_control writes on a response without one, worked out once.
    response = HttpResponse()
    _patch_public(response, s_maxage, stale_while_revalidate)
    return response["Cache-Control"]


def private_headers(response):
    patch_cache_control(response, private=True, no_cache=True)


def serve(request, render, scope=None, learn=None):
    """Return the cached page for request, rendering it with render() when needed; answer 304s.

    `scope` is (kind, slug) for the pages of one topic, analyst, source or story, else None. A page
    whose other scopes are known only from its data (a story: its topics' and analysts' tokens, for
    its related stories) passes `learn`, which returns them after render(). They are kept per URL
    and read with the page's tokens; a render that finds scopes not read before it is not kept
    (its tokens were not read first), so the next request renders once more and keeps that.
    """
    if request.method not in ("GET", "HEAD"):
        return render()
    now = time.time()
    store = page_cache()
    known = ()
    if learn is not None:
        route = route_key(request)
        known = tuple(store.get(route) or ())
    # Read before rendering: a write during the render changes them, so its page is never kept as current.
    tokens, trusted = checked_page_tokens(scope, known)
    key = page_key(request, tokens)
    entry = store.get(key) if trusted else None
    if entry is None or entry["until"] <= now:
        # A scoped page's tokens start with the structure token (page_tokens); an untrusted store's
        # tokens are used for nothing else, so the render reads the topics once, not at each lookup.
        structure = _render_structure.set(tokens[0] if scope is not None or not trusted else None)
        keeping = _keeping.set(trusted)
        try:
            response = render()
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
        finally:
            _render_structure.reset(structure)
            _keeping.reset(keeping)
        if not _cacheable(response):
            if response.status_code == 200:
                private_headers(response)
            return response
        if not trusted:
            # Served as rendered, with the same validators and caching headers; kept nowhere.
            return conditional(request, response, _entry_from(response, now, NEVER), now)
        keep = True
        if learn is not None:
            found = sorted(set(learn()))
            if not set(found) <= set(known):
                store.set(route, found, ROUTE_SECONDS)
                keep = False
        next_at = next_scheduled_time(tokens[0] if scope is None else current_generation(), now)
        entry = _entry_from(response, now, next_at)
        ttl = _setting("NEWSROOM_PAGE_CACHE_SECONDS", 600)
        if next_at != NEVER:
            ttl = max(1, min(ttl, int(next_at - now)))
        if keep:
            store.set(key, entry, ttl)
    else:
        response = HttpResponse(entry["body"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
    return conditional(request, response, entry, now)


def conditional(request, response, entry, now):
    """Add validators and caching headers; turn the response into a 304 when the client is current."""
    response["ETag"] = entry["etag"]
    last_modified = None
    # HTTP dates have whole seconds: a page rendered in this second could change again within it.
    if int(entry["rendered"]) < int(now):
        last_modified = int(entry["rendered"])
        response["Last-Modified"] = http_date(last_modified)
    elif response.has_header("Last-Modified"):
        del response["Last-Modified"]  # feeds set their newest item's time, which misses renames
    public_headers(response)
    if not CONDITIONAL_HEADERS.intersection(request.META):
        return response  # what get_conditional_response returns for a request with no conditions
    return get_conditional_response(request, etag=entry["etag"], last_modified=last_modified, response=response)


def cache_public_page(view):
    """Decorate a function view whose page is the same for every reader."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return serve(request, lambda: view(request, *args, **kwargs))

    return wrapper


class CachedPageMixin:
    """Serve a class-based public view through the page cache."""

    # "topic", "analyst", "source" or "story" for a page that shows one of them (URL kwarg slug).
    cache_scope = None
    # True for a page that also shows what other scopes hold: it sets `cache_learned` (a set of
    # (kind, slug)) while it renders.
    cache_learns = False

    def dispatch(self, request, *args, **kwargs):
        scope = (self.cache_scope, kwargs["slug"]) if self.cache_scope else None
        learn = (lambda: getattr(self, "cache_learned", ())) if self.cache_learns else None
        return serve(
            request, lambda: super(CachedPageMixin, self).dispatch(request, *args, **kwargs), scope, learn,
        )


class PrivatePageMixin:
    """Mark a per-request page (search, preview) as not for shared caches."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        private_headers(response)
        return response


# Invalidation ---------------------------------------------------------------------------------
# The core announces what a write touched (articles/signals.py); every page that shows it goes stale.


def content_changed(sender=None, *, using=None, **kwargs):
    """Make every page stale (a topic, an analyst, a source, a name: anything any page may show)."""
    _record_change([GENERATION_KEY, STRUCTURE_KEY], using)


def stories_changed(sender=None, *, scopes=(), using=None, **kwargs):
    """Make stale the desk's own pages (the generation) and the pages of these (kind, slug) scopes."""
    keys = {scope_key(*scope) for scope in scopes}
    _record_change([GENERATION_KEY, *sorted(keys)], using)


def connect_signals():
    """Listen to the core's change signals."""
    signals.content_changed.connect(content_changed, dispatch_uid="newsroom.pagecache.content_changed")
    signals.stories_changed.connect(stories_changed, dispatch_uid="newsroom.pagecache.stories_changed")
