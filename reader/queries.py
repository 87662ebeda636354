"""The fixed-shape queries every uncached topic and analyst page runs, prepared (reader/prepared.py).

Each is written once as an ordinary queryset (published(), live(), among_links(), for_listing():
the same rules every other page uses) and compiled once per connection; a request only puts in
its topic or analyst, its time and its page. One `now` serves every query of a render, so the
stories, their count and the links agree on what is live.
"""
from collections import Counter
from operator import itemgetter

from django.db.models import IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from articles.models import Analyst, Article, Commentary, TaggedArticle, Topic, TopicStats
from pagecache import topic_catalog
from pagecache.fragments import Listing

from .prepared import Prepared

# Past this many, a page says "1,000+ stories" instead of counting tens of thousands of rows.
COUNT_CAP = 1000


class CappedCount(Subquery):
    """Count a (sliced) queryset's rows inside the query that annotates it: a capped count, no round trip of its own."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped_count)"
    output_field = IntegerField()


# What an analyst page's item shows of a quote, and its story (a quote's fragment is keyed by what is loaded).
QUOTE_FIELDS = ("article", "text", "is_direct_quote", "title_as_printed", "affiliation_as_printed")


def quotes_in_story_order(analyst):
    """Return the analyst's quotes (an Analyst or its id) in the order each story prints them."""
    return Commentary.objects.filter(analyst=analyst).order_by("sort_order", "pk").only(*QUOTE_FIELDS)


def _live_quotes(analyst, now):
    # Newest first along the quotes' (analyst, live-from, story) index.
    return Commentary.objects.filter(analyst_id=analyst).live(at=now).newest_first("article")


def _topic(slug, now):
    # The topic with its capped story count: one query, not two (a round trip on PostgreSQL).
    return Topic.objects.filter(slug=slug).annotate(story_count=CappedCount(topic_count(OuterRef("pk"), now)))


def topic_count(topic, now):
    """Return the topic's live link rows, up to COUNT_CAP + 1, to count (CappedCount)."""
    # One row per (story, topic) (unique_topic_per_story): counting link rows counts stories.
    links = TaggedArticle.objects.filter(tag_id=topic).live(at=now)
    return links.order_by().values_list("pk")[: COUNT_CAP + 1]


def _topic_stories(topic, now, offset, limit):
    links = TaggedArticle.objects.filter(tag_id=topic).live(at=now).newest_first("content_object")
    # A story carries a topic once (unique_topic_per_story): one link row per story, no grouping.
    stories = with_topic_count(Article.objects.published(at=now).for_listing(), topic, now)
    return stories.among_links(links, "content_object", limit, offset=offset, one_per_story=True)


def with_topic_count(stories, topic, now):
    """Give each story `topic_story_count`: the topic's published stories, up to COUNT_CAP + 1.

    The count the writes keep (counts/topics.py) while it is current and `now` is before
    its time, else counted live. Each is a subquery of no row's values, run once per query
    (SQLite keeps its result; PostgreSQL makes it an InitPlan, run only when needed): a topic's
    page learns its count from its stories, with no query of its own, and counts a thousand links
    only when no kept count may be used (COALESCE evaluates its second argument only then).
    """
    kept = TopicStats.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now), topic_id=topic, current=True,
    ).values("story_count")[:1]
    live = CappedCount(topic_count(topic, now))
    return stories.annotate(topic_story_count=Coalesce(Subquery(kept), live, output_field=IntegerField()))


def _analyst(slug):
    # The analyst, its organization and its kept counts (counts/analysts.py): one row.
    return Analyst.objects.select_related("organization", "stats").filter(slug=slug)


def _analyst_counts(analyst, now):
    # Counted live: how many published stories quote the analyst (capped), when they were first and
    # last quoted (each one step into the quotes' (analyst, live-from) index), and when the next
    # scheduled story quoting them goes live (the counts change then): one query.
    quotes = Commentary.objects.filter(analyst=OuterRef("pk"))
    return Analyst.objects.filter(pk=analyst).annotate(
        counted=CappedCount(_analyst_count(OuterRef("pk"), now)),
        first=Subquery(quotes.live_time(newest=False, at=now)),
        last=Subquery(quotes.live_time(at=now)),
        next_live=Subquery(quotes.next_live_time(at=now)),
    ).values_list("counted", "first", "last", "next_live")


def _analyst_count(analyst, now):
    # Distinct (live-from, story) pairs in the index's own order: the two quotes of one story share
    # both, so duplicates are adjacent and the count stops at the cap. DISTINCT on the story alone
    # hashed every quote of the busiest analyst first (PostgreSQL: 2.0 ms, against 0.3 ms).
    return _live_quotes(analyst, now).values_list("story_live_at", "article").distinct()[: COUNT_CAP + 1]


