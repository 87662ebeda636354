"""Template helpers for bylines: the names they print and the author pages they link to."""
from urllib.parse import urlsplit

from django import template

from ..names import credited

register = template.Library()


@register.filter
def credited_authors(bylines):
    """Return the story's credited authors (name, url) in printed order: never a login name."""
    return credited(bylines)


@register.filter
def link_label(url):
    """Return a profile link as readers read it: "example.org/dana" for "https://www.example.org/dana/"."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    return f"{host}{parts.path}".rstrip("/") or url
