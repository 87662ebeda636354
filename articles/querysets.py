"""Chainable querysets: the one place where "visible to readers" is defined."""
from django.db import models
from django.utils import timezone

# What a teaser, a list's JSON-LD and keyset pages read of a story (with its id).
TEASER_FIELDS = ("headline", "slug", "dek", "dateline", "kind", "published_at")


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """Return the stories readers may see: published status and a publication time now or past."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=at or timezone.now())

    def scheduled(self, *, at=None):
        """Return published-status stories whose publication time is still in the future."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__gt=at or timezone.now())

    def tagged(self, topic):
        """Return the stories tagged with this topic (a Topic or its slug)."""
        if isinstance(topic, str):
            return self.filter(topics__slug=topic)
        return self.filter(topics=topic)

    def quoting(self, analyst):
        """Return the stories that carry commentary from this analyst.

        A semi-join, not a join + DISTINCT: a prolific analyst has tens of thousands of stories.
        """
        quotes = self.model._meta.get_field("commentary").related_model.objects
        return self.filter(pk__in=quotes.filter(analyst=analyst).values("article_id"))

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def among_links(self, links, story_field, limit, *, newest=True, offset=0, one_per_story=False):
        """Return up to `limit` of these stories that ordered link rows point at, in the same order.

        The links (TaggedArticle, Commentary or Citation, ordered by their copy of the story's live-from time)
        are read through their own index; these stories are then fetched by id, so the caller's
        filter (published()) still decides. Two quotes in one story are two rows: unless the links
        have one row per story (`one_per_story`: a story carries a topic once), they are grouped to
        one row per story first, so `limit` rows are `limit` stories and `offset` skips stories.
        """
        story_column = f"{story_field}_id"
        if not one_per_story:
            links = links.one_per_story(story_field)
        ids = links.values(story_column)[offset : offset + limit]
        order = ("-published_at", "-pk") if newest else ("published_at", "pk")
        return self.filter(pk__in=ids).order_by(*order)[:limit]

    def for_teasers(self, *also):
        """Load of each story only what a teaser shows (TEASER_FIELDS) and `also` (a feed's credit and revision time).

        A teaser's fragment is keyed by every field loaded (pagecache/fragments.py): a field it does
        not show would make a save that changed only that field render it again. The reader loads
        the stories' topics itself (reader/queries.py, attach_listed_topics).
        """
        return self.only(*TEASER_FIELDS, *also)

    def with_bylines(self):
        """Load bylines and their authors in one query (feeds print them)."""
        bylines = self.model._meta.get_field("bylines").related_model.objects.select_related("author")
        return self.prefetch_related(models.Prefetch("bylines", queryset=bylines))


class StoryLinkQuerySet(models.QuerySet):
    """Topic links, quotes and citations: each carries a copy of its story's live-from time (articles/visibility.py)."""

    def live(self, *, at=None):
        """Return the rows whose story is live now (or at `at`), by the copied time."""
        return self.filter(story_live_at__lte=at or timezone.now())

    def newest_first(self, story_field):
        # By the id column: ordering by the relation would join the stories for their own ordering.
        return self.order_by("-story_live_at", f"-{story_field}_id")

    def one_per_story(self, story_field):
        """Return one row per (live-from time, story), in this order: a story quoting an analyst twice is one row.

        Grouped along the links' (owner, live-from, story) index. Reading a fixed slack of rows per
        story instead left a page short when a story quoted the analyst more often than the slack,
        and read three stories' rows per story shown (a third of an analyst page's SQL on SQLite).
        """
        # The count is not read: an aggregate is how Django is told to GROUP BY these two columns
        # (DISTINCT cannot be used, PostgreSQL refuses ordering by a column a DISTINCT does not select).
        return self.values("story_live_at", f"{story_field}_id").annotate(rows=models.Count("pk"))

    def live_time(self, *, newest=True, at=None):
        """Return the newest (or first) live-from time among the rows live now (or at `at`): one step into the index.

        A one-row queryset, for a Subquery.
        """
        return self.live(at=at).order_by("-story_live_at" if newest else "story_live_at").values("story_live_at")[:1]

    def next_live_time(self, *, at=None):
        """Return the soonest live-from time still to come (a scheduled story), as a one-row queryset for a Subquery."""
        later = self.filter(story_live_at__gt=at or timezone.now())
        return later.order_by("story_live_at").values("story_live_at")[:1]


class SlugNaturalKeyManager(models.Manager):
    """Let fixtures refer to rows by slug instead of database id."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class StoryPartManager(models.Manager):
    """Natural key for rows that belong to a story in order (commentary, citations)."""

    def get_by_natural_key(self, article_slug, sort_order):
        return self.get(article__slug=article_slug, sort_order=sort_order)


class StoryLinkPartManager(StoryPartManager.from_queryset(StoryLinkQuerySet)):
    """Quotes and citations: ordered parts of a story that also carry its live-from time."""

    pass


class TaggedArticleManager(models.Manager.from_queryset(StoryLinkQuerySet)):
    def get_by_natural_key(self, article_slug, topic_name):
        return self.get(content_object__slug=article_slug, tag__name=topic_name)
