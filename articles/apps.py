from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Editorial"

    def ready(self):
        # search keeps Article.search_document in step with the story and its commentary;
        # visibility keeps each topic link's, quote's and citation's copy of its story's live-from time.
        from . import changes, search_document, visibility  # noqa: F401
        from .planner import refresh_after_migrate

        # Every route (admin, services, shell, fixtures) announces what it changed for readers.
        changes.connect()
        # SQLite plans list queries from statistics; a deploy's migrate refreshes them.
        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="newsroom.planner.migrate")
