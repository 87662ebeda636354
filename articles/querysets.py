"""Chainable querysets: the one place where "visible to readers" is defined."""
from django.db import models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """Return the stories readers may see: published status and a publication time now or past."""
        from .models import Article

        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=at or timezone.now())

    def scheduled(self, *, at=None):
        """Return published-status stories whose publication time is still in the future."""
        from .models import Article

        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=at or timezone.now())

    def tagged(self, topic):
        """Return the stories tagged with this topic (a Topic or its slug)."""
        if isinstance(topic, str):
            return self.filter(topics__slug=topic)
        return self.filter(topics=topic)

    def quoting(self, analyst):
        """Return the stories that carry commentary from this analyst.

        A semi-join, not a join + DISTINCT: a prolific analyst has tens of thousands of stories.
        """
        from .models import Commentary

        return self.filter(pk__in=Commentary.objects.filter(analyst=analyst).values("article_id"))

    def citing(self, source):
        """Return the stories that cite this source."""
        return self.filter(citations__source=source).distinct()

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_listing(self):
        """Load what a story teaser shows (bylines, topics) without one query per story."""
        return self.prefetch_related("topics", "bylines__author")


class SlugNaturalKeyManager(models.Manager):
    """Let fixtures refer to rows by slug instead of database id."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class StoryPartManager(models.Manager):
    """Natural key for rows that belong to a story in order (commentary, citations)."""

    def get_by_natural_key(self, article_slug, sort_order):
        return self.get(article__slug=article_slug, sort_order=sort_order)


class TaggedArticleManager(models.Manager):
    def get_by_natural_key(self, article_slug, topic_name):
        return self.get(content_object__slug=article_slug, tag__name=topic_name)
