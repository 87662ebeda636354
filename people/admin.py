"""Staff profiles (each member of staff edits their own; admins edit everyone's) and the standards pages.

Who may do what is the desk's role table (articles/roles.py): EDIT_PROFILE, ADD_PROFILE,
DELETE_PROFILE and EDIT_STANDARDS.
"""
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from simple_history.admin import SimpleHistoryAdmin

from articles import roles
from articles.admin_workflow import RoleChecksMixin
from articles.forms import BODY_EDITOR_EXTENSIONS
from articles.sanitize import clean_html

from .models import StaffProfile, StandardsPage


class RevertChecksMixin:
    """Ask for change permission before simple-history saves a revert (it asks only for view permission)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = get_object_or_404(self.model, pk=unquote(object_id))
            if not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def may_edit_any_profile(user):
    """Return whether the user edits every staff member's profile (admins), not only their own."""
    return roles.can_all(user, roles.EDIT_PROFILE)


@admin.register(StaffProfile)
class StaffProfileAdmin(RevertChecksMixin, RoleChecksMixin, SimpleHistoryAdmin):
    """Each member of staff sees and edits their own profile; admins everyone's (articles/roles.py)."""

    view_capability = change_capability = roles.EDIT_PROFILE
    add_capability = roles.ADD_PROFILE
    delete_capability = roles.DELETE_PROFILE

    list_display = ["display_name", "job_title", "is_current", "account"]
    list_filter = ["is_current"]
    list_select_related = ["user"]
    search_fields = ["display_name", "job_title", "user__username"]
    autocomplete_fields = ["user", "expertise"]
    prepopulated_fields = {"slug": ["display_name"]}
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["user", "display_name", "job_title", "bio"]}),
        ("Expertise and contact", {"fields": ["expertise", "languages", "public_email", "links"]}),
        ("Status", {"fields": ["is_current"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    @admin.display(description="account", ordering="user__username")
    def account(self, obj):
        return obj.user.get_username()

    def get_readonly_fields(self, request, obj=None):
        # The account a profile belongs to and whether they are current staff are an admin's to set.
        return [] if may_edit_any_profile(request.user) else ["user", "is_current"]


class StandardsPageForm(forms.ModelForm):
    """A standards page's text in the same editor as a story's body, cleaned by the same allow-list."""

    body = ProseEditorFormField(
        label="Text",
        help_text=StandardsPage._meta.get_field("body").help_text,
        required=False,
        widget=AdminProseEditorWidget,
        config={"extensions": BODY_EDITOR_EXTENSIONS},
        sanitize=clean_html,
    )

    class Meta:
        model = StandardsPage
        fields = ["title", "summary", "body"]


@admin.register(StandardsPage)
class StandardsPageAdmin(RevertChecksMixin, RoleChecksMixin, SimpleHistoryAdmin):
    """The nine pages exist from the start (a migration writes their starting texts): editors change them;
    nobody adds or deletes one."""

    view_capability = change_capability = roles.EDIT_STANDARDS
    form = StandardsPageForm
    list_display = ["title", "kind", "starting_text", "updated_at"]
    list_display_links = ["title"]
    view_on_site = True

    def get_readonly_fields(self, request, obj=None):
        # Each page has a fixed address that search engines are told about.
        return ["kind"]

    def save_model(self, request, obj, form, change):
        obj.starting_text = False  # the desk's own words from now on
        super().save_model(request, obj, form, change)
