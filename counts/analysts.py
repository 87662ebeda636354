"""What an analyst's page counts, kept by the writes that change it instead of counted on every render.

An analyst page heads with how many published stories quote the analyst (up to COUNT_CAP), when
they were first and last quoted, and the topics of their latest TOPIC_STORIES stories ("Talks to
us about"). Counted on every render, that read a thousand index entries and six hundred topic
links: a third of the busiest analyst's page. AnalystCounts keeps the counts.

They are marked stale by every write that changes what readers see of a story
(cache.stories_changed: publishing, unpublishing, editing a live story, its quotes and its topics,
from any route that sends signals), counted again after its commit, and used only until a scheduled
story quoting the analyst goes live, by the rules counts/kept.py gives. Past that time, or
with no current row, the page counts live (as it did before this table), until the next write or
`manage.py refresh_analyst_counts`.

Stale or missing counts are never shown: the page counts live. Writes that send no signals
(QuerySet.update(), raw SQL) must call cache.stories_changed() or refresh_analyst_counts themselves.
"""
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from articles.models import Analyst

from . import kept as kept_counts
from . import queries
from .models import AnalystCounts

# "Talks to us about" draws on an analyst's latest stories, not a career of tens of thousands.
TOPIC_STORIES = 200
# How many topics it shows. Only the counts that can be among them are kept: the busiest analyst's
# latest stories touch about 190 topics, and decoding all their counts on every render cost more
# than the rest of the analyst's lookup.
TOPICS_SHOWN = 8


class Counts(NamedTuple):
    story_count: int  # up to COUNT_CAP + 1
    first_quoted: object  # datetime or None
    last_quoted: object
    topic_counts: list  # (topic id, stories) pairs, most first: those that can be among TOPICS_SHOWN
    valid_until: object  # when a scheduled story changes them, or None


def count(analyst_id, now, *, using=DEFAULT_DB_ALIAS):
    """Count the analyst's published stories at `now`, from the quotes themselves (two queries)."""
    rows = queries.analyst_counts(analyst_id, now, using=using)
    if not rows:
        return Counts(0, None, None, [], None)
    story_count, first, last, next_live = rows[0]
    topics = []
    if story_count:
        counted = queries.analyst_topic_counts(analyst_id, now, stories=TOPIC_STORIES, using=using)
        topics = queries.leading_topics(counted, limit=TOPICS_SHOWN)
    return Counts(story_count, first, last, topics, next_live)


def counts_for(analyst, now, *, using=DEFAULT_DB_ALIAS):
    """Return the analyst's Counts at `now`: the kept ones while current, else counted.

    The kept ones come with the analyst (select_related("counts")): no query of their own.
    """
    kept = getattr(analyst, "counts", None)  # None: no row yet
    if kept is not None and kept.current and (kept.valid_until is None or now < kept.valid_until):
        return Counts(kept.story_count, kept.first_quoted, kept.last_quoted, kept.topic_counts, kept.valid_until)
    return count(analyst.pk, now, using=using)


def invalidate(analyst_ids, *, using=DEFAULT_DB_ALIAS):
    """Mark these analysts' counts stale now (in the caller's transaction) and count them again after it commits."""
    kept_counts.mark_stale(AnalystCounts, analyst_ids, using=using or DEFAULT_DB_ALIAS, refresh=refresh)


def invalidate_slugs(slugs, *, using=DEFAULT_DB_ALIAS):
    """Invalidate the counts of the analysts with these slugs (cache.stories_changed names those a write touched)."""
    using = using or DEFAULT_DB_ALIAS  # signals pass None for the default database
    if slugs:
        invalidate(Analyst._base_manager.using(using).filter(slug__in=list(slugs)).values_list("pk", flat=True),
                   using=using)


def refresh(analyst_ids=None, *, using=DEFAULT_DB_ALIAS, now=None, force=False):
    """Count again the analysts whose counts are stale or past their time (all analysts when analyst_ids is None).

    With force, count every one of them. Return how many were counted and kept.
    """
    now, using = now or timezone.now(), using or DEFAULT_DB_ALIAS
    if analyst_ids is None:
        analyst_ids = Analyst._base_manager.using(using).values_list("pk", flat=True)

    def fields(pk):
        counts = count(pk, now, using=using)
        return {
            "story_count": counts.story_count, "first_quoted": counts.first_quoted,
            "last_quoted": counts.last_quoted, "topic_counts": [list(pair) for pair in counts.topic_counts],
            "valid_until": counts.valid_until,
        }

    return kept_counts.refresh(AnalystCounts, analyst_ids, using=using, now=now, force=force, count=fields)
