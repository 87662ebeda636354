"""The queries an uncached topic or analyst page runs, written once as ordinary querysets.

They use the rules every other page uses (published(), live(), among_links()). One `now` serves
every query of a render, so the stories, their count and the links agree on what is live. The
fixed-shape ones are prepared (reader/private_api.py): compiled once per connection and shape.
"""
import datetime
import json

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce

from articles.models import Analyst, Article, Commentary, Organization, TaggedArticle, Topic
from counts.models import AnalystCounts, TopicCounts
from counts.queries import CappedCount, leading_topics, live_quotes, topic_count
from pagecache import topic_catalog
from pagecache.fragments import Listing
from photos.models import LeadImage, Photo
from photos.pictures import (
    PICTURE_FIELDS,
    TEASER_COLUMNS,
    attach_analyst_portrait,
    attach_teaser_images,
    with_portrait_columns,
)

from .private_api import Prepared

# What an analyst page's item shows of a quote, and its story (a quote's fragment is keyed by what is loaded).
QUOTE_FIELDS = ("article", "text", "is_direct_quote", "title_as_printed", "affiliation_as_printed")


def quotes_in_story_order(analyst):
    """Return the analyst's quotes (an Analyst or its id) in the order each story prints them."""
    return Commentary.objects.filter(analyst=analyst).order_by("sort_order", "pk").only(*QUOTE_FIELDS)


def _topic(slug, now):
    # The topic with its capped story count: one query, not two.
    return Topic.objects.filter(slug=slug).annotate(story_count=CappedCount(topic_count(OuterRef("pk"), now)))


_topic_by_slug = Prepared(_topic, slug="str", now="datetime")


def topic_by_slug(slug, now):
    """Return [the topic with its capped story count as `story_count`], or []."""
    return _topic_by_slug(slug=slug, now=now)


def with_topic_count(stories, topic, now):
    """Give each story `topic_story_count`: the topic's published stories, up to COUNT_CAP + 1.

    The count the writes keep (counts/topics.py) while it is current and `now` is before its time,
    else counted live. Each is a subquery of no row's values, run once per query (SQLite keeps its
    result; PostgreSQL makes it an InitPlan, run only when needed): a topic's page learns its count
    from its stories, with no query of its own, and counts a thousand links only when no kept count
    may be used (COALESCE evaluates its second argument only then).
    """
    kept = TopicCounts.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now), topic_id=topic, current=True,
    ).values("story_count")[:1]
    live = CappedCount(topic_count(topic, now))
    return stories.annotate(topic_story_count=Coalesce(Subquery(kept), live, output_field=IntegerField()))


def topic_stories_queryset(topic, now, offset, limit):
    links = TaggedArticle.objects.filter(tag_id=topic).live(at=now).newest_first("content_object")
    # A story carries a topic once (unique_topic_per_story): one link row per story, no grouping.
    stories = with_topic_count(Article.objects.published(at=now).for_teasers(), topic, now)
    return stories.among_links(links, "content_object", limit, offset=offset, one_per_story=True)


_topic_stories_prepared = Prepared(topic_stories_queryset, topic="int", now="datetime")


def topic_stories(topic, now, offset, limit):
    """Return the topic's published stories, newest first, `limit` of them after the first `offset`."""
    return _topic_stories_prepared(topic=topic, now=now, shape={"offset": offset, "limit": limit})


# The lead picture as columns of the stories' own query (photos.pictures.TEASER_COLUMNS), its
# renditions as text: decoding them was a tenth of an uncached home page, and only the pictures of
# fragments rendered again are ever read (decode_lead_renditions).
LEAD_COLUMNS = {
    **{name: F(path) for name, path in TEASER_COLUMNS.items()},
    "lead_photo_renditions": Cast("lead_image__photo__renditions", TextField()),
}


def decode_lead_renditions(stories):
    """Give each story (loaded with LEAD_COLUMNS) its lead picture's renditions as the JSON they are stored as."""
    for story in stories:
        if isinstance(story.lead_photo_renditions, str):
            story.lead_photo_renditions = json.loads(story.lead_photo_renditions)
    return stories


def _analyst_stories(analyst, now, limit):
    # Each story's lead picture comes with it, as columns: the page's pictures cost no query of their own.
    stories = Article.objects.published(at=now).for_teasers().annotate(**LEAD_COLUMNS)
    return stories.among_links(live_quotes(analyst, now), "article", limit)


_analyst_stories_prepared = Prepared(_analyst_stories, analyst="int", now="datetime")


def _analyst_quotes(analyst, stories):
    return quotes_in_story_order(analyst).filter(article_id__in=stories)


_analyst_quotes_prepared = Prepared(_analyst_quotes, analyst="int", stories="ints")


def _listed_topics(stories):
    # Topic ids only: names and slugs come from the topic catalog (pagecache/topic_catalog.py).
    return TaggedArticle.objects.filter(content_object_id__in=stories).values_list("content_object_id", "tag_id")


_listed_topics_prepared = Prepared(_listed_topics, rows="tuples", stories="ints")


