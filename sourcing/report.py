"""Who the stories quote and cite: the numbers behind the sourcing dashboard.

Every function here is one grouped query over the published stories of a ``Period`` (the
``Article.objects.published()`` rule, a date range and optionally one topic). Results are plain
lists of dicts (or one dict) so the dashboard, its CSV downloads and the tests read the same rows.

Counting rules, stated once:

- A *quote* is one expert-commentary entry (direct quote or paraphrase); *direct* counts only the
  direct quotes. A *story* is counted once however often it quotes or cites.
- Quotes are attributed to organizations two ways. ``quotes_by_printed_affiliation`` groups by the
  affiliation *as printed* in each story: what readers were told at the time. The organization,
  kind and country tables follow the analyst's *current* affiliation (an Organization record),
  because printed text has no kind or country; an analyst who moves is counted under the new
  organization, and the printed-affiliation table shows the history.
- Cited sources are grouped by the source's organization. A source is state media when it is
  state-controlled by the core's one rule (``Source.is_state_controlled``): its kind is
  "state-media dispatch" or its organization is state-controlled (ticked, or of the kind state media).
"""
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from articles.models import (
    Analyst,
    Article,
    Citation,
    Commentary,
    Organization,
    TaggedArticle,
    Topic,
    self_described_enabled,  # noqa: F401  (the dashboard's switch)
    state_controlled_source_q,
)

# A topic is flagged when one analyst gave more than this share of its quotes in the window...
CONCENTRATION_SHARE = Fraction(1, 3)
CONCENTRATION_DAYS = 90
# ...and the topic had at least this many quotes: two quotes out of three say nothing yet.
CONCENTRATION_MIN_QUOTES = 5
DORMANT_DAYS = 365
# Self-described groups with fewer analysts than this are folded together, never shown apart.
SELF_DESCRIBED_MIN_GROUP = 5

NO_AFFILIATION = "(no affiliation printed)"
NO_ORGANIZATION = "(no organization)"
NO_COUNTRY = "(no country)"
KIND_LABELS = dict(Organization.Kind.choices)


@dataclass(frozen=True)
class Period:
    """The stories a dashboard view counts: published between two dates (inclusive), maybe on one topic."""

    start: datetime.date
    end: datetime.date
    topic: Topic | None = None

    @classmethod
    def last_days(cls, days=90, *, topic=None, today=None):
        """Return the period of the last ``days`` days up to and including today (desk time)."""
        today = today or timezone.localdate()
        return cls(start=today - datetime.timedelta(days=days - 1), end=today, topic=topic)

    @property
    def start_at(self):
        return _midnight(self.start)

    @property
    def end_at(self):
        """The first moment after the period (midnight after ``end``, desk time)."""
        return _midnight(self.end + datetime.timedelta(days=1))

    def stories(self):
        """Return the published stories in the period (and on the topic, if one is set)."""
        qs = Article.objects.published().filter(published_at__gte=self.start_at, published_at__lt=self.end_at)
        if self.topic is not None:
            qs = qs.filter(topics=self.topic)
        return qs

    def last(self, days):
        """Return the period of ``days`` days that ends where this one ends, on the same topic."""
        return Period(start=self.end - datetime.timedelta(days=days - 1), end=self.end, topic=self.topic)


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def state_media_citation_q(prefix=""):
    """Return the Q that selects citations of state media (``prefix`` reaches Citation from elsewhere).

    The core's rule for state-controlled sources (articles.models.state_controlled_source_q), which
    readers see as labels on stories, analyst and source pages.
    """
    return state_controlled_source_q(f"{prefix}source__")


def source_is_state_media(source):
    """State the ``state_media_citation_q`` rule for one source."""
    return source.is_state_controlled


def quotes_in(period):
    """Return the commentary printed in the period's stories."""
    return Commentary.objects.filter(article__in=period.stories())


def citations_in(period):
    """Return the citations in the period's stories."""
    return Citation.objects.filter(article__in=period.stories())


def _story_ids(period):
    """Return the period's stories, selected by id from an index-only subquery.

    Joined to commentary or citations, ``period.stories()`` makes SQLite read every published row to
    test its date, and a story row carries its whole body; ``pk__in`` keeps the date test in the
    (status, published_at) index.
    """
    return Article.objects.filter(pk__in=period.stories())


