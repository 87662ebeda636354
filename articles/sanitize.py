"""Allow-list sanitizing for story HTML: what is stored and rendered is only what a story needs."""
import re

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "figure", "figcaption", "hr", "abbr", "cite", "q", "code", "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    # A picture from the image library, as the editor's figure button inserts it: data-file names the
    # library's picture, which readers get drawn from its renditions with its credit (photos/figures.py).
    "img": {"src", "alt", "width", "height", "data-file"},
}
# The editor marks its figures so; nothing else may set a class.
ALLOWED_CLASSES = {"figure": {"figure"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


URL_ATTRIBUTES = {"href", "cite"}
# An <img> the cleaner left (it writes attributes as name="value").
_IMG = re.compile(r"<img\b[^>]*>")


def _from_media_library(value):
    """Return whether an image address is one of the library's files (under MEDIA_URL), not another site's."""
    return value.startswith(settings.MEDIA_URL) and ".." not in value and "\\" not in value


def _limit_url_schemes(tag, attribute, value):
    """Drop cite (and href) URLs whose scheme is not allowed; nh3 itself checks only href.

    An <img> keeps only a library address (no hotlinked or tracking pictures) and whole numbers.
    """
    if tag == "img":
        if attribute == "src":
            return value if _from_media_library(value) else None
        if attribute in {"data-file", "width", "height"}:
            return value if value.isascii() and value.isdigit() else None
        return value
    if attribute in URL_ATTRIBUTES:
        squashed = "".join(value.split()).lower()
        scheme, sep, _ = squashed.partition(":")
        if sep and "/" not in scheme and scheme not in ALLOWED_URL_SCHEMES:
            return None
    return value


def _library_picture_only(match):
    """Keep an <img> only as the figure button inserts one: a library address and the picture's number."""
    tag = match.group(0)
    return tag if ' src="' in tag and ' data-file="' in tag else ""


def clean_html(html):
    """Return html with everything outside the allow-list removed; links get rel=noopener."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html.replace("\x00", ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_limit_url_schemes,
        allowed_classes=ALLOWED_CLASSES,
    )
    # Whatever else an <img> was (hotlinked, a tracking pixel, "<img src=x onerror=...>"), it goes whole.
    if "<img" in cleaned:
        cleaned = _IMG.sub(_library_picture_only, cleaned)
    # The parser drops a byte-order mark that starts its input, so one left at the start by a
    # removed tag ("</script>\ufeff") would vanish on the next save: drop it now, so cleaning twice
    # changes nothing.
    return cleaned.lstrip("\ufeff")
