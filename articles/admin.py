"""The editorial admin: where editors write, source, tag and assemble stories."""
import json

import taggit.models
from adminsortable2.admin import SortableAdminBase, SortableStackedInline, SortableTabularInline
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy, slugify

from . import roles, services
from .admin_lists import BoundedListMixin, CappedCount, is_autocomplete
from .admin_search import search_stories, substring_search
from .admin_workflow import (
    ArticleWorkflowAdminMixin,
    ArticleWorkflowForm,
    DeskTimeHelpMixin,
    RoleChecksMixin,
    StoryPartInlineMixin,
)
from .forms import QuietErrorList
from .models import (
    Analyst,
    Article,
    Byline,
    Citation,
    Commentary,
    Correction,
    Organization,
    Source,
    TaggedArticle,
    Topic,
    self_described_enabled,
    unique_slug,
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
        # Suggests existing topics as the editor types, as the story form's topic box does.
        widget=TopicAutocompleteWidget(
            attrs={"placeholder": "Topic for tagging actions", "class": "action-topic"},
            suggest_url=format_lazy(
                "{}?app_label=articles&model_name=article&field_name=topics", reverse_lazy("admin:autocomplete")
            ),
        ),
    )


# The filters list what the newest stories use: counting every story's topics or quotes took seconds.
RECENT_STORIES = 5000
FILTER_CHOICES = 40


def newest_story_id():
    """Return the newest story's id (one index step): the filters' choices are kept per newest story."""
    return Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class RecentChoicesFilter(admin.SimpleListFilter):
    """A filter whose choices are those most used by the newest RECENT_STORIES stories, plus the chosen one.

    The choices are kept for CHOICES_SECONDS and until a story is added: "busiest lately" need not be
    exact to the minute, but a new story's topics should not wait five minutes, and a cache shared by
    several databases (tests, staging) must not hand one database's choices to another.
    """

    CHOICES_SECONDS = 300

    def recent_choices(self, floor):
        raise NotImplementedError

    def chosen(self, value):
        raise NotImplementedError

    def has_output(self):
        # A chosen value filters even when no recent story offers a choice (Django would skip the
        # filter, listing every story under a link that names one topic or analyst).
        return super().has_output() or bool(self.value())

    def lookups(self, request, model_admin):
        newest = newest_story_id()
        key = f"admin-filter-choices:{self.parameter_name}:{newest}"
        choices = cache.get(key)
        if choices is None:
            choices = self.recent_choices(newest - RECENT_STORIES)
            cache.set(key, choices, self.CHOICES_SECONDS)
        value = self.value()
        if value and value not in {slug for slug, _ in choices}:
            # Chosen from elsewhere (the topic list, an analyst's page): still shown as chosen.
            choices = [*choices, *((slug, name) for slug, name in [self.chosen(value)] if slug)]
        return choices


