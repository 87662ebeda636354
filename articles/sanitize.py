"""Allow-list sanitizing for story HTML: what is stored and rendered is only what a story needs."""
import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "figure", "figcaption", "hr", "abbr", "cite", "q", "code",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


URL_ATTRIBUTES = {"href", "cite"}


def _limit_url_schemes(tag, attribute, value):
    """Drop cite (and href) URLs whose scheme is not allowed; nh3 itself checks only href."""
    if attribute in URL_ATTRIBUTES:
        squashed = "".join(value.split()).lower()
        scheme, sep, _ = squashed.partition(":")
        if sep and "/" not in scheme and scheme not in ALLOWED_URL_SCHEMES:
            return None
    return value


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
    )
    # The parser drops a byte-order mark that starts its input, so one left at the start by a
    # removed tag ("</script>\ufeff") would vanish on the next save: drop it now, so cleaning twice
    # changes nothing.
    return cleaned.lstrip("\ufeff")
