"""Counts kept per analyst and topic, by the writes that change them (counts/kept.py)."""
from django.db import models

from articles.models import Analyst, Topic


class KeptCounts(models.Model):
    """A page's counts kept by the writes that change them (counts/kept.py): the columns every kind shares.

    Derived data: never edited by hand and not in a backup. A row that is not current, or past
    `valid_until`, is ignored: the page counts live instead.
    """

    version = models.BigIntegerField(
        "version",
        help_text="Replaced by every write that makes the counts stale; counts are kept only under "
        "the version they started from.",
    )
    current = models.BooleanField(
        "current", default=False, help_text="False from a write until the counts are taken again.",
    )
    valid_until = models.DateTimeField(
        "valid until", null=True,
        help_text="When a scheduled story goes live and the counts change; empty: none scheduled.",
    )
    computed_at = models.DateTimeField("counted at", null=True)

    class Meta:
        abstract = True


class AnalystCounts(KeptCounts):
    """What an analyst's page counts of the published stories quoting them (counts/analysts.py)."""

    analyst = models.OneToOneField(Analyst, primary_key=True, on_delete=models.CASCADE, related_name="counts")
    story_count = models.PositiveIntegerField(
        "published stories quoting", default=0, help_text="Counted up to one past the page's cap.",
    )
    first_quoted = models.DateTimeField("first quoted", null=True)
    last_quoted = models.DateTimeField("last quoted", null=True)
    topic_counts = models.JSONField(
        "topics of the latest stories", default=list,
        help_text="[topic id, stories] pairs over the analyst's latest stories, most first.",
    )

    class Meta:
        db_table = "articles_analyststats"  # the table the counts were first kept in
        verbose_name = "analyst's counts"
        verbose_name_plural = "analysts' counts"

    def __str__(self):
        return f"Counts for analyst {self.analyst_id}"


class TopicCounts(KeptCounts):
    """How many published stories a topic's page counts (counts/topics.py)."""

    topic = models.OneToOneField(Topic, primary_key=True, on_delete=models.CASCADE, related_name="counts")
    story_count = models.PositiveIntegerField(
        "published stories", default=0, help_text="Counted up to one past the page's cap.",
    )

    class Meta:
        db_table = "articles_topicstats"  # the table the counts were first kept in
        verbose_name = "topic's count"
        verbose_name_plural = "topics' counts"

    def __str__(self):
        return f"Count for topic {self.topic_id}"
