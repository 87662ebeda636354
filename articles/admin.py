"""The editorial admin: where editors write, source, tag and assemble stories."""
import taggit.models
from adminsortable2.admin import SortableAdminBase, SortableStackedInline, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import models
from django.db.models import Count
from django.shortcuts import render

from . import services
from .admin_workflow import ArticleWorkflowAdminMixin, ArticleWorkflowForm, DeskTimeHelpMixin, StoryPartInlineMixin
from .models import (
    Analyst,
    Article,
    Byline,
    Citation,
    Commentary,
    Correction,
    Organization,
    Source,
    Topic,
    self_described_enabled,
)
from .widgets import TopicAutocompleteWidget


def stories(n):
    """Return "1 story" or "n stories" for admin messages."""
    return f"{n} story" if n == 1 else f"{n} stories"


class BoundedSearchMixin:
    """Cut over-long admin searches: a pasted 100 kB string is a mistake, and SQLite refuses it."""

    max_search_length = 200

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term[: self.max_search_length])


class TopicActionForm(ActionForm):
    """The action bar, with a box for the topic the tagging actions use."""

    topic = forms.CharField(
        required=False, label="Topic",
        help_text="For “Add topic” and “Remove topic”: type the topic name.",
        widget=forms.TextInput(attrs={"placeholder": "Topic for tagging actions", "list": "topic-suggestions"}),
    )


class TopicListFilter(admin.SimpleListFilter):
    """Filter stories by topic, busiest topics first."""

    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        topics = Topic.objects.annotate(n=Count("tagged_articles")).order_by("-n", "name")[:40]
        return [(t.slug, t.name) for t in topics]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(topics__slug=self.value())
        return queryset


class AnalystListFilter(admin.SimpleListFilter):
    """Filter stories by quoted analyst, most-quoted first."""

    title = "analyst quoted"
    parameter_name = "analyst"

    def lookups(self, request, model_admin):
        analysts = Analyst.objects.annotate(n=Count("commentary")).filter(n__gt=0).order_by("-n", "name")[:40]
        return [(a.slug, a.name) for a in analysts]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(commentary__analyst__slug=self.value()).distinct()
        return queryset


class BylineInline(StoryPartInlineMixin, SortableTabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]
    verbose_name = "byline"
    verbose_name_plural = "Bylines (staff authors, in printed order)"


class CommentaryInline(StoryPartInlineMixin, SortableStackedInline):
    model = Commentary
    extra = 0
    autocomplete_fields = ["analyst"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})}}
    fields = ["analyst", "text", "is_direct_quote", ("title_as_printed", "affiliation_as_printed")]
    verbose_name_plural = "Expert commentary (drag to reorder)"


class CitationInline(StoryPartInlineMixin, SortableStackedInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = [("source", "use"), "taken", "url"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})}}
    verbose_name_plural = "Sources cited (drag to reorder)"


class CorrectionInline(StoryPartInlineMixin, admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "published_at"]
    verbose_name_plural = "Corrections, clarifications and updates"


# Topics are edited on the Topic list (they carry descriptions); taggit's plain tag list is unused.
admin.site.unregister(taggit.models.Tag)


