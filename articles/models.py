"""Editorial records: stories, the people and organizations they quote, the sources they cite."""
import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator, slugify
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from .querysets import (
    ArticleQuerySet,
    SlugNaturalKeyManager,
    StoryLinkPartManager,
    TaggedArticleManager,
)
from .sanitize import clean_html


def unique_slug(instance, value, *, field="slug", max_length=200):
    """Return a slug for value that no other row of instance's model uses."""
    base = slugify(value, allow_unicode=True)[:max_length].strip("-") or "item"
    model = type(instance)
    candidate, n = base, 2
    while model._default_manager.filter(**{field: candidate}).exclude(pk=instance.pk).exists():
        suffix = f"-{n}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return candidate


@functools.lru_cache(maxsize=8192)
def _slug_url(name, slug, prefix, urlconf):
    return reverse(name, kwargs={"slug": slug})


@functools.lru_cache(maxsize=256)
def _site_url(name, prefix, urlconf):
    return reverse(name)


def site_url(name):
    """Return reverse(name) for a URL without arguments, remembered: every page's shell links the same sections."""
    return _site_url(name, get_script_prefix(), get_urlconf())


def slug_url(name, slug):
    """Return reverse(name, slug=slug), remembered: a list page links each story and topic twice or more."""
    return _slug_url(name, slug, get_script_prefix(), get_urlconf())


def slug_urls(name):
    """Return a function giving slug_url(name, slug) for many slugs under the URL configuration of now.

    Reading the script prefix and URL configuration is most of slug_url's time (two context-local
    reads): a list's twenty links read them once.
    """
    return functools.partial(_slug_url, name, prefix=get_script_prefix(), urlconf=get_urlconf())


def story_live_at_field(whose):
    """Return the copy of a story's live-from time a link row keeps (articles/visibility.py)."""
    return models.DateTimeField(
        "story live from", null=True, blank=True, editable=False,
        help_text="Copied from the story (articles/visibility.py): its publication time while it has published "
        f"status, else empty. Lets {whose} list walk one index; the story itself stays the rule.",
    )


