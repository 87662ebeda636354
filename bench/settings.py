"""Production settings as served on loopback by the benchmark: plain HTTP, static files under /tmp.

Everything else (DEBUG off, WhiteNoise with the compressed manifest storage, persistent database
connections, the cache) is exactly production's, so the numbers mean what they say.
BENCH_PAGE_CACHE=off swaps only the page cache for one that keeps nothing, so `make bench` can
measure every page as rendered after an editor's write, over HTTP.
"""
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from newsroom.settings.production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405  (generate_corpus)
SECURE_SSL_REDIRECT = False  # loopback has no TLS terminator in front
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT") or Path(tempfile.gettempdir()) / "newsroom-bench" / "static")

_page_cache = os.environ.get("BENCH_PAGE_CACHE", "on")
if _page_cache == "off":
    # A separate alias, so the generation and any other cache stay exactly as in production.
    CACHES = {**CACHES, "nopage": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
    NEWSROOM_PAGE_CACHE = "nopage"
elif _page_cache != "on":
    raise ImproperlyConfigured(f"BENCH_PAGE_CACHE is {_page_cache!r}; use 'on' (the default) or 'off'.")
