"""RSS 2.0 and Atom feeds: the latest stories, and the latest per topic, per analyst and per author.

Each story's id is a tag: URI (formats.story_tag_uri) that no new slug or publication time changes;
addresses are the configured site's, times whole seconds; the dek is plain text; every author is
named on their own, by the name bylines print (never a login), and in Atom with their author page.
"""
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from articles.models import Analyst, Article, Byline, Commentary, TaggedArticle, Topic
from pagecache import cache
from people.models import StaffProfile
from people.names import BYLINE_AUTHOR, credited

from .formats import absolute_url, story_tag_uri, whole_seconds
from .jsonld import media_url
from .people import bylines_of, stories_by
from .queries import attach_teaser_parts

FEED_SIZE = 30
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class RssFeedType(Rss201rev2Feed):
    """RSS 2.0 with one <dc:creator> per author and the dek as text (RSS descriptions are HTML)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "author_name": None, "description": None})
        for name in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["dek"]:
            # Escaped once more: a reader decodes the description as HTML and shows the dek's own text.
            handler.addQuickElement("description", escape(item["dek"]))


class AtomFeedType(Atom1Feed):
    """Atom with one <author> per author and the dek as a text summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "author_name": None, "description": None})
        for name, uri in zip(item["authors"], item["author_uris"], strict=True):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if uri:
                handler.addQuickElement("uri", uri)
            handler.endElement("author")
        if item["dek"]:
            handler.addQuickElement("summary", item["dek"], {"type": "text"})


class LatestStoriesFeed(Feed):
    """The newest published stories from the whole desk."""

    feed_type = RssFeedType
    # A tag: URI, not the story's address: readers would show a renamed story again as new.
    item_guid_is_permalink = False

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
        return absolute_url(reverse("articles:home"))

    def feed_url(self):
        return absolute_url(reverse("articles:feed_rss"))

    @property
    def language(self):
        # An attribute to Django's Feed, not a method it calls: a method printed its own repr.
        return settings.NEWSROOM["LANGUAGE"]

    def stories(self, obj=None):
        # A feed item also names its credit and its latest change (Article.last_modified).
        stories = Article.objects.published().newest_first()
        # Each byline with its author's profile: the name it prints and the page it links.
        bylines = Prefetch("bylines", queryset=Byline.objects.select_related(BYLINE_AUTHOR))
        return stories.for_teasers("credit", "revised_at", "updated_at", "created_at").prefetch_related(bylines)

    def items(self, obj=None):
        return attach_teaser_parts(list(self.stories(obj)[:FEED_SIZE]))

    def item_title(self, item):
        return item.headline

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return story_tag_uri(item)

    def item_pubdate(self, item):
        return whole_seconds(item.published_at)

    def item_updateddate(self, item):
        return whole_seconds(item.last_modified)

    def item_extra_kwargs(self, item):
        # The feed types write the dek (as text) and each author themselves.
        authors = self.item_authors(item)
        return {"dek": item.dek, "authors": [name for name, _ in authors], "author_uris": [uri for _, uri in authors]}

    def item_authors(self, item):
        """Return the story's authors as (name, author page or ""): its bylines, then its desk credit, else the
        publication."""
        authors = [
            (author.name, absolute_url(author.url) if author.url else "") for author in credited(item.bylines.all())
        ]
        if item.credit:
            authors.append((item.credit, ""))
        return authors or [(settings.NEWSROOM["NAME"], "")]

    def item_categories(self, item):
        return [topic.name for topic in item.listed_topics]

    def item_enclosures(self, item):
        # The lead picture's share card (a 1200 x 630 JPEG), for readers that show a picture per item.
        picture = item.teaser_image
        if picture is None or not picture.share_url:
            return []
        return [Enclosure(media_url(picture.share_url), str(picture.share_bytes), "image/jpeg")]


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = AtomFeedType

    def feed_url(self):
        return absolute_url(reverse("articles:feed_atom"))


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
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(reverse("articles:topic_feed_rss", kwargs={"slug": obj.slug}))

    def items(self, obj=None):
        links = TaggedArticle.objects.filter(tag=obj).live().newest_first("content_object")
        stories = self.stories().among_links(links, "content_object", FEED_SIZE, one_per_story=True)
        return attach_teaser_parts(list(stories))


class TopicAtomFeed(TopicFeed):
    feed_type = AtomFeedType

    def feed_url(self, obj):
        return absolute_url(reverse("articles:topic_feed_atom", kwargs={"slug": obj.slug}))


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
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(reverse("articles:analyst_feed_rss", kwargs={"slug": obj.slug}))

    def items(self, obj=None):
        quotes = Commentary.objects.filter(analyst=obj).live().newest_first("article")
        return attach_teaser_parts(list(self.stories().among_links(quotes, "article", FEED_SIZE)))


class AnalystAtomFeed(AnalystFeed):
    feed_type = AtomFeedType

    def feed_url(self, obj):
        return absolute_url(reverse("articles:analyst_feed_atom", kwargs={"slug": obj.slug}))


class AuthorFeed(LatestStoriesFeed):
    """The newest published stories by one member of staff."""

    def get_object(self, request, slug):
        profile = get_object_or_404(StaffProfile, slug=slug)
        if not profile.is_current and not stories_by(profile).exists():
            raise Http404("No published stories by this former member of staff.")
        return profile

    def title(self, obj):
        return f"{settings.NEWSROOM['NAME']}: stories by {obj.display_name}"

    def description(self, obj):
        return f"The latest stories by {obj.display_name}."

    subtitle = description

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(reverse("articles:author_feed_rss", kwargs={"slug": obj.slug}))

    def items(self, obj=None):
        stories = self.stories().filter(pk__in=bylines_of(obj).values("article_id"))
        return attach_teaser_parts(list(stories[:FEED_SIZE]))


class AuthorAtomFeed(AuthorFeed):
    feed_type = AtomFeedType

    def feed_url(self, obj):
        return absolute_url(reverse("articles:author_feed_atom", kwargs={"slug": obj.slug}))
