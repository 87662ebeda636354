"""Public pages: latest stories, stories, topics, analysts, sources, search, feeds, sitemaps."""
from django.apps import AppConfig


class ReaderConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reader"
    verbose_name = "Reader site"
