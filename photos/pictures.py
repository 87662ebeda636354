"""What reader pages show of a picture, read from the renditions made when it arrived: never made here.

A Picture is plain values (a tuple), so a teaser fragment's key can hold it whole
(pagecache/fragments.py): any change to what readers see of it changes the key.
"""
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import F

from articles.models import Article

from .figures import figures_in
from .models import AnalystPortrait, LeadImage, Photo, StaffPortrait
from .renditions import enclosure, largest, sources

# What a teaser and a story page read of a picture.
PICTURE_FIELDS = ("alt_text", "caption", "credit", "source", "renditions")
# JSON-LD's three shapes, in the order Google's examples give them.
STRUCTURED_SPECS = ("wide", "standard", "square")


class Picture(NamedTuple):
    """One picture as a template shows it: a JPEG fallback with its srcset, a WebP srcset, and its words."""

    src: str
    width: int
    height: int
    jpeg_srcset: str
    webp_srcset: str
    alt: str
    caption: str
    credit: str
    state_media: bool
    photo_id: int
    # The share card (a feed's enclosure): its address and size in bytes, or "" and 0.
    share_url: str = ""
    share_bytes: int = 0

    @property
    def largest(self):
        """Return (url, width, height) of the widest JPEG in the srcset (structured data names one file)."""
        url, _, width = self.jpeg_srcset.rsplit(", ", 1)[-1].rpartition(" ")
        wide = int(width.rstrip("w"))
        return url, wide, round(wide * self.height / self.width)

    @property
    def state_media_label(self):
        return Photo.STATE_MEDIA_LABEL if self.state_media else ""


def _srcset(found):
    return ", ".join(f"{url} {width}w" for url, width, _ in found)


def picture(photo, spec="full", *, alt=None, caption=None, fallback_width=1200):
    """Return a Picture of a library photo in a spec, or None if its renditions are missing.

    The fallback <img> is the widest JPEG up to fallback_width; its width and height give the box
    its shape before the file arrives (no layout shift).
    """
    found = sources(photo.renditions, spec)
    jpegs = found.get("jpeg")
    if not jpegs:
        return None
    fallback = [item for item in jpegs if item[1] <= fallback_width] or jpegs[:1]
    src, width, height = fallback[-1]
    share_url, share_bytes = enclosure(photo.renditions) or ("", 0)
    return Picture(
        src=src, width=width, height=height, jpeg_srcset=_srcset(jpegs), webp_srcset=_srcset(found.get("webp", [])),
        alt=(photo.alt_text if alt is None else alt).strip(),
        caption=(photo.caption if caption is None else caption).strip(),
        credit=photo.credit, state_media=photo.source == Photo.Source.STATE_MEDIA_HANDOUT, photo_id=photo.pk,
        share_url=share_url, share_bytes=share_bytes,
    )


def lead_picture(use, spec="full", **kwargs):
    """Return the Picture of a story's LeadImage: the story's caption and alt text where it gave them."""
    return picture(use.photo, spec, alt=use.effective_alt, caption=use.effective_caption, **kwargs)


def with_teaser_images(stories, *also):
    """Return stories loaded for teasers (for_teasers(*also)), each with its lead picture in the same query."""
    pictured = ("lead_image__caption", "lead_image__alt_text", *(f"lead_image__photo__{f}" for f in PICTURE_FIELDS))
    return stories.for_teasers(*also, *pictured).select_related("lead_image__photo")


# A lead picture as columns of the stories' own query, for queries that build no related objects (prepared
# ones, reader/private_api.py): each story gets them as `lead_<name>` (lead_photo_id is None without one).
TEASER_COLUMNS = {
    "lead_photo_id": "lead_image__photo_id", "lead_caption": "lead_image__caption",
    "lead_alt_text": "lead_image__alt_text", **{f"lead_photo_{f}": f"lead_image__photo__{f}" for f in PICTURE_FIELDS},
}


def _from_columns(story):
    if story.lead_photo_id is None:
        return None
    photo = Photo(pk=story.lead_photo_id, **{f: getattr(story, f"lead_photo_{f}") for f in PICTURE_FIELDS})
    use = LeadImage(photo=photo, caption=story.lead_caption or "", alt_text=story.lead_alt_text or "")
    return lead_picture(use, "teaser", fallback_width=480)


