"""Public pages. Everything here shows published stories only (Article.objects.published())."""
from django.conf import settings
from django.db.models import Count, F, Max, Min, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from . import jsonld
from .cache import CachedPageMixin
from .models import Analyst, Article, Byline, Citation, Commentary, SlugRedirect, Source, Topic
from .pagination import KeysetPaginationMixin
from .search import MAX_QUERY_LENGTH, attach_highlights, search_articles

PAGE_SIZE = 20
# Deep offsets are slow and rarely read; past this, readers use topics, analysts or search.
MAX_PAGES = 50


def published_ids():
    """The published rule as a subquery, for counts and filters on related rows."""
    return Article.objects.published().values("pk")


def topics_with_counts():
    """Return topics that have published stories, each with `story_count`."""
    return (
        Topic.objects.annotate(
            story_count=Count(
                "tagged_articles", filter=Q(tagged_articles__content_object__in=published_ids()), distinct=True,
            )
        )
        .filter(story_count__gt=0)
    )


def analysts_with_counts():
    """Return analysts quoted in published stories, each with `story_count`."""
    return (
        Analyst.objects.select_related("organization")
        .annotate(
            story_count=Count(
                "commentary__article", filter=Q(commentary__article__in=published_ids()), distinct=True,
            )
        )
        .filter(story_count__gt=0)
    )


def quoting(analyst):
    """Published stories quoting analyst, as a semi-join: no DISTINCT over a long career's stories."""
    return Article.objects.published().filter(pk__in=Commentary.objects.filter(analyst=analyst).values("article_id"))


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
        if page and page.isdigit() and int(page) > 1:
            path += f"?page={int(page)}"
        return self.request.build_absolute_uri(path)

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
            "noindex": self.noindex,
            "feeds": self.get_feeds(),
            "jsonld": jsonld.script_tag(data) if data else "",
        }
        return context


class CappedPaginationMixin:
    """Paginate, but never past MAX_PAGES; a bad or out-of-range page number is a 404."""

    paginate_by = PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        return super().paginate_queryset(queryset[: page_size * MAX_PAGES], page_size)

    def list_jsonld(self, context, *, name, description):
        page = context.get("page_obj")
        return jsonld.collection(
            self.request, name=name, description=description, items=context["object_list"],
            position_offset=page.start_index() - 1 if page and page.object_list else 0,
        )


