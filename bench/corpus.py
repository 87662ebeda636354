"""A synthetic, clearly fictional corpus at a real desk's proportions, for benchmarks and load tests.

Every place, person, organization and event here is invented (Freedonia, Sylvania, analysts named
"Aurelia Quillwhistle"). Rows go in with ``bulk_create`` in batches and skip ``save()``: slugs and
sanitized bodies are computed here, and no simple-history rows are written for generated data.
Everything is drawn from one ``random.Random(seed)``; times are offsets from ``now``, so the same
seed and the same ``now`` give the same corpus, row for row.
"""
import contextlib
import functools
import io
import itertools
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.text import slugify

from articles.models import (
    Analyst,
    Article,
    Byline,
    Citation,
    Commentary,
    Organization,
    Source,
    TaggedArticle,
    Topic,
)
from articles.planner import forget_statistics, refresh_statistics
from counts import analysts as analyst_counts
from counts import queries as count_queries
from counts.kept import new_version
from counts.models import AnalystCounts, TopicCounts
from photos import services as photo_services
from photos.models import LeadImage, Photo
from sourcing import summary as sourcing_summary
from sourcing.models import SummaryBucket, SummaryRow

# Proportions of a desk at 100,000 stories; smaller and larger corpora scale from these.
PER_100K = {"topics": 500, "analysts": 5_000, "organizations": 250, "sources": 1_000}
# At least one organization of every kind in every country, however small the corpus.
MIN_ORGANIZATIONS = 7 * 24
COMMENTARY_PER_STORY = 3.0
CITATIONS_PER_STORY = 2.0
# Share of stories in each state; the rest are published and visible.
STATE_SHARES = [
    ("draft", 0.02),
    ("in_review", 0.01),
    ("scheduled", 0.01),
    ("archived", 0.01),
]
YEARS_OF_ARCHIVE = 8
# Stories with a lead picture, and the pictures: a small pool of drawn shapes shared by them all, so
# the benchmark renders teasers with pictures without drawing (and rendering) 70,000 of them.
PICTURED_SHARE = 0.7
PICTURES = 8
PICTURE_PREFIX = "corpus-picture-"
REPORTERS = 30
USERNAME_PREFIX = "corpus-reporter-"

