"""Public pages. Everything here shows published stories only (Article.objects.published())."""
import datetime
import string
import time
from typing import NamedTuple

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from articles.models import (
    Analyst,
    Article,
    Byline,
    Citation,
    Commentary,
    SlugRedirect,
    Source,
    TaggedArticle,
    Topic,
    slug_url,
)
from counts import analysts as analyst_counts
from counts.queries import COUNT_CAP
from pagecache import topic_catalog
from pagecache.cache import (
    CachedPageMixin,
    PrivatePageMixin,
    current_generation,
    next_scheduled_time,
    page_tokens,
    story_tokens,
    structure_token,
)
from pagecache.fragments import Listing, fingerprint, kept_pieces
from people.names import BYLINE_AUTHOR
from photos.models import LeadImage
from photos.pictures import story_pictures, with_teaser_images

from . import jsonld, queries
from .formats import absolute_url, site_root
from .pagination import KeysetPaginationMixin, LinkedStories, Stories, paginate_directory
from .search import MAX_QUERY_LENGTH, attach_highlights, search_articles

PAGE_SIZE = 20
# Deep offsets are slow and rarely read; past this, readers use topics, analysts or search.
MAX_PAGES = 50


def topics_with_counts():
    """Return topics that have published stories, each with `story_count`.

    Counted from the topic links' live copy of the rule (index only): one range of the (topic,
    live-from) index per topic. Grouping the join to the links did the same reads, then sorted.
    """
    links = TaggedArticle.objects.filter(tag=OuterRef("pk")).live()
    return Topic.objects.filter(Exists(links)).annotate(
        # One row per (story, topic): no DISTINCT needed.
        story_count=Subquery(links.order_by().values("tag").annotate(n=Count("*")).values("n")),
    )


def analysts_with_counts():
    """Return analysts quoted in published stories, each with `story_count` and `last_quoted`.

    Counted from the quotes' live copy of the rule (index only): one range of the (analyst,
    live-from) index per analyst. Grouping the join to the quotes sorted every analyst's whole row
    (0.8 s for 5,000 analysts, against 0.1 s).
    """
    quotes = Commentary.objects.filter(analyst=OuterRef("pk"))
    live_quotes = quotes.live()
    # A story that quotes the analyst twice counts once.
    stories = live_quotes.order_by().values("analyst").annotate(n=Count("article", distinct=True)).values("n")
    return (
        Analyst.objects.select_related("organization")
        .filter(Exists(live_quotes))
        .annotate(story_count=Subquery(stories), last_quoted=Subquery(quotes.live_time()))
    )


# The home sidebar is about now: a desk's "busiest" topics are what it covers this month, its most
# quoted analysts the voices of this season. Counting a window is also bounded work whatever the
# archive's size; counting the whole archive took seconds per render at 100,000 stories.
BUSIEST_TOPICS_WINDOW = datetime.timedelta(days=30)
MOST_QUOTED_WINDOW = datetime.timedelta(days=90)
# A quiet desk may publish little in a window: then the sidebar counts at least this many latest
# stories, so it is never empty and the work stays bounded. A site this small is counted whole.
SIDEBAR_MIN_STORIES = 200
# The home sidebar is rendered again at least this often (HomeView.sidebar), however quiet the desk.
SIDEBAR_SECONDS = 60
# The analysts' directory: a desk quotes thousands; all on one page was 2.6 MB of HTML and 0.8 s to
# render at 5,000 analysts.
ANALYSTS_PER_PAGE = 100


def stories_label(count):
    """Return "1 story", "78 stories" or, past COUNT_CAP, "1,000+ stories"."""
    if count > COUNT_CAP:
        return f"{COUNT_CAP:,}+ stories"
    return f"{count:,} stor{'y' if count == 1 else 'ies'}"


def sidebar_since(now):
    """Return when each home sidebar window starts, and whether each is its full calendar window.

    Windows reach back further on a quiet desk, to take in the latest SIDEBAR_MIN_STORIES stories;
    None means the site has fewer stories than that and is counted whole.
    """
    boundary = list(
        Article.objects.published(at=now).newest_first().values_list("published_at", flat=True)
        [SIDEBAR_MIN_STORIES - 1 : SIDEBAR_MIN_STORIES]
    )
    since = {}
    for name, window in (("topics", BUSIEST_TOPICS_WINDOW), ("analysts", MOST_QUOTED_WINDOW)):
        start = now - window
        if not boundary:
            since[name] = (None, False)
        else:
            since[name] = (min(start, boundary[0]), boundary[0] >= start)
    return since


