"""Rendered public pages, cached until anything they show changes.

Design (README, "Performance"):

- A *content generation* token lives in a cache every process shares (Redis in production; without
  REDIS_URL, a file-based cache on this machine so gunicorn workers, management commands and the
  shell agree). Every cached page key contains it. Any write to a model a public page shows
  (signals below) replaces the token, so every page on every app server is stale at once; writes
  inside a transaction replace it again after the commit, so a page rendered from pre-commit data
  during the commit cannot outlive it.
- A scheduled story going live is not a write. Each cached page records the time of the next
  scheduled publication when it was rendered (one query per generation, itself cached) and is
  neither served nor kept past it.
- Responses carry a strong ETag (hash of the body, equal on every server), a Last-Modified once
  the page is older than the current second, and Cache-Control for browsers (revalidate every
  time: max-age=0) and shared caches (s-maxage, stale-while-revalidate; NEWSROOM_CDN_MAX_AGE).
- Public pages show nothing per user (no user, messages or CSRF token in their templates), so a
  logged-in editor gets the same cached page as a reader; the session is never touched.
"""
import datetime
import functools
import hashlib
import secrets
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

GENERATION_KEY = "newsroom:content-generation"
# Query parameters that change what a public page shows; any other (utm_source, ...) is ignored,
# so random query strings cannot fill the cache.
PAGE_PARAMS = ("page", "before", "after", "p", "from")
# Response headers the view sets that are kept with the cached body.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")
NEVER = float("inf")


def _setting(name, default):
    return getattr(settings, name, default)


def page_cache():
    return caches[_setting("NEWSROOM_PAGE_CACHE", "default")]


def generation_cache():
    return caches[_setting("NEWSROOM_GENERATION_CACHE", "default")]


def current_generation():
    """Return the content generation token every app server shares, creating it if missing."""
    store = generation_cache()
    token = store.get(GENERATION_KEY)
    if token is None:
        store.add(GENERATION_KEY, secrets.token_hex(8), None)
        token = store.get(GENERATION_KEY)
    return token


def bump_generation():
    """Make every cached page stale on every app server (a new random token, never reused)."""
    generation_cache().set(GENERATION_KEY, secrets.token_hex(8), None)


def content_changed(*, using=None):
    """Call after a write readers may see; signals call it for ordinary saves and deletes.

    Inside a transaction the token changes now and again after the commit.
    """
    bump_generation()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        transaction.on_commit(bump_generation, using=using)


def stories_changed(story_ids, *, using=None):
    """Call after a write to parts of these stories: pages change only if a reader can see one of them.

    Published status includes scheduled stories (pages record when those go live).
    """
    from .models import Article

    if Article._base_manager.using(using).filter(pk__in=story_ids, status=Article.Status.PUBLISHED).exists():
        content_changed(using=using)


def next_scheduled_time(generation, now):
    """Return the Unix time of the next scheduled publication after now (inf if none).

    Cached per generation, next to the generation itself: scheduling a story is a write, which
    starts a new generation, and every process and app server can share the one answer.
    """
    from .models import Article

    store, key = generation_cache(), f"newsroom:next-scheduled:{generation}"
    cached = store.get(key)
    if cached is not None and cached > now:
        return cached
    moment = datetime.datetime.fromtimestamp(now, tz=datetime.UTC)
    upcoming = (
        Article.objects.scheduled(at=moment).order_by("published_at").values_list("published_at", flat=True).first()
    )
    value = upcoming.timestamp() if upcoming else NEVER
    store.set(key, value, 24 * 3600)
    return value


def page_key(request, generation):
    params = sorted((k, v) for k, v in request.GET.lists() if k in PAGE_PARAMS)
    url = f"{request.scheme}://{request.get_host()}{request.path}?{params}"
    return f"newsroom:page:{generation}:{hashlib.sha256(url.encode()).hexdigest()[:32]}"


def _entry_from(response, now, next_at):
    body = response.content
    return {
        "status": response.status_code,
        "body": body,
        "headers": [(k, response[k]) for k in KEPT_HEADERS if response.has_header(k)],
        "etag": f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"',
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
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=_setting("NEWSROOM_CDN_MAX_AGE", 60),
        stale_while_revalidate=_setting("NEWSROOM_CDN_STALE_WHILE_REVALIDATE", 30),
    )


def private_headers(response):
    patch_cache_control(response, private=True, no_cache=True)


