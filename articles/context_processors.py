"""Template context every page needs."""
from django.conf import settings


def site(request):
    """Expose the publication's name, tagline and language, and the section a page belongs to."""
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match else ""
    section = next(
        (name for prefix, name in (("topic", "topics"), ("analyst", "analysts"), ("search", "search"))
         if url_name and url_name.startswith(prefix)),
        "latest" if url_name in {"home", "article_detail"} else "",
    )
    return {"newsroom": settings.NEWSROOM, "section": section}