PLACES = [
    ("Freedonia", "FREEDONIA CITY"), ("Sylvania", "SYLVAN PORT"), ("Ruritania", "STRELSAU"),
    ("Grand Fenwick", "FENWICK"), ("Elbonia", "MUDVILLE"), ("Genovia", "PYRUS"),
    ("Latveria", "DOOMSTADT"), ("Borduria", "SZOHOD"), ("Syldavia", "KLOW"),
    ("Zubrowka", "NEBELSBAD"), ("Markovia", "NOVI GRAD"), ("Orsinia", "KRASNOY"),
    ("Kravonia", "SLAVNA"), ("Graustark", "EDELWEISS"), ("Vulgaria", "VULGARIA CITY"),
    ("Molvania", "LUTENBLAG"), ("Pottsylvania", "POTTSBURG"), ("Carpania", "CARPA"),
    ("Osterlich", "OSTERBURG"), ("Tomainia", "TOMAIN"), ("Novistrana", "NOVISTRAN"),
    ("Qumar", "QUMAR BAY"), ("Florin", "FLORIN CITY"), ("Guilder", "GUILDER HARBOUR"),
]
CAPITALS = dict(PLACES)
HANGUL_PLACES = {"Freedonia": "프리도니아", "Sylvania": "실바니아", "Ruritania": "루리타니아", "Genovia": "제노비아"}
THEMES = [
    "nuclear talks", "trade", "fisheries dispute", "border crossings", "elections", "sanctions",
    "energy", "alliance politics", "food security", "cyber operations", "diaspora", "human rights",
    "military drills", "central bank", "tourism", "space programme", "refugees", "shipping lanes",
    "succession", "propaganda", "rail links", "water rights", "semiconductors", "cheese exports",
]
HANGUL_THEMES = {"trade": "무역", "sanctions": "제재", "elections": "선거", "nuclear talks": "핵 협상"}
GIVEN_NAMES = [
    "Aurelia", "Bartholomew", "Cressida", "Dorian", "Esmeralda", "Fitzwilliam", "Gwendolyn", "Horatio",
    "Isolde", "Jasper", "Kestrel", "Lysander", "Marigold", "Nestor", "Ophelia", "Percival", "Quintessa",
    "Rosalind", "Sebastian", "Tamsin", "Ulysses", "Verity", "Wilhelmina", "Xanthe", "Yorick", "Zephyrine",
    "Alaric", "Briony", "Cosmo", "Delphine", "Evander", "Fenella", "Gideon", "Hermione", "Ignatius",
    "Juniper", "Leopold", "Mirabel", "Octavian", "Petronella", "Rufus", "Seraphina", "Thaddeus",
    "Ursula", "Valentin", "Wendeline", "Ambrose", "Clementine", "Erasmus", "Ottoline",
]
SURNAME_HEADS = [
    "Quill", "Ink", "Thistle", "Moth", "Bramble", "Fiddle", "Pudding", "Wobble", "Crumple", "Gloam",
    "Sparrow", "Puddle", "Lark", "Nettle", "Tumble", "Wisp", "Marrow", "Bumble", "Copper", "Fennel",
]
SURNAME_TAILS = [
    "whistle", "feather", "waite", "wick", "cott", "sworth", "stone", "ton", "horn", "gate",
    "by", "more", "field", "bottom",
]
ANALYST_TITLES = [
    "senior fellow", "professor", "research director", "visiting scholar", "former ambassador",
    "chief economist", "associate professor", "programme director", "lecturer", "senior analyst",
]
ORG_TEMPLATES = {
    Organization.Kind.GOVERNMENT: ["{p} Ministry of Foreign Affairs", "{p} Ministry of Defence",
                                   "{p} Ministry of Trade", "{p} Ministry of Unlikely Affairs"],
    Organization.Kind.STATE_MEDIA: ["{p} Central News Agency", "Voice of {p}", "{p} Broadcasting Corporation",
                                    "{p} People's Gazette"],
    Organization.Kind.THINK_TANK: ["{p} Institute for Imaginary Strategy", "Centre for {p} Studies",
                                   "{p} Council on Hypothetical Affairs", "{p} Policy Forum"],
    Organization.Kind.UNIVERSITY: ["University of {c}", "{p} Polytechnic", "{c} Institute of Technology",
                                   "{p} National University"],
    Organization.Kind.NEWS_AGENCY: ["{p} Press Association", "{p} Wire Service", "{c} Daily Dispatch",
                                    "{p} News Network"],
    Organization.Kind.NGO: ["{p} Watch", "Friends of {p}", "{p} Refugee Council", "{p} Transparency League"],
    Organization.Kind.OTHER: ["{p} Chamber of Commerce", "{c} Stock Exchange", "{p} Shipping Federation",
                              "{p} Cheesemakers' Guild"],
}
SOURCE_TEMPLATES = {
    Source.Kind.STATEMENT: (Organization.Kind.THINK_TANK, "Statement by the {o} on {t}"),
    Source.Kind.STATE_MEDIA: (Organization.Kind.STATE_MEDIA, "{o} dispatch on {t}"),
    Source.Kind.OFFICIAL: (Organization.Kind.GOVERNMENT, "Spokesperson of the {o} on {t}"),
    Source.Kind.DOCUMENT: (Organization.Kind.GOVERNMENT, "{o} white paper on {t}"),
    Source.Kind.WIRE: (Organization.Kind.NEWS_AGENCY, "{o} report on {t}"),
}
HEADLINES = [
    "{a} and {b} trade barbs over {t}",
    "{a} signals shift on {t} as {b} watches",
    "Analysts split on {a}'s {t} gamble",
    "{a} rejects {b} overture on {t}",
    "What {a}'s new line on {t} means for {b}",
    "{a} and {b} resume {t} contacts after long freeze",
    "{b} warns {a} over {t}",
    "Inside {a}'s quiet rethink of {t}",
    "{a} unveils {t} plan; {b} is unimpressed",
    "Why {t} keeps {a} and {b} apart",
]
HEADLINE_TAILS = [
    "", "", "", " as deadline nears", " amid protests in {c}", " after summit in {c}", " as {b} hedges",
    ", officials say", " ahead of vote", " despite warnings",
]
DEKS = [
    "The move by {a} on {t} tests a fragile understanding with {b}, analysts say.",
    "Officials in {a} framed the step as routine; observers in {b} read it otherwise.",
    "A week of statements on {t} leaves both capitals where they started.",
    "The decision on {t} could shape {a}'s relations with {b} for years, experts say.",
]
SENTENCES = [
    "Officials in {a} said the decision on {t} had been taken after months of review.",
    "The statement, carried by state media in {b}, made no mention of {t}.",
    "Diplomats in {a} described the exchange as frank but unproductive.",
    "Markets in {b} barely moved on the news, a sign that traders had expected it.",
    "The ministry in {a} declined to say when talks on {t} might resume.",
    "A spokesperson for {b} called the proposal on {t} premature.",
    "Residents of {c} have heard such promises on {t} before.",
    "The announcement came a day after {b} held its own briefing on {t}.",
    "Neither side published the full text of the agreement on {t}.",
    "Lawmakers in {a} are expected to debate the measure next month.",
    "The last round of talks between {a} and {b} collapsed over {t}.",
    "Satellite imagery reviewed by independent researchers suggested little had changed in {c}.",
]
QUOTES = [
    "{a} is speaking to an audience at home as much as to {b}",
    "Nobody in {b} expected a breakthrough on {t} this year",
    "The language on {t} is softer than it looks, and that matters",
    "{a} wants to be seen as the reasonable party without conceding anything",
    "This is a holding pattern, not a turning point, for {t}",
    "If {b} responds in kind, {t} could become the next flashpoint",
    "The real audience for this statement is in {c}",
    "We have seen this cycle on {t} before, and it rarely ends in a deal",
]
TAKEN = [
    "Said talks on {t} would continue at a working level.",
    "Described the proposal from {b} as unacceptable.",
    "Gave the figures on {t} cited in the fourth paragraph.",
    "Confirmed the meeting took place in {c}.",
    "Denied that {a} had changed its position on {t}.",
]


