"""What machines read: the site's absolute addresses, times and permanent story ids.

Canonical links, feeds, sitemaps and structured data name the configured address
(settings.NEWSROOM_SITE_URL), never the request's Host header: any allowed host with any port would
otherwise be written into them. Every machine-readable time goes through `machine_time`, so a story
published with "Publish now" (microseconds) carries the same whole-second value everywhere.
"""
import datetime
import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone


@functools.lru_cache(maxsize=4)
def _site(configured):
    parts = urlsplit(configured)
    return f"{parts.scheme}://{parts.netloc}", parts.scheme, parts.hostname or ""


def site_root():
    """Return the site's address without a trailing slash: "https://news.example.org"."""
    return _site(settings.NEWSROOM_SITE_URL)[0]


def site_scheme():
    return _site(settings.NEWSROOM_SITE_URL)[1]


def site_domain():
    """Return the host (and port, if any) of the site's address, as sitemaps want it."""
    return urlsplit(site_root()).netloc


def absolute_url(path):
    """Return the absolute address of a site path ("/topics/x/") on the configured site."""
    return site_root() + path


def whole_seconds(value):
    """Return the datetime without its fraction of a second (HTML's <time> allows at most three digits)."""
    return value.replace(microsecond=0) if value is not None else None


def machine_time(value):
    """Return value as ISO 8601 in the desk's time zone, to the second: "2026-12-08T03:44:58+09:00"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return whole_seconds(value).isoformat()
    return value.isoformat()  # a date


def story_tag_uri(story):
    """Return the story's permanent id, a tag: URI (RFC 4151): tag:news.example.org,2026-12-08:story-42.

    Made of the site's host, the day the story was created and its database id: neither a new slug
    nor a new publication time changes it, so feed readers never show a story again as new.
    """
    day = timezone.localtime(story.created_at, datetime.UTC).date().isoformat()
    return f"tag:{_site(settings.NEWSROOM_SITE_URL)[2]},{day}:story-{story.pk}"
