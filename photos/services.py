"""Writes to the library: adding an upload with its renditions, moving a focal point, and what editors are warned of."""
import logging
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import date as format_date
from django.utils import timezone

from articles.models import Article

from . import renditions
from .intake import SHARE_WIDTH, UploadRefused, hash_distance, take_in
from .models import RECENT_RUN, Photo

logger = logging.getLogger(__name__)

# Perceptual hashes this close (of 64 bits) are the same picture resized, re-compressed or lightly edited.
SIMILAR_BITS = 10
# What the upload form may give for every file of a batch; the file's own words win where it has them.
BATCH_FIELDS = ("credit", "copyright_holder", "source", "usage_terms", "rights_expire_on")


@dataclass
class Added:
    """A picture added to the library, and what the editor should know about it."""

    photo: Photo
    warnings: list = field(default_factory=list)
    prefilled: list = field(default_factory=list)  # the fields the file itself filled


def _folder(token):
    return f"photos/{token[:2]}/{token}"


def _delete_files(names, storage=None):
    storage = storage or default_storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # already gone, or the store is unreachable: the file is orphaned, not served
            logger.warning("Could not delete media file %s", name)


def similar_photos(phash, *, excluding=None, limit=3):
    """Return up to `limit` (photo, differing bits) already in the library that look like this hash, closest first."""
    candidates = Photo.objects.exclude(pk=excluding).values_list("pk", "phash")
    close = sorted(
        (distance, pk) for pk, other in candidates.iterator(chunk_size=5000)
        if other and (distance := hash_distance(phash, other)) <= SIMILAR_BITS
    )[:limit]
    photos = Photo.objects.in_bulk([pk for _, pk in close])
    return [(photos[pk], distance) for distance, pk in close if pk in photos]


def _describe(photo):
    when = format_date(timezone.localtime(photo.uploaded_at), "j M Y")
    return f"“{photo}” (uploaded {when}, credit {photo.credit})"


def photo_add(*, upload, user=None, defaults=None, storage=None):
    """Check an upload, keep a clean copy and its renditions, and add it to the library; return Added.

    Raise UploadRefused (naming the file) for anything the library does not take; then nothing is
    saved: no row, no file.
    """
    storage = storage or default_storage
    intake = take_in(upload)
    given = {key: value for key, value in (defaults or {}).items() if key in BATCH_FIELDS and value not in (None, "")}
    words = {**given, **intake.metadata}
    missing = [label for key, label in (("credit", "credit"), ("copyright_holder", "copyright holder"))
               if not words.get(key)]
    if missing:
        raise UploadRefused(
            f"“{intake.name}” does not say its {' or its '.join(missing)}, and the upload form's "
            f"{' and '.join(m.capitalize() for m in missing)} box{'es are' if len(missing) > 1 else ' is'} empty. "
            "Type them in and upload the file again."
        )
    token = secrets.token_hex(8)
    photo = Photo(
        token=token, original_filename=intake.name[:255], width=intake.width, height=intake.height,
        file_format=intake.file_format, file_size=intake.file_size, sha256=intake.sha256, phash=intake.phash,
        uploaded_by=user if user is not None and user.is_authenticated else None,
        **{key: value for key, value in words.items() if key in {"alt_text", "caption", *BATCH_FIELDS}},
    )
    try:
        photo.full_clean(exclude=["file", "renditions"])
    except ValidationError as error:
        problems = "; ".join(f"{Photo._meta.get_field(name).verbose_name}: {' '.join(messages)}"
                             for name, messages in error.message_dict.items())
        raise UploadRefused(f"“{intake.name}” could not be added: {problems}") from error
    similar = similar_photos(intake.phash)
    written = []
    try:
        with transaction.atomic():
            master = storage.save(f"{_folder(token)}/original{intake.extension}", ContentFile(intake.master))
            written.append(master)
            photo.file.name = master
            photo.renditions = renditions.manifest(photo, intake.image, storage=storage)
            written.extend(renditions.file_names(photo.renditions))
            photo.save()
    except BaseException:
        _delete_files(written, storage)
        raise
    added = Added(photo=photo, prefilled=sorted(intake.metadata))
    for other, distance in similar:
        if other.sha256 == photo.sha256 or distance == 0:
            added.warnings.append(f"“{intake.name}” is the same picture as {_describe(other)}, already in the library.")
        else:
            added.warnings.append(
                f"“{intake.name}” looks like {_describe(other)}, already in the library: check which one to use."
            )
    if intake.width < SHARE_WIDTH:
        added.warnings.append(
            f"“{intake.name}” is {intake.width} px wide. Share cards and Google Discover want {SHARE_WIDTH:,} px: "
            "it will look soft there. Find a larger copy if you can."
        )
    return added