class TopicListFilter(RecentChoicesFilter):
    """Filter stories by topic: the topics of the newest stories, busiest first."""

    title = "topic (busiest lately)"
    parameter_name = "topic"

    def recent_choices(self, floor):
        links = (
            TaggedArticle.objects.filter(content_object_id__gt=floor)
            .values("tag__slug", "tag__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "tag__name")[:FILTER_CHOICES]
        )
        return [(row["tag__slug"], row["tag__name"]) for row in links]

    def chosen(self, value):
        return Topic.objects.filter(slug=value).values_list("slug", "name").first() or (None, None)

    def queryset(self, request, queryset):
        if self.value():
            # Through the links' (topic, story) index; each story carries a topic once. The topic's
            # id is looked up first and given as a value: PostgreSQL then knows from its statistics
            # how busy the topic is and walks a busy one's links and the stories together from the
            # newest down, stopping at the page's end (0.1 ms). Given a join or a subquery, it read
            # and sorted all of them (91 ms for 38,000 links at 100,000 stories).
            topic = Topic.objects.filter(slug=self.value()).values_list("pk", flat=True).first()
            if topic is None:
                return queryset.none()
            links = TaggedArticle.objects.filter(tag_id=topic)
            return queryset.filter(pk__in=links.values("content_object_id"))
        return queryset


class AnalystListFilter(RecentChoicesFilter):
    """Filter stories by quoted analyst: those most quoted in the newest stories."""

    title = "analyst quoted (most lately)"
    parameter_name = "analyst"

    def recent_choices(self, floor):
        quotes = (
            Commentary.objects.filter(article_id__gt=floor)
            .values("analyst__slug", "analyst__name")
            .annotate(n=Count("article", distinct=True))
            .order_by("-n", "analyst__name")[:FILTER_CHOICES]
        )
        return [(row["analyst__slug"], row["analyst__name"]) for row in quotes]

    def chosen(self, value):
        return Analyst.objects.filter(slug=value).values_list("slug", "name").first() or (None, None)

    def queryset(self, request, queryset):
        if self.value():
            # A semi-join, not a join + DISTINCT over whole story rows (ArticleQuerySet.quoting),
            # with the analyst's id as a value, as for topics (PostgreSQL: 22 to 0.1 ms for the
            # busiest analyst at 100,000 stories).
            analyst = Analyst.objects.filter(slug=self.value()).values_list("pk", flat=True).first()
            if analyst is None:
                return queryset.none()
            return queryset.filter(pk__in=Commentary.objects.filter(analyst_id=analyst).values("article_id"))
        return queryset


class ChosenAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box that shows its chosen record from the row already read.

    Django's box looks its chosen record up again, one query per box: thirty on a story with many
    quotes and sources. The inline reads each row with its record (StoryPartChoicesMixin.get_queryset)
    and StoryPartForm hands it here; a box whose value changed (a form sent back) still looks it up.
    """

    chosen = None  # (str(pk), record) of the row as read

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.chosen is None or selected != [self.chosen[0]]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        record = self.chosen[1]
        label = self.choices.field.label_from_instance(record)
        options.append(self.create_option(name, record.pk, label, set(selected), len(options)))
        return [(None, options, 0)]


class StoryPartForm(forms.ModelForm):
    """A byline, quote or citation row whose autocomplete boxes show the record read with the row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the "+" and pencil links
            if isinstance(widget, ChosenAutocompleteSelect):
                chosen_id = getattr(self.instance, self.instance._meta.get_field(name).attname)
                if chosen_id is not None:
                    widget.chosen = (str(chosen_id), getattr(self.instance, name))


class StoryPartChoicesMixin:
    """Read each inline row with the records its autocomplete boxes show, in the rows' one query."""

    form = StoryPartForm

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.autocomplete_fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = ChosenAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BylineInline(StoryPartChoicesMixin, StoryPartInlineMixin, SortableTabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]
    verbose_name = "byline"
    verbose_name_plural = "Bylines (staff authors, in printed order)"


class CommentaryInline(StoryPartChoicesMixin, StoryPartInlineMixin, SortableStackedInline):
    model = Commentary
    extra = 0
    autocomplete_fields = ["analyst"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})}}
    fields = ["analyst", "text", "is_direct_quote", ("title_as_printed", "affiliation_as_printed")]
    verbose_name_plural = "Expert commentary (drag to reorder)"


class CitationInline(StoryPartChoicesMixin, StoryPartInlineMixin, SortableStackedInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = [("source", "use"), "taken", "url"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})}}
    verbose_name_plural = "Sources cited (drag to reorder)"


class CorrectionInline(StoryPartInlineMixin, admin.StackedInline):
    model = Correction
    part_capability = roles.WRITE_CORRECTIONS
    extra = 0
    fields = ["kind", "text", "published_at"]
    verbose_name_plural = "Corrections, clarifications and updates"


# Topics are edited on the Topic list (they carry descriptions); taggit's plain tag list is unused.
admin.site.unregister(taggit.models.Tag)