def _analyst_stories(analyst, now, limit):
    return Article.objects.published(at=now).for_listing().among_links(_live_quotes(analyst, now), "article", limit)


def _analyst_quotes(analyst, stories):
    return quotes_in_story_order(analyst).filter(article_id__in=stories)


def _analyst_topics(analyst, now, stories):
    latest = _live_quotes(analyst, now).values("article")[:stories]
    # The links' topic ids alone: names and slugs come from the topic catalog (joining the topics
    # in hashed all of them on PostgreSQL: 2.9 against 1.0 ms). Not grouped either: SQLite sorted
    # the few hundred rows into a temporary B-tree to group them (0.53 against 0.26 ms), and
    # PostgreSQL is as fast either way; they are counted and ordered in Python.
    return TaggedArticle.objects.filter(content_object__in=latest).values_list("tag")


def _listed_topics(stories):
    # Topic ids only: names and slugs come from the topic catalog (pagecache/topic_catalog.py).
    return TaggedArticle.objects.filter(content_object_id__in=stories).values_list("content_object_id", "tag_id")


topic_by_slug = Prepared(_topic, slug="str", now="datetime")
topic_stories = Prepared(_topic_stories, topic="int", now="datetime")
analyst_by_slug = Prepared(_analyst, slug="str")
analyst_counts = Prepared(_analyst_counts, analyst="int", now="datetime")
analyst_stories = Prepared(_analyst_stories, analyst="int", now="datetime")
analyst_quotes = Prepared(_analyst_quotes, analyst="int", stories="ints")
analyst_topics = Prepared(_analyst_topics, analyst="int", now="datetime")
listed_topics = Prepared(_listed_topics, stories="ints")


def attach_listed_topics(stories, using="default"):
    """Give each story `listed_topics`: (name, slug) of its topics, A to Z, from one query for them all."""
    by_story = {story.pk: story for story in stories}
    for story in stories:
        story.listed_topics = []
    links = listed_topics(stories=list(by_story), using=using)
    topics = topic_catalog.topics_by_id({tag for _, tag in links}, using=using)
    for story_id, tag in links:
        if (topic := topics.get(tag)) is not None:  # None: deleted since the links were read
            by_story[story_id].listed_topics.append(topic)
    for story in stories:
        story.listed_topics.sort()  # by name, then slug
    return stories


def attach_analyst_quotes(stories, analyst):
    """Give each story `analyst_quotes`: the analyst's quotes in it, in the story's order."""
    by_story = {story.pk: story for story in stories}
    for story in stories:
        story.analyst_quotes = []
    story_of = Commentary._meta.get_field("article").set_cached_value  # quote.article, without its checks
    for quote in analyst_quotes(analyst=analyst.pk, stories=list(by_story)):
        story = by_story[quote.article_id]
        story_of(quote, story)
        story.analyst_quotes.append(quote)
    return stories


def analyst_topic_counts(analyst_id, now, *, stories, using="default"):
    """Return (topic id, stories) of the analyst's latest `stories` stories, most covered first."""
    links = analyst_topics(analyst=analyst_id, now=now, shape={"stories": stories}, using=using)
    return Counter(map(itemgetter(0), links)).most_common()


def leading_topics(counts, *, limit):
    """Return the leading (topic id, stories) pairs, most covered first, that can be among `limit` shown (ties too)."""
    if len(counts) <= limit:
        return list(counts)
    cut = counts[limit - 1][1]
    return [(tag, n) for tag, n in counts if n >= cut]


def rank_topics(counts, *, limit):
    """Return the topics of (topic id, stories) pairs given most covered first, ties A to Z, at most limit."""
    topics = topic_catalog.topics_by_id({tag for tag, _ in counts})
    most_first = [(tag, n) for tag, n in counts if tag in topics]  # a deleted topic drops out
    # Only those as covered as the last one shown can be among the shown: ties are ranked by name.
    ranked = sorted((-n, topics[tag]) for tag, n in leading_topics(most_first, limit=limit))
    return [topic for _, topic in ranked[:limit]]


def topic_page(topic, now, offset, limit):
    """Return up to `limit` published stories on topic, newest first, after the first `offset`.

    Each carries the topic's count (with_topic_count). Their topics are loaded only for the
    teasers not already rendered (fragments.Listing).
    """
    stories = topic_stories(topic=topic.pk, now=now, shape={"offset": offset, "limit": limit})
    return Listing(stories, attach_listed_topics)


def analyst_first_page(analyst, now, limit):
    """Return the newest `limit` published stories quoting analyst.

    Their topics and the analyst's quotes in them are loaded only for the items not already
    rendered (fragments.Listing).
    """
    stories = analyst_stories(analyst=analyst.pk, now=now, shape={"limit": limit})

    def load_parts(some):
        return attach_analyst_quotes(attach_listed_topics(some), analyst)

    return Listing(stories, load_parts, owner=("analyst", analyst.pk))