def busiest_topics(since, now, limit=10):
    """Return the topics with the most published stories since `since` (None: ever), with `story_count`.

    Counted from the topic links' live copy of the rule over the window (index only).
    """
    window = {"tagged_articles__story_live_at__lte": now}
    if since is not None:
        window["tagged_articles__story_live_at__gte"] = since
    return (
        Topic.objects.filter(**window)  # one filter(): the count below counts these same link rows
        .annotate(story_count=Count("tagged_articles"))  # one row per (story, topic): no DISTINCT needed
        .order_by("-story_count", "name")[:limit]
    )


def most_quoted_analysts(since, now, limit=8):
    """Return the analysts quoted in the most published stories since `since` (None: ever), with `story_count`.

    Counted from the quotes' live copy of the rule over the window (index only); a tie at the cut
    goes to the earlier-added analyst, ties above it are shown by name.
    """
    quotes = Commentary.objects.live(at=now)
    if since is not None:
        quotes = quotes.filter(story_live_at__gte=since)
    # Grouping the window's quotes alone, not every analyst joined to them (27 ms to 3 ms at 100,000 stories).
    ranked = list(
        quotes.values("analyst")
        .annotate(n=Count("article", distinct=True)).order_by("-n", "analyst").values_list("analyst", "n")[:limit]
    )
    counts = dict(ranked)
    analysts = list(Analyst.objects.select_related("organization").filter(pk__in=counts))
    for analyst in analysts:
        analyst.story_count = counts[analyst.pk]
    return sorted(analysts, key=lambda a: (-a.story_count, a.name))


# What a story page shows of a story's parts, a query for each kind (ArticleDetailView.load_story_parts).
STORY_PART_LOOKUPS = (
    "topics",
    # Each author with their profile (the name printed, the page linked), each analyst with their
    # organization (labelled when state-controlled).
    Prefetch("bylines", queryset=Byline.objects.select_related(BYLINE_AUTHOR)),
    Prefetch("commentary", queryset=Commentary.objects.select_related("analyst__organization")),
    Prefetch("citations", queryset=Citation.objects.select_related("source__organization")),
    "corrections",
)


class SeoMixin:
    """Give a page its title, description, canonical URL, feeds and structured data."""

    og_type = "website"
    page_title = ""
    page_description = ""
    noindex = False

    def get_page_title(self):
        return self.page_title

    def get_page_description(self):
        return self.page_description or settings.NEWSROOM["TAGLINE"]

    def get_canonical_url(self):
        page = self.request.GET.get("page")
        path = self.request.path
        if page and page.isascii() and page.isdigit() and int(page) > 1:
            path += f"?page={int(page)}"
        return absolute_url(path)

    def get_noindex(self):
        return self.noindex

    def get_feeds(self):
        """Return (title, RSS URL, Atom URL) for the feeds this page offers besides the latest stories."""
        return []

    def get_structured_data(self, context):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.get_structured_data(context)
        title = self.get_page_title()
        context["seo"] = {
            "title": title,
            "full_title": f"{title} | {settings.NEWSROOM['NAME']}" if title else settings.NEWSROOM["NAME"],
            "description": self.get_page_description(),
            "canonical": self.get_canonical_url(),
            "og_type": self.og_type,
            "noindex": self.get_noindex(),
            "feeds": self.get_feeds(),
            # The share card's picture (og:image, twitter:image), for pages that have one.
            "image": context.get("share_image"),
        }
        # Apart from the head's other values: it changes with every list, they do not (templates/base.html).
        context["structured_data"] = jsonld.script_tag(data) if data else ""
        return context


class CappedPaginationMixin:
    """Paginate, but never past MAX_PAGES; a bad or out-of-range page number is a 404."""

    paginate_by = PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        return super().paginate_queryset(queryset[: page_size * MAX_PAGES], page_size)


