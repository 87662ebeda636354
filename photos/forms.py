"""Forms of the photo desk: the upload box, a picture's record, a story's lead image and a person's portrait."""
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import filesizeformat

from articles.models import Article

from .intake import FORMATS, max_upload_bytes
from .models import AnalystPortrait, LeadImage, Photo


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files, each checked on its own later (photos/intake.py): one bad file spoils no other."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [item for item in data if item]
        return [data] if data else []


class UploadForm(forms.Form):
    """Several pictures at once, and the rights that hold for all of them where a file does not say."""

    files = MultipleFileField(
        label="Pictures", required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join(content_type for content_type, _ in FORMATS.values())}),
        help_text="JPEG, PNG or WebP, several at once. Drop them on the box or choose them.",
    )
    credit = forms.CharField(
        label="Credit", max_length=200, required=False,
        help_text="For files that do not say, e.g. “Jeon Heon-kyun/Yonhap”. A file's own credit wins.",
    )
    copyright_holder = forms.CharField(
        label="Copyright holder", max_length=200, required=False,
        help_text="For files that do not say, e.g. “Yonhap News Agency”.",
    )
    source = forms.ChoiceField(label="Source", choices=Photo.Source.choices, initial=Photo.Source.AGENCY)
    usage_terms = forms.CharField(
        label="Usage terms", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the licence allows, e.g. “Editorial use only”.",
    )
    rights_expire_on = forms.DateField(
        label="Rights expire on", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The last day the desk may show them. Blank: no end date.",
    )

    @property
    def limit_label(self):
        return filesizeformat(max_upload_bytes())


class PhotoForm(forms.ModelForm):
    """A picture's record; the focal point is set by clicking the picture (static/photos/js/focal_point.js)."""

    class Meta:
        model = Photo
        fields = [
            "alt_text", "caption", "credit", "copyright_holder", "source", "usage_terms", "rights_expire_on",
            "focal_x", "focal_y",
        ]
        widgets = {
            "alt_text": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
            "caption": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "usage_terms": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
            "rights_expire_on": forms.DateInput(attrs={"type": "date"}),
            "focal_x": forms.HiddenInput(attrs={"data-focal": "x"}),
            "focal_y": forms.HiddenInput(attrs={"data-focal": "y"}),
        }


class LeadImageForm(forms.ModelForm):
    """A story's lead image: a picture whose rights hold, with alt text before the story is live."""

    class Meta:
        model = LeadImage
        fields = ["photo", "caption", "alt_text"]
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
            "alt_text": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
        }

    def clean(self):
        cleaned = super().clean()
        photo = cleaned.get("photo")
        if photo is None or cleaned.get("DELETE"):
            return cleaned
        newly_used = self.instance.pk is None or self.instance.photo_id != photo.pk
        if newly_used and photo.rights_expired():
            raise ValidationError({"photo": (
                f"The desk's rights to “{photo}” ran out on {format_date(photo.rights_expire_on, 'j F Y')}: "
                "it cannot be added to a story. Pick another picture, or record renewed rights in the image library."
            )})
        story = self.instance.article_id and Article.objects.filter(pk=self.instance.article_id).first()
        alt = (cleaned.get("alt_text") or photo.alt_text).strip()
        if story and story.status == Article.Status.PUBLISHED and not alt:
            raise ValidationError({"alt_text": (
                "This story is published (or scheduled): its lead image needs alt text. Describe what the picture "
                "shows here, or in the image library."
            )})
        return cleaned


def portrait_problems(photo, alt_text, *, newly_chosen):
    """Return {field: message} of what keeps this picture from being a portrait: expired rights, no alt text."""
    problems = {}
    if newly_chosen and photo.rights_expired():
        problems["photo"] = (
            f"The desk's rights to “{photo}” ran out on {format_date(photo.rights_expire_on, 'j F Y')}: it cannot "
            "be used as a portrait. Pick another picture, or record renewed rights in the image library."
        )
    if not (alt_text or photo.alt_text).strip():
        problems["alt_text"] = (
            "A portrait needs alt text: say who it is and what the picture shows here, or in the image library."
        )
    return problems


class AnalystPortraitForm(forms.ModelForm):
    """An analyst's portrait: a picture whose rights hold, with alt text."""

    class Meta:
        model = AnalystPortrait
        fields = ["photo", "alt_text"]
        widgets = {"alt_text": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})}

    def clean(self):
        cleaned = super().clean()
        photo = cleaned.get("photo")
        if photo is None or cleaned.get("DELETE"):
            return cleaned
        newly_chosen = self.instance.pk is None or self.instance.photo_id != photo.pk
        problems = portrait_problems(photo, cleaned.get("alt_text") or "", newly_chosen=newly_chosen)
        if problems:
            raise ValidationError(problems)
        return cleaned