def scaled(stories, name):
    """Return the default count of a cast member (topics, analysts, ...) for a corpus of this size."""
    return max(10, round(PER_100K[name] * stories / 100_000))


@dataclass
class CorpusSpec:
    """What to generate. Counts left as None follow the proportions of a desk at 100,000 stories."""

    stories: int
    seed: int = 1
    topics: int | None = None
    analysts: int | None = None
    organizations: int | None = None
    sources: int | None = None
    commentary: int | None = None
    citations: int | None = None
    topics_per_story: int = 3
    now: datetime | None = None
    batch_size: int = 1_000
    counts: dict = field(default_factory=dict)

    def __post_init__(self):
        for name in PER_100K:
            if getattr(self, name) is None:
                setattr(self, name, scaled(self.stories, name))
        self.organizations = max(self.organizations, MIN_ORGANIZATIONS)
        if self.commentary is None:
            self.commentary = round(self.stories * COMMENTARY_PER_STORY)
        if self.citations is None:
            self.citations = round(self.stories * CITATIONS_PER_STORY)
        if self.now is None:
            self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.topics_per_story = min(self.topics_per_story, self.topics)


def zipf_cum_weights(n, exponent=1.0):
    """Cumulative weights of a Zipf-like long tail: rank r is drawn in proportion to 1 / r**exponent."""
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, n + 1)))


def binomial(rng, trials, p):
    return sum(rng.random() < p for _ in range(trials))


def spread(rng, mean):
    """Return a per-story count with the given mean (a binomial around it), so totals land on target."""
    trials = max(1, math.ceil(mean * 2))
    return binomial(rng, trials, mean / trials) if mean > 0 else 0