@admin.register(Article)
class ArticleAdmin(
    BoundedSearchMixin, BoundedListMixin, ArticleWorkflowAdminMixin, SortableAdminBase, admin.ModelAdmin
):
    form = ArticleWorkflowForm  # ArticleAdminForm plus the version it was loaded with
    list_display = ["headline", "kind", "status", "publication_time", "is_published", "topic_list"]
    list_display_links = ["headline"]
    # Kind and status are filters: sorting a million stories by a value most of them share walks no index.
    sortable_by = ["headline", "publication_time"]
    list_filter = ["status", "kind", TopicListFilter, AnalystListFilter, "published_at"]
    date_hierarchy = "published_at"
    # Searched through the search index (articles/admin_search.py); these serve only a database without one.
    search_fields = ["headline", "dek", "slug", "commentary__analyst__name"]
    search_help_text = (
        "Finds stories containing every word you type (headline, dek, text, quoted analysts' names and quotes; "
        "“talks” also finds “talk”), or a story's address. Lists the newest 1,000 matches."
    )
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline, CommentaryInline, CitationInline, CorrectionInline]
    list_per_page = 50
    save_on_top = True
    action_form = TopicActionForm
    actions = ["add_topic", "remove_topic", "publish_now", "unpublish"]
    readonly_fields = ["created_at", "updated_at", "version"]
    fieldsets = [
        (None, {"fields": ["headline", "dek", "dateline", "credit", "body", "backstory", "loaded_version"]}),
        ("Filing", {"fields": ["kind", "topics", "status", "published_at"]}),
        (
            "Advanced",
            {
                "classes": ["collapse"],
                "fields": ["slug", "revised_at", "created_at", "updated_at", "version"],
            },
        ),
    ]

    # What the list leaves unread of each story: the long texts, a hundred kilobytes a page.
    list_deferred = ["body", "search_document", "backstory", "dek"]

    def get_queryset(self, request):
        stories = super().get_queryset(request)
        match = request.resolver_match
        if match is not None and match.url_name == f"{self.opts.app_label}_{self.opts.model_name}_changelist":
            # One query for the list's topics instead of one per row, kept as a plain list on each story:
            # prefetching taggit's manager built a queryset per row to hold them (a tenth of the page).
            links = TaggedArticle.objects.select_related("tag").order_by("pk")
            return stories.defer(*self.list_deferred).prefetch_related(
                models.Prefetch("tagged_items", queryset=links, to_attr="topic_links")
            )
        return stories

    # Filters whose stories are found through link rows by story id: listed newest-added first, in the
    # links' (topic or analyst, story) index order, not by publication time (which would read every
    # such story: a third of all stories for the busiest topic).
    id_ordered_filters = ("topic", "analyst")

    def get_ordering(self, request):
        if any(request.GET.get(name) for name in self.id_ordered_filters):
            return ["-pk"]
        return super().get_ordering(request)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()[: self.max_search_length]
        if not term:
            return queryset, False
        found = search_stories(queryset, term)
        if found is None:
            found = substring_search(queryset, term)
        return found, False

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # Every row's (and the "Add another" template row's) error lists, nearly all empty.
        return {**kwargs, "form_kwargs": {**kwargs.get("form_kwargs", {}), "error_class": QuietErrorList}}

    def get_view_on_site_url(self, obj=None):
        # A story readers cannot see has no page yet: the form's Preview link opens it instead.
        if obj is None or not obj.is_published():
            return None
        return super().get_view_on_site_url(obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            # The box asks the admin's topic search as the editor types (any role that may tag may see topics).
            search = reverse(f"{self.admin_site.name}:autocomplete")
            query = f"app_label={self.opts.app_label}&model_name={self.opts.model_name}&field_name=topics"
            kwargs["widget"] = TopicAutocompleteWidget(suggest_url=f"{search}?{query}")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="topics")
    def topic_list(self, obj):
        links = getattr(obj, "topic_links", None)
        topics = obj.topics.all() if links is None else (link.tag for link in links)
        return ", ".join(t.name for t in topics)

    def has_publish_permission(self, request):
        return roles.can_publish(request.user)

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


class DeskListAdmin(RoleChecksMixin, admin.ModelAdmin):
    """One of the desk's shared lists: everyone adds and fixes entries, editors delete them."""

    view_capability = add_capability = change_capability = roles.EDIT_LISTS
    delete_capability = roles.DELETE_LISTS

    def get_search_fields(self, request):
        if is_autocomplete(request):
            # A box on a form looks for a name: one column, served by its trigram index on PostgreSQL
            # (migration 0018), not an OR over joined tables and long texts.
            return ["name"]
        return super().get_search_fields(request)