class HomeView(CachedPageMixin, KeysetPaginationMixin, SeoMixin, ListView):
    """The latest stories, the busiest topics and the most-quoted analysts."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        # Each story's lead picture comes with it (photos/pictures.py): no query of its own. Built
        # only when used: the first page comes from a prepared query (get_keyset).
        return SimpleLazyObject(lambda: with_teaser_images(Article.objects.published().newest_first()))

    def get_keyset(self):
        # The first page through a prepared query (reader/queries.py, latest_page), the others as a queryset.
        return Stories(self.object_list, prepared=lambda start, n: queries.latest_page(timezone.now(), n))

    def get_page_title(self):
        page = self.request.GET.get("page")
        if self.request.GET.get("before") or self.request.GET.get("after"):
            return "Latest stories, earlier"
        return f"Latest stories, page {page}" if page and page != "1" else ""

    def teaser_listing(self, stories):
        """Return the page's stories as a Listing: their topics are loaded only if a teaser must be rendered.

        Each teaser follows its story's own token (fragments.Listing). The lead and the others are
        rendered as two lists (article_list.html): the first to need parts loads the whole page's,
        in one query for both (the Listing reads every story's token before that).
        """
        loaded = []

        def load_parts(_):
            if not loaded:
                loaded.append(queries.attach_teaser_parts(stories))

        return Listing(stories, load_parts)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["page_obj"].has_previous():
            context["sidebar"] = self.sidebar()
        return context

    def sidebar(self):
        """Return the sidebar rendered, kept until a story changes, one goes live, or SIDEBAR_SECONDS pass.

        Its counts change with every write to a story (the generation) and every scheduled story
        going live (the next scheduled time); windowed, they also drift as time passes, by no more
        than a page the page cache keeps serves (NEWSROOM_PAGE_CACHE_SECONDS is longer).
        """
        now = time.time()
        generation = current_generation()
        description = ("home-sidebar", generation, next_scheduled_time(generation, now), int(now // SIDEBAR_SECONDS))
        return kept_pieces(("includes/home_sidebar.html",), description, self.render_sidebar)

    @staticmethod
    def render_sidebar():
        now = timezone.now()
        since = sidebar_since(now)
        return render_to_string("includes/home_sidebar.html", {
            "busiest_topics": busiest_topics(since["topics"][0], now),
            "most_quoted": most_quoted_analysts(since["analysts"][0], now),
            "busiest_topics_heading": (
                "Most covered this month" if since["topics"][1]
                else "Most covered in the latest stories" if since["topics"][0] else "Most covered topics"
            ),
            "most_quoted_heading": (
                "Most quoted in the last 90 days" if since["analysts"][1]
                else "Most quoted in the latest stories" if since["analysts"][0] else "Most quoted analysts"
            ),
        })

    def get_structured_data(self, context):
        return self.list_jsonld(context, name="Latest stories", description=self.get_page_description())


class StoryCorrections(NamedTuple):
    """A story's corrections shown now, oldest first: all, the serious ones (at the top), the others (below)."""

    all: list
    serious: list
    other: list


class LoadedLead:
    """What photos.pictures.story_pictures() reads of a story (its body, its lead image), the lead as already loaded."""

    def __init__(self, story, lead):
        self.body, self.lead = story.body, lead

    @property
    def lead_image(self):
        if self.lead is None:
            raise LeadImage.DoesNotExist("The story has no lead image.")
        return self.lead


class ArticleDetailView(CachedPageMixin, SeoMixin, DetailView):
    """One story with its expert commentary, sources, topics, corrections and related stories.

    A page-cache miss reads the story (one query) and, while nothing it shows has changed, takes
    its pieces as they were kept (pagecache/fragments.py, kept_pieces): its head and its article
    under the story's fields and the tokens that every write to its parts (the story's own) and to
    the names it prints (the structure token) replaces; its related stories under the tokens of the
    topics and analysts they share with it, which every write to a story on them replaces. So a
    page made stale by a write elsewhere renders almost nothing, and one made stale by a write to
    this story loads and renders its own parts once. A preview renders everything from the database.
    """

    # Its related stories share its topics or analysts: their pages' tokens are this page's too.
    cache_scope = "story"
    cache_learns = True
    context_object_name = "article"
    og_type = "article"
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        # The lead picture comes with the story (photos/pictures.py): no query of its own. The parts
        # are loaded only when the story's pieces are rendered (load_story_parts).
        return Article.objects.published().select_related("lead_image__photo")

    def get_object(self, queryset=None):
        """Return the published story under the address's slug: one prepared query (reader/queries.py).

        A page-cache miss of a story whose pieces are kept reads nothing else; building and
        compiling the queryset took more than the rest of such a render.
        """
        if queryset is not None:
            return super().get_object(queryset)
        found = queries.story_by_slug(self.kwargs[self.slug_url_kwarg], timezone.now())
        if not found:
            raise Http404("No such story.")
        return found[0]

    @staticmethod
    def with_story_parts(stories):
        """Load what a story page shows of a story's parts, a query for each kind (the preview's way)."""
        return stories.select_related("lead_image__photo").prefetch_related(*STORY_PART_LOOKUPS)

    @staticmethod
    def load_story_parts(article):
        """Give the story what its pieces show of its parts (fragments.STORY_PARTS): a query per kind not loaded."""
        prefetch_related_objects([article], *STORY_PART_LOOKUPS)
        now = timezone.now()
        # A correction dated ahead shows from its date, as on the corrections log.
        shown = sorted((c for c in article.corrections.all() if c.published_at <= now), key=lambda c: c.published_at)
        article.page_topics = list(article.topics.all())
        article.page_bylines = list(article.bylines.all())
        article.page_commentary = list(article.commentary.all())
        article.page_citations = list(article.citations.all())
        # A story loaded by queries.story_by_slug() brought its lead picture as columns: no query for it.
        article.page_pictures = story_pictures(
            LoadedLead(article, queries.lead_use(article)) if "lead_photo_id" in article.__dict__ else article
        )
        article.page_corrections = StoryCorrections(
            shown, [c for c in shown if c.is_serious], [c for c in shown if not c.is_serious],
        )
        return article

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # An address the story used to have answers with a permanent redirect.
            moved = SlugRedirect.objects.filter(
                old_slug=kwargs["slug"], article__in=Article.objects.published()
            ).select_related("article").first()
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.article.get_absolute_url())

    def get_page_title(self):
        return self.object.headline

    def get_page_description(self):
        return self.object.dek or settings.NEWSROOM["TAGLINE"]

    def get_canonical_url(self):
        return absolute_url(self.object.get_absolute_url())

    def related_articles(self, topic_ids, analyst_ids):
        """Return up to four published stories sharing the most topics and analysts with this one."""
        return queries.related_stories(self.object, topic_ids, analyst_ids, timezone.now())

    def render_pieces(self, article, **context):
        """Render the story's head and article from its parts (loaded here), with what the page needs besides."""
        self.load_story_parts(article)
        context = {**context, "article": article}
        pictures, corrections = article.page_pictures, article.page_corrections.all
        future = [c.published_at for c in article.corrections.all() if c.published_at > timezone.now()]
        return {
            "head": render_to_string("includes/story_head.html", context),
            "article": render_to_string("includes/story_article.html", context),
            "structured_data": jsonld.script_tag(jsonld.article(
                self.request, article, commentary=article.page_commentary, citations=article.page_citations,
                corrections=corrections, topics=article.page_topics, bylines=article.page_bylines, pictures=pictures,
            )),
            "share_image": jsonld.share_image(pictures),
            # The scopes its related stories come from (CachedPageMixin.cache_learns), and their ids.
            "learned": sorted({("topic", topic.slug) for topic in article.page_topics}
                              | {("analyst", item.analyst.slug) for item in article.page_commentary}),
            "topic_ids": [topic.pk for topic in article.page_topics],
            "analyst_ids": sorted({item.analyst_id for item in article.page_commentary}),
            # Kept only until the next correction dated ahead is due.
            "until": min(future).timestamp() if future else None,
        }

    def get_preview(self):
        """Return what the preview banner says of the story (reader/preview.py), or None on the public page."""
        return None

    def story_pieces(self, article, preview):
        """Return the story's pieces: kept while the story, its parts and the names it prints are unchanged."""
        if preview is not None:  # drafts have no token a write replaces: a preview keeps nothing
            return self.render_pieces(article, preview=preview)
        # Both read before any part is loaded: a write after this is a new key (fragments.Listing).
        description = ("story", fingerprint(article), story_tokens([article.slug])[0], structure_token())
        return kept_pieces(
            ("includes/story_head.html", "includes/story_article.html"), description,
            lambda: self.render_pieces(article, preview=None), fresh_until=lambda pieces: pieces["until"],
        )

    def related_piece(self, pieces, preview):
        """Return the related stories rendered, kept while no story that could be among them changed.

        Every write to a published story replaces the tokens of its topics and analysts (those it
        had before included), and a scheduled story going live is the next scheduled time passing:
        a key of those tokens and that time names every story that can be among them.
        """
        article = self.object
        if preview is not None:
            return self.render_related(article, pieces)
        now = time.time()
        tokens = page_tokens(("story", article.slug), [tuple(scope) for scope in pieces["learned"]])
        upcoming = next_scheduled_time(current_generation(), now)
        description = ("related", article.pk, fingerprint(article.published_at), *tokens, upcoming)
        return kept_pieces(("includes/story_related.html",), description, lambda: self.render_related(article, pieces))

    def render_related(self, article, pieces):
        related = self.related_articles(pieces["topic_ids"], pieces["analyst_ids"])
        return render_to_string("includes/story_related.html", {"related": related})

    def get_context_data(self, **kwargs):
        article, preview = self.object, self.get_preview()
        pieces = self.story_pieces(article, preview)
        self.cache_learned = {tuple(scope) for scope in pieces["learned"]}
        self.story_structured_data = pieces["structured_data"]
        kwargs.update(
            share_image=pieces["share_image"],
            story_head=pieces["head"],
            story_article=pieces["article"],
            story_related=self.related_piece(pieces, preview),
            preview=preview,
        )
        return super().get_context_data(**kwargs)

    def get_structured_data(self, context):
        return None  # kept with the story's pieces, already a <script> element

    def render_to_response(self, context, **response_kwargs):
        context["structured_data"] = self.story_structured_data
        return super().render_to_response(context, **response_kwargs)