class CorpusGenerator:
    """Fill the database with the corpus a CorpusSpec describes. Call run() inside a transaction."""

    def __init__(self, spec, *, progress=None):
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.progress = progress  # callable(n) called as stories are written
        self.counts = {}

    # --- the cast: places, topics, organizations, analysts, sources, reporters ---------------------

    def run(self):
        if connection.vendor == "sqlite":
            # SQLite's default 2 MB page cache thrashes once the indexes outgrow it (about 15,000 stories
            # in); 256 MB keeps them in memory for this connection only. Peak memory stays far below 1 GB.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
            # Statistics of a smaller database mislead SQLite through the load; gathered afresh at the end.
            forget_statistics(connection.alias)
        self.make_topics()
        self.make_organizations()
        self.make_analysts()
        self.make_sources()
        self.make_reporters()
        self.make_pictures()
        with indexes_deferred():
            self.make_stories()
        reset_sequences()
        analyze()
        # The analysts' and topics' page counts, as every write keeps them (bulk rows send no signals).
        keep_counts(timezone.now())
        analyze([AnalystCounts, TopicCounts])  # filled only now: their statistics too, or the planner joins them blind
        # The sourcing dashboard's kept summary: every day, month and year that has ended, as the refresh
        # command counts them (the same queries the dashboard would run live).
        self.counts["summary_buckets"] = sourcing_summary.refresh(force=True)
        analyze([SummaryBucket, SummaryRow])
        return self.counts

    def make_topics(self):
        rng = self.rng
        candidates = []
        for (a, _), (b, _) in itertools.combinations(PLACES, 2):
            candidates.append((f"{a}-{b} relations", a, b, "relations"))
        for n, (place, _) in enumerate(PLACES):
            neighbour = PLACES[(n + 1) % len(PLACES)][0]
            candidates.extend((f"{place} {theme}", place, neighbour, theme) for theme in THEMES)
        rng.shuffle(candidates)
        # A few Hangul topics, so non-Latin slugs are exercised at scale too.
        hangul = [
            (f"{HANGUL_PLACES[p]} {HANGUL_THEMES[t]}", p, "Sylvania" if p != "Sylvania" else "Freedonia", t)
            for p, t in itertools.product(HANGUL_PLACES, HANGUL_THEMES)
        ]
        for i, item in enumerate(hangul):
            candidates.insert(min(len(candidates), 7 + i * 37), item)
        wanted = self.spec.topics
        rows, n = [], 0
        while len(rows) < wanted:
            name, a, b, theme = candidates[n % len(candidates)]
            if n >= len(candidates):
                name = f"{name} ({n // len(candidates) + 1})"
            rows.append((name, a, b, theme))
            n += 1
        objs = [
            Topic(
                name=name, slug=slugify(name, allow_unicode=True)[:100],
                description=f"Fictional coverage of {theme} involving {a} and {b}.",
            )
            for name, a, b, theme in rows
        ]
        ids = self.create_missing(Topic, objs, key="name")
        # Rank order is the shuffled order: the first topics are the busiest.
        self.topics = [(ids[obj.name], a, b, theme) for obj, (_, a, b, theme) in zip(objs, rows, strict=True)]
        self.topic_weights = zipf_cum_weights(len(self.topics), 1.0)
        self.counts["topics"] = len(self.topics)

    def make_organizations(self):
        kinds = list(ORG_TEMPLATES)
        objs, names = [], set()
        for i in range(self.spec.organizations):
            # 7 kinds and 24 countries are coprime, so every kind meets every country.
            kind = kinds[i % len(kinds)]
            place, capital = PLACES[i % len(PLACES)]
            template = ORG_TEMPLATES[kind][(i // (len(kinds) * len(PLACES))) % len(ORG_TEMPLATES[kind])]
            name = template.format(p=place, c=capital.title())
            if name in names:
                name = f"{name} ({i})"
            names.add(name)
            objs.append(Organization(
                name=name, slug=slugify(name)[:200], kind=kind, country=place,
                url=f"https://example.org/{slugify(name)}",
            ))
        ids = self.create_missing(Organization, objs, key="name")
        self.organizations = [(ids[o.name], o.name, o.kind, o.country) for o in objs]
        self.orgs_by_kind = {}
        for org in self.organizations:
            self.orgs_by_kind.setdefault(org[2], []).append(org)
        self.counts["organizations"] = len(objs)

    def person_names(self, count):
        surnames = [h + t for h, t in itertools.product(SURNAME_HEADS, SURNAME_TAILS)]
        pairs = list(itertools.product(GIVEN_NAMES, surnames))
        self.rng.shuffle(pairs)
        for i in range(count):
            given, surname = pairs[i % len(pairs)]
            initial = "" if i < len(pairs) else f" {chr(ord('A') + (i // len(pairs)) % 26)}."
            yield f"{given}{initial} {surname}"

    def make_analysts(self):
        rng = self.rng
        scholarly = (Organization.Kind.THINK_TANK, Organization.Kind.UNIVERSITY)
        academic = [o for o in self.organizations if o[2] in scholarly] or self.organizations
        objs, details = [], []
        for name in self.person_names(self.spec.analysts):
            org = rng.choice(academic)
            title = rng.choice(ANALYST_TITLES)
            # One in five analysts moved: stories before the move print the old title and affiliation.
            former = (rng.choice(academic), rng.choice(ANALYST_TITLES), rng.random()) if rng.random() < 0.2 else None
            objs.append(Analyst(
                name=name, slug=slugify(name)[:200], title=title, organization_id=org[0],
                bio=f"{name} is a fictional {title} at the {org[1]}, invented for load testing.",
            ))
            details.append((org, title, former))
        ids = self.create_missing(Analyst, objs, key="slug")
        self.analysts = [(ids[o.slug], o.name, d) for o, d in zip(objs, details, strict=True)]
        self.analyst_weights = zipf_cum_weights(len(self.analysts), 0.9)
        self.counts["analysts"] = len(objs)

    def make_sources(self):
        rng = self.rng
        kinds = list(SOURCE_TEMPLATES)
        objs, slugs = [], set()
        for i in range(self.spec.sources):
            kind = kinds[i % len(kinds)]
            org_kind, template = SOURCE_TEMPLATES[kind]
            org = rng.choice(self.orgs_by_kind.get(org_kind) or self.organizations)
            name = template.format(o=org[1], t=rng.choice(THEMES))
            slug = slugify(name)[:190]
            if slug in slugs:
                slug = f"{slug}-{i}"
            slugs.add(slug)
            objs.append(Source(
                name=name, slug=slug, kind=kind, organization_id=org[0],
                url=f"https://example.org/sources/{slug}",
                description=f"A fictional {Source.Kind(kind).label.lower()} invented for load testing.",
            ))
        ids = self.create_missing(Source, objs, key="slug")
        self.sources = [(ids[o.slug], o.name) for o in objs]
        self.source_weights = zipf_cum_weights(len(self.sources), 0.8)
        self.counts["sources"] = len(objs)

    def make_reporters(self):
        User = get_user_model()
        self.reporters = []
        for n, name in enumerate(self.person_names(REPORTERS), start=1):
            first, last = name.rsplit(" ", 1)
            user, created = User.objects.get_or_create(
                username=f"{USERNAME_PREFIX}{n:02d}",
                defaults={"first_name": first, "last_name": last, "email": f"reporter{n}@newsroom.example"},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            self.reporters.append(user.pk)

    def create_missing(self, model, objs, *, key):
        """Insert the objects whose key is not in the table yet; return {key: pk} for all of them."""
        keys = [getattr(o, key) for o in objs]
        existing = {}
        for start in range(0, len(keys), 500):
            existing.update(model.objects.filter(**{f"{key}__in": keys[start:start + 500]}).values_list(key, "pk"))
        model.objects.bulk_create([o for o in objs if getattr(o, key) not in existing], batch_size=500)
        for start in range(0, len(keys), 500):
            existing.update(model.objects.filter(**{f"{key}__in": keys[start:start + 500]}).values_list(key, "pk"))
        return existing

    # --- stories ---------------------------------------------------------------------------------

    def make_pictures(self):
        """Add the pool of synthetic pictures to the library (reused by --append), with their renditions."""
        pool = Photo.objects.filter(original_filename__startswith=PICTURE_PREFIX).order_by("pk")
        self.pictures = list(pool.values_list("pk", flat=True))
        # A small corpus (a test's) needs only a couple: each costs half a second of renditions.
        for n in range(len(self.pictures), min(PICTURES, max(2, self.spec.stories // 50))):
            upload = SimpleUploadedFile(f"{PICTURE_PREFIX}{n:02d}.jpg", draw_picture(n, self.spec.seed))
            photo = photo_services.photo_add(upload=upload, defaults={
                "credit": "Corpus generator", "copyright_holder": "Newsroom benchmark", "source": Photo.Source.STAFF,
            }).photo
            photo.alt_text = f"Coloured shapes on a plain ground: synthetic test picture {n + 1}, showing nothing real."
            photo.caption = f"Synthetic picture {n + 1} of the benchmark corpus."
            photo.save()
            self.pictures.append(photo.pk)
        self.counts["pictures"] = len(self.pictures)

    def make_stories(self):
        spec, rng = self.spec, self.rng
        # A generator of its own, so adding pictures left every other draw (and the corpus) as it was.
        picture_rng = random.Random(spec.seed * 7919 + 27)
        start_id = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.used_slugs = set(Article.objects.values_list("slug", flat=True)) if start_id > 1 else set()
        self.next_suffix = {}
        counts = {"stories": 0, "published": 0, "draft": 0, "in_review": 0, "scheduled": 0, "archived": 0,
                  "tagged": 0, "commentary": 0, "citations": 0, "bylines": 0}
        commentary_mean = spec.commentary / spec.stories
        citation_mean = spec.citations / spec.stories
        span = timedelta(days=365 * YEARS_OF_ARCHIVE).total_seconds()
        first_time = spec.now - timedelta(seconds=span)
        state_bounds = list(itertools.accumulate(share for _, share in STATE_SHARES))
        topic_ids = [t[0] for t in self.topics]
        topics_by_id = {t[0]: t for t in self.topics}
        analyst_idx = range(len(self.analysts))
        source_idx = range(len(self.sources))
        kinds, kind_weights = Article.Kind.values, list(itertools.accumulate([70, 22, 8]))

        article_rows = RowWriter(Article, [
            "id", "headline", "slug", "dek", "dateline", "credit", "body", "kind", "status",
            "published_at", "revised_at", "created_at", "updated_at", "search_document",
        ])
        # Links, quotes and citations carry their story's live-from time (articles/visibility.py), written here
        # with the row.
        tagged_rows = RowWriter(TaggedArticle, ["content_object", "tag", "story_live_at"])
        commentary_rows = RowWriter(Commentary, [
            "article", "analyst", "text", "is_direct_quote", "title_as_printed", "affiliation_as_printed", "sort_order",
            "story_live_at",
        ])
        citation_rows = RowWriter(Citation, ["article", "source", "use", "taken", "url", "sort_order", "story_live_at"])
        byline_rows = RowWriter(Byline, ["article", "author", "sort_order"])
        picture_rows = RowWriter(LeadImage, ["article", "photo", "caption", "alt_text", "updated_at"])

        for chunk_start in range(0, spec.stories, spec.batch_size):
            chunk = range(chunk_start, min(spec.stories, chunk_start + spec.batch_size))
            for i in chunk:
                pk = start_id + i
                # Stories arrive in time order, as a desk files them; ids grow with publication time.
                filed_at = first_time + timedelta(seconds=span * (i + rng.random()) / spec.stories)
                published_at = filed_at
                draw = rng.random()
                state = next((s for (s, _), b in zip(STATE_SHARES, state_bounds, strict=True) if draw < b), "published")
                status = Article.Status.PUBLISHED
                if state in ("draft", "in_review"):
                    status = state
                    published_at = None if rng.random() < 0.5 else published_at
                elif state == "scheduled":
                    published_at = spec.now + timedelta(hours=1 + rng.random() * 24 * 60)
                elif state == "archived":
                    status = Article.Status.ARCHIVED
                counts[state] += 1
                # Article.live_from's rule, restated for plain tuples (no model instances in this loop).
                live_from = published_at if status == Article.Status.PUBLISHED else None

                story_topics = self.pick_distinct(topic_ids, self.topic_weights, spec.topics_per_story)
                _, a, b, theme = topics_by_id[story_topics[0]]
                if rng.random() < 0.5 and theme != "relations":
                    b = rng.choice(PLACES)[0]
                b = b if b != a else "Sylvania" if a != "Sylvania" else "Freedonia"
                words = {"a": a, "b": b, "t": theme, "c": CAPITALS[a].title()}
                headline = rng.choice(HEADLINES).format(**words) + rng.choice(HEADLINE_TAILS).format(**words)
                headline = headline[0].upper() + headline[1:]
                dek = rng.choice(DEKS).format(**words)
                paragraphs = [
                    " ".join(rng.choice(SENTENCES).format(**words) for _ in range(rng.randint(2, 4)))
                    for _ in range(rng.randint(5, 9))
                ]

                quoted = self.pick_distinct(analyst_idx, self.analyst_weights, spread(rng, commentary_mean))
                names, quotes = [], []
                for order, idx in enumerate(quoted):
                    analyst_id, name, (org, title, former) = self.analysts[idx]
                    if former and (filed_at - first_time).total_seconds() < span * former[2]:
                        org, title = former[0], former[1]
                    text = rng.choice(QUOTES).format(**words)
                    names.append(name)
                    quotes.append(text)
                    commentary_rows.add(pk, analyst_id, text, rng.random() < 0.75, title, org[1], order, live_from)
                    # Weave the quote into the body, as a story would print it.
                    at = min(len(paragraphs) - 1, 1 + order * 2)
                    paragraphs[at] += f" “{text},” said {name}, {title} at the {org[1]}."

                cited = self.pick_distinct(source_idx, self.source_weights, spread(rng, citation_mean))
                for order, idx in enumerate(cited):
                    use = Citation.Use.QUOTE if rng.random() < 0.4 else Citation.Use.SUMMARY
                    url = f"https://example.org/items/{pk}-{order}" if rng.random() < 0.3 else ""
                    citation_rows.add(
                        pk, self.sources[idx][0], use, rng.choice(TAKEN).format(**words), url, order, live_from,
                    )

                n_bylines = 0 if rng.random() < 0.15 else (2 if rng.random() < 0.18 else 1)
                for order, author in enumerate(rng.sample(self.reporters, n_bylines)):
                    byline_rows.add(pk, author, order)
                for topic_id in story_topics:
                    tagged_rows.add(pk, topic_id, live_from)
                if self.pictures and picture_rng.random() < PICTURED_SHARE:
                    picture_rows.add(pk, picture_rng.choice(self.pictures), "", "", spec.now)

                revised_at = None
                if state == "published" and rng.random() < 0.05:
                    revised_at = min(spec.now, published_at + timedelta(hours=rng.randint(1, 48)))
                # The text is plain words from the templates above, so this HTML is already what
                # clean_html() would store (a test checks it); no sanitizer pass per story needed.
                body = "".join(f"<p>{p}</p>" for p in paragraphs)
                article_rows.add(
                    pk, headline, self.unique_slug(slugify(headline)[:180]), dek, CAPITALS[a],
                    "Newsroom desk" if n_bylines == 0 else "", body,
                    rng.choices(kinds, cum_weights=kind_weights)[0], status, published_at, revised_at,
                    filed_at - timedelta(hours=2), revised_at or filed_at,
                    "\n".join([headline, dek, *paragraphs, *names, *quotes]),
                )

            counts["stories"] += len(article_rows)
            counts["tagged"] += len(tagged_rows)
            counts["commentary"] += len(commentary_rows)
            counts["citations"] += len(citation_rows)
            counts["bylines"] += len(byline_rows)
            counts["pictured"] = counts.get("pictured", 0) + len(picture_rows)
            for writer in (article_rows, tagged_rows, commentary_rows, citation_rows, byline_rows, picture_rows):
                writer.flush()
            if self.progress:
                self.progress(len(chunk))
        self.counts.update(counts)

    def pick_distinct(self, population, cum_weights, k):
        """Draw k distinct members, each in proportion to its weight (the long tail stays long)."""
        k = min(k, len(population))
        chosen = []
        while len(chosen) < k:
            for item in self.rng.choices(population, cum_weights=cum_weights, k=k - len(chosen)):
                if item not in chosen:
                    chosen.append(item)
        return chosen[:k]

    def unique_slug(self, base):
        """Return base, or base-2, base-3, ... as Article.save() would, without a query per story."""
        base = base.strip("-") or "story"
        candidate, n = base, self.next_suffix.get(base, 2)
        while candidate in self.used_slugs:
            candidate, n = f"{base}-{n}", n + 1
        self.next_suffix[base] = n
        self.used_slugs.add(candidate)
        return candidate


def draw_picture(n, seed=1, size=(960, 600)):
    """Return JPEG bytes of a synthetic picture: coloured shapes on a plain ground, the same for the same n and seed."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed * 1000 + n)
    ground = tuple(rng.randint(150, 235) for _ in range(3))
    image = Image.new("RGB", size, ground)
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(7):
        colour = tuple(rng.randint(20, 200) for _ in range(3))
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(45, 200)
        shape = rng.choice(("ellipse", "rectangle", "triangle"))
        if shape == "ellipse":
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        elif shape == "rectangle":
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
        else:
            draw.polygon([(x, y - r), (x + r, y + r), (x - r, y + r)], fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class RowWriter:
    """Buffer rows for one table and insert them (executemany on SQLite, COPY on PostgreSQL).

    Building 900,000 model objects for bulk_create costs more than generating the corpus; plain
    tuples in column order cost almost nothing. Columns not given get the field's default, appended
    to each row as one constant tuple.
    """

    def __init__(self, model, names):
        self.rows = []
        quote = connection.ops.quote_name
        given = {name: index for index, name in enumerate(names)}
        columns, default_columns, defaults, self.datetimes = [None] * len(names), [], [], []
        for f in model._meta.concrete_fields:
            index = given.get(f.name, given.get(f.attname))
            if index is None:
                if not f.primary_key:
                    default_columns.append(quote(f.column))
                    defaults.append(f.get_db_prep_save(f.get_default(), connection))
                continue
            columns[index] = quote(f.column)
            if f.get_internal_type() == "DateTimeField":
                self.datetimes.append(index)
        if None in columns:
            raise ValueError(f"{model.__name__} has no field {names[columns.index(None)]!r}")
        columns += default_columns
        self.defaults = tuple(defaults)
        # A story's live-from time recurs in every one of its link rows: adapt each time once.
        self.adapt = functools.lru_cache(maxsize=256)(connection.ops.adapt_datetimefield_value)
        table = quote(model._meta.db_table)
        # Table and column names come from the model, quoted by the backend; values are parameters.
        placeholders = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        self.copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"

    def add(self, *values):
        self.rows.append(values)

    def __len__(self):
        return len(self.rows)

    def flush(self):
        if not self.rows:
            return
        defaults, datetimes, adapt = self.defaults, self.datetimes, self.adapt
        if datetimes:
            rows = []
            for values in self.rows:
                row = list(values)
                for index in datetimes:
                    row[index] = adapt(row[index])
                row.extend(defaults)
                rows.append(row)
        else:
            rows = [values + defaults for values in self.rows]
        self.rows = []
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.executemany(self.sql, rows)  # in-process: no round trips to save
            else:
                # PostgreSQL: COPY streams the rows in one command, with no per-row round trip or parsing.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)


# The tables the story loop fills, a row or more per story: their secondary indexes (and on
# PostgreSQL their foreign keys) are built once after the load instead of entry by entry.
STORY_MODELS = (Article, Commentary, Citation, TaggedArticle, Byline, LeadImage)


@contextlib.contextmanager
def indexes_deferred(models=STORY_MODELS):
    """Drop the tables' secondary indexes (PostgreSQL: and foreign keys) for the load; build each once after.

    Inserting in id order appends to each table, but every secondary index (a quote's analyst, a
    link's topic, the full-text and trigram GIN indexes) takes its entries in random order: past the
    cache, each is a page read. Measured with the indexes kept: 1,000,000 stories on SQLite went
    in at 1,700 stories/s at first and 260-370 past 190,000 (over 40 minutes in all); PostgreSQL's
    COPY at 3,000 stories took 7.6 s with the GIN indexes kept, 1.0 s without. One CREATE INDEX
    sorts the loaded rows instead. The definitions are
    read back from the catalog, so the rebuilt indexes and constraints are exactly the migrated ones
    (a test compares them); re-adding a foreign key checks every row in one join. Indexes that back a
    primary key or a unique constraint stay. Call it inside a transaction: a failed load then leaves
    everything as it was. Other writers to these tables wait for the transaction, fine for a corpus tool.
    """
    tables = [model._meta.db_table for model in models]
    quote = connection.ops.quote_name
    indexes, foreign_keys = [], []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # sql is NULL for the indexes of PRIMARY KEY and UNIQUE columns, which cannot be dropped.
            placeholders = ", ".join(["%s"] * len(tables))
            sql = f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({placeholders})"  # noqa: S608
            cursor.execute(f"{sql} AND sql IS NOT NULL ORDER BY name", tables)
            indexes = cursor.fetchall()
        elif connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(
                    "SELECT index_class.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class index_class ON index_class.oid = i.indexrelid "
                    "WHERE i.indrelid = %s::regclass AND NOT EXISTS ("
                    "  SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid"
                    "  AND c.contype IN ('p', 'u', 'x')) ORDER BY 1",
                    [quote(table)],
                )
                indexes += cursor.fetchall()
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY 1",
                    [quote(table)],
                )
                foreign_keys += [(table, name, definition) for name, definition in cursor.fetchall()]
        if foreign_keys:
            # ALTER TABLE refuses a table with deferred foreign-key checks pending (the cast's rows,
            # and the tables these keys point at): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # CREATE INDEX and ALTER TABLE refuse a table with deferred foreign-key checks pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def keep_counts(now):
    """Keep every analyst's and topic's page counts at `now`, as counts/ would count them one by one.

    counts.analysts.refresh() spends three queries per analyst: 150,000 at 1,000,000 stories, a
    third of the generation. This reads the quotes once, in their (analyst, live-from, story)
    index's order, and the topic links once, and applies the same rules as counts/queries.py (a
    test compares every row with counts.analysts.count() and counts.topics.count()). The links'
    topics are held as one small tuple per story: about 150 MB at 1,000,000 stories.
    """
    cap, latest_stories = count_queries.COUNT_CAP + 1, analyst_counts.TOPIC_STORIES
    topics_of = {}
    links = TaggedArticle.objects.order_by().values_list("content_object_id", "tag_id")
    for story, topic in links.iterator(chunk_size=20_000):
        topics_of[story] = (*topics_of.get(story, ()), topic)

    def analyst_row(analyst_id, quotes):
        # quotes: (live-from, story) newest first, as live_quotes(...).newest_first() reads them.
        live = [quote for quote in quotes if quote[0] <= now]
        later = [when for when, _ in quotes if when > now]
        stories = len(set(live))  # distinct (live-from, story) pairs, as _analyst_count()
        topics = []
        if stories:
            counted = Counter(topic for _, story in live[:latest_stories] for topic in topics_of.get(story, ()))
            topics = count_queries.leading_topics(counted.most_common(), limit=analyst_counts.TOPICS_SHOWN)
        return AnalystCounts(
            analyst_id=analyst_id, version=new_version(), current=True, computed_at=now,
            story_count=min(stories, cap), first_quoted=live[-1][0] if live else None,
            last_quoted=live[0][0] if live else None, topic_counts=[list(pair) for pair in topics],
            valid_until=min(later) if later else None,
        )

    quotes = (
        Commentary.objects.filter(story_live_at__isnull=False)
        .order_by("analyst_id", "-story_live_at", "-article_id")
        .values_list("analyst_id", "story_live_at", "article_id")
    )
    rows, seen = [], set()
    for analyst_id, group in itertools.groupby(quotes.iterator(chunk_size=20_000), key=itemgetter(0)):
        rows.append(analyst_row(analyst_id, [(when, story) for _, when, story in group]))
        seen.add(analyst_id)
        if len(rows) >= 2_000:
            save_counts(AnalystCounts, rows)
    rows += [analyst_row(pk, []) for pk in Analyst.objects.values_list("pk", flat=True) if pk not in seen]
    save_counts(AnalystCounts, rows)
    topics_of.clear()

    # One row per (story, topic) (unique_topic_per_story): counting link rows counts stories.
    per_topic = {
        topic: (live, later) for topic, live, later in
        TaggedArticle.objects.order_by().values("tag_id")
        .annotate(live=Count("pk", filter=Q(story_live_at__lte=now)),
                  later=Min("story_live_at", filter=Q(story_live_at__gt=now)))
        .values_list("tag_id", "live", "later")
    }
    rows = []
    for topic_id in Topic.objects.values_list("pk", flat=True):
        live, later = per_topic.get(topic_id, (0, None))
        rows.append(TopicCounts(topic_id=topic_id, version=new_version(), current=True, computed_at=now,
                                story_count=min(live, cap), valid_until=later))
    save_counts(TopicCounts, rows)


def save_counts(model, rows):
    """Write kept counts (replacing any a previous load kept) and empty `rows`."""
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "version"]
    model.objects.bulk_create(rows, batch_size=500, update_conflicts=True, unique_fields=["pk"],
                              update_fields=[*fields, "version"])
    rows.clear()


# The tables a corpus fills, whose statistics the planner needs at once.
LOADED_MODELS = (Article, Commentary, Citation, TaggedArticle, Byline, Topic, Analyst, Source)


def analyze(models=None):
    """Give the planner statistics for the loaded tables at once (PostgreSQL's autovacuum would lag).

    With models, only their tables (on SQLite too); without, the loaded ones (SQLite: every table).
    """
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    if models is None and connection.vendor == "sqlite":
        refresh_statistics(connection.alias)
        return
    with connection.cursor() as cursor:
        for model in models or LOADED_MODELS:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def reset_sequences():
    """Move PostgreSQL's id sequences past the ids given explicitly (a no-op on SQLite)."""
    sql = connection.ops.sequence_reset_sql(no_style(), [Article, Topic, Organization, Analyst, Source])
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
