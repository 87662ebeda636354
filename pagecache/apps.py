"""Whole-page and fragment caching of public pages, made stale by the core's change signals."""
from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pagecache"
    verbose_name = "Page cache"
