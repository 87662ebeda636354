"""The photo desk in the admin: the library (search, filters, rights, where each picture ran), uploading by
drag and drop, the focal point, the text editor's picture picker, a story's lead image, and portraits on
the analyst form and the staff-profile form.

Who may do what comes from the desk's role table (articles/roles.py, USE_PHOTOS and DELETE_PHOTOS);
a story's lead image also takes editing the story.
"""
import datetime

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import date as format_date
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from articles import roles
from articles.admin_workflow import RoleChecksMixin
from articles.forms import BODY_EDITOR_EXTENSIONS
from articles.models import Analyst, Article

from . import renditions, services
from .figures import figures_in
from .forms import AnalystPortraitForm, LeadImageForm, PhotoForm, UploadForm, portrait_problems
from .intake import UploadRefused, max_upload_bytes
from .models import RECENT_RUN, AnalystPortrait, LeadImage, Photo, StaffPortrait

EXPIRING_SOON = datetime.timedelta(days=30)


def may_use_library(user):
    return roles.can(user, roles.USE_PHOTOS)


def thumbnail(photo, width=120):
    """Return an <img> of the picture's admin thumbnail, `width` pixels wide on screen."""
    found = renditions.largest(photo.renditions, "thumb")
    if not found:
        return "—"
    url, w, h = found
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="photo-thumb" loading="lazy">',
        url, width, round(width * h / w),
    )


