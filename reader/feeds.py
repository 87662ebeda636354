"""RSS 2.0 and Atom feeds: the latest stories, and the latest per topic and per analyst."""
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Analyst, Article, Commentary, TaggedArticle, Topic
from pagecache import cache

from .queries import attach_listed_topics

FEED_SIZE = 30


class LatestStoriesFeed(Feed):
    """The newest published stories from the whole desk."""

    # "topic" or "analyst" for a feed of one of them (URL kwarg slug): cached like its page.
    cache_scope = None

    def __call__(self, request, *args, **kwargs):
        scope = (self.cache_scope, kwargs["slug"]) if self.cache_scope else None
        return cache.serve(
            request, lambda: super(LatestStoriesFeed, self).__call__(request, *args, **kwargs), scope,
        )

    def title(self):
        return f"{settings.NEWSROOM['NAME']}: latest stories"

    def description(self):
        return settings.NEWSROOM["TAGLINE"]

    subtitle = description

    def link(self):
        return reverse("articles:home")

    def feed_url(self):
        return reverse("articles:feed_rss")

    @property
    def language(self):
        # An attribute to Django's Feed, not a method it calls: a method printed its own repr.
        return settings.NEWSROOM["LANGUAGE"]

    def stories(self, obj=None):
        # A feed item also names its credit and its latest change (Article.last_modified).
        stories = Article.objects.published().newest_first()
        return stories.for_teasers("credit", "revised_at", "updated_at").with_bylines()

    def items(self, obj=None):
        return attach_listed_topics(list(self.stories(obj)[:FEED_SIZE]))

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.dek

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_modified

    def item_author_name(self, item):
        names = [byline.author.get_full_name() or byline.author.get_username() for byline in item.bylines.all()]
        if item.credit:
            names.append(item.credit)
        return ", ".join(names) or settings.NEWSROOM["NAME"]

    def item_categories(self, item):
        return [topic.name for topic in item.listed_topics]


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = Atom1Feed

    def feed_url(self):
        return reverse("articles:feed_atom")


class TopicFeed(LatestStoriesFeed):
    """The newest published stories on one topic."""

    cache_scope = "topic"

    def get_object(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        # A feed needs no count: one live story is enough (the links' copy of the rule, an index probe).
        if not TaggedArticle.objects.filter(tag=topic).live().exists():
            raise Http404("No published stories on this topic.")
        return topic

    def title(self, obj):
        return f"{settings.NEWSROOM['NAME']}: {obj.name}"

    def description(self, obj):
        return obj.description or f"The latest stories on {obj.name}."

    subtitle = description

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        return reverse("articles:topic_feed_rss", kwargs={"slug": obj.slug})

    def items(self, obj=None):
        links = TaggedArticle.objects.filter(tag=obj).live().newest_first("content_object")
        stories = self.stories().among_links(links, "content_object", FEED_SIZE, one_per_story=True)
        return attach_listed_topics(list(stories))


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed

    def feed_url(self, obj):
        return reverse("articles:topic_feed_atom", kwargs={"slug": obj.slug})


class AnalystFeed(LatestStoriesFeed):
    """The newest published stories quoting one analyst."""

    cache_scope = "analyst"

    def get_object(self, request, slug):
        analyst = get_object_or_404(Analyst, slug=slug)
        if not Commentary.objects.filter(analyst=analyst).live().exists():
            raise Http404("No published story quotes this analyst.")
        return analyst

    def title(self, obj):
        return f"{settings.NEWSROOM['NAME']}: stories quoting {obj.name}"

    def description(self, obj):
        return f"The latest stories in which {obj.name} is quoted."

    subtitle = description

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        return reverse("articles:analyst_feed_rss", kwargs={"slug": obj.slug})

    def items(self, obj=None):
        quotes = Commentary.objects.filter(analyst=obj).live().newest_first("article")
        return attach_listed_topics(list(self.stories().among_links(quotes, "article", FEED_SIZE)))


class AnalystAtomFeed(AnalystFeed):
    feed_type = Atom1Feed

    def feed_url(self, obj):
        return reverse("articles:analyst_feed_atom", kwargs={"slug": obj.slug})