def published_listing(now, *, quotes_of=None, counted_topic=None):
    """Return the published stories for a list, built only when used.

    With `analyst_quotes` of quotes_of, or the `topic_story_count` of counted_topic.

    Topic and analyst pages serve their page-number pages through prepared queries
    (reader/queries.py); only their other pages (?before=, ?after=) build this queryset.
    """

    def build():
        stories = Article.objects.published(at=now).for_teasers()
        if counted_topic is not None:
            stories = queries.with_topic_count(stories, counted_topic.pk, now)
        if quotes_of is None:
            return stories
        quotes = queries.quotes_in_story_order(quotes_of)
        return stories.prefetch_related(Prefetch("commentary", queryset=quotes, to_attr="analyst_quotes"))

    return SimpleLazyObject(build)


class TopicListView(CachedPageMixin, SeoMixin, ListView):
    """Every topic with published stories, with how many."""

    template_name = "articles/topic_list.html"
    context_object_name = "topics"
    page_title = "Topics"
    page_description = "Every topic the desk covers, with the number of stories on each."

    def get_queryset(self):
        return topics_with_counts().order_by("name")

    def get_structured_data(self, context):
        return jsonld.collection(
            self.request, name="Topics", description=self.page_description, items=context["topics"],
        )


class TopicDetailView(CachedPageMixin, KeysetPaginationMixin, SeoMixin, ListView):
    """One topic and its published stories, newest first."""

    cache_scope = "topic"
    template_name = "articles/topic_detail.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.now = timezone.now()
        # From the topic catalog each process keeps (no query). Its story count, capped at
        # COUNT_CAP + 1 ("1,000+ stories" says enough: a big topic has tens of thousands), comes
        # with the page's stories (queries.with_topic_count).
        self.topic = topic_catalog.topic_by_slug(self.kwargs["slug"])
        if self.topic is None:  # created a moment ago (known after its token is read), or no such topic
            found = queries.topic_by_slug(self.kwargs["slug"], self.now)
            if not found:
                raise Http404("No such topic.")
            self.topic = found[0]
        return published_listing(self.now, counted_topic=self.topic)

    def get_keyset(self):
        def links():
            return TaggedArticle.objects.filter(tag=self.topic).live(at=self.now)

        # A story carries a topic once (unique_topic_per_story): page N can skip link rows.
        return LinkedStories(
            links, "content_object", self.object_list, one_per_story=True,
            prepared=lambda start, n: queries.topic_page(self.topic, self.now, start, n),
        )

    def get_page_title(self):
        return self.topic.name

    def get_page_description(self):
        return self.topic.description or f"Stories and analysis on {self.topic.name}."

    def get_feeds(self):
        slug = self.topic.slug
        return [(
            f"{self.topic.name}: latest stories",
            slug_url("articles:topic_feed_rss", slug),
            slug_url("articles:topic_feed_atom", slug),
        )]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(topic=self.topic, **kwargs)
        stories = context["page_obj"].object_list
        if not stories:  # the first page (any other empty page is a 404 already)
            raise Http404("No published stories on this topic.")
        self.topic.story_count = stories[0].topic_story_count
        self.topic.stories_label = stories_label(self.topic.story_count)
        return context

    def get_structured_data(self, context):
        return self.list_jsonld(context, name=self.topic.name, description=self.get_page_description())