def _columns_of(model, path):
    # Every stored field of the row at path, as a column named joined_path_attname.
    return {f"joined_{path}_{f.attname}": F(f"{path}__{f.attname}") for f in model._meta.get_fields() if f.concrete}


def _from_columns(owner, model, path):
    # The row at path, built from owner's columns (_columns_of), or None when owner has none.
    fields = [f.attname for f in model._meta.get_fields() if f.concrete]
    values = {name: owner.__dict__.pop(f"joined_{path}_{name}") for name in fields}
    return model(**values) if values[model._meta.pk.attname] is not None else None


def _analyst(slug):
    # The organization, kept counts and portrait as columns: select_related() cannot be prepared,
    # and compiling its joins on every request was a quarter of an uncached analyst page.
    analysts = Analyst.objects.filter(slug=slug).annotate(
        **_columns_of(Organization, "organization"), **_columns_of(AnalystCounts, "counts"),
    )
    return with_portrait_columns(analysts)


_analyst_by_slug = Prepared(_analyst, slug="str")


def analyst_by_slug(slug):
    """Return [the analyst, with its organization, kept counts and portrait (`portrait_image`)], or []: one query."""
    found = _analyst_by_slug(slug=slug)
    for analyst in found:
        analyst.organization = _from_columns(analyst, Organization, "organization")
        analyst.counts = _from_columns(analyst, AnalystCounts, "counts")
        attach_analyst_portrait(analyst)
    return found


def attach_listed_topics(stories, using="default"):
    """Give each story `listed_topics`: (name, slug) of its topics, A to Z, from one query for them all."""
    by_story = {story.pk: story for story in stories}
    for story in stories:
        story.listed_topics = []
    links = _listed_topics_prepared(stories=list(by_story), using=using)
    topics = topic_catalog.topics_by_id({tag for _, tag in links}, using=using)
    for story_id, tag in links:
        if (topic := topics.get(tag)) is not None:  # None: deleted since the links were read
            by_story[story_id].listed_topics.append(topic)
    for story in stories:
        story.listed_topics.sort()  # by name, then slug
    return stories


def attach_teaser_parts(stories, using="default"):
    """Give each story what its teaser shows besides its own fields: its topics and its lead picture (two queries)."""
    return attach_teaser_images(attach_listed_topics(stories, using=using), using=using)


def attach_analyst_quotes(stories, analyst):
    """Give each story `analyst_quotes`: the analyst's quotes in it, in the story's order."""
    by_story = {story.pk: story for story in stories}
    for story in stories:
        story.analyst_quotes = []
    for quote in _analyst_quotes_prepared(analyst=analyst.pk, stories=list(by_story)):
        story = by_story[quote.article_id]
        quote.article = story
        story.analyst_quotes.append(quote)
    return stories


def rank_topics(counts, *, limit):
    """Return the topics of (topic id, stories) pairs given most covered first, ties A to Z, at most limit."""
    topics = topic_catalog.topics_by_id({tag for tag, _ in counts})
    most_first = [(tag, n) for tag, n in counts if tag in topics]  # a deleted topic drops out
    # Only those as covered as the last one shown can be among the shown: ties are ranked by name.
    ranked = sorted((-n, topics[tag]) for tag, n in leading_topics(most_first, limit=limit))
    return [topic for _, topic in ranked[:limit]]


def topic_page(topic, now, offset, limit):
    """Return up to `limit` published stories on topic, newest first, after the first `offset`.

    Each carries the topic's count (with_topic_count). Their topics and pictures are loaded only for
    the teasers not already rendered (pagecache.fragments.Listing).
    """
    return Listing(topic_stories(topic.pk, now, offset, limit), attach_teaser_parts)


def analyst_first_page(analyst, now, limit):
    """Return the newest `limit` published stories quoting analyst.

    Their topics and the analyst's quotes in them are loaded only for the items not already
    rendered (pagecache.fragments.Listing); their pictures come with them.
    """
    stories = _analyst_stories_prepared(analyst=analyst.pk, now=now, shape={"limit": limit})

    def load_parts(some):
        return attach_teaser_images(attach_analyst_quotes(attach_listed_topics(decode_lead_renditions(some)), analyst))

    return Listing(stories, load_parts, owner=("analyst", analyst.pk))


def _latest_stories(now, limit):
    return Article.objects.published(at=now).newest_first().for_teasers().annotate(**LEAD_COLUMNS)[:limit]


_latest_stories_prepared = Prepared(_latest_stories, now="datetime")


def attach_latest_parts(stories):
    """Give stories of latest_page() what a teaser shows besides their own fields: topics (a query) and picture."""
    return attach_teaser_parts(decode_lead_renditions(stories))


def latest_page(now, limit):
    """Return the newest `limit` published stories, as a Listing: loaded with their pictures, topics only to render.

    The first Listing slice to render a teaser loads the topics of the whole list, in one query
    (the home page's lead and other teasers are two slices).
    """
    loaded = []

    def load_parts(_):
        if not loaded:
            loaded.append(attach_latest_parts(stories))

    stories = Listing(_latest_stories_prepared(now=now, shape={"limit": limit}), load_parts)
    return stories


