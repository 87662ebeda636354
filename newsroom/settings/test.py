"""Test settings: fast hashing, plain static storage, a private cache."""
from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not REDIS_URL:  # noqa: F405
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-tests",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-tests-fragments",
        },
    }
# Not the test client's host: pages must name the configured address, whatever Host says.
NEWSROOM_SITE_URL = "https://news.example.org"
# One process: the content generation and the page tokens live next to the pages.
NEWSROOM_GENERATION_CACHE = "default"
NEWSROOM_TOKEN_FILE = None
# Serve static files from the finders; tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The synthetic corpus generator (bench) and N+1 detection (django-zeal, tests/reader/test_query_budget.py).
INSTALLED_APPS = [*INSTALLED_APPS, "bench", "zeal"]  # noqa: F405