class RightsFilter(admin.SimpleListFilter):
    title = "rights"
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [
            ("current", "Usable now"), ("expiring", "Expire within 30 days"), ("expired", "Expired"),
            ("open", "No end date"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "current":
            return queryset.usable(on=today)
        if value == "expiring":
            return queryset.filter(rights_expire_on__gte=today, rights_expire_on__lte=today + EXPIRING_SOON)
        if value == "expired":
            return queryset.expired(on=today)
        if value == "open":
            return queryset.filter(rights_expire_on__isnull=True)
        return queryset


class CreditFilter(admin.SimpleListFilter):
    """The credits the library holds most pictures from."""

    title = "credit"
    parameter_name = "credit"

    def lookups(self, request, model_admin):
        credits = Photo.objects.values("credit").annotate(n=Count("pk")).order_by("-n", "credit")[:30]
        return [(row["credit"], f"{row['credit']} ({row['n']})") for row in credits]

    def queryset(self, request, queryset):
        return queryset.filter(credit=self.value()) if self.value() else queryset


class AltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "Missing"), ("written", "Written")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(alt_text="")
        if self.value() == "written":
            return queryset.exclude(alt_text="")
        return queryset


class RecentRunFilter(admin.SimpleListFilter):
    title = "ran"
    parameter_name = "ran"

    def lookups(self, request, model_admin):
        return [("week", "In the last seven days"), ("never", "Never")]

    def queryset(self, request, queryset):
        now = timezone.now()
        live = Article.objects.published(at=now)
        used = Q(lead_uses__article__in=live) | Q(figure_uses__article__in=live)
        if self.value() == "week":
            recent = live.filter(published_at__gte=now - RECENT_RUN)
            return queryset.filter(Q(lead_uses__article__in=recent) | Q(figure_uses__article__in=recent)).distinct()
        if self.value() == "never":
            return queryset.exclude(pk__in=Photo.objects.filter(used).values("pk"))
        return queryset


@admin.register(Photo)
class PhotoAdmin(RoleChecksMixin, admin.ModelAdmin):
    view_capability = add_capability = change_capability = roles.USE_PHOTOS
    delete_capability = roles.DELETE_PHOTOS
    form = PhotoForm
    list_display = ["picture", "description", "credit", "source_label", "rights", "alt_status", "ran"]
    list_display_links = ["picture", "description"]
    list_filter = [RightsFilter, "source", RecentRunFilter, AltTextFilter, CreditFilter, "uploaded_at"]
    search_fields = ["caption", "alt_text", "credit", "copyright_holder", "original_filename", "usage_terms"]
    search_help_text = "Search captions, alt text, credits, copyright holders, usage terms and file names."
    list_per_page = 40
    readonly_fields = ["focal_point_picker", "where_used", "file_details"]
    fieldsets = [
        (None, {"fields": ["focal_point_picker", "focal_x", "focal_y", "alt_text", "caption"]}),
        ("Credit and rights", {"fields": ["credit", "copyright_holder", "source", "usage_terms", "rights_expire_on"]}),
        ("Where it ran", {"fields": ["where_used"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["file_details"]}),
    ]
    change_list_template = "admin/photos/photo/change_list.html"

    class Media:
        css = {"all": ["photos/css/admin.css"]}
        js = ["photos/js/focal_point.js"]

    # The list ------------------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).with_last_run()

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term[:200])
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.usable()  # a lead image's choices: only pictures the desk may still use
        return queryset, duplicates

    @admin.display(description="picture")
    def picture(self, obj):
        return thumbnail(obj, 96)

    @admin.display(description="caption or description", ordering="caption")
    def description(self, obj):
        return str(obj)

    @admin.display(description="source", ordering="source")
    def source_label(self, obj):
        if obj.is_state_media:
            return format_html('<strong class="photo-flag">State-media handout</strong>')
        return obj.get_source_display().split(" (")[0]

    @admin.display(description="rights", ordering="rights_expire_on")
    def rights(self, obj):
        if obj.rights_expire_on is None:
            return "No end date"
        when = format_date(obj.rights_expire_on, "j M Y")
        if obj.rights_expired():
            return format_html('<strong class="photo-flag">Expired {}</strong>', when)
        if obj.rights_expire_on <= timezone.localdate() + EXPIRING_SOON:
            return format_html('<span class="photo-warn">Until {}</span>', when)
        return f"Until {when}"

    @admin.display(description="alt text", boolean=True)
    def alt_status(self, obj):
        return bool(obj.alt_text.strip())

    @admin.display(description="last ran")
    def ran(self, obj):
        last = obj.last_ran
        if last is None:
            return "—"
        when = format_date(timezone.localtime(last), "j M Y")
        if last >= timezone.now() - RECENT_RUN:
            return format_html('<span class="photo-warn" title="Readers saw it in the last seven days">{}</span>', when)
        return when

    # The form ------------------------------------------------------------------------------------

    @admin.display(description="Picture and focal point")
    def focal_point_picker(self, obj):
        preview = renditions.largest(obj.renditions, "full")
        if obj.pk is None or not preview:
            return "—"
        small = [item for item in renditions.sources(obj.renditions, "full").get("jpeg", []) if item[1] <= 800]
        url, width, height = (small or [preview])[-1]
        return format_html(
            '<div class="focal" data-focal-picker>'
            '<button type="button" class="focal__frame" aria-label="Click the picture where its subject is">'
            '<img src="{}" width="{}" height="{}" alt="{}" class="focal__image">'
            '<span class="focal__mark" style="left:{}%;top:{}%" aria-hidden="true"></span></button>'
            '<div class="focal__crops" aria-label="How the crops will look">'
            '<figure><img src="{}" alt="" class="focal__crop focal__crop--share" style="object-position:{}% {}%">'
            "<figcaption>Share card</figcaption></figure>"
            '<figure><img src="{}" alt="" class="focal__crop focal__crop--teaser" style="object-position:{}% {}%">'
            "<figcaption>Teaser</figcaption></figure>"
            '<figure><img src="{}" alt="" class="focal__crop focal__crop--square" style="object-position:{}% {}%">'
            "<figcaption>Square</figcaption></figure></div>"
            '<p class="help">Click the picture where its subject is (a face, the speaker): every crop keeps that '
            "point in view. The crops are made again when you save.</p></div>",
            url, width, height, obj.alt_text, *[round(v * 100, 1) for v in (obj.focal_x, obj.focal_y)],
            *[item for _ in range(3) for item in (url, round(obj.focal_x * 100, 1), round(obj.focal_y * 100, 1))],
        )

    @admin.display(description="Stories using it")
    def where_used(self, obj):
        if obj.pk is None:
            return "—"
        stories = list(services.stories_using(obj)[:50])
        if not stories:
            return "Not used in any story yet."
        now = timezone.now()
        recent = now - RECENT_RUN
        rows = []
        for story in stories:
            live = story.is_published(at=now)
            state = (
                f"live since {format_date(timezone.localtime(story.published_at), 'j M Y')}" if live
                else story.get_status_display().lower()
            )
            flag = " · ran in the last seven days" if live and story.published_at >= recent else ""
            rows.append((reverse("admin:articles_article_change", args=[story.pk]), story.headline, state, flag))
        return format_html(
            '<ul class="photo-uses">{}</ul>',
            format_html_join("", '<li><a href="{}">{}</a> <span class="photo-uses__state">{}</span>'
                             '<strong class="photo-warn">{}</strong></li>', rows),
        )

    @admin.display(description="File")
    def file_details(self, obj):
        if obj.pk is None:
            return "—"
        made = sum(len(sizes) for key, entry in obj.renditions.items() if key in renditions.SPECS
                   for sizes in entry.values())
        who = obj.uploaded_by.get_full_name() or obj.uploaded_by.get_username() if obj.uploaded_by else "someone"
        return format_html(
            "Uploaded as “{}” by {} on {}: {} × {} px, {}. {} renditions made. "
            "Served files carry no metadata (no location, camera or notes).",
            obj.original_filename, who, format_date(timezone.localtime(obj.uploaded_at), "j M Y, H:i"),
            obj.width, obj.height, obj.file_format, made,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            photo = self.get_object(request, admin.utils.unquote(object_id))
            if photo is not None:
                warning = services.recent_run_warning(photo)
                if warning:
                    self.message_user(request, warning, messages.WARNING)
                if photo.rights_expired():
                    self.message_user(request, (
                        f"The desk's rights to this picture ran out on {format_date(photo.rights_expire_on, 'j F Y')}. "
                        "It cannot be added to stories; stories already using it are refused when published."
                    ), messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"focal_x", "focal_y"} & set(form.changed_data):
            services.photo_recrop(photo=obj)

    def add_view(self, request, form_url="", extra_context=None):
        # Pictures arrive through the upload page: several at once, checked file by file.
        return HttpResponseRedirect(reverse("admin:photos_photo_upload"))

    # Upload and picker pages ----------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="photos_photo_upload"),
            path("picker/", view(self.picker_view), name="photos_photo_picker"),
            *super().get_urls(),
        ]

    def _added_json(self, added):
        return {
            "ok": True, "name": added.photo.original_filename, "id": added.photo.pk,
            "change_url": reverse("admin:photos_photo_change", args=[added.photo.pk]),
            "thumbnail": str(thumbnail(added.photo)), "warnings": added.warnings,
            "prefilled": added.prefilled, "needs_alt": not added.photo.alt_text,
        }

    def upload_view(self, request):
        """Take several pictures at once: each is checked on its own and named in what the editor is told."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        wants_json = "application/json" in request.headers.get("Accept", "")
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            files = form.cleaned_data["files"]
            if not files:
                if wants_json:
                    return JsonResponse({"ok": False, "error": "No file arrived. Choose a picture again."}, status=400)
                form.add_error("files", "Choose one or more pictures, or drop them on the box.")
            else:
                results = []
                for upload in files:
                    try:
                        added = services.photo_add(upload=upload, user=request.user, defaults=form.cleaned_data)
                    except UploadRefused as refusal:
                        results.append({"ok": False, "name": upload.name, "error": str(refusal)})
                        continue
                    self.log_addition(request, added.photo, [{"added": {}}])
                    results.append(self._added_json(added))
                if wants_json:
                    return JsonResponse(results[0] if len(results) == 1 else {"results": results},
                                        status=200 if any(r["ok"] for r in results) else 422)
                for result in results:
                    if not result["ok"]:
                        self.message_user(request, result["error"], messages.ERROR)
                        continue
                    self.message_user(request, f"Added “{result['name']}” to the library.", messages.SUCCESS)
                    for warning in result["warnings"]:
                        self.message_user(request, warning, messages.WARNING)
                added = [r["id"] for r in results if r["ok"]]
                if not added:
                    return HttpResponseRedirect(request.path)
                if any(r["needs_alt"] for r in results if r["ok"]):
                    self.message_user(request, "Write alt text for each new picture: no story can be published "
                                      "with a picture that has none.", messages.INFO)
                if len(added) == 1:
                    return HttpResponseRedirect(reverse("admin:photos_photo_change", args=added))
                listing = reverse("admin:photos_photo_changelist")
                return HttpResponseRedirect(f"{listing}?{urlencode({'id__in': ','.join(map(str, added))})}")
        elif request.method == "POST" and wants_json:
            return JsonResponse({"ok": False, "error": " ".join(m for ms in form.errors.values() for m in ms)},
                                status=400)
        rights = {
            "fields": ["credit", "copyright_holder", "source", "usage_terms", "rights_expire_on"],
            "description": "Fill these in first: they hold for every picture you drop below. Where a file carries "
            "its own caption, credit or copyright (IPTC, XMP or EXIF), that is used; these boxes fill in what a "
            "file does not say. Every picture needs a credit and a copyright holder.",
        }
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload pictures",
            "opts": self.model._meta,
            "form": form,
            "adminform": helpers.AdminForm(form, [("Credit and rights for these pictures", rights)], {}),
            "media": self.media + form.media,
            "max_upload_bytes": max_upload_bytes(),
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/photos/photo/upload.html", context)

    def picker_view(self, request):
        """The text editor's picture picker (its Figure button opens it in a window): search, then insert."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:200]
        photos = Photo.objects.usable()
        if query:
            photos, _ = super().get_search_results(request, photos, query)
        page = Paginator(photos.order_by("-uploaded_at", "-pk"), 24).get_page(request.GET.get("page"))
        items = []
        for photo in page.object_list:
            sized = [item for item in renditions.sources(photo.renditions, "full").get("jpeg", []) if item[1] <= 800]
            items.append(
                {"photo": photo, "thumbnail": thumbnail(photo, 200), "insert_url": sized[-1][0] if sized else ""}
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Insert a picture from the library",
            "opts": self.model._meta,
            "items": items,
            "page": page,
            "query": query,
            "func_num": request.GET.get("CKEditorFuncNum", ""),
            "is_popup": True,
            "media": self.media,
        }
        return render(request, "admin/photos/photo/picker.html", context)


# A story's pictures on the story form --------------------------------------------------------------


class OptionalBoxFormSet(BaseInlineFormSet):
    """A picture box (a story's lead image, a portrait); a post without the box leaves the picture as it is.

    Scripts and other apps' forms post the story or the analyst without it: they change nothing
    here, rather than failing for want of the box's management fields.
    """

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        name = prefix or self.get_default_prefix()
        if data is not None and f"{name}-TOTAL_FORMS" not in data:
            data = data.copy()
            for field in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS"):
                data[f"{name}-{field}"] = "0"
            data[f"{name}-MAX_NUM_FORMS"] = "1"
        super().__init__(data, *args, prefix=prefix, **kwargs)


class LeadImageInline(admin.StackedInline):
    model = LeadImage
    form = LeadImageForm
    formset = OptionalBoxFormSet
    extra = 1
    max_num = 1
    autocomplete_fields = ["photo"]
    fields = ["photo", "picture_preview", "caption", "alt_text"]
    readonly_fields = ["picture_preview"]
    verbose_name = "lead image"
    verbose_name_plural = "Lead image"

    def has_view_permission(self, request, obj=None):
        return obj is None or roles.can_read_article(request.user, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "photo" and field is not None:
            # Pictures are added on the upload page and deleted in the library, not from a story.
            field.widget.can_add_related = field.widget.can_delete_related = False
        return field

    def _editable(self, request, obj):
        return may_use_library(request.user) and (obj is None or roles.can_edit_article(request.user, obj))

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)

    @admin.display(description="Picture")
    def picture_preview(self, obj):
        if obj is None or obj.pk is None:
            return "Pick a picture above; it shows here once the story is saved."
        photo = obj.photo
        notes = [f"Credit: {photo.credit}. © {photo.copyright_holder}."]
        if photo.is_state_media:
            notes.append("Readers see it labelled as a state-media handout.")
        if photo.usage_terms:
            notes.append(f"Terms: {photo.usage_terms}")
        flags = []
        if photo.rights_expired():
            flags.append(f"Rights expired on {format_date(photo.rights_expire_on, 'j F Y')}: replace it.")
        if not obj.effective_alt:
            flags.append("No alt text yet: the story cannot be published without it.")
        warning = services.recent_run_warning(photo, excluding=obj.article_id)
        if warning:
            flags.append(warning)
        return format_html(
            '<div class="photo-preview">{}<div><p>{}</p>{}'
            '<p><a href="{}">Open in the image library</a></p></div></div>',
            thumbnail(photo, 200), " ".join(notes),
            format_html_join("", '<p class="photo-warn">{}</p>', ((flag,) for flag in flags)),
            reverse("admin:photos_photo_change", args=[photo.pk]),
        )


def _story_admin():
    return type(admin.site.get_model_admin(Article))


StoryAdmin = _story_admin()


class StoryFormWithFigures(StoryAdmin.form):
    """The story form, its editor offering figures from the library (the Figure button opens the picker)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body = self.fields.get("body")
        if body is not None:
            body.widget.config = {**body.widget.config, "extensions": {
                **BODY_EDITOR_EXTENSIONS,
                "Figure": {"pickerUrl": reverse("admin:photos_photo_picker")}, "Image": True, "Caption": True,
            }}

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        before = {pk for pk, _ in figures_in(self.instance.body)} if self.instance.pk else set()
        added = [pk for pk, _ in figures_in(body) if pk not in before]
        for photo in Photo.objects.filter(pk__in=added).expired():
            raise forms.ValidationError(
                f"The desk's rights to “{photo}” ran out on {format_date(photo.rights_expire_on, 'j F Y')}: "
                "it cannot be added to the text. Remove that figure or pick another picture."
            )
        return body

    class Media:
        css = {"all": ["photos/css/admin.css"]}


class StoryWithPicturesAdmin(StoryAdmin):
    form = StoryFormWithFigures
    inlines = [LeadImageInline, *StoryAdmin.inlines]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        story = form.instance
        photos = [use.photo for use in LeadImage.objects.filter(article=story).select_related("photo")]
        photos += list(Photo.objects.filter(figure_uses__article=story))
        for photo in dict.fromkeys(photos):
            warning = services.recent_run_warning(photo, excluding=story.pk)
            if warning:
                self.message_user(request, f"Pictures: {warning}", messages.WARNING)
            if photo.rights_expired():
                self.message_user(request, (
                    f"Pictures: the desk's rights to “{photo}” ran out on "
                    f"{format_date(photo.rights_expire_on, 'j F Y')}. Replace it before the story goes out again."
                ), messages.WARNING)


admin.site.unregister(Article)
admin.site.register(Article, StoryWithPicturesAdmin)


# Portraits: an analyst's on the analyst form, a member of staff's on their profile form ------------------


def portrait_preview(use, *, excluding_alt=False):
    """Return the admin's preview of a saved portrait: the square crop, its credit, and what to fix."""
    if use is None or use.pk is None:
        return "Pick a picture above; it shows here, cropped square, once you save."
    photo = use.photo
    found = renditions.sources(photo.renditions, "portrait").get("jpeg") or []
    image = format_html(
        '<img src="{}" width="96" height="96" alt="" class="photo-thumb photo-thumb--portrait">', found[-1][0],
    ) if found else thumbnail(photo, 96)
    flags = []
    if photo.rights_expired():
        flags.append(f"Rights expired on {format_date(photo.rights_expire_on, 'j F Y')}: replace it.")
    if not use.effective_alt:
        flags.append("No alt text: readers who cannot see it are told nothing.")
    return format_html(
        '<div class="photo-preview">{}<div><p>Credit: {}. © {}.</p>{}<p>Cropped square around the picture\'s '
        'focal point: move the point in the library if the face is cut.</p><p><a href="{}">Open in the image '
        "library</a></p></div></div>",
        image, photo.credit, photo.copyright_holder,
        format_html_join("", '<p class="photo-warn">{}</p>', ((flag,) for flag in flags)),
        reverse("admin:photos_photo_change", args=[photo.pk]),
    )


class AnalystPortraitInline(admin.StackedInline):
    model = AnalystPortrait
    form = AnalystPortraitForm
    formset = OptionalBoxFormSet
    extra = 1
    max_num = 1
    autocomplete_fields = ["photo"]
    fields = ["photo", "portrait_preview", "alt_text"]
    readonly_fields = ["portrait_preview"]
    verbose_name = "portrait"
    verbose_name_plural = "Portrait"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "photo" and field is not None:
            field.widget.can_add_related = field.widget.can_delete_related = False
        return field

    def _editable(self, request):
        return may_use_library(request.user) and roles.can(request.user, roles.EDIT_LISTS)

    def has_view_permission(self, request, obj=None):
        return roles.can(request.user, roles.EDIT_LISTS)

    def has_add_permission(self, request, obj=None):
        return self._editable(request)

    def has_change_permission(self, request, obj=None):
        return self._editable(request)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request)

    @admin.display(description="Portrait")
    def portrait_preview(self, obj):
        return portrait_preview(obj)