class AnalystListView(CachedPageMixin, SeoMixin, ListView):
    """Every named analyst quoted in published stories, A to Z, in pages of ANALYSTS_PER_PAGE."""

    template_name = "articles/analyst_list.html"
    context_object_name = "analysts"
    page_title = "Analysts"
    page_description = "The named experts quoted in our stories, with their affiliations and everything they told us."

    def get_queryset(self):
        return analysts_with_counts()

    def get_context_data(self, **kwargs):
        page = paginate_directory(self.object_list, self.request.GET, page_size=ANALYSTS_PER_PAGE)
        path = self.request.path
        kwargs.update(
            page_obj=page,
            letters=[(letter, f"{path}?{urlencode({'from': letter.lower()})}") for letter in string.ascii_uppercase],
            pager={
                "previous": f"{path}?{urlencode({'before': page.previous_cursor})}" if page.has_previous() else None,
                "next": f"{path}?{urlencode({'after': page.next_cursor})}" if page.has_next() else None,
                "first": path if page.has_previous() else None,
            },
        )
        return super().get_context_data(object_list=page.object_list, **kwargs)

    def get_page_title(self):
        params = self.request.GET
        if params.get("from"):
            return f"Analysts: {params['from'].upper()} onwards"
        return "Analysts, continued" if params.get("after") or params.get("before") else self.page_title

    def get_canonical_url(self):
        params = {k: self.request.GET[k] for k in ("from", "after", "before") if self.request.GET.get(k)}
        path = f"{self.request.path}?{urlencode(params)}" if params else self.request.path
        return absolute_url(path)

    def get_structured_data(self, context):
        return jsonld.collection(
            self.request, name="Analysts", description=self.page_description, items=context["analysts"],
        )