@admin.register(Topic)
class TopicAdmin(BoundedSearchMixin, BoundedListMixin, DeskListAdmin):
    ordering = ["name"]
    list_display = ["name", "slug", "stories"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description"]
    actions = ["merge_topics"]

    @admin.display(description="stories")
    def stories(self, obj):
        url = reverse("admin:articles_article_changelist")
        return format_html('<a href="{}?topic={}">Stories</a>', url, obj.slug)

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
        return roles.can(request.user, roles.MERGE_TOPICS)


@admin.register(Organization)
class OrganizationAdmin(BoundedSearchMixin, BoundedListMixin, DeskListAdmin):
    ordering = ["name"]  # aggregated querysets ignore Meta.ordering
    list_display = ["name", "kind", "state_controlled", "country", "analyst_count"]
    list_filter = ["kind", "state_controlled", "country"]
    search_fields = ["name", "country"]
    prepopulated_fields = {"slug": ["name"]}

    # Counted per organization up to the cap, through the analysts' organization index (a page of fifty
    # reads at most fifty times the cap); not sortable, which would count every organization's analysts.
    analyst_cap = 100

    def get_queryset(self, request):
        analysts = Analyst.objects.filter(organization=OuterRef("pk")).order_by().values("pk")[: self.analyst_cap + 1]
        return super().get_queryset(request).annotate(analyst_count=CappedCount(analysts))

    @admin.display(description="analysts")
    def analyst_count(self, obj):
        if obj.analyst_count > self.analyst_cap:
            return f"more than {self.analyst_cap:,}"
        return obj.analyst_count


def analyst_on_file(name, slug, *, exclude_pk=None):
    """Return an analyst already on file under this name (any case) or at this address, or None."""
    name = (name or "").strip()
    if not name:
        return None
    others = Analyst.objects.exclude(pk=exclude_pk).select_related("organization").order_by("pk")
    same_name = others.filter(name__iexact=name).first()
    return same_name or others.filter(slug=slug or slugify(name, allow_unicode=True)).first()


class AnalystAdminForm(forms.ModelForm):
    """The analyst form: a person already on file is caught at the name, named and offered."""

    another_person = forms.BooleanField(
        required=False, label="This is a different person with the same name",
        help_text="Tick only once you have checked that the analyst named above is someone else. "
        "Their page gets its own address.",
    )
    # Set by AnalystAdmin.get_form: the form was opened with the "+" button next to an analyst box.
    in_popup = False

    class Meta:
        model = Analyst
        fields = "__all__"  # noqa: DJ007 - AnalystAdmin.fieldsets choose and order the fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False  # filled from the name when left empty

    def clean(self):
        cleaned_data = super().clean()
        name = cleaned_data.get("name")
        if not name or "slug" not in self.fields:
            return cleaned_data
        slug = cleaned_data.get("slug") or slugify(name, allow_unicode=True)
        same = None
        if self.instance.pk is None or {"name", "slug"} & set(self.changed_data):
            same = analyst_on_file(name, slug, exclude_pk=self.instance.pk)
        if same is not None and not cleaned_data.get("another_person"):
            self.add_error("name", self.on_file_message(same))
        if same is not None or not cleaned_data.get("slug"):
            # A different person (or a form about to be shown again): an address of their own.
            cleaned_data["slug"] = unique_slug(self.instance, slug)
        return cleaned_data

    def on_file_message(self, analyst):
        described = ", ".join(filter(None, [analyst.title, analyst.affiliation]))
        open_url = reverse("admin:articles_analyst_change", args=[analyst.pk])
        if self.in_popup:
            pick_url = f"{reverse('admin:articles_analyst_pick', args=[analyst.pk])}?{IS_POPUP_VAR}=1"
            offer = format_html(
                '<a href="{}">Use {}</a> (the story form picks them), or '
                '<a href="{}" target="_blank" rel="noopener">open their page</a> to check.',
                pick_url, analyst.name, open_url,
            )
        else:
            offer = format_html('<a href="{}">Open their page</a> to check or update it.', open_url)
        return format_html(
            "“{}”{} is already on file. {} If this is someone else with the same name, tick "
            "“This is a different person with the same name” below and save again.",
            analyst.name, f" ({described})" if described else "", offer,
        )


@admin.register(Analyst)
class AnalystAdmin(BoundedSearchMixin, BoundedListMixin, DeskListAdmin):
    form = AnalystAdminForm
    ordering = ["name"]
    list_display = ["name", "title", "organization", "stories"]
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
        if request.method == "POST" and analyst_on_file(
            request.POST.get("name"), request.POST.get("slug"), exclude_pk=obj.pk if obj else None
        ):
            # The form comes back naming the analyst on file: offer the way to add someone else.
            first, options = fieldsets[0]
            fieldsets = [(first, {**options, "fields": [*options["fields"], "another_person"]}), *fieldsets[1:]]
        if self_described_enabled():
            return fieldsets
        # The desk does not count self-described fields: leave them out of the form (and untouched on save).
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "self_described_gender"]})
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.in_popup = IS_POPUP_VAR in request.GET or IS_POPUP_VAR in request.POST
        return form

    def get_urls(self):
        view = self.admin_site.admin_view(self.pick_view)
        return [path("<path:object_id>/pick/", view, name="articles_analyst_pick"), *super().get_urls()]

    def pick_view(self, request, object_id):
        """In the "+" window: pick an analyst already on file for the story form, as if just added."""
        analyst = self.get_object(request, unquote(object_id))
        if analyst is None:
            raise Http404("No such analyst.")
        if not self.has_view_permission(request, analyst):
            raise PermissionDenied
        if IS_POPUP_VAR not in request.GET:
            return redirect("admin:articles_analyst_change", analyst.pk)
        data = json.dumps({"value": str(analyst.pk), "obj": str(analyst)})
        return TemplateResponse(request, "admin/popup_response.html", {"popup_response_data": data})

    @admin.display(description="stories")
    def stories(self, obj):
        url = reverse("admin:articles_article_changelist")
        return format_html('<a href="{}?analyst={}">Stories quoting</a>', url, obj.slug)


