"""Library pictures inside a story's text: figures the rich-text editor inserts, read and rendered.

The editor's figure button (django-prose-editor's Figure, with the library's picker) writes
`<figure><img src="…" alt="…" data-file="<photo id>"><figcaption>…</figcaption></figure>`, and
articles/sanitize.py keeps exactly that. Readers never get the stored <img>: each figure is drawn
again from the library's renditions (srcset, WebP, width and height, lazy loading) with the
picture's credit, so a figure always shows its credit and its current rights, and an <img> that
does not name a library picture is dropped.
"""
import html
import re

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

_FIGURE = re.compile(r"<figure\b[^>]*>(.*?)</figure>", re.S)
_IMG = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
_CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)


def _image_attributes(figure_html):
    found = _IMG.search(figure_html)
    if found is None:
        return None
    return {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(found.group(1))}


def _photo_id(attributes):
    value = (attributes or {}).get("data-file", "")
    return int(value) if value.isascii() and value.isdigit() else None


def figures_in(body):
    """Return [(photo id, alt text)] of the library figures in a story body, in order, each photo once."""
    seen, found = set(), []
    for figure in _FIGURE.finditer(body or ""):
        attributes = _image_attributes(figure.group(1))
        photo_id = _photo_id(attributes)
        if photo_id is not None and photo_id not in seen:
            seen.add(photo_id)
            found.append((photo_id, attributes.get("alt", "").strip()))
    return found


def render_figures(body_html, pictures):
    """Return sanitized body HTML with each library figure drawn from its Picture; other images removed.

    `pictures` maps photo ids to Pictures (photos.pictures.story_pictures); a figure whose picture
    is not there (deleted, or a stray <img>) is left out whole: a caption without its picture misleads.
    """

    def draw(match):
        attributes = _image_attributes(match.group(1))
        if attributes is None:
            return match.group(0)  # a figure of text (a pull quote): not ours
        picture = pictures.get(_photo_id(attributes))
        if picture is None:
            return ""
        caption = _CAPTION.search(match.group(1))
        return render_to_string("photos/figure.html", {
            "picture": picture,
            "alt": attributes.get("alt", "").strip() or picture.alt,
            # Already through the allow-list (the body is sanitized before this runs).
            "caption_html": mark_safe(caption.group(1).strip()) if caption else "",  # noqa: S308
        })

    body_html, pieces, end = str(body_html), [], 0
    for match in _FIGURE.finditer(body_html):
        pieces += [_IMG.sub("", body_html[end:match.start()]), draw(match)]
        end = match.end()
    pieces.append(_IMG.sub("", body_html[end:]))  # an <img> outside a figure is not the library's
    return mark_safe("".join(pieces))  # noqa: S308 - sanitized input and templates' output