class AnalystDetailView(CachedPageMixin, KeysetPaginationMixin, SeoMixin, ListView):
    """One analyst: who they are, and every published story quoting them with the quote as printed."""

    cache_scope = "analyst"
    template_name = "articles/analyst_detail.html"
    context_object_name = "articles"
    og_type = "profile"

    def get_queryset(self):
        self.now = timezone.now()
        # The analyst, with when published stories first and last quoted them and how many quote
        # them (up to COUNT_CAP + 1), in one query.
        found = queries.analyst_by_slug(self.kwargs["slug"])
        if not found:
            raise Http404("No such analyst.")
        self.analyst = analyst = found[0]
        # How many published stories quote them, since when, and on what: kept by the writes that
        # change them (counts/analysts.py), else counted now. Set on the analyst, so the
        # page's head is one fragment keyed by all it shows.
        counts = analyst_counts.counts_for(analyst, self.now)
        if not counts.story_count:
            raise Http404("No published story quotes this analyst.")
        analyst.story_count, analyst.stories_label = counts.story_count, stories_label(counts.story_count)
        analyst.first_quoted, analyst.last_quoted = counts.first_quoted, counts.last_quoted
        analyst.top_topics = queries.rank_topics(counts.topic_counts, limit=analyst_counts.TOPICS_SHOWN)
        return published_listing(self.now, quotes_of=self.analyst)

    def get_keyset(self):
        def quotes():
            return Commentary.objects.filter(analyst=self.analyst).live(at=self.now)

        # Two quotes of one story are two rows: only the first page skips the boundary query.
        return LinkedStories(
            quotes, "article", self.object_list,
            prepared=lambda start, n: queries.analyst_first_page(self.analyst, self.now, n),
        )

    def get_page_title(self):
        return self.analyst.name

    def get_page_description(self):
        described = ", ".join(filter(None, [self.analyst.title, self.analyst.affiliation]))
        lead = f"{self.analyst.name}, {described}" if described else self.analyst.name
        return f"{lead}: every story quoting them, with what they said."

    def get_feeds(self):
        slug = self.analyst.slug
        return [(
            f"Stories quoting {self.analyst.name}",
            slug_url("articles:analyst_feed_rss", slug),
            slug_url("articles:analyst_feed_atom", slug),
        )]

    def get_context_data(self, **kwargs):
        return super().get_context_data(analyst=self.analyst, **kwargs)

    def get_structured_data(self, context):
        return jsonld.person(self.request, self.analyst)