def attach_teaser_images(stories, using="default"):
    """Give each story `teaser_image`: its lead image as a teaser shows it, or None.

    One query for them all, none if they were loaded with the stories (with_teaser_images, or as
    columns: TEASER_COLUMNS).
    """
    lead = Article._meta.get_field("lead_image")
    by_id = {}
    for story in stories:
        story.teaser_image = None
        if "lead_photo_id" in story.__dict__:
            story.teaser_image = _from_columns(story)
        elif not lead.is_cached(story):
            by_id[story.pk] = story
        elif (use := lead.get_cached_value(story)) is not None:
            story.teaser_image = lead_picture(use, "teaser", fallback_width=480)
    if not by_id:
        return stories
    uses = (
        LeadImage.objects.using(using).filter(article_id__in=list(by_id))
        .select_related("photo").only("article_id", "caption", "alt_text", *(f"photo__{f}" for f in PICTURE_FIELDS))
    )
    for use in uses:
        by_id[use.article_id].teaser_image = lead_picture(use, "teaser", fallback_width=480)
    return stories


def portrait_picture(use):
    """Return the Picture of a portrait (an AnalystPortrait or StaffPortrait): square, with its alt text."""
    return picture(use.photo, "portrait", alt=use.effective_alt, caption="", fallback_width=192)


def _portrait_or_none(owner, accessor):
    try:
        use = getattr(owner, accessor)
    except (AnalystPortrait.DoesNotExist, StaffPortrait.DoesNotExist):
        return None
    return portrait_picture(use) if use is not None else None


# What a profile page joins to its person's row for the portrait (select_related): no query of its own.
ANALYST_PORTRAIT = "portrait__photo"
STAFF_PORTRAIT = "user__portrait__photo"
# An analyst's portrait as columns of the analyst's own query (a page that runs it prepared).
PORTRAIT_COLUMNS = {
    "portrait_photo_id": "portrait__photo_id", "portrait_alt_text": "portrait__alt_text",
    **{f"portrait_photo_{f}": f"portrait__photo__{f}" for f in PICTURE_FIELDS},
}


def with_portrait_columns(analysts):
    """Return analysts with their portrait's words and renditions as columns of the same query (PORTRAIT_COLUMNS)."""
    return analysts.annotate(**{name: F(path) for name, path in PORTRAIT_COLUMNS.items()})


def attach_analyst_portrait(analyst):
    """Give the analyst `portrait_image`: their portrait as a Picture, or None, with no query.

    Loaded either as columns (with_portrait_columns) or joined (select_related(ANALYST_PORTRAIT)).
    """
    if "portrait_photo_id" in analyst.__dict__:
        analyst.portrait_image = None
        if analyst.portrait_photo_id is not None:
            words = {f: getattr(analyst, f"portrait_photo_{f}") for f in PICTURE_FIELDS}
            photo = Photo(pk=analyst.portrait_photo_id, **words)
            use = AnalystPortrait(photo=photo, alt_text=analyst.portrait_alt_text or "")
            analyst.portrait_image = portrait_picture(use)
        return analyst
    analyst.portrait_image = _portrait_or_none(analyst, "portrait")
    return analyst


def attach_staff_portraits(profiles):
    """Give each staff profile `portrait_image` (or None); loaded with STAFF_PORTRAIT, no query."""
    for profile in profiles:
        profile.portrait_image = _portrait_or_none(profile.user, "portrait")
    return profiles


@dataclass
class StoryPictures:
    """The pictures of one story page: its lead, the figures of its body by photo id, and what platforms get."""

    lead: Picture | None = None
    figures: dict = field(default_factory=dict)
    # (url, width, height) of the share card (og:image) and of JSON-LD's three shapes; URLs as stored.
    share: tuple | None = None
    structured: list = field(default_factory=list)
    lead_photo: Photo | None = None


def story_pictures(article):
    """Return a story's StoryPictures: the lead image (a query, unless loaded with the story), and the
    body's figures (a query, only if it has any)."""
    found = StoryPictures()
    figure_ids = [photo_id for photo_id, _ in figures_in(article.body)]
    try:
        use = article.lead_image  # loaded with the story where the view selected it
    except LeadImage.DoesNotExist:
        use = None
    if use is not None:
        found.lead, found.lead_photo = lead_picture(use), use.photo
        found.share = largest(use.photo.renditions, "share")
        found.structured = [shape for spec in STRUCTURED_SPECS if (shape := largest(use.photo.renditions, spec))]
    if figure_ids:
        for photo in Photo.objects.filter(pk__in=set(figure_ids)).only(*PICTURE_FIELDS):
            found.figures[photo.pk] = picture(photo, fallback_width=800)
    return found