def summary(period):
    """Return the period's totals: stories, stories quoting an analyst, quotes, analysts, citations.

    Three queries, one per table: counted in one, every story's quotes were joined to each of its
    citations before the distinct counts threw the copies away.
    """
    quotes = _links_in(Commentary, period).aggregate(
        stories_quoting=Count("article_id", distinct=True),
        quotes=Count("id"),
        direct_quotes=Count("id", filter=Q(is_direct_quote=True)),
        analysts=Count("analyst_id", distinct=True),
    )
    return {
        "stories": period.stories().count(),
        **quotes,
        # Citations have no index that starts with the live-from time (only (source, live-from)):
        # they are found by story.
        "citations": citations_in(period).count(),
    }


def _links_in(model, period):
    """Return the quotes of the period's stories: by the quotes' (live-from, ...) index without a topic."""
    if period.topic is None:
        return live_links(model, period.start_at, period.end_at)
    return model.objects.filter(article__in=period.stories())


def quotes_by_analyst(period):
    """Return quotes, direct quotes and stories per analyst, most-quoted first."""
    return list(
        quotes_in(period)
        .values("analyst_id")
        .annotate(
            name=F("analyst__name"),
            slug=F("analyst__slug"),
            organization=F("analyst__organization__name"),
            quotes=Count("id"),
            direct_quotes=Count("id", filter=Q(is_direct_quote=True)),
            stories=Count("article_id", distinct=True),
        )
        .order_by("-quotes", "-stories", "name", "analyst_id")
    )


def _quote_counts():
    return {
        "quotes": Count("id"),
        "stories": Count("article_id", distinct=True),
        "analysts": Count("analyst_id", distinct=True),
    }


def _citation_counts():
    return {"citations": Count("id"), "stories": Count("article_id", distinct=True)}


def _grouped(links, counts, blank, **group):
    """Return quote or citation rows counted per one grouping value, most counted first.

    ``group`` is one name=expression pair; an empty value is shown as ``blank``.
    """
    ((label, _),) = group.items()
    rows = list(links.values(**group).annotate(**counts).order_by(f"-{next(iter(counts))}", label))
    if blank is not None:
        for row in rows:
            row[label] = row[label] or blank
    return rows


def quotes_by_printed_affiliation(period):
    """Return quotes, stories and analysts per affiliation as printed in the stories."""
    return _grouped(quotes_in(period), _quote_counts(), NO_AFFILIATION, affiliation=Trim("affiliation_as_printed"))


def quotes_by_organization(period):
    """Return quotes, stories and analysts per quoted analyst's current organization."""
    rows = list(
        quotes_in(period)
        .values(organization_id=F("analyst__organization"))
        .annotate(
            name=F("analyst__organization__name"),
            kind=F("analyst__organization__kind"),
            country=F("analyst__organization__country"),
            **_quote_counts(),
        )
        .order_by("-quotes", "name")
    )
    return label_organizations(rows)


def quotes_by_kind(period):
    """Return quotes, stories and analysts per kind of the quoted analyst's current organization."""
    return label_kinds(_grouped(quotes_in(period), _quote_counts(), None, kind=F("analyst__organization__kind")))


def quotes_by_country(period):
    """Return quotes, stories and analysts per country of the quoted analyst's current organization."""
    return _grouped(quotes_in(period), _quote_counts(), NO_COUNTRY, country=F("analyst__organization__country"))


def _citation_kind():
    # State media by either rule counts as state media, whatever the organization says.
    return Case(
        When(state_media_citation_q(), then=Value(Organization.Kind.STATE_MEDIA.value)),
        default=F("source__organization__kind"),
        output_field=CharField(),
    )


def citations_by_organization(period):
    """Return citations and stories per cited source's organization."""
    rows = list(
        citations_in(period)
        .values(organization_id=F("source__organization"))
        .annotate(
            name=F("source__organization__name"),
            kind=_citation_kind(),
            country=F("source__organization__country"),
            citations=Count("id"),
            stories=Count("article_id", distinct=True),
        )
        .order_by("-citations", "name")
    )
    return label_organizations(rows)


def citations_by_kind(period):
    """Return citations and stories per kind of cited organization (state-media dispatches as state media)."""
    return label_kinds(_grouped(citations_in(period), _citation_counts(), None, kind=_citation_kind()))