class Organization(models.Model):
    """A think tank, university, ministry, state broadcaster, wire service or other body."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government or ministry"
        STATE_MEDIA = "state_media", "State media"
        THINK_TANK = "think_tank", "Think tank"
        UNIVERSITY = "university", "University"
        NEWS_AGENCY = "news_agency", "News agency"
        NGO = "ngo", "NGO"
        OTHER = "other", "Other"

    name = models.CharField(
        "name", max_length=200, unique=True,
        help_text="Full name as you would print it, e.g. “Korea Research Institute for National Strategy”.",
    )
    slug = models.SlugField(
        "slug", max_length=200, unique=True, allow_unicode=True,
        help_text="Short web address. Filled from the name; change only before it is used.",
    )
    kind = models.CharField(
        "kind", max_length=20, choices=Kind.choices, default=Kind.OTHER,
        help_text="What sort of body this is. Used to count sourcing (e.g. state media only).",
    )
    country = models.CharField(
        "country", max_length=100, blank=True,
        help_text="Country the organization is based in, e.g. “South Korea”.",
    )
    url = models.URLField("website", blank=True, help_text="Official website, if any.")
    state_controlled = models.BooleanField(
        "state-controlled", default=False,
        help_text="Tick when a government controls what this body publishes or says: it appoints the leaders, or "
        "sets the editorial line or the budget with no independent oversight (the test in the verification "
        "policy). State media always are. Not for ministries and offices: their kind says what they are. "
        "Readers see its quotes and citations labelled “state-controlled”.",
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "organization"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def is_state_controlled(self):
        """State the state_controlled_q() rule for one organization."""
        return self.state_controlled or self.kind == self.Kind.STATE_MEDIA

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


def state_controlled_q(prefix=""):
    """Return the Q selecting state-controlled organizations (`prefix` reaches one from elsewhere: "organization__").

    The one rule: ticked as state-controlled, or of the kind state media (rows written without save(),
    such as bulk loads, count too).
    """
    return Q(**{f"{prefix}state_controlled": True}) | Q(**{f"{prefix}kind": Organization.Kind.STATE_MEDIA})


@receiver(pre_save, sender=Organization)
def _state_media_is_state_controlled(sender, instance, **kwargs):
    """Tick state media as state-controlled on every save, raw ones included (fixtures), so the box says it."""
    if instance.kind == Organization.Kind.STATE_MEDIA:
        instance.state_controlled = True


class Analyst(models.Model):
    """A named expert quoted in stories. Analysts are not staff and never log in."""

    name = models.CharField(
        "name", max_length=200,
        help_text="Name as printed, in the order the person uses (e.g. “Moon Seong Mook”).",
    )
    slug = models.SlugField(
        "slug", max_length=200, unique=True, allow_unicode=True,
        help_text="Web address of the analyst's page. Filled from the name.",
    )
    title = models.CharField(
        "current title", max_length=200, blank=True,
        help_text="Current job title, e.g. “professor”. Stories keep the title printed at the time.",
    )
    organization = models.ForeignKey(
        Organization, verbose_name="current affiliation", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="analysts",
        help_text="Where the analyst works now. Stories keep the affiliation printed at the time.",
    )
    bio = models.TextField(
        "short bio", blank=True,
        help_text="Two or three sentences for the analyst's public page. Facts only, sourced.",
    )
    website = models.URLField("website", blank=True, help_text="Personal or institutional page.")
    profile_url = models.URLField(
        "other profile", blank=True, help_text="Another public profile (e.g. a faculty page).",
    )
    self_described_gender = models.CharField(
        "gender (self-described)", max_length=50, blank=True,
        help_text="Only as the analyst describes themself, only if the desk counts it. "
        "Counted in aggregate on the sourcing dashboard; never shown publicly.",
    )
    updated_at = models.DateTimeField("updated", auto_now=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "analyst"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    # The URL of its page, by its slug (get_absolute_url; a list's JSON-LD reverses many at once).
    page_url_name = "articles:analyst_detail"

    def get_absolute_url(self):
        return slug_url(self.page_url_name, self.slug)

    @property
    def affiliation(self):
        return self.organization.name if self.organization_id else ""

    @property
    def is_state_controlled(self):
        """Whether their current affiliation is state-controlled (quotes are labelled by it)."""
        return self.organization_id is not None and self.organization.is_state_controlled

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


class Source(models.Model):
    """Where reported information came from: a statement, a dispatch, an official, a document, a wire."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", "Organization's statement"
        STATE_MEDIA = "state_media", "State-media dispatch"
        OFFICIAL = "official", "Official"
        DOCUMENT = "document", "Document"
        WIRE = "wire", "Wire service"

    name = models.CharField(
        "name", max_length=255,
        help_text="How readers should see it listed, e.g. “Kim Yo Jong statement carried by KCNA”.",
    )
    slug = models.SlugField(
        "slug", max_length=200, unique=True, allow_unicode=True,
        help_text="Web address of the source's page. Filled from the name.",
    )
    kind = models.CharField(
        "kind", max_length=20, choices=Kind.choices,
        help_text="What sort of source this is.",
    )
    organization = models.ForeignKey(
        Organization, verbose_name="organization", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="sources",
        help_text="The body that issued or carried it, if any.",
    )
    url = models.URLField("link", blank=True, max_length=500, help_text="Public link to the original, if any.")
    description = models.TextField(
        "note", blank=True, help_text="A line of context for readers: who said it, when, where it ran.",
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "source"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    # The URL of its page, by its slug (get_absolute_url; a list's JSON-LD reverses many at once).
    page_url_name = "articles:source_detail"

    def get_absolute_url(self):
        return slug_url(self.page_url_name, self.slug)

    @property
    def is_state_controlled(self):
        """State the state_controlled_source_q() rule for one source."""
        return self.kind == self.Kind.STATE_MEDIA or (
            self.organization_id is not None and self.organization.is_state_controlled
        )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


def state_controlled_source_q(prefix=""):
    """Return the Q selecting state-controlled sources: state-media dispatches, and what state-controlled
    organizations issue (`prefix` reaches a source from elsewhere: "source__")."""
    return Q(**{f"{prefix}kind": Source.Kind.STATE_MEDIA}) | state_controlled_q(f"{prefix}organization__")


class Topic(TagBase):
    """An editorial topic (a taggit tag that carries a description)."""

    description = models.TextField(
        "description", blank=True,
        help_text="One or two sentences shown at the top of the topic page.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"

    # The URL of its page, by its slug (get_absolute_url; a list's JSON-LD reverses many at once).
    page_url_name = "articles:topic_detail"

    def get_absolute_url(self):
        return slug_url(self.page_url_name, self.slug)


class TaggedArticle(TaggedItemBase):
    """Link between a story and one of its topics."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")
    story_live_at = story_live_at_field("a topic's")

    objects = TaggedArticleManager()

    class Meta:
        verbose_name = "topic on story"
        verbose_name_plural = "topics on stories"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_topic_per_story"),
        ]
        indexes = [
            # A topic's stories without touching the table (topic pages, counts, feeds).
            models.Index(fields=["tag", "content_object"], name="tagged_topic_story"),
            # A topic's live stories newest first, at any depth, whatever the topic's size.
            models.Index(fields=["tag", "-story_live_at", "-content_object"], name="tagged_topic_live"),
            # The busiest topics of a window (home sidebar, search suggestions).
            models.Index(fields=["story_live_at", "tag"], name="tagged_live_topic"),
        ]

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)

    natural_key.dependencies = ["articles.article", "articles.topic"]


class Article(models.Model):
    """A story: news, analysis or opinion."""

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Unpublished / archived"

    headline = models.CharField(
        "headline", max_length=200,
        help_text="Say what happened, in under 100 characters if you can. No trailing full stop.",
    )
    slug = models.SlugField(
        "slug", max_length=200, unique=True, allow_unicode=True,
        help_text="The story's web address. Filled from the headline; Hangul is fine. "
        "Changing it after publication redirects the old address.",
    )
    dek = models.TextField(
        "dek", max_length=400, blank=True,
        help_text="The standfirst under the headline: one or two sentences on why it matters.",
    )
    dateline = models.CharField(
        "dateline", max_length=100, blank=True,
        help_text="City the story was filed from, in capitals, e.g. “SEOUL”.",
    )
    credit = models.CharField(
        "desk credit", max_length=100, blank=True,
        help_text="Credit the desk or outlet instead of (or as well as) named authors, e.g. “Realist English”.",
    )
    body = models.TextField(
        "body", blank=True,
        help_text="The story text. Paragraphs, links, emphasis, lists and block quotes are kept; "
        "anything else is removed when you save.",
    )
    kind = models.CharField(
        "kind", max_length=10, choices=Kind.choices, default=Kind.NEWS,
        help_text="News reports; analysis explains; opinion argues. Shown to readers and search engines.",
    )
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True,
        help_text="Readers see a story only when it is Published and its publication time has come.",
    )
    published_at = models.DateTimeField(
        "publication time", null=True, blank=True,
        help_text="When readers first see it. A time in the future schedules the story.",
    )
    revised_at = models.DateTimeField(
        "last editorial update", null=True, blank=True,
        help_text="Shown to readers as “Updated”. Set when a correction or update is added.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("last saved", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="created by", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    version = models.PositiveIntegerField(
        "version", default=1, editable=False,
        help_text="Goes up by one on every save, so an edit based on an old copy is refused.",
    )
    search_document = models.TextField("search text", blank=True, editable=False)
    copy_checksum = models.CharField(
        "imported copy checksum", max_length=64, blank=True, db_index=True, editable=False,
    )
    backstory = models.TextField(
        "how we reported this", blank=True,
        help_text="Optional note for readers under the story: where the reporting came from, what could not be "
        "checked, why sources are unnamed. Plain text; a blank line starts a new paragraph.",
    )

    topics = TaggableManager(
        "topics", through=TaggedArticle, blank=True,
        help_text="Start typing to pick an existing topic; separate topics with commas. "
        "A name that does not exist yet creates a new topic.",
    )
    sources = models.ManyToManyField(Source, through="Citation", related_name="articles", blank=True)
    analysts = models.ManyToManyField(Analyst, through="Commentary", related_name="articles", blank=True)

    history = HistoricalRecords(excluded_fields=["search_document", "updated_at"])
    objects = SlugNaturalKeyManager.from_queryset(ArticleQuerySet)()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "story"
        verbose_name_plural = "stories"
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish stories"),
            ("merge_topics", "Can merge duplicate topics"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["-published_at", "-id"], name="article_published_desc"),
            # Keyset pages (reader/pagination.py): published stories by (published_at, id).
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_published_id"),
            # The sitemap index's lastmod: the newest revision of a published story, one step in.
            models.Index(fields=["status", "-revised_at"], name="article_status_revised"),
            # The admin's story list filtered by kind, newest first, and counted, without reading stories.
            models.Index(fields=["kind", "-published_at", "-id"], name="article_kind_published_id"),
            # The admin's story list sorted by headline (the admin breaks ties by id, descending).
            models.Index(fields=["headline", "-id"], name="article_headline_id"),
            # ... and sorted by publication time, oldest first: the admin still breaks ties newest
            # id first, an order the (published_at, id) index above cannot give (a sort of every story).
            models.Index(fields=["published_at", "-id"], name="article_published_asc_id"),
        ]

    def __str__(self):
        return self.headline

    def natural_key(self):
        return (self.slug,)

    # The URL of its page, by its slug (get_absolute_url; a list's JSON-LD reverses many at once).
    page_url_name = "articles:article_detail"

    def get_absolute_url(self):
        return slug_url(self.page_url_name, self.slug)

    def is_published(self, *, at=None):
        """State the published() rule for this one story."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (at or timezone.now())
        )

    is_published.boolean = True
    is_published.short_description = "live"

    @property
    def live_from(self):
        """Return when the published() rule shows this story from: its publication time, if it has published status."""
        return self.published_at if self.status == self.Status.PUBLISHED else None

    def is_scheduled(self, *, at=None):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > (at or timezone.now())
        )

    @cached_property
    def listed_topics(self):
        """Return the story's topics by name (for_listing() fills this in for a whole list at once)."""
        return list(self.topics.order_by("name"))

    @property
    def last_modified(self):
        """The time readers, feeds and sitemaps treat as the story's latest change."""
        return max(filter(None, [self.published_at, self.revised_at]), default=self.updated_at)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.headline)
        super().save(*args, **kwargs)


