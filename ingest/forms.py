"""Forms for importing wire copy in the admin and reviewing what the extractor suggests."""
from django import forms
from django.core.exceptions import ValidationError

from . import MAX_BYTES
from .services import CopyBatchError, copies_read


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,text/plain"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ImportCopyForm(forms.Form):
    files = MultipleFileField(
        label="Upload copy", required=False,
        help_text=f"One plain-text (.txt) file per story, UTF-8, at most {MAX_BYTES // 1_000_000} MB each. "
        "You can pick several files; if one cannot be read, none is imported.",
    )
    text = forms.CharField(
        label="…or paste copy", required=False, max_length=MAX_BYTES, strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "vLargeTextField", "spellcheck": "false"}),
        help_text="The whole story, starting with the dateline, e.g. “SEOUL (Realist English). Kim Yo Jong …”.",
    )
    label = forms.CharField(
        label="Name for pasted copy", required=False, max_length=200,
        help_text="Shown in the import history, e.g. the wire slug. Optional.",
    )

    def clean(self):
        cleaned = super().clean()
        pairs = []
        for upload in cleaned.get("files") or []:
            if upload.size > MAX_BYTES:
                raise ValidationError(
                    f"{upload.name}: the file is {upload.size / 1_000_000:.1f} MB; the limit is "
                    f"{MAX_BYTES // 1_000_000} MB for one story. Check you picked the right file."
                )
            pairs.append((upload.name, upload.read()))
        if (cleaned.get("text") or "").strip():
            pairs.append((cleaned.get("label") or "pasted copy", cleaned["text"]))
        elif cleaned.get("text"):
            raise ValidationError("pasted copy: the text is empty. Paste the story text.")
        if not pairs:
            raise ValidationError("Upload a .txt file or paste the story text.")
        try:
            cleaned["copies"] = copies_read(files=pairs)
        except CopyBatchError as exc:
            raise ValidationError([str(error) for error in exc.errors]) from exc
        return cleaned


class SuggestionForm(forms.Form):
    """The editor's decision on one attributed statement."""

    action = forms.ChoiceField(
        label="Decision",
        choices=[("confirm", "Confirm"), ("reject", "Reject"), ("later", "Decide later")],
        widget=forms.RadioSelect, initial="later",
    )
    target = forms.ChoiceField(
        label="Becomes",
        choices=[("commentary", "Expert commentary (an analyst)"), ("citation", "Citation (a source)")],
        help_text="Analysts are outside experts; officials, ministries and state media are sources.",
    )
    speaker = forms.CharField(label="Speaker", max_length=200)
    title = forms.CharField(label="Title as printed", max_length=200, required=False)
    affiliation = forms.CharField(label="Affiliation as printed", max_length=200, required=False)
    source_name = forms.CharField(
        label="Source listed as", max_length=255, required=False,
        help_text="For citations: how readers see the source listed.",
    )
    record = forms.TypedChoiceField(
        label="Link to", coerce=int, empty_value=None, required=False,
        help_text="An existing record with this name, or a new one.",
    )
    text = forms.CharField(
        label="Quote or paraphrase", widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text="As printed; direct quotes without the quotation marks.",
    )
    direct = forms.BooleanField(label="Direct quote", required=False)

    def __init__(self, *args, suggestion, matches, **kwargs):
        initial = {key: suggestion.get(key) for key in
                   ("target", "speaker", "title", "affiliation", "source_name", "text", "direct")}
        initial["action"] = "later" if suggestion["status"] == "pending" else (
            "reject" if suggestion["status"] == "rejected" else "confirm"
        )
        initial["record"] = matches[0].pk if matches and matches[0].kind in ("exact", "near") else ""
        super().__init__(*args, prefix=f"s{suggestion['id']}", initial=initial, **kwargs)
        self.suggestion = suggestion
        self.matches = matches
        new_label = suggestion["speaker"] if suggestion["target"] == "commentary" else (
            suggestion["source_name"] or suggestion["speaker"]
        )
        self.fields["record"].choices = [("", f"New: {new_label}")] + [(m.pk, m.label) for m in matches]

    @property
    def done(self):
        return self.suggestion["status"] == "confirmed"

    def decision(self):
        data = dict(self.cleaned_data)
        if data.get("target") != self.suggestion["target"]:
            data["record"] = None  # the matches offered were for the other kind of record
        return data
