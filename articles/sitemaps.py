"""Sitemaps: every published story, topic and quoted analyst; and a Google News sitemap."""
import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Max, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .cache import cache_public_page
from .models import Article
from .views import analysts_with_counts, published_ids, topics_with_counts

NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per news sitemap.


def published_filter(relation):
    """Return a Q that keeps rows whose `relation` is a published story."""
    return Q(**{f"{relation}__in": published_ids()})


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Article.objects.published().newest_first()

    def lastmod(self, item):
        return item.last_modified


class TopicSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return topics_with_counts().annotate(
            latest=Max(
                "tagged_articles__content_object__published_at",
                filter=published_filter("tagged_articles__content_object"),
            ),
        ).order_by("name")

    def lastmod(self, item):
        return item.latest


class AnalystSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return analysts_with_counts().annotate(
            latest=Max("commentary__article__published_at", filter=published_filter("commentary__article")),
        ).order_by("name")

    def lastmod(self, item):
        return item.latest


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.5

    def items(self):
        return ["articles:home", "articles:topic_list", "articles:analyst_list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "sections": SectionSitemap,
    "stories": ArticleSitemap,
    "topics": TopicSitemap,
    "analysts": AnalystSitemap,
}


# The sitemap as django.contrib.sitemaps renders it, through the page cache.
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
        {"stories": stories, "publication": settings.NEWSROOM},
        content_type="application/xml; charset=utf-8",
    )