AnalystAdmin = type(admin.site.get_model_admin(Analyst))


class AnalystWithPortraitAdmin(AnalystAdmin):
    inlines = [*AnalystAdmin.inlines, AnalystPortraitInline]

    class Media:
        css = {"all": ["photos/css/admin.css"]}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        use = AnalystPortrait.objects.filter(analyst=form.instance).select_related("photo").first()
        if use is not None:
            services.photo_prepare_portrait(photo=use.photo)


admin.site.unregister(Analyst)
admin.site.register(Analyst, AnalystWithPortraitAdmin)


def staff_profile_form(base):
    """Return the staff-profile form with a portrait box: a library picture and its alt text, kept by account."""

    class StaffProfileFormWithPortrait(base):
        portrait = forms.ModelChoiceField(
            queryset=Photo.objects.all(), required=False, label="Portrait",
            widget=AutocompleteSelect(StaffPortrait._meta.get_field("photo"), admin.site),
            help_text="A picture from the image library for the author page and the staff list, cropped square "
            "around its focal point. Type to search by caption, credit or file name. Empty the box to show "
            "initials instead.",
        )
        portrait_alt_text = forms.CharField(
            label="Alt text for the portrait", required=False, max_length=600,
            widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
            help_text=StaffPortrait._meta.get_field("alt_text").help_text,
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            user_id = self.instance.user_id if self.instance.pk else None
            self.current_portrait = StaffPortrait.objects.filter(user_id=user_id).first() if user_id else None
            if self.current_portrait is not None:
                self.initial.setdefault("portrait", self.current_portrait.photo_id)
                self.initial.setdefault("portrait_alt_text", self.current_portrait.alt_text)

        def clean(self):
            cleaned = super().clean()
            photo = cleaned.get("portrait")
            if photo is not None and {"portrait", "portrait_alt_text"} & set(self.changed_data):
                current = self.current_portrait
                problems = portrait_problems(
                    photo, cleaned.get("portrait_alt_text") or "",
                    newly_chosen=current is None or current.photo_id != photo.pk,
                )
                for field, message in problems.items():
                    self.add_error("portrait" if field == "photo" else "portrait_alt_text", message)
            return cleaned

        def save_portrait(self, profile):
            """Keep the portrait box's choice for the profile's account; return whether anything changed."""
            if not {"portrait", "portrait_alt_text"} & set(self.changed_data):
                return False
            photo = self.cleaned_data.get("portrait")
            if photo is None:
                StaffPortrait.objects.filter(user_id=profile.user_id).delete()
                return True
            services.photo_prepare_portrait(photo=photo)
            StaffPortrait.objects.update_or_create(
                user_id=profile.user_id,
                defaults={"photo": photo, "alt_text": self.cleaned_data.get("portrait_alt_text") or ""},
            )
            return True

    return StaffProfileFormWithPortrait


def add_portraits_to_staff_profiles(site=admin.site):
    """Give the staff-profile form its portrait box (photos.apps calls this once every admin is registered).

    The people app imports no photo code (the direction rules), so the box is added from here, to
    the admin people registered, as the story form gets its lead image above.
    """
    profile_model = apps.get_model("people", "StaffProfile")
    if not site.is_registered(profile_model):
        return
    ProfileAdmin = type(site.get_model_admin(profile_model))
    if getattr(ProfileAdmin, "has_portrait_box", False):
        return

    class StaffProfileWithPortraitAdmin(ProfileAdmin):
        has_portrait_box = True
        form = staff_profile_form(ProfileAdmin.form)

        class Media:
            css = {"all": ["photos/css/admin.css"]}

        def get_fieldsets(self, request, obj=None):
            fieldsets = list(super().get_fieldsets(request, obj))
            if may_use_library(request.user):
                fieldsets.insert(1, ("Portrait", {"fields": ["portrait", "portrait_alt_text", "portrait_preview"]}))
            return fieldsets

        def get_readonly_fields(self, request, obj=None):
            return [*super().get_readonly_fields(request, obj), "portrait_preview"]

        @admin.display(description="Portrait as readers see it")
        def portrait_preview(self, obj):
            use = StaffPortrait.objects.filter(user_id=obj.user_id).select_related("photo").first() if obj else None
            return portrait_preview(use)

        def save_related(self, request, form, formsets, change):
            super().save_related(request, form, formsets, change)
            if hasattr(form, "save_portrait") and "portrait" in form.fields:
                form.save_portrait(form.instance)

    site.unregister(profile_model)
    site.register(profile_model, StaffProfileWithPortraitAdmin)
