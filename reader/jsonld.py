"""schema.org structured data (JSON-LD) for stories, analysts and list pages.

Functions return plain dicts; `script_tag` serializes one safely for an inline <script>.
"""
import orjson
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models import Article, site_url, slug_urls
from people.models import POLICY_PROPERTIES, standards_url
from people.names import credited

from .formats import absolute_url, machine_time

ARTICLE_TYPES = {
    Article.Kind.NEWS: "NewsArticle",
    Article.Kind.ANALYSIS: "AnalysisNewsArticle",
    Article.Kind.OPINION: "OpinionNewsArticle",
}
# Inside <script>, "</script>" or "<!--" in a headline would end or confuse the element. Replaced one
# character at a time (str.replace scans in C): str.translate leaves its fast path at the first
# character it maps, and took 146 µs for a list page's 4 kB whose headlines had an "&" (5 µs now).
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def script_tag(data):
    """Return data as a <script type="application/ld+json"> element that no text inside can break."""
    # orjson writes what json.dumps(ensure_ascii=False, separators=(",", ":")) writes, nine times
    # faster (a list page's 5 kB: 21 against 2.3 µs); it refuses what JSON has no value for.
    text = orjson.dumps(data).decode()
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


# The publisher's logo: a raster image shipped with the site (Google reads no SVG logo).
LOGO = ("img/logo.png", 512, 512)


def publisher(request=None):
    """Describe the desk as a NewsMediaOrganization: its logo and the standards pages its policies are on."""
    path, width, height = LOGO
    policies = {
        prop: absolute_url(standards_url(kind)) for kind, props in POLICY_PROPERTIES.items() for prop in props
    }
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM["NAME"],
        "url": absolute_url("/"),
        "logo": {"@type": "ImageObject", "url": absolute_url(static(path)), "width": width, "height": height},
        **policies,
    }


def _desk(name=""):
    """Describe a desk credit (or, with none, the publication) as an Organization author with a url."""
    about = absolute_url(site_url("articles:about"))
    return {"@type": "Organization", "name": name or settings.NEWSROOM["NAME"], "url": about}


def author(credited_author):
    """Describe a credited member of staff (people.names.Author) as a Person; with no profile, by name only."""
    profile = credited_author.profile
    if profile is None:
        return {"@type": "Person", "name": credited_author.name}
    return _compact({
        "@type": "Person",
        "name": credited_author.name,
        "url": absolute_url(profile.get_absolute_url()),
        "jobTitle": profile.job_title,
        "sameAs": profile.link_list,
    })


def _organization(name):
    return {"@type": "Organization", "name": name} if name else None


def _compact(data):
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _person(request, analyst, *, title="", affiliation=""):
    return _compact({
        "@type": "Person",
        "name": analyst.name,
        "url": absolute_url(analyst.get_absolute_url()),
        "jobTitle": title,
        "affiliation": _organization(affiliation),
    })


def media_url(url):
    """Return the absolute address of a media file (a picture's rendition), on the site or on its media host."""
    return url if url.startswith(("https://", "http://")) else absolute_url(url)


def share_image(pictures):
    """Return the share card of a story's lead picture (og:image, twitter:image) for the page head, or None."""
    if pictures is None or pictures.share is None:
        return None
    url, width, height = pictures.share
    return {"url": media_url(url), "width": width, "height": height, "alt": pictures.lead.alt}


def _images(pictures):
    """Describe the lead picture in the three shapes Google asks for (16:9, 4:3, 1:1), each 1200 px wide."""
    if pictures is None or pictures.lead is None:
        return []
    lead, photo = pictures.lead, pictures.lead_photo
    return [
        _compact({
            "@type": "ImageObject",
            "url": media_url(url),
            "contentUrl": media_url(url),
            "width": width,
            "height": height,
            "caption": lead.caption,
            "creditText": lead.credit,
            "copyrightNotice": photo.copyright_holder,
            "copyrightHolder": _organization(photo.copyright_holder),
        })
        for url, width, height in pictures.structured
    ]