def photo_recrop(*, photo, storage=None):
    """Make the cropped renditions again around the photo's current focal point (after it moved); save the photo.

    The old crops are deleted once the change is committed; until then pages may still show them.
    """
    storage = storage or default_storage
    cropped = [name for name, spec in renditions.SPECS.items() if spec.cropped]
    old = renditions.file_names(photo.renditions, cropped)
    made = renditions.make(photo, renditions.open_master(photo, storage), specs=cropped, storage=storage)
    new = renditions.file_names(made)
    try:
        with transaction.atomic():
            photo.renditions = {**photo.renditions, **made, "focal": [photo.focal_x, photo.focal_y]}
            photo.save()
    except BaseException:
        _delete_files(new, storage)
        raise
    stale = [name for name in old if name not in set(new)]
    transaction.on_commit(lambda: _delete_files(stale, storage))
    return photo


def photo_remake(*, photo, storage=None):
    """Make every rendition again from the kept copy (after SPECS change); save the photo; delete the old files."""
    storage = storage or default_storage
    old = renditions.file_names(photo.renditions)
    made = renditions.manifest(photo, renditions.open_master(photo, storage), storage=storage)
    photo.renditions = made
    photo.save(update_fields=["renditions", "updated_at"])
    fresh = set(renditions.file_names(made))
    stale = [name for name in old if name not in fresh]
    transaction.on_commit(lambda: _delete_files(stale, storage))
    return photo


def photo_prepare_portrait(*, photo, storage=None):
    """Make the picture's portrait crops if it has none (a picture added before portraits were); save the photo.

    Pictures get them at upload; this spares the desk a run of make_renditions before choosing an older one.
    """
    if (photo.renditions or {}).get("portrait"):
        return photo
    storage = storage or default_storage
    made = renditions.make(photo, renditions.open_master(photo, storage), specs=["portrait"], storage=storage)
    try:
        with transaction.atomic():
            photo.renditions = {**photo.renditions, **made}
            photo.save(update_fields=["renditions", "updated_at"])
    except BaseException:
        _delete_files(renditions.file_names(made), storage)
        raise
    return photo


def delete_files_of(photo, storage=None):
    """Delete a photo's kept copy and renditions (after its row is deleted)."""
    _delete_files([photo.file.name, *renditions.file_names(photo.renditions)], storage)


def stories_using(photo):
    """Return the stories that use the photo as lead image or in their text, newest first."""
    return Article.objects.filter(
        Q(lead_image__photo=photo) | Q(photo_figures__photo=photo)
    ).distinct().order_by("-published_at", "-pk")


def recent_runs(photo, *, excluding=None, now=None):
    """Return the stories readers saw it in during the last seven days (RECENT_RUN), newest first."""
    now = now or timezone.now()
    stories = stories_using(photo).filter(pk__in=Article.objects.published(at=now).filter(
        published_at__gte=now - RECENT_RUN).values("pk"))
    if excluding is not None:
        stories = stories.exclude(pk=excluding)
    return list(stories)


def recent_run_warning(photo, *, excluding=None, now=None):
    """Return a sentence warning that the picture ran in the last seven days, or ""."""
    ran = recent_runs(photo, excluding=excluding, now=now)
    if not ran:
        return ""
    named = "; ".join(
        f"“{story.headline}” ({format_date(timezone.localtime(story.published_at), 'j M')})" for story in ran[:3]
    )
    more = f" and {len(ran) - 3} more" if len(ran) > 3 else ""
    return f"“{photo}” ran in the last seven days: {named}{more}. Readers may have seen it already."