@admin.register(Source)
class SourceAdmin(BoundedSearchMixin, BoundedListMixin, DeskListAdmin):
    ordering = ["name"]
    list_display = ["name", "kind", "organization", "citation_count"]
    list_filter = ["kind", "organization__kind"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name", "description"]
    autocomplete_fields = ["organization"]
    prepopulated_fields = {"slug": ["name"]}

    # Counted per source up to the cap, through the citations' (source, story) index: a page of fifty
    # reads at most fifty times the cap (at 1,000 that was most of the page's time).
    citation_cap = 100

    def get_queryset(self, request):
        citations = Citation.objects.filter(source=OuterRef("pk")).order_by().values("pk")[: self.citation_cap + 1]
        return super().get_queryset(request).annotate(citation_count=CappedCount(citations))

    @admin.display(description="citations")
    def citation_count(self, obj):
        if obj.citation_count > self.citation_cap:
            return f"more than {self.citation_cap:,}"
        return obj.citation_count


@admin.register(Correction)
class CorrectionAdmin(BoundedSearchMixin, BoundedListMixin, RoleChecksMixin, DeskTimeHelpMixin, admin.ModelAdmin):
    view_capability = roles.READ_CORRECTIONS
    add_capability = change_capability = delete_capability = roles.WRITE_CORRECTIONS
    list_display = ["article", "kind", "published_at"]
    list_filter = ["kind", "published_at"]
    list_select_related = ["article"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_at"



# Accounts and sign-in records: for admins only ---------------------------------------------------


class AccountsAdminMixin(RoleChecksMixin):
    view_capability = add_capability = change_capability = delete_capability = roles.MANAGE_ACCOUNTS


class StaffUserAdmin(AccountsAdminMixin, UserAdmin):
    """User accounts, with their e-mail addresses: admins only. The byline box finds colleagues by name."""

    @staticmethod
    def _picking(request):
        match = request.resolver_match
        return match is not None and match.view_name == f"{admin.site.name}:autocomplete"

    def get_queryset(self, request):
        if self._picking(request):
            people = self.model._default_manager.order_by(*self.get_ordering(request) or ["pk"])
            return roles.narrow(request.user, roles.PICK_PEOPLE, people)
        return super().get_queryset(request)

    def get_search_fields(self, request):
        if self._picking(request):
            return ["username", "first_name", "last_name"]  # never by e-mail address
        return super().get_search_fields(request)

    def has_view_permission(self, request, obj=None):
        if self._picking(request):
            return roles.can(request.user, roles.PICK_PEOPLE, obj)
        return super().has_view_permission(request, obj)


class RoleAdmin(AccountsAdminMixin, GroupAdmin):
    """The role groups (setup_roles writes them from articles/roles.py)."""


class SignInAttemptAdmin(AccountsAdminMixin, AccessAttemptAdmin):
    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        # axes reads "now" from the mark its login handling leaves on a request; an admin page has none.
        request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)


class SignInLogAdmin(AccountsAdminMixin, AccessLogAdmin):
    pass


class SignInFailureAdmin(AccountsAdminMixin, AccessFailureLogAdmin):
    pass


for _model, _model_admin in (
    (get_user_model(), StaffUserAdmin),
    (Group, RoleAdmin),
    (AccessAttempt, SignInAttemptAdmin),
    (AccessLog, SignInLogAdmin),
    (AccessFailureLog, SignInFailureAdmin),
):
    if admin.site.is_registered(_model):  # the sign-in records only where AXES_ENABLE_ADMIN is on
        admin.site.unregister(_model)
        admin.site.register(_model, _model_admin)


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site", asked of the role table for stories.

    A story opens only for those who may read it: at its public address once readers see it, at its
    private preview before (never a "not found" page, never another reporter's draft address).
    """
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except (ValueError, ContentType.DoesNotExist) as exc:
        raise Http404("No such kind of record.") from exc
    if model is not Article:
        return contenttype_views.shortcut(request, content_type_id, object_id)
    try:
        story = roles.narrow(request.user, roles.READ_STORY, Article.objects.all()).filter(pk=object_id).first()
    except (ValueError, ValidationError):
        story = None
    if story is None:
        raise Http404("No story here.")
    if story.is_published():
        return redirect(story.get_absolute_url())
    return redirect("articles:article_preview", story.pk)
