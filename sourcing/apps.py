"""Who the desk quotes and cites: the dashboard and the story form's sourcing checks."""
from django.apps import AppConfig


class SourcingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sourcing"
    verbose_name = "Sourcing desk"

    def ready(self):
        # The kept summary hears of the writes that change it (sourcing/receivers.py).
        from . import receivers

        receivers.connect()
