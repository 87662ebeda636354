"""The story admin's workflow: roles, status moves, no lost edits, revision history and diffs.

ArticleAdmin (articles/admin.py) mixes ArticleWorkflowAdminMixin in; the rules themselves live in
articles/roles.py (who may edit) and articles/services.py (how a story moves).
"""
import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property, lazy
from django.utils.text import format_lazy
from simple_history.admin import SimpleHistoryAdmin

from . import roles, services
from .admin_lists import BoundedListMixin
from .forms import ArticleAdminForm
from .models import Article, Citation, Commentary, SlugRedirect, Transition
from .revisions import desk_time, desk_zone_city, revision_changes

desk_zone_city_lazy = lazy(desk_zone_city, str)()


def desk_zone_note():
    """Return e.g. "Seoul time (Asia/Seoul, KST)" for help texts next to every time, from the desk's zone."""
    name = timezone.get_current_timezone_name()
    abbreviation = timezone.localtime().tzname()
    city = name.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} time ({name}, {abbreviation})"


class EditConflict(Exception):
    """Someone saved the story between this form's check and its write."""


class ArticleWorkflowForm(ArticleAdminForm):
    """The story form, carrying the version it was loaded with so a stale save is refused."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # From the database, not the instance: a revert form's instance is an old revision.
            self.fields["loaded_version"].initial = self.current_version()

    def current_version(self):
        return Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            # Locks the row until the save commits (the admin wraps the request in a transaction).
            current = (
                Article.objects.select_for_update().filter(pk=self.instance.pk).values("version", "updated_at").first()
            )
            if current and cleaned_data.get("loaded_version") != current["version"]:
                raise ValidationError(self.conflict_message(current["updated_at"]), code="edit_conflict")
        return cleaned_data

    def conflict_message(self, saved_at):
        revisions = Article.history.filter(id=self.instance.pk).select_related("history_user")
        last = revisions.order_by("-history_id").first()
        user = last.history_user if last else None
        who = f"Someone else ({user.get_full_name() or user.get_username()})" if user else "Someone else"
        local = timezone.localtime(saved_at)
        return (
            f"{who} saved this story at {local:%H:%M} {local.tzname()}; your text is below — copy your changes, "
            "reload, and reapply. Nothing you typed here has been saved."
        )


class DeskTimeHelpMixin:
    """Say in which time zone every date-and-time field is entered."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.DateTimeField):
            field.help_text = f"{field.help_text} Enter {desk_zone_note()}.".strip()
        return field