class SourceDetailView(CachedPageMixin, KeysetPaginationMixin, SeoMixin, ListView):
    """One source and the published stories citing it, with what each took from it."""

    cache_scope = "source"
    template_name = "articles/source_detail.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.source = get_object_or_404(Source.objects.select_related("organization"), slug=self.kwargs["slug"])
        if not Citation.objects.filter(source=self.source).live().exists():
            raise Http404("No published story cites this source.")
        uses = Citation.objects.filter(source=self.source).order_by("sort_order", "pk")
        return (
            Article.objects.published().defer("body", "search_document")
            .prefetch_related(Prefetch("citations", queryset=uses, to_attr="source_uses"))
        )

    def get_keyset(self):
        return LinkedStories(Citation.objects.filter(source=self.source).live(), "article", self.object_list)

    def get_page_title(self):
        return self.source.name

    def get_page_description(self):
        return self.source.description or f"Stories citing {self.source.name}."

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, **kwargs)

    def get_structured_data(self, context):
        return self.list_jsonld(context, name=self.source.name, description=self.get_page_description())


class SearchView(PrivatePageMixin, SeoMixin, CappedPaginationMixin, ListView):
    """Search published stories; empty and over-long queries get guidance instead of results."""

    template_name = "articles/search.html"
    context_object_name = "articles"
    page_title = "Search"
    page_description = "Search every published story, analyst quote and source."
    noindex = True

    def get_query(self):
        # Databases refuse NUL characters; a query is words, so drop them with the spacing.
        return " ".join(self.request.GET.get("q", "").replace("\x00", " ").split())

    def get_queryset(self):
        query = self.get_query()
        if not query or len(query) > MAX_QUERY_LENGTH:
            return Article.objects.none()
        return search_articles(Article.objects.published(), query)

    def get_page_title(self):
        query = self.get_query()
        return f"Search: {query[:60]}" if query else "Search"

    def get_canonical_url(self):
        return absolute_url(reverse("articles:search"))

    def get_context_data(self, **kwargs):
        query = self.get_query()
        context = super().get_context_data(
            query=query, too_long=len(query) > MAX_QUERY_LENGTH, max_length=MAX_QUERY_LENGTH, **kwargs,
        )
        if context["articles"] and not context["too_long"]:
            attach_highlights(context["articles"], query)
        if not context["articles"]:
            # The topics covered lately: bounded work, unlike counting the whole archive per miss.
            now = timezone.now()
            context["suggested_topics"] = busiest_topics(sidebar_since(now)["topics"][0], now, limit=12)
        return context


@require_safe
def robots_txt(request):
    """Tell crawlers what to skip and where the sitemaps are."""
    return render(request, "robots.txt", {"site": site_root()}, content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    """A styled 404 that still offers the way back in."""
    context = {
        "seo": {
            "full_title": f"Page not found | {settings.NEWSROOM['NAME']}",
            "description": settings.NEWSROOM["TAGLINE"],
            # No canonical: this page is no page of the site's, least of all its home.
            "canonical": "",
            "og_type": "website",
            "noindex": True,
            "feeds": [],
        },
    }
    return HttpResponse(loader.render_to_string("404.html", context, request), status=404)


def server_error(request):
    """A styled 500 that needs neither the database nor context processors."""
    context = {"newsroom": settings.NEWSROOM, "now": timezone.now()}
    return HttpResponseServerError(loader.get_template("500.html").render(context))

