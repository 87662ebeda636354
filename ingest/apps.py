"""Plain-text wire copy turned into draft stories with suggested quotes and citations."""
from django.apps import AppConfig


class IngestConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ingest"
    verbose_name = "Wire copy import"