@receiver(pre_save, sender=Article)
def _store_body_sanitized(sender, instance, **kwargs):
    """Sanitize the body on every save, raw ones included (fixtures, import_content)."""
    instance.body = clean_html(instance.body)


class Byline(models.Model):
    """A staff author credited on a story, in printed order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="author", on_delete=models.PROTECT, related_name="bylines",
        help_text="A staff member. Their display name is printed (People and standards → Staff profiles); "
        "a story whose byline has someone without one cannot be published.",
    )
    sort_order = models.PositiveIntegerField("order", default=0, db_index=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "byline"
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="unique_byline")]

    def __str__(self):
        return self.author.get_full_name() or self.author.get_username()


class Citation(models.Model):
    """A source cited by a story, and what the story took from it."""

    class Use(models.TextChoices):
        QUOTE = "quote", "Quote"
        SUMMARY = "summary", "Summary"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(
        Source, verbose_name="source", on_delete=models.PROTECT, related_name="citations",
        help_text="Start typing to find the source. Add a missing one with the + button.",
    )
    use = models.CharField(
        "taken as", max_length=10, choices=Use.choices, default=Use.SUMMARY,
        help_text="Quote: the words are the source's own. Summary: our paraphrase of it.",
    )
    taken = models.TextField(
        "what was taken", blank=True,
        help_text="The quote (without quotation marks), or a one-line summary of what the story relies on "
        "from this source.",
    )
    url = models.URLField(
        "link", blank=True, max_length=500,
        help_text="Link to the specific item (statement, dispatch, document), if it differs from the source's link.",
    )
    sort_order = models.PositiveIntegerField("order", default=0, db_index=True)
    story_live_at = story_live_at_field("a source's")

    objects = StoryLinkPartManager()
    # The copied time is the story's, not the citation's: its history is the story's own.
    history = HistoricalRecords(excluded_fields=["story_live_at"])

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "citation"
        indexes = [
            models.Index(fields=["source", "article"], name="citation_source_article"),
            # A source's live stories newest first, however often it is cited.
            models.Index(fields=["source", "-story_live_at", "-article"], name="citation_source_live"),
        ]

    def __str__(self):
        return str(self.source)

    def natural_key(self):
        return (self.article.slug, self.sort_order)

    natural_key.dependencies = ["articles.article", "articles.source"]

    @property
    def link(self):
        return self.url or self.source.url


class Commentary(models.Model):
    """An analyst's quote or paraphrase in a story, with how they were described at the time."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="commentary")
    analyst = models.ForeignKey(
        Analyst, verbose_name="analyst", on_delete=models.PROTECT, related_name="commentary",
        help_text="Start typing the analyst's name. Add a new analyst with the + button.",
    )
    text = models.TextField(
        "quote or paraphrase",
        help_text="Exactly as printed in the story. Direct quotes without the quotation marks.",
    )
    is_direct_quote = models.BooleanField(
        "direct quote", default=True,
        help_text="Tick for the analyst's own words; untick for a paraphrase or reported speech.",
    )
    title_as_printed = models.CharField(
        "title as printed", max_length=200, blank=True,
        help_text="The title printed in this story. Left blank, it is filled from the analyst's current title.",
    )
    affiliation_as_printed = models.CharField(
        "affiliation as printed", max_length=200, blank=True,
        help_text="The affiliation printed in this story. Left blank, it is filled from the analyst's current "
        "affiliation. Later changes to the analyst never rewrite it.",
    )
    sort_order = models.PositiveIntegerField("order", default=0, db_index=True)
    story_live_at = story_live_at_field("an analyst's")

    objects = StoryLinkPartManager()
    # The copied time is the story's, not the quote's: its history is the story's own.
    history = HistoricalRecords(excluded_fields=["story_live_at"])

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "expert commentary"
        verbose_name_plural = "expert commentary"
        indexes = [
            models.Index(fields=["analyst", "article"], name="commentary_analyst_article"),
            # An analyst's live stories newest first, however prolific they are.
            models.Index(fields=["analyst", "-story_live_at", "-article"], name="commentary_analyst_live"),
            # The most quoted analysts of a window (home sidebar).
            models.Index(fields=["story_live_at", "analyst", "article"], name="commentary_live_analyst"),
        ]

    def __str__(self):
        return f"{self.analyst}: “{Truncator(self.text).chars(70)}”"

    def natural_key(self):
        return (self.article.slug, self.sort_order)

    natural_key.dependencies = ["articles.article", "articles.analyst"]

    def save(self, *args, **kwargs):
        # Snapshot how the analyst is described now, so a later move does not rewrite old stories.
        if self._state.adding and self.analyst_id:
            if not self.title_as_printed:
                self.title_as_printed = self.analyst.title
            if not self.affiliation_as_printed:
                self.affiliation_as_printed = self.analyst.affiliation
        super().save(*args, **kwargs)