class RoleChecksMixin:
    """Ask every permission question of this admin of the role table (articles/roles.py) as well.

    Django's own check (the group's permissions, written from the same table) runs first; then the
    table's rule for the object. Lists show only the objects the user may see.
    """

    view_capability = add_capability = change_capability = delete_capability = None

    @staticmethod
    def _role_allows(request, capability, obj=None):
        return capability is not None and roles.can(request.user, capability, obj)

    def get_queryset(self, request):
        return roles.narrow(request.user, self.view_capability, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._role_allows(request, self.view_capability, obj)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self._role_allows(request, self.add_capability)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._role_allows(request, self.change_capability, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._role_allows(request, self.delete_capability, obj)


class OneEmptyFormMixin:
    """A formset that builds its "Add another" template row once per page.

    The admin walks an inline's rows three times a page (for its scripts, for the prepopulated
    fields' script, to show them), and Django builds a new template row each time.
    """

    @cached_property
    def empty_form(self):
        return super().empty_form


@functools.cache
def with_one_empty_form(formset):
    """Return the formset class with OneEmptyFormMixin (one class per formset class)."""
    return type(formset.__name__, (OneEmptyFormMixin, formset), {"__module__": formset.__module__})


class StoryPartInlineMixin(DeskTimeHelpMixin):
    """Bylines, commentary, citations and corrections are editable only when their story is."""

    # What writing this part takes besides editing the story (corrections: roles.WRITE_CORRECTIONS).
    part_capability = None

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("formset", with_one_empty_form(self.formset))
        return super().get_formset(request, obj, **kwargs)

    def _story_editable(self, request, obj):
        if self.part_capability is not None and not roles.can(request.user, self.part_capability):
            return False
        return obj is None or roles.can_edit_article(request.user, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._story_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._story_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._story_editable(request, obj)


class ArticleWorkflowAdminMixin(RoleChecksMixin, DeskTimeHelpMixin, SimpleHistoryAdmin):
    """Status moves as buttons, read-only status, optimistic locking, history with diffs and restore."""

    view_capability = roles.READ_STORY
    add_capability = roles.ADD_STORY
    change_capability = roles.EDIT_STORY
    delete_capability = roles.DELETE_STORY

    object_history_template = "admin/articles/article/object_history.html"
    object_history_list_template = "admin/articles/article/object_history_list.html"
    # Fields only editors (publish permission) may set; status is moved only by the workflow.
    publisher_fields = ["published_at", "revised_at"]

    # Permissions ------------------------------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "status"]
        if not roles.can_publish(request.user):
            fields += self.publisher_fields
        return list(dict.fromkeys(fields))

    def _current(self, obj):
        """The story as stored now (history views pass an old revision's instance)."""
        return Article.objects.filter(pk=obj.pk).first() if obj is not None and obj.pk else obj

    def _readable_story(self, request, object_id):
        """Return the story if the user may read it; "not found" otherwise, as if it did not exist."""
        return get_object_or_404(self.get_queryset(request), pk=unquote(object_id))

    def has_view_history_permission(self, request, obj=None):
        current = self._current(obj)
        if obj is not None and current is None:  # a deleted story: only for those who may read every story
            return roles.can_all(request.user, self.view_capability)
        return self.has_view_or_change_permission(request, current)

    def has_change_history_permission(self, request, obj=None):
        current = self._current(obj)
        if obj is not None and current is None:
            return False  # a deleted story cannot be restored from its history
        return self.has_change_permission(request, current)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A story's status log goes with it (nobody deletes log entries on their own): deleting the
        # story is the permission that counts.
        perms_needed.discard(Transition._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # Of the story as it is now, not as the revision shown was.
        return self.has_view_history_permission(request, obj) or self.has_change_history_permission(request, obj)

    # Saving -----------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        old_slug = None
        if change:
            stored = Article.objects.filter(pk=obj.pk).values("status", "slug", *self.publisher_fields).get()
            obj.status = stored["status"]  # only services.article_transition() moves it
            if not roles.can_publish(request.user):
                for name in self.publisher_fields:
                    setattr(obj, name, stored[name])
            loaded = form.cleaned_data.get("loaded_version")
            # The write that settles a race: only one save can move the version on from `loaded`.
            # pages: unchanged until the save() below, which announces the change.
            if not Article.objects.filter(pk=obj.pk, version=loaded).update(version=loaded + 1):
                raise EditConflict
            obj.version = loaded + 1
            old_slug = stored["slug"]
        else:
            obj.status = Article.Status.DRAFT
            obj.created_by = request.user
            if not roles.can_publish(request.user):
                for name in self.publisher_fields:
                    setattr(obj, name, None)
        super().save_model(request, obj, form, change)
        moved = old_slug and old_slug != obj.slug and services.article_slug_changed(article=obj, old_slug=old_slug)
        if moved:
            self.message_user(
                request, f"The old address /stories/{old_slug}/ now redirects readers to the new one.", messages.INFO,
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.workflow_context(request, object_id)}
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Lost a race after validation; the transaction rolled back. Validating again shows the
            # conflict with the editor's text still in the form.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        if "_transition" in request.POST:
            return self.apply_transition(request, obj, request.POST["_transition"])
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_transition" in request.POST:
            return self.apply_transition(request, obj, request.POST["_transition"])
        return super().response_change(request, obj)

    # Workflow ---------------------------------------------------------------------------------

    def workflow_context(self, request, object_id):
        obj = None
        if object_id:
            obj = Article.objects.filter(pk=unquote(object_id)).first()
        article = obj or Article(status=Article.Status.DRAFT)
        moves = services.article_moves(article=article, user=request.user)
        if obj is None:
            moves = [m for m in moves if m.action in {"submit", "publish", "schedule"}]
        return {
            "workflow_moves": moves,
            "workflow_transitions": (
                Transition.objects.filter(article=obj).select_related("by")[:10] if obj else []
            ),
            "desk_zone": desk_zone_note(),
            "preview_url": reverse("articles:article_preview", args=[obj.pk]) if obj else "",
            "workflow_story": obj,
            "workflow_live": obj.is_published() if obj else False,
            "workflow_scheduled": obj.is_scheduled() if obj else False,
            "workflow_published_at": desk_time(obj.published_at) if obj and obj.published_at else "",
        }

    def apply_transition(self, request, obj, action, *, at=None, after_save=True):
        """Run a workflow move after a save (or from the transition URL) and report it."""
        move = services.MOVES.get(action)
        try:
            if move is None:
                raise ValidationError(f"Unknown workflow action “{action}”.")
            if move.action == "schedule" and at is None:
                at = obj.published_at
            article = services.article_transition(article=obj, action=action, user=request.user, at=at)
        except (PermissionDenied, ValidationError) as error:
            text = error.messages[0] if isinstance(error, ValidationError) else str(error)
            self.message_user(request, f"Your changes are saved, but: {text}" if after_save else text, messages.ERROR)
        else:
            self.message_user(request, self.transition_message(article, move), messages.SUCCESS)
        return HttpResponseRedirect(reverse(f"admin:{self._url_prefix}_change", args=[obj.pk]))

    def transition_message(self, article, move):
        if move.action == "schedule" or article.is_scheduled():
            return f"Scheduled: readers see it from {desk_time(article.published_at)}."
        if move.action == "publish":
            return "Published: readers see it now."
        if move.action == "unpublish":
            return "Unpublished: readers no longer see it."
        return f"Status is now “{article.get_status_display()}”."

    @property
    def _url_prefix(self):
        return f"{self.opts.app_label}_{self.opts.model_name}"

    @property
    def transition_url_name(self):
        return f"{self._url_prefix}_transition"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/transition/<slug:action>/", view(self.transition_view),
                 name=self.transition_url_name),
            path("<path:object_id>/history/<int:history_id>/changes/", view(self.revision_diff_view),
                 name=f"{self._url_prefix}_revision_diff"),
            *super().get_urls(),
        ]

    def transition_view(self, request, object_id, action):
        """POST-only: move a story without saving the form (e.g. unpublish from the story page)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._readable_story(request, object_id)
        version = request.POST.get("version")
        if version and version != str(obj.version):
            self.message_user(
                request, "Someone else changed this story since you loaded it; check it and try again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse(f"admin:{self._url_prefix}_change", args=[obj.pk]))
        at = None
        if request.POST.get("published_at"):
            try:
                at = forms.DateTimeField().clean(request.POST["published_at"])
            except ValidationError:
                self.message_user(request, "Give the publication time as YYYY-MM-DD HH:MM.", messages.ERROR)
                return HttpResponseRedirect(reverse(f"admin:{self._url_prefix}_change", args=[obj.pk]))
        with transaction.atomic():
            return self.apply_transition(request, obj, action, at=at, after_save=False)

    # History ----------------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        story_id = unquote(object_id)
        extra_context = {
            **(extra_context or {}),
            "desk_zone": desk_zone_note(),
            "commentary_history": Commentary.history.filter(article_id=story_id)
            .select_related("history_user", "analyst")[:100],
            "citation_history": Citation.history.filter(article_id=story_id)
            .select_related("history_user", "source")[:100],
            "workflow_transitions": Transition.objects.filter(article_id=story_id).select_related("by")[:50],
        }
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a revert without asking for change permission; ask it here, of
        # the story as it is now, inside a transaction so the version check can lock the row.
        current = self._readable_story(request, object_id)
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflict:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)

    def revision_diff_view(self, request, object_id, history_id):
        """Show what one saved revision changed, field by field, against the one before it."""
        record = get_object_or_404(Article.history.select_related("history_user"), id=unquote(object_id),
                                   history_id=history_id)
        current = self.get_queryset(request).filter(pk=record.id).first()
        if current is None or not self.has_view_or_change_permission(request, current):
            raise Http404
        previous = record.prev_record
        context = {
            **self.admin_site.each_context(request),
            "title": f"Changes saved {desk_time(record.history_date)}",
            "opts": self.opts,
            "original": current,
            "record": record,
            "previous": previous,
            "changes": revision_changes(previous, record),
            "record_time": desk_time(record.history_date),
            "previous_time": desk_time(previous.history_date) if previous else "",
            "can_restore": self.has_change_permission(request, current),
            "desk_zone": desk_zone_note(),
        }
        return TemplateResponse(request, "admin/articles/article/revision_diff.html", context)

    # List -------------------------------------------------------------------------------------

    @admin.display(description=format_lazy("publication time ({})", desk_zone_city_lazy), ordering="published_at")
    def publication_time(self, obj):
        if obj.published_at is None:
            return "—"
        text = desk_time(obj.published_at)
        return f"{text} (scheduled)" if obj.is_scheduled() else text


@admin.register(Transition)
class TransitionAdmin(BoundedListMixin, RoleChecksMixin, admin.ModelAdmin):
    """The log of status changes: read-only, written only by the workflow.

    Newest first by id (entries are written as they happen, so id order is time order) through the
    primary key: ordering by time sorted the whole log, and joining the stories let SQLite start from
    the story table. A page's stories are read in one query after its rows.
    """

    view_capability = roles.READ_STATUS_LOG

    list_display = ["article", "from_status", "to_status", "by", "when"]
    list_filter = ["to_status", "at"]
    list_select_related = ["by"]
    ordering = ["-pk"]
    sortable_by = []
    search_fields = ["article__headline"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        stories = Article.objects.defer("body", "search_document", "backstory", "dek")
        return super().get_queryset(request).prefetch_related(models.Prefetch("article", queryset=stories))

    @admin.display(description=format_lazy("when ({})", desk_zone_city_lazy))
    def when(self, obj):
        return desk_time(obj.at)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SlugRedirect)
class SlugRedirectAdmin(RoleChecksMixin, admin.ModelAdmin):
    """Old story addresses that redirect to the story's current one."""

    view_capability = add_capability = change_capability = delete_capability = roles.MANAGE_OLD_ADDRESSES

    list_display = ["old_slug", "article", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_slug", "article__headline"]
    autocomplete_fields = ["article"]