def citations_by_country(period):
    """Return citations and stories per country of the cited source's organization."""
    return _grouped(citations_in(period), _citation_counts(), NO_COUNTRY, country=F("source__organization__country"))


def label_organizations(rows):
    """Give organization rows (live or summed) the names and kind labels the dashboard prints."""
    for row in rows:
        row["name"] = row["name"] or NO_ORGANIZATION
        row["kind"] = KIND_LABELS.get(row["kind"], NO_ORGANIZATION)
    return rows


def label_kinds(rows):
    for row in rows:
        row["kind_code"] = row["kind"] or ""
        row["kind"] = KIND_LABELS.get(row["kind"], NO_ORGANIZATION)
    return rows


def official_only(period):
    """Return how many of the period's stories rely only on state media, or only on one government.

    A story is *state media only* when it cites at least one source and every source it cites is
    state media. It is *single government* when it cites at least one source and every source it
    cites belongs to the same government organization (ministry, office). Quoted analysts are
    commentary, not sources, and do not change either count.
    """
    totals = official_per_story(period).aggregate(
        stories=Count("id"),
        citing=Count("id", filter=Q(n_cited__gt=0)),
        state_media_only=Count("id", filter=Q(n_cited__gt=0, n_state=F("n_cited"))),
        single_government=Count("id", filter=Q(n_cited__gt=0, n_government=F("n_cited"), n_governments=1)),
    )
    return official_totals(totals)


def official_per_story(period, **group):
    """Return one row per story of the period with its citations counted the ``official_only`` way.

    ``group``: more name=expression pairs to keep on each row (the kept summary adds the day).
    """
    government = Q(citations__source__organization__kind=Organization.Kind.GOVERNMENT) & ~state_media_citation_q(
        "citations__"
    )
    # values("id") groups by the story's id alone, not by every column of the story.
    return _story_ids(period).values("id", **group).annotate(
        n_cited=Count("citations", distinct=True),
        n_state=Count("citations", distinct=True, filter=state_media_citation_q("citations__")),
        n_government=Count("citations", distinct=True, filter=government),
        n_governments=Count("citations__source__organization", distinct=True, filter=government),
    )


def official_totals(totals):
    """Add the official-only sum and share to counted stories, citing, state-media-only and single-government."""
    totals["official_only"] = totals["state_media_only"] + totals["single_government"]
    totals["share"] = totals["official_only"] / totals["stories"] if totals["stories"] else 0.0
    return totals


def live_links(model, start_at, end_at, *, now=None):
    """Return the quotes, citations or topic links (``model``) of the stories live in [start_at, end_at).

    ``start_at`` None: from the first story.

    Each link row keeps its story's live-from time (``story_live_at``, articles/visibility.py): the
    publication time while the story has published status, else empty. "Live at ``now``, published
    in [start_at, end_at)" is then one range of the link table's (story_live_at, ...) index, and the
    stories' rows are never read: the same stories ``published()`` selects, which the dashboard's
    tests check against it.
    """
    links = model.objects.filter(story_live_at__lt=end_at, story_live_at__lte=now or timezone.now())
    return links if start_at is None else links.filter(story_live_at__gte=start_at)