class HomeView(CachedPageMixin, KeysetPaginationMixin, SeoMixin, ListView):
    """The latest stories, the busiest topics and the most-quoted analysts."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().newest_first().for_listing()

    def get_page_title(self):
        page = self.request.GET.get("page")
        if self.request.GET.get("before") or self.request.GET.get("after"):
            return "Latest stories, earlier"
        return f"Latest stories, page {page}" if page and page != "1" else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["page_obj"].has_previous():
            context["busiest_topics"] = topics_with_counts().order_by("-story_count", "name")[:10]
            context["most_quoted"] = analysts_with_counts().order_by("-story_count", "name")[:8]
        return context

    def get_structured_data(self, context):
        return self.list_jsonld(context, name="Latest stories", description=self.get_page_description())


class ArticleDetailView(CachedPageMixin, SeoMixin, DetailView):
    """One story with its expert commentary, sources, topics, corrections and related stories."""

    context_object_name = "article"
    og_type = "article"

    def get_queryset(self):
        return Article.objects.published().prefetch_related(
            "topics",
            Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            Prefetch("commentary", queryset=Commentary.objects.select_related("analyst")),
            Prefetch("citations", queryset=Citation.objects.select_related("source__organization")),
            "corrections",
        )

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
        return self.request.build_absolute_uri(self.object.get_absolute_url())

    def related_articles(self, topics, commentary):
        topic_ids = [topic.pk for topic in topics]
        analyst_ids = {item.analyst_id for item in commentary}
        return (
            Article.objects.published()
            .exclude(pk=self.object.pk)
            .annotate(
                shared_topics=Count("tagged_items", filter=Q(tagged_items__tag_id__in=topic_ids), distinct=True),
                shared_analysts=Count(
                    "commentary__analyst", filter=Q(commentary__analyst_id__in=analyst_ids), distinct=True,
                ),
            )
            .filter(Q(shared_topics__gt=0) | Q(shared_analysts__gt=0))
            .order_by((F("shared_topics") + 2 * F("shared_analysts")).desc(), "-published_at", "-pk")[:4]
        )

    def get_context_data(self, **kwargs):
        article = self.object
        topics = list(article.topics.all())
        commentary = list(article.commentary.all())
        corrections = sorted(article.corrections.all(), key=lambda c: c.published_at)
        kwargs.update(
            topics=topics,
            commentary=commentary,
            citations=list(article.citations.all()),
            bylines=list(article.bylines.all()),
            serious_corrections=[c for c in corrections if c.is_serious],
            other_corrections=[c for c in corrections if not c.is_serious],
            related=self.related_articles(topics, commentary),
            corrections=corrections,
        )
        return super().get_context_data(**kwargs)

    def get_structured_data(self, context):
        return jsonld.article(
            self.request, self.object, commentary=context["commentary"], citations=context["citations"],
            corrections=context["corrections"], topics=context["topics"], bylines=context["bylines"],
        )


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

    template_name = "articles/topic_detail.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        stories = Article.objects.published().tagged(self.topic)
        # One join count over the topic's index, not a DISTINCT over every published story.
        self.topic.story_count = stories.count()
        if not self.topic.story_count:
            raise Http404("No published stories on this topic.")
        return stories.newest_first().for_listing()

    def get_page_title(self):
        return self.topic.name

    def get_page_description(self):
        return self.topic.description or f"Stories and analysis on {self.topic.name}."

    def get_feeds(self):
        slug = self.topic.slug
        return [(
            f"{self.topic.name}: latest stories",
            reverse("articles:topic_feed_rss", kwargs={"slug": slug}),
            reverse("articles:topic_feed_atom", kwargs={"slug": slug}),
        )]

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)

    def get_structured_data(self, context):
        return self.list_jsonld(context, name=self.topic.name, description=self.get_page_description())


class AnalystListView(CachedPageMixin, SeoMixin, ListView):
    """Every named analyst quoted in published stories."""

    template_name = "articles/analyst_list.html"
    context_object_name = "analysts"
    page_title = "Analysts"
    page_description = "The named experts quoted in our stories, with their affiliations and everything they told us."

    def get_queryset(self):
        return analysts_with_counts().annotate(
            last_quoted=Max("commentary__article__published_at", filter=Q(commentary__article__in=published_ids())),
        ).order_by("name")

    def get_structured_data(self, context):
        return jsonld.collection(
            self.request, name="Analysts", description=self.page_description, items=context["analysts"],
        )


class AnalystDetailView(CachedPageMixin, KeysetPaginationMixin, SeoMixin, ListView):
    """One analyst: who they are, and every published story quoting them with the quote as printed."""

    template_name = "articles/analyst_detail.html"
    context_object_name = "articles"
    og_type = "profile"

    def get_queryset(self):
        self.analyst = get_object_or_404(Analyst.objects.select_related("organization"), slug=self.kwargs["slug"])
        self.analyst.story_count = quoting(self.analyst).count()
        if not self.analyst.story_count:
            raise Http404("No published story quotes this analyst.")
        quotes = Commentary.objects.filter(analyst=self.analyst).order_by("sort_order", "pk")
        return (
            quoting(self.analyst)
            .newest_first()
            .prefetch_related("topics", Prefetch("commentary", queryset=quotes, to_attr="analyst_quotes"))
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
            reverse("articles:analyst_feed_rss", kwargs={"slug": slug}),
            reverse("articles:analyst_feed_atom", kwargs={"slug": slug}),
        )]

    def get_context_data(self, **kwargs):
        stories = quoting(self.analyst).order_by()
        span = stories.aggregate(first=Min("published_at"), last=Max("published_at"))
        top_topics = (
            Topic.objects.filter(tagged_articles__content_object__in=stories.values("pk"))
            .annotate(n=Count("tagged_articles"))  # one row per (story, topic): no DISTINCT needed
            .order_by("-n", "name")[:8]
        )
        return super().get_context_data(analyst=self.analyst, span=span, top_topics=top_topics, **kwargs)

    def get_structured_data(self, context):
        return jsonld.person(self.request, self.analyst)


class SourceDetailView(CachedPageMixin, KeysetPaginationMixin, SeoMixin, ListView):
    """One source and the published stories citing it, with what each took from it."""

    template_name = "articles/source_detail.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.source = get_object_or_404(
            Source.objects.select_related("organization").filter(citations__article__in=published_ids()).distinct(),
            slug=self.kwargs["slug"],
        )
        uses = Citation.objects.filter(source=self.source).order_by("sort_order", "pk")
        return (
            Article.objects.published()
            .citing(self.source)
            .newest_first()
            .prefetch_related("topics", Prefetch("citations", queryset=uses, to_attr="source_uses"))
        )

    def get_page_title(self):
        return self.source.name

    def get_page_description(self):
        return self.source.description or f"Stories citing {self.source.name}."

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, **kwargs)

    def get_structured_data(self, context):
        return self.list_jsonld(context, name=self.source.name, description=self.get_page_description())


class SearchView(SeoMixin, CappedPaginationMixin, ListView):
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
        return search_articles(Article.objects.published(), query).prefetch_related("topics")

    def get_page_title(self):
        query = self.get_query()
        return f"Search: {query[:60]}" if query else "Search"

    def get_canonical_url(self):
        return self.request.build_absolute_uri(reverse("articles:search"))

    def get_context_data(self, **kwargs):
        query = self.get_query()
        context = super().get_context_data(
            query=query, too_long=len(query) > MAX_QUERY_LENGTH, max_length=MAX_QUERY_LENGTH, **kwargs,
        )
        if context["articles"] and not context["too_long"]:
            attach_highlights(context["articles"], query)
        if not context["articles"]:
            context["suggested_topics"] = topics_with_counts().order_by("-story_count", "name")[:12]
        return context


@require_safe
def robots_txt(request):
    """Tell crawlers what to skip and where the sitemaps are."""
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    """A styled 404 that still offers the way back in."""
    context = {
        "seo": {
            "full_title": f"Page not found | {settings.NEWSROOM['NAME']}",
            "description": settings.NEWSROOM["TAGLINE"],
            "canonical": request.build_absolute_uri("/"),
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

