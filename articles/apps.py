from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Editorial"

    def ready(self):
        # Keeps Article.search_document in step with the story and its commentary.
        from . import search  # noqa: F401
        from .cache import connect_signals

        # Every route (admin, services, shell, fixtures) makes cached pages stale.
        connect_signals()
