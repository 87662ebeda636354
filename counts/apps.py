"""Story counts kept per analyst and topic, marked stale by the core's change signals."""
from django.apps import AppConfig


class CountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "counts"
    verbose_name = "Kept counts"

    def ready(self):
        from . import receivers

        receivers.connect()
