"""Whether a story's pictures are ready for readers: alt text for every picture, and rights that have not run out.

Run when a story is about to be published or scheduled (articles.signals.publishing): a story with
a picture that fails is refused with these messages and nothing is saved.
"""
from django.template.defaultfilters import date as format_date

from .figures import figures_in
from .models import LeadImage, Photo


def _expired(photo, where):
    return (
        f"{where} (“{photo}”): the desk's rights to it ran out on {format_date(photo.rights_expire_on, 'j F Y')}. "
        "Replace the picture, or record the renewed rights in the image library."
    )


def story_image_problems(article):
    """Return what must be fixed in the story's pictures before readers see it ([] when nothing)."""
    problems = []
    lead = LeadImage.objects.filter(article_id=article.pk).select_related("photo").first()
    if lead is not None:
        if not lead.effective_alt:
            problems.append(
                f"The lead image (“{lead.photo}”) has no alt text. Describe what it shows in the story's "
                "Lead image box or in the image library, for readers who cannot see it."
            )
        if lead.photo.rights_expired():
            problems.append(_expired(lead.photo, "The lead image"))
    figures = figures_in(article.body)
    photos = Photo.objects.in_bulk([photo_id for photo_id, _ in figures])
    for number, (photo_id, alt) in enumerate(figures, start=1):
        photo = photos.get(photo_id)
        if photo is None:
            continue  # no longer in the library: readers do not get the figure at all
        if not (alt or photo.alt_text.strip()):
            problems.append(
                f"Picture {number} in the text (“{photo}”) has no alt text. Double-click it in the editor "
                "and fill in Alternative text, or add it in the image library."
            )
        if photo.rights_expired():
            problems.append(_expired(photo, f"Picture {number} in the text"))
    return problems
