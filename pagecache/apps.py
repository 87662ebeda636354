"""Whole-page and fragment caching of public pages, made stale by the core's change signals."""
from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import state  # noqa: F401  (forgets this process's copies when cache settings change)
        from .cache import connect_signals

        # Every write the core announces makes the pages that show it stale.
        connect_signals()