class Correction(models.Model):
    """A correction, clarification or update appended to a published story."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        "kind", max_length=15, choices=Kind.choices, default=Kind.CORRECTION,
        help_text="Correction: we got a fact wrong (shown at the top of the story). Clarification: "
        "we were unclear. Update: the story has moved on.",
    )
    text = models.TextField(
        "text", help_text="What was wrong and what is right, in plain words. Readers see this verbatim.",
    )
    published_at = models.DateTimeField(
        "date", default=timezone.now, help_text="When the correction was made public.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "correction"
        indexes = [models.Index(fields=["-published_at"], name="correction_published_desc")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.article}"

    def clean(self):
        if self.published_at and self.published_at > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError({"published_at": "A correction cannot be dated in the future: readers see it now."})

    @property
    def is_serious(self):
        return self.kind == self.Kind.CORRECTION


class Transition(models.Model):
    """A record of who moved a story from one status to another, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Article.Status.choices)
    to_status = models.CharField(max_length=10, choices=Article.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "status change"

    def __str__(self):
        return f"{self.article}: {self.from_status} → {self.to_status}"


class SlugRedirect(models.Model):
    """An address a story used to have; it answers with a permanent redirect."""

    old_slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "old story address"
        verbose_name_plural = "old story addresses"

    def __str__(self):
        return self.old_slug


def self_described_enabled():
    """Return whether the desk records analysts' self-described fields (NEWSROOM_SOURCING_SELF_DESCRIBED)."""
    return getattr(settings, "NEWSROOM_SOURCING_SELF_DESCRIBED", False)