def article(request, story, *, commentary, citations, corrections, topics, bylines, pictures=None):
    """Describe a published story as a NewsArticle (or its Analysis/Opinion subtype)."""
    url = absolute_url(story.get_absolute_url())
    authors = [author(credited_author) for credited_author in credited(bylines)]
    if story.credit or not authors:
        authors.append(_desk(story.credit))
    seen, mentions = set(), []
    for item in commentary:
        if item.analyst_id not in seen:
            seen.add(item.analyst_id)
            mentions.append(
                _person(request, item.analyst, title=item.title_as_printed, affiliation=item.affiliation_as_printed)
            )
    return _compact({
        "@context": "https://schema.org",
        "@type": ARTICLE_TYPES.get(story.kind, "NewsArticle"),
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": story.headline[:110],
        "description": story.dek,
        "datePublished": machine_time(story.published_at),
        "dateModified": machine_time(story.last_modified),
        "dateline": story.dateline,
        "backstory": story.backstory,
        "inLanguage": settings.NEWSROOM["LANGUAGE"],
        "isAccessibleForFree": True,
        "image": _images(pictures),
        "author": authors,
        "publisher": publisher(request),
        "about": [
            {"@type": "Thing", "name": topic.name, "url": absolute_url(topic.get_absolute_url())}
            for topic in topics
        ],
        "keywords": [topic.name for topic in topics],
        "citation": [
            _compact({
                "@type": "CreativeWork",
                "name": citation.source.name,
                "url": citation.link,
                "publisher": _organization(citation.source.organization.name if citation.source.organization else ""),
            })
            for citation in citations
        ],
        "mentions": mentions,
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": machine_time(correction.published_at),
            }
            for correction in corrections
        ],
    })


def portrait(picture):
    """Describe a person's portrait (a photos.pictures.Picture, or None) as an ImageObject with its credit."""
    if picture is None:
        return None
    url, width, height = picture.largest
    return _compact({
        "@type": "ImageObject", "url": media_url(url), "width": width, "height": height,
        "creditText": picture.credit, "description": picture.alt,
    })


def person(request, analyst):
    """Describe a named analyst as a Person, on a profile page."""
    url = absolute_url(analyst.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": _compact({
            "@type": "Person",
            "@id": url + "#person",
            "name": analyst.name,
            "url": url,
            "jobTitle": analyst.title,
            "affiliation": _organization(analyst.affiliation),
            "description": analyst.bio,
            "sameAs": [link for link in (analyst.website, analyst.profile_url) if link],
            "image": portrait(getattr(analyst, "portrait_image", None)),
        }),
    }


def collection(request, *, name, description, items, position_offset=0):
    """Describe a list page as a CollectionPage whose main entity lists its items' URLs."""
    # Items' URLs are site paths: join them to the site's address once built, not build each one;
    # and reverse them under one read of the URL configuration (the items are of one model).
    site = absolute_url("/")
    path_of = slug_urls(type(items[0]).page_url_name) if items else None
    return _compact({
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "url": absolute_url(request.path),
        "isPartOf": {"@type": "WebSite", "name": settings.NEWSROOM["NAME"], "url": site},
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position_offset + index,
                    "url": site + path_of(item.slug).removeprefix("/"),
                    "name": str(item),
                }
                for index, item in enumerate(items, start=1)
            ],
        },
    })


def author_page(profile, *, expertise):
    """Describe a member of staff's author page as a ProfilePage about a Person who works for the desk."""
    url = absolute_url(profile.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": _compact({
            "@type": "Person",
            "@id": url + "#person",
            "name": profile.display_name,
            "url": url,
            "jobTitle": profile.job_title,
            "description": profile.bio,
            "email": profile.public_email,
            "knowsAbout": [topic.name for topic in expertise],
            "knowsLanguage": [name.strip() for name in profile.languages.split(",") if name.strip()],
            "sameAs": profile.link_list,
            "worksFor": _desk() if profile.is_current else None,
            "image": portrait(getattr(profile, "portrait_image", None)),
        }),
    }


# How schema.org names the kind of page a standards page is; the rest are plain web pages.
STANDARDS_PAGE_TYPES = {"about": "AboutPage", "contact": "ContactPage"}


def standards_page(page):
    """Describe a standards page as a WebPage (About, Contact: their own types) the desk publishes."""
    url = absolute_url(page.get_absolute_url())
    return _compact({
        "@context": "https://schema.org",
        "@type": STANDARDS_PAGE_TYPES.get(page.kind, "WebPage"),
        "name": page.title,
        "description": page.summary,
        "url": url,
        "dateModified": machine_time(page.updated_at),
        "publisher": publisher(),
    })
