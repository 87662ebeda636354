"""Who the desk is and how it works: staff profiles behind the bylines, and the standards pages."""
from django.apps import AppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = "People and standards"

    def ready(self):
        # The page cache hears of profile and standards edits through the core's content_changed;
        # publishing refuses a byline that would print no name; `check --database` lists such accounts.
        from . import checks, receivers  # noqa: F401

        receivers.connect()
