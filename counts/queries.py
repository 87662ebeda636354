"""The counts a topic's and an analyst's pages head with, counted live in one query each.

The kept counts (counts/topics.py, counts/analysts.py) store what these return; a page reads a
kept count while it is current and counts live otherwise.
"""
from collections import Counter
from operator import itemgetter

from django.db import DEFAULT_DB_ALIAS
from django.db.models import IntegerField, OuterRef, Subquery

from articles.models import Analyst, Commentary, TaggedArticle

# Past this many, a page says "1,000+ stories" instead of counting tens of thousands of rows.
COUNT_CAP = 1000


class CappedCount(Subquery):
    """Count a (sliced) queryset's rows inside the query that annotates it: a capped count, no round trip of its own."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped_count)"
    output_field = IntegerField()


def live_quotes(analyst, now):
    """Return the analyst's quotes in stories live at `now`, newest first along their (analyst, live-from) index."""
    return Commentary.objects.filter(analyst_id=analyst).live(at=now).newest_first("article")


def topic_count(topic, now):
    """Return the topic's live link rows, up to COUNT_CAP + 1, to count (CappedCount)."""
    # One row per (story, topic) (unique_topic_per_story): counting link rows counts stories.
    links = TaggedArticle.objects.filter(tag_id=topic).live(at=now)
    return links.order_by().values_list("pk")[: COUNT_CAP + 1]


def _analyst_count(analyst, now):
    # Distinct (live-from, story) pairs in the index's own order: the two quotes of one story share
    # both, so duplicates are adjacent and the count stops at the cap. DISTINCT on the story alone
    # hashed every quote of the busiest analyst first (PostgreSQL: 2.0 ms, against 0.3 ms).
    return live_quotes(analyst, now).values_list("story_live_at", "article").distinct()[: COUNT_CAP + 1]


def analyst_counts(analyst, now, *, using=DEFAULT_DB_ALIAS):
    """Return [(stories quoting the analyst (capped), first quoted, last quoted, next scheduled quote)].

    Each time is one step into the quotes' (analyst, live-from) index; the next scheduled quote is
    when the counts change. One query.
    """
    quotes = Commentary.objects.filter(analyst=OuterRef("pk"))
    return list(
        Analyst.objects.using(using).filter(pk=analyst).annotate(
            counted=CappedCount(_analyst_count(OuterRef("pk"), now)),
            first=Subquery(quotes.live_time(newest=False, at=now)),
            last=Subquery(quotes.live_time(at=now)),
            next_live=Subquery(quotes.next_live_time(at=now)),
        ).values_list("counted", "first", "last", "next_live")
    )


def analyst_topic_counts(analyst, now, *, stories, using=DEFAULT_DB_ALIAS):
    """Return (topic id, stories) of the analyst's latest `stories` stories, most covered first."""
    latest = live_quotes(analyst, now).values("article")[:stories]
    # The links' topic ids alone: names and slugs come from the topic catalog (joining the topics
    # in hashed all of them on PostgreSQL: 2.9 against 1.0 ms). Counted and ordered in Python:
    # SQLite sorted the few hundred rows into a temporary B-tree to group them.
    links = TaggedArticle.objects.using(using).filter(content_object__in=latest).values_list("tag")
    return Counter(map(itemgetter(0), links)).most_common()


def leading_topics(counts, *, limit):
    """Return the leading (topic id, stories) pairs, most covered first, that can be among `limit` shown (ties too)."""
    if len(counts) <= limit:
        return list(counts)
    cut = counts[limit - 1][1]
    return [(tag, n) for tag, n in counts if n >= cut]