# What a story page reads of its lead picture's photo besides the teaser's (JSON-LD names its rights holder).
STORY_LEAD_COLUMNS = {**LEAD_COLUMNS, "lead_photo_copyright_holder": F("lead_image__photo__copyright_holder")}


def _story(slug, now):
    # The search text is derived from the others and never shown: a save that changes only it keeps the pieces.
    return Article.objects.published(at=now).filter(slug=slug).defer("search_document").annotate(**STORY_LEAD_COLUMNS)


_story_prepared = Prepared(_story, slug="str", now="datetime")


def story_by_slug(slug, now):
    """Return [the published story under slug, its lead picture as columns (lead_use())], or []: one query."""
    return _story_prepared(slug=slug, now=now)


def lead_use(story):
    """Return the LeadImage (with its Photo) of a story loaded by story_by_slug(), or None: no query."""
    if story.lead_photo_id is None:
        return None
    decode_lead_renditions([story])
    photo = Photo(
        pk=story.lead_photo_id, copyright_holder=story.lead_photo_copyright_holder,
        **{field: getattr(story, f"lead_photo_{field}") for field in PICTURE_FIELDS},
    )
    caption, alt_text = story.lead_caption or "", story.lead_alt_text or ""
    return LeadImage(article_id=story.pk, photo=photo, caption=caption, alt_text=alt_text)


# Related stories come from around the story's own time, a bounded number of candidates scored.
RELATED_WINDOW = datetime.timedelta(days=180)
RELATED_CANDIDATES = 200


def _newest_sharing(links, story_field, window, candidates):
    # The newest stories of the window one topic or analyst is on: a short walk down its
    # (live-from, story) index. + 1: the story itself may be among them.
    links = links.filter(story_live_at__range=window).newest_first(story_field)
    if story_field == "article":  # two quotes of one story are one candidate
        links = links.one_per_story(story_field)
    ids = links.values(f"{story_field}_id")[: candidates + 1]
    return Article.objects.filter(pk__in=ids).order_by().values("pk")


def _shared(links, story_field, thing, ids):
    if not ids:
        return Value(0)
    links = links.filter(**{story_field: OuterRef("pk"), f"{thing}_id__in": ids})
    counted = links.order_by().values(story_field).annotate(n=Count(thing, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _related(story, start, end, now, candidates, topics=(), analysts=()):
    window = (start, end)
    # The newest candidates of the window are among the newest of some one topic or analyst. Walking
    # the window's stories and asking each whether it shares something read tens of thousands of
    # them for a story on rare topics (54 ms at 1,000,000 stories); this reads at most
    # RELATED_CANDIDATES + 1 index entries per topic and analyst, whatever the archive's size.
    nearest = [_newest_sharing(TaggedArticle.objects.filter(tag_id=topic), "content_object", window, candidates)
               for topic in topics]
    nearest += [_newest_sharing(Commentary.objects.filter(analyst_id=analyst), "article", window, candidates)
                for analyst in analysts]
    near = nearest[0].union(*nearest[1:])
    newest = Article.objects.filter(pk__in=near).exclude(pk=story).newest_first().values("pk")
    return (
        Article.objects.published(at=now).filter(pk__in=newest[:candidates])
        .defer("body", "search_document")  # a related story shows its headline, not its text
        .annotate(
            shared_topics=_shared(TaggedArticle.objects, "content_object", "tag", topics),
            shared_analysts=_shared(Commentary.objects, "article", "analyst", analysts),
        )
        .order_by((F("shared_topics") + 2 * F("shared_analysts")).desc(), "-published_at", "-pk")[:4]
    )


# One compile per number of topics and analysts (a prepared list value may not be empty) and of candidates.
_related_by = {
    (True, True): Prepared(_related, story="int", start="datetime", end="datetime", now="datetime",
                           topics="ints", analysts="ints"),
    (True, False): Prepared(_related, story="int", start="datetime", end="datetime", now="datetime", topics="ints"),
    (False, True): Prepared(_related, story="int", start="datetime", end="datetime", now="datetime", analysts="ints"),
}


def related_stories(story, topic_ids, analyst_ids, now):
    """Return up to four published stories sharing the most topics and analysts with story, analysts counting double.

    Candidates are the RELATED_CANDIDATES newest published stories sharing something with it within
    RELATED_WINDOW either side of its publication, so the scoring never sees the whole archive.
    """
    if not topic_ids and not analyst_ids:
        return []
    moment = story.published_at
    values = {"story": story.pk, "start": moment - RELATED_WINDOW, "end": min(moment + RELATED_WINDOW, now), "now": now}
    if topic_ids:
        values["topics"] = list(topic_ids)
    if analyst_ids:
        values["analysts"] = list(analyst_ids)
    prepared = _related_by[bool(topic_ids), bool(analyst_ids)]
    return prepared(**values, shape={"candidates": RELATED_CANDIDATES})