def serve(request, render):
    """Return the cached page for request, rendering it with render() when needed; answer 304s."""
    if request.method not in ("GET", "HEAD"):
        return render()
    now = time.time()
    generation = current_generation()
    store, key = page_cache(), page_key(request, generation)
    entry = store.get(key)
    if entry is None or entry["until"] <= now:
        response = render()
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response.render()
        if not _cacheable(response):
            if response.status_code == 200:
                private_headers(response)
            return response
        next_at = next_scheduled_time(generation, now)
        entry = _entry_from(response, now, next_at)
        ttl = _setting("NEWSROOM_PAGE_CACHE_SECONDS", 600)
        if next_at != NEVER:
            ttl = max(1, min(ttl, int(next_at - now)))
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
    return get_conditional_response(request, etag=entry["etag"], last_modified=last_modified, response=response)


def cache_public_page(view):
    """Decorate a function view whose page is the same for every reader."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return serve(request, lambda: view(request, *args, **kwargs))

    return wrapper


class CachedPageMixin:
    """Serve a class-based public view through the page cache."""

    def dispatch(self, request, *args, **kwargs):
        return serve(request, lambda: super(CachedPageMixin, self).dispatch(request, *args, **kwargs))


class PrivatePageMixin:
    """Mark a per-request page (search, preview) as not for shared caches."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        private_headers(response)
        return response


# Invalidation ---------------------------------------------------------------------------------


def _changed(sender, using=None, **kwargs):
    content_changed(using=using)


def _story_status_before(sender, instance, using=None, **kwargs):
    # Read from the database, not the instance: an instance can be older than the row it saves over.
    instance._status_before = (
        sender._base_manager.using(using).filter(pk=instance.pk).values_list("status", flat=True).first()
        if instance.pk else None
    )


def _story_changed(sender, instance, using=None, **kwargs):
    # A story readers could not see before this write and cannot see after it changes no public
    # page (published status includes scheduled): draft edits and autosaves keep every cached page.
    published = sender.Status.PUBLISHED
    if published in (instance.status, getattr(instance, "_status_before", published)):
        content_changed(using=using)


def _story_part_changed(sender, instance, using=None, **kwargs):
    """A topic link, quote, citation, byline or correction changes public pages only on a published story."""
    story_id = instance.content_object_id if hasattr(instance, "content_object_id") else instance.article_id
    stories_changed([story_id], using=using)


def _m2m_changed(sender, instance, action, using=None, **kwargs):
    from .models import Article

    if not action.startswith("post_"):
        return
    if isinstance(instance, Article):
        stories_changed([instance.pk], using=using)  # a story's topics
    else:
        content_changed(using=using)


def _user_saved(sender, update_fields=None, using=None, **kwargs):
    # Bylines print staff names; a login only touches last_login.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    content_changed(using=using)


def connect_signals():
    """Replace the generation on every write to what public pages show, from any route."""
    from .models import (
        Analyst,
        Article,
        Byline,
        Citation,
        Commentary,
        Correction,
        Organization,
        SlugRedirect,
        Source,
        TaggedArticle,
        Topic,
    )

    for model in (Topic, Analyst, Organization, Source, SlugRedirect):
        uid = f"newsroom.cache.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
    pre_save.connect(_story_status_before, sender=Article, dispatch_uid="newsroom.cache.article.before_save")
    pre_delete.connect(_story_status_before, sender=Article, dispatch_uid="newsroom.cache.article.before_delete")
    post_save.connect(_story_changed, sender=Article, dispatch_uid="newsroom.cache.article.save")
    post_delete.connect(_story_changed, sender=Article, dispatch_uid="newsroom.cache.article.delete")
    for model in (TaggedArticle, Commentary, Citation, Correction, Byline):
        uid = f"newsroom.cache.{model._meta.label_lower}"
        post_save.connect(_story_part_changed, sender=model, dispatch_uid=f"{uid}.save")
        # Deleting a story deletes its parts first, while it still exists: its own delete is counted above.
        post_delete.connect(_story_part_changed, sender=model, dispatch_uid=f"{uid}.delete")
    for through in (TaggedArticle, Commentary, Citation):
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"newsroom.cache.m2m.{through._meta.model_name}")
    user = get_user_model()
    post_save.connect(_user_saved, sender=user, dispatch_uid="newsroom.cache.user.save")
    post_delete.connect(_changed, sender=user, dispatch_uid="newsroom.cache.user.delete")
