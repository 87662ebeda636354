"""Compare two saved revisions of a story, field by field, for the admin's history pages."""
import difflib
import html
import re

from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import strip_tags

# Fields an editor cares about, in the order the story form shows them.
COMPARED_FIELDS = [
    "headline", "dek", "dateline", "credit", "body", "kind", "status", "published_at", "revised_at", "slug",
]
TEXT_FIELDS = {"headline", "dek", "dateline", "credit", "body", "slug"}
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|pre)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)
_TOKENS = re.compile(r"\s+|[^\s]+")


def readable_text(value, *, html_field=False):
    """Return text as an editor reads it: for HTML, paragraphs on their own lines and no tags."""
    value = value or ""
    if html_field:
        value = html.unescape(strip_tags(_BLOCK_END.sub("\n", value)))
        value = "\n".join(line.strip() for line in value.splitlines() if line.strip())
    return value


def word_diff(old, new):
    """Return [(op, text)] where op is "same", "removed" or "added", word by word."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("added", "".join(b[j1:j2])))
    return segments


def desk_zone_city():
    """Return the desk's time zone as editors say it, from the setting: e.g. "Seoul" for Asia/Seoul."""
    return settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")


# For labels written once at import (list columns, workflow help): read when shown, so they follow the setting.
desk_zone_label = lazy(lambda: f"{desk_zone_city()} time", str)()


def desk_time(value):
    """Format a time in the desk's zone with its abbreviation, e.g. "28 Jul 2025, 09:00 KST"."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return f"{local:%-d %b %Y, %H:%M} {local.tzname()}"


def _display(record, name):
    value = getattr(record, name)
    field = record._meta.get_field(name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if name in {"published_at", "revised_at"}:
        return desk_time(value)
    return value if value not in (None, "") else "—"


def revision_changes(old, new):
    """Return the changed fields between two historical records of a story (old may be None)."""
    changes = []
    for name in COMPARED_FIELDS:
        before = getattr(old, name) if old is not None else None
        after = getattr(new, name)
        if before == after:
            continue
        label = new._meta.get_field(name).verbose_name
        if name in TEXT_FIELDS:
            is_html = name == "body"
            before_text = readable_text(before, html_field=is_html)
            after_text = readable_text(after, html_field=is_html)
            changes.append({"field": label, "text": True, "segments": word_diff(before_text, after_text)})
        else:
            changes.append({
                "field": label, "text": False,
                "old": _display(old, name) if old is not None else "—", "new": _display(new, name),
            })
    return changes