def concentration(period, *, days=CONCENTRATION_DAYS, share=CONCENTRATION_SHARE, min_quotes=CONCENTRATION_MIN_QUOTES):
    """Return (topic, analyst) pairs where one analyst gave more than ``share`` of a topic's quotes.

    Counted over the ``days`` days ending on the period's last day (and only on the period's topic,
    if it has one), among topics with at least ``min_quotes`` quotes in that window. The window's
    quotes (story, analyst) and topic links (story, topic) are read from the link tables' live-from
    index and matched here: grouped in SQL, the join had to pass through every story row.
    """
    share = Fraction(share).limit_denominator(1000)
    window = period.last(days)
    now = timezone.now()
    quotes = live_links(Commentary, window.start_at, window.end_at, now=now).values_list("article_id", "analyst_id")
    links = live_links(TaggedArticle, window.start_at, window.end_at, now=now)
    if window.topic is not None:
        links = links.filter(tag=window.topic)
    topics_of = defaultdict(list)
    for story_id, topic_id in links.values_list("content_object_id", "tag_id"):
        topics_of[story_id].append(topic_id)
    pairs, totals = Counter(), Counter()
    for story_id, analyst_id in quotes:
        for topic_id in topics_of.get(story_id, ()):
            pairs[topic_id, analyst_id] += 1
            totals[topic_id] += 1
    flagged = [
        {"topic_id": topic_id, "analyst_id": analyst_id, "quotes": n, "topic_quotes": totals[topic_id]}
        for (topic_id, analyst_id), n in pairs.items()
        # quotes / topic_quotes > share, in whole numbers: no rounding decides a flag.
        if totals[topic_id] >= min_quotes and n * share.denominator > totals[topic_id] * share.numerator
    ]
    if flagged:
        topics = Topic.objects.filter(pk__in={row["topic_id"] for row in flagged}).only("name", "slug").in_bulk()
        names = dict(Analyst.objects.filter(pk__in={row["analyst_id"] for row in flagged}).values_list("pk", "name"))
        for row in flagged:
            topic = topics[row["topic_id"]]
            row.update(topic=topic.name, topic_slug=topic.slug, name=names[row["analyst_id"]])
            row["share"] = row["quotes"] / row["topic_quotes"]
    flagged.sort(key=lambda row: (-row["share"], row["topic"], row["name"]))
    return flagged


def dormant_analysts(period, *, days=DORMANT_DAYS):
    """Return analysts not quoted in the ``days`` days up to the period's end, longest silent first.

    ``last_quoted`` is the analyst's latest published quote up to the end of the period (None:
    never quoted). With a topic, only analysts once quoted on that topic are listed, by their
    latest quote on it.

    Both steps walk the quotes' live-from indexes (``live_links``): the analysts quoted recently
    are one range of (story_live_at, analyst, story), and each other analyst's latest quote is one
    step down (analyst, story_live_at), so the cost no longer grows with the archive.
    """
    now = timezone.now()
    cutoff = period.end_at - datetime.timedelta(days=days)
    quoted = live_links(Commentary, None, period.end_at, now=now)
    if period.topic is not None:
        quoted = quoted.filter(article__tagged_items__tag=period.topic)
    recent = quoted.filter(story_live_at__gte=cutoff).values("analyst_id")
    latest = quoted.filter(analyst=OuterRef("pk")).order_by("-story_live_at").values("story_live_at")[:1]
    qs = Analyst.objects.exclude(pk__in=recent).annotate(last_quoted=Subquery(latest))
    if period.topic is not None:
        qs = qs.filter(last_quoted__isnull=False)
    return list(
        qs.values("id", "name", "slug", "last_quoted", organization_name=F("organization__name"))
        .order_by(F("last_quoted").asc(nulls_first=True), "name")
    )


def self_described_counts(period, *, min_group=SELF_DESCRIBED_MIN_GROUP):
    """Return how many quoted analysts give each self-described gender, with their quotes. Aggregate only.

    Descriptions are compared case-insensitively. Any group of fewer than ``min_group`` analysts
    (and "not recorded", if small) is folded into one "fewer than N each" row, so a rare answer can
    never point to a person; if that row itself has fewer than ``min_group`` analysts its numbers
    are withheld (None).
    """
    rows = list(
        quotes_in(period)
        .values(description=Lower(Trim("analyst__self_described_gender")))
        .annotate(analysts=Count("analyst_id", distinct=True), quotes=Count("id"))
        .order_by("-analysts", "description")
    )
    return fold_self_described(rows, min_group=min_group)


def fold_self_described(rows, *, min_group=SELF_DESCRIBED_MIN_GROUP):
    """Fold the (description, analysts, quotes) rows of groups under ``min_group`` analysts into one row."""
    shown, folded = [], {"description": f"Groups of fewer than {min_group} (combined)", "analysts": 0, "quotes": 0}
    for row in rows:
        if row["analysts"] >= min_group:
            row["description"] = row["description"] or "(not recorded)"
            shown.append(row)
        else:
            folded["analysts"] += row["analysts"]
            folded["quotes"] += row["quotes"]
    if folded["analysts"]:
        if folded["analysts"] < min_group:
            folded["analysts"] = folded["quotes"] = None
        shown.append(folded)
    return shown