@admin.register(Article)
class ArticleAdmin(BoundedSearchMixin, ArticleWorkflowAdminMixin, SortableAdminBase, admin.ModelAdmin):
    form = ArticleWorkflowForm  # ArticleAdminForm plus the version it was loaded with
    list_display = ["headline", "kind", "status", "publication_time", "is_published", "topic_list"]
    list_display_links = ["headline"]
    list_filter = ["status", "kind", TopicListFilter, AnalystListFilter, "published_at"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "dek", "slug", "commentary__analyst__name"]
    search_help_text = "Search headline, dek, address or a quoted analyst's name."
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline, CommentaryInline, CitationInline, CorrectionInline]
    list_per_page = 50
    save_on_top = True
    action_form = TopicActionForm
    actions = ["add_topic", "remove_topic", "publish_now", "unpublish"]
    readonly_fields = ["created_at", "updated_at", "version"]
    fieldsets = [
        (None, {"fields": ["headline", "dek", "dateline", "credit", "body", "loaded_version"]}),
        ("Filing", {"fields": ["kind", "topics", "status", "published_at"]}),
        (
            "Advanced",
            {
                "classes": ["collapse"],
                "fields": ["slug", "revised_at", "created_at", "updated_at", "version"],
            },
        ),
    ]

    def get_queryset(self, request):
        # One query for the list's topics instead of one per row.
        return super().get_queryset(request).prefetch_related("topics")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            kwargs["widget"] = TopicAutocompleteWidget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="topics")
    def topic_list(self, obj):
        return ", ".join(t.name for t in obj.topics.all())

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def _topic_from_action_form(self, request):
        name = (request.POST.get("topic") or "").strip()
        if not name:
            self.message_user(request, "Type a topic name in the Topic box, then run the action.", messages.ERROR)
        return name

    def _stories_user_may_tag(self, request, queryset):
        """Return the selected stories the user may edit; name the others in a message.

        Tagging is editing: a reporter tags and untags only their own drafts, as on the story form.
        """
        allowed, refused = [], []
        for story in queryset.order_by("pk"):
            (allowed if self.has_change_permission(request, story) else refused).append(story)
        if refused:
            names = ", ".join(f"“{story.headline}”" for story in refused)
            self.message_user(
                request, f"You may not change the topics of {stories(len(refused))} you cannot edit: {names}.",
                messages.ERROR,
            )
        return allowed

    def _log_topic_change(self, request, changed, message):
        for story in changed:
            self.log_change(request, story, message)

    @admin.action(description="Add topic to selected stories", permissions=["change"])
    def add_topic(self, request, queryset):
        if not (name := self._topic_from_action_form(request)):
            return
        allowed = self._stories_user_may_tag(request, queryset)
        if not allowed:
            return
        topic, tagged = services.articles_tag(
            articles=queryset.filter(pk__in=[s.pk for s in allowed]), name=name, user=request.user
        )
        self._log_topic_change(request, [s for s in allowed if s.pk in tagged], f"Added topic “{topic.name}”.")
        self.message_user(request, f"Tagged {stories(len(tagged))} with “{topic.name}”.", messages.SUCCESS)

    @admin.action(description="Remove topic from selected stories", permissions=["change"])
    def remove_topic(self, request, queryset):
        if not (name := self._topic_from_action_form(request)):
            return
        allowed = self._stories_user_may_tag(request, queryset)
        if not allowed:
            return
        untagged = services.articles_untag(
            articles=queryset.filter(pk__in=[s.pk for s in allowed]), name=name, user=request.user
        )
        self._log_topic_change(request, [s for s in allowed if s.pk in untagged], f"Removed topic “{name}”.")
        if untagged:
            self.message_user(request, f"Removed “{name}” from {stories(len(untagged))}.", messages.SUCCESS)
        else:
            self.message_user(request, f"None of the selected stories had the topic “{name}”.", messages.WARNING)

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        n = services.articles_publish(articles=queryset, user=request.user)
        self.message_user(request, f"Published {stories(n)}.", messages.SUCCESS)

    @admin.action(description="Unpublish selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        n = services.articles_unpublish(articles=queryset, user=request.user)
        self.message_user(request, f"Unpublished {stories(n)}; readers no longer see them.", messages.SUCCESS)


@admin.register(Topic)
class TopicAdmin(BoundedSearchMixin, admin.ModelAdmin):
    ordering = ["name"]  # aggregated querysets ignore Meta.ordering
    list_display = ["name", "slug", "story_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description"]
    actions = ["merge_topics"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("tagged_articles"))

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, obj):
        return obj.story_count

    @admin.action(description="Merge selected topics into one", permissions=["merge"])
    def merge_topics(self, request, queryset):
        topics = list(queryset.order_by("name"))
        if len(topics) < 2:
            self.message_user(request, "Select at least two topics to merge.", messages.WARNING)
            return None
        if request.POST.get("confirm"):
            try:
                target = next(t for t in topics if str(t.pk) == request.POST.get("target"))
            except StopIteration:
                self.message_user(request, "Choose the topic to keep.", messages.ERROR)
            else:
                others = [t for t in topics if t.pk != target.pk]
                moved = services.topics_merge(target=target, others=others)
                names = ", ".join(t.name for t in others)
                self.message_user(
                    request, f"Merged {names} into “{target.name}” ({stories(moved)} retagged).", messages.SUCCESS
                )
                return None
        return render(
            request,
            "admin/articles/topic/merge_topics.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge topics",
                "topics": topics,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def has_merge_permission(self, request):
        return request.user.has_perm("articles.merge_topics")


@admin.register(Organization)
class OrganizationAdmin(BoundedSearchMixin, admin.ModelAdmin):
    ordering = ["name"]  # aggregated querysets ignore Meta.ordering
    list_display = ["name", "kind", "country", "analyst_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "country"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(analyst_count=Count("analysts", distinct=True))

    @admin.display(description="analysts", ordering="analyst_count")
    def analyst_count(self, obj):
        return obj.analyst_count


@admin.register(Analyst)
class AnalystAdmin(BoundedSearchMixin, admin.ModelAdmin):
    ordering = ["name"]  # aggregated querysets ignore Meta.ordering
    list_display = ["name", "title", "organization", "story_count", "quote_count"]
    list_filter = ["organization__kind"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name", "title"]
    autocomplete_fields = ["organization"]
    prepopulated_fields = {"slug": ["name"]}
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["name", "title", "organization", "bio"]}),
        ("Links", {"fields": ["website", "profile_url"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["slug", "self_described_gender"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self_described_enabled():
            return fieldsets
        # The desk does not count self-described fields: leave them out of the form (and untouched on save).
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "self_described_gender"]})
            for name, options in fieldsets
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                story_count=Count("commentary__article", distinct=True),
                quote_count=Count("commentary", distinct=True),
            )
        )

    @admin.display(description="stories", ordering="story_count")
    def story_count(self, obj):
        return obj.story_count

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count


@admin.register(Source)
class SourceAdmin(BoundedSearchMixin, admin.ModelAdmin):
    ordering = ["name"]  # aggregated querysets ignore Meta.ordering
    list_display = ["name", "kind", "organization", "citation_count"]
    list_filter = ["kind", "organization__kind"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name", "description"]
    autocomplete_fields = ["organization"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations", distinct=True))

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, obj):
        return obj.citation_count


@admin.register(Correction)
class CorrectionAdmin(BoundedSearchMixin, DeskTimeHelpMixin, admin.ModelAdmin):
    list_display = ["article", "kind", "published_at"]
    list_filter = ["kind", "published_at"]
    list_select_related = ["article"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_at"

