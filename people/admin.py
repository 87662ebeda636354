"""Staff profiles (each member of staff edits their own; admins edit everyone's) and the standards pages."""
from django import forms
from django.contrib import admin
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from simple_history.admin import SimpleHistoryAdmin

from articles.forms import BODY_EDITOR_EXTENSIONS
from articles.sanitize import clean_html

from .models import StaffProfile, StandardsPage


def may_edit_any_profile(user):
    """Return whether the user edits every staff member's profile (admins), not only their own."""
    return user.is_active and user.has_perm("people.edit_any_profile")


@admin.register(StaffProfile)
class StaffProfileAdmin(SimpleHistoryAdmin):
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

    # A member of staff sees and edits only their own profile; the account and the current-staff
    # box are an admin's to set.

    def get_queryset(self, request):
        profiles = super().get_queryset(request)
        return profiles if may_edit_any_profile(request.user) else profiles.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        if may_edit_any_profile(request.user):
            return []
        return ["user", "is_current"] if obj is not None else ["is_current"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None and not may_edit_any_profile(request.user):
            # Your own new profile: the account is yours.
            return [(name, {**opts, "fields": [f for f in opts["fields"] if f != "user"]}) for name, opts in fieldsets]
        return fieldsets

    def save_model(self, request, obj, form, change):
        if not change and not may_edit_any_profile(request.user):
            obj.user = request.user
        super().save_model(request, obj, form, change)

    def _own(self, request, obj):
        return obj is not None and obj.user_id == request.user.pk

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if may_edit_any_profile(request.user) or super().has_view_permission(request, obj):
            return True
        return request.user.is_active and request.user.is_staff and (obj is None or self._own(request, obj))

    def has_change_permission(self, request, obj=None):
        if may_edit_any_profile(request.user):
            return True
        return request.user.is_active and request.user.is_staff and (obj is None or self._own(request, obj))

    def has_add_permission(self, request):
        if may_edit_any_profile(request.user):
            return True
        staff = request.user.is_active and request.user.is_staff
        return staff and not StaffProfile.objects.filter(user=request.user).exists()

    def has_delete_permission(self, request, obj=None):
        return may_edit_any_profile(request.user) and super().has_delete_permission(request, obj)


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
        fields = ["kind", "title", "summary", "body"]


@admin.register(StandardsPage)
class StandardsPageAdmin(SimpleHistoryAdmin):
    form = StandardsPageForm
    list_display = ["title", "kind", "starting_text", "updated_at"]
    list_display_links = ["title"]
    view_on_site = True

    def get_readonly_fields(self, request, obj=None):
        # Each page has a fixed address that search engines are told about.
        return ["kind"] if obj is not None else []

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            taken = set(StandardsPage.objects.values_list("kind", flat=True))
            kwargs["choices"] = [(value, label) for value, label in db_field.choices if value not in taken]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.starting_text = False  # the desk's own words from now on
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request):
        # The nine pages exist from the start; one is added only if it was somehow removed.
        missing = StandardsPage.objects.count() < len(StandardsPage.Kind)
        return missing and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
