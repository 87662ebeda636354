"""The sourcing dashboard's kept summary (sourcing/summary.py): counts per day, month and year.

Derived data: never edited by hand and not in a backup. A bucket that is not current is ignored:
the dashboard counts its stories live instead.
"""
from django.db import models

from articles.models import Analyst


class SummaryBucket(models.Model):
    """The published stories whose live-from time falls on one day, month or year (desk time)."""

    class Kind(models.TextChoices):
        DAY = "d", "Day"
        MONTH = "m", "Month"
        YEAR = "y", "Year"

    kind = models.CharField("kind", max_length=1, choices=Kind.choices)
    start = models.DateField("first day")
    version = models.BigIntegerField(
        "version",
        help_text="Replaced by every write that makes the counts stale; counts are kept only under "
        "the version they started from.",
    )
    current = models.BooleanField("current", default=False, help_text="False from a write until counted again.")
    computed_at = models.DateTimeField("counted at", null=True)

    class Meta:
        ordering = ["kind", "start"]
        constraints = [models.UniqueConstraint(fields=["kind", "start"], name="sourcing_bucket_unique")]
        verbose_name = "sourcing summary bucket"

    def __str__(self):
        return f"{self.get_kind_display()} from {self.start}"


class SummaryRow(models.Model):
    """One group's counts in one bucket: what a dashboard table sums over the buckets of a period.

    ``dimension`` names the grouping (summary.DIMENSIONS), ``key`` the group (empty: none, as SQL's
    NULL), ``analyst`` the analyst for the per-analyst groupings.
    """

    bucket = models.ForeignKey(SummaryBucket, on_delete=models.CASCADE, related_name="rows")
    dimension = models.CharField("grouping", max_length=20)
    key = models.CharField("group", max_length=400, null=True)
    # No constraint: an analyst's quotes are counted again when they change; rows are derived.
    analyst = models.ForeignKey(
        Analyst, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
    )
    quotes = models.PositiveIntegerField("quotes", default=0)
    direct_quotes = models.PositiveIntegerField("direct quotes", default=0)
    citations = models.PositiveIntegerField("citations", default=0)
    stories = models.PositiveIntegerField("stories", default=0)

    class Meta:
        ordering = ["bucket", "dimension", "key"]
        indexes = [models.Index(fields=["bucket", "dimension"], name="sourcing_row_bucket")]
        verbose_name = "sourcing summary row"

    def __str__(self):
        return f"{self.dimension} {self.key or ''} {self.analyst_id or ''}".strip()
