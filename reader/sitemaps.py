"""Sitemaps: an index of one sitemap per section (stories, topics, analysts, the section fronts, the
desk's people and standards pages), each in pages of at most PAGE_SIZE URLs; and a Google News sitemap.

Every address is on the configured site (settings.NEWSROOM_SITE_URL), whatever the request's Host.
"""
import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Max, OuterRef, Subquery
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Analyst, Article, Commentary, TaggedArticle, Topic
from pagecache.cache import cache_public_page
from people.models import StandardsPage

from .formats import absolute_url, site_domain, site_root, site_scheme, whole_seconds
from .people import credited_in_published, public_profiles

NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per news sitemap.
# URLs per sitemap page. Pages re-render after every editorial write: one page of the protocol's
# 50,000 took seconds at 100,000 stories, one of 5,000 a fraction of one.
PAGE_SIZE = 5000
# Newest revisions read for the index's lastmod before falling back to a full aggregate.
REVISIONS_SCANNED = 20


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on the configured site, not the request's host."""

    def get_protocol(self, protocol=None):
        return site_scheme()

    def get_domain(self, site=None):
        return site_domain()


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.8
    limit = PAGE_SIZE

    def items(self):
        # Oldest first: a new story lands on the last page and the pages before it keep their URLs.
        return (
            Article.objects.published()
            .order_by("published_at", "pk")
            .only("slug", "published_at", "revised_at", "updated_at")
        )

    def lastmod(self, item):
        return item.last_modified

    def get_latest_lastmod(self):
        """Return the newest story's lastmod (Django's default loads every story).

        A published story's last_modified is the later of its publication and its revision. MAX()
        of both over published() read every published story (106 ms at 100,000 stories); here each
        is a few steps into its own index.
        """
        now = timezone.now()
        published = Article.objects.published(at=now)
        newest = published.newest_first().values_list("published_at", flat=True).first()
        # The newest revisions by the (status, revised_at) index; published_at is checked here
        # because SQLite, given both conditions, sorts every published story instead.
        revisions = (
            Article.objects.filter(status=Article.Status.PUBLISHED, revised_at__isnull=False)
            .order_by("-revised_at").values_list("revised_at", "published_at")[:REVISIONS_SCANNED]
        )
        revised = next((at for at, live_from in revisions if live_from <= now), None)
        if revised is None and len(revisions) == REVISIONS_SCANNED:  # only scheduled stories were revised last
            revised = published.aggregate(Max("revised_at"))["revised_at__max"]
        return max(filter(None, [newest, revised]), default=None)


class TopicSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.6
    limit = PAGE_SIZE

    def items(self):
        latest = Subquery(TaggedArticle.objects.filter(tag=OuterRef("pk")).live_time())
        return Topic.objects.annotate(latest=latest).filter(latest__isnull=False).only("slug").order_by("name", "pk")

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return TaggedArticle.objects.live().aggregate(latest=Max("story_live_at"))["latest"]


class AnalystSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = PAGE_SIZE

    def items(self):
        latest = Subquery(Commentary.objects.filter(analyst=OuterRef("pk")).live_time())
        return Analyst.objects.annotate(latest=latest).filter(latest__isnull=False).only("slug").order_by("name", "pk")

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return Commentary.objects.live().aggregate(latest=Max("story_live_at"))["latest"]


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"
    priority = 0.5

    def items(self):
        return ["articles:home", "articles:topic_list", "articles:analyst_list"]

    def location(self, item):
        return reverse(item)


class PeopleSitemap(SiteSitemap):
    """The staff list, every author page that answers (current staff, former staff with published
    stories) and the standards pages, in one page: a desk has far fewer than PAGE_SIZE of them, so
    the index names it without counting it (`one_page`)."""

    changefreq = "weekly"
    priority = 0.5
    limit = PAGE_SIZE
    one_page = True

    def items(self):
        if not hasattr(self, "_listed"):  # the paginator asks for the items more than once
            latest = Subquery(
                credited_in_published("user").order_by("-article__published_at").values("article__published_at")[:1]
            )
            authors = public_profiles().annotate(latest=latest).only("slug").order_by("display_name", "pk")
            pages = StandardsPage.objects.only("kind", "updated_at").order_by("pk")
            self._listed = ["articles:author_list", *authors, *pages]
        return self._listed

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        if isinstance(item, StandardsPage):
            return item.updated_at
        return getattr(item, "latest", None)

    def get_latest_lastmod(self):
        return None  # not read in the index: its page is not counted either


SITEMAPS = {
    "sections": SectionSitemap,
    "stories": ArticleSitemap,
    "topics": TopicSitemap,
    "analysts": AnalystSitemap,
    "people": PeopleSitemap,
}


@x_robots_tag
def index_view(request, sitemaps):
    """List each section's sitemap pages, as django.contrib.sitemaps' index does, on the configured site."""
    items = []
    for section, sitemap_class in sitemaps.items():
        section_map = sitemap_class()
        location = absolute_url(reverse("django.contrib.sitemaps.views.sitemap", kwargs={"section": section}))
        lastmod = whole_seconds(section_map.get_latest_lastmod())
        items.append(SitemapIndexItem(location, lastmod))
        if getattr(section_map, "one_page", False):
            continue
        pages = range(2, section_map.paginator.num_pages + 1)
        items += [SitemapIndexItem(f"{location}?p={page}", lastmod) for page in pages]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")


# The index and each section's pages, through the page cache.
sitemap_index = cache_public_page(index_view)
sitemap = cache_public_page(sitemap_view)


@cache_public_page
@require_safe
def news_sitemap(request):
    """Google News sitemap: stories published in the last two days, newest first."""
    since = timezone.now() - NEWS_WINDOW
    stories = Article.objects.published().filter(published_at__gte=since).newest_first()[:NEWS_LIMIT]
    return render(
        request,
        "sitemap_news.xml",
        {"stories": stories, "publication": settings.NEWSROOM, "site": site_root()},
        content_type="application/xml; charset=utf-8",
    )
