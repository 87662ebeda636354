"""Renditions: the sizes and crops readers and platforms get, made once when a picture arrives or its focal point moves.

Willow (Wagtail's image library) resizes, crops and encodes; photos/intake.py has already made the
pixels clean. Every rendition is written through Django's storage API under a random key and named
for what it is (`teaser-480x320-f500370.webp`): a crop's name carries its focal point, so moving
the point gives new addresses and no cache anywhere can serve the old crop. A reader's request
never makes a rendition: pages read the list kept on the picture (Photo.renditions).
"""
import functools
import io
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from PIL import Image
from willow.plugins.pillow import PillowImage

logger = logging.getLogger(__name__)

# Bump when SPECS change: `manage.py make_renditions` remakes pictures of an older version.
VERSION = 2
CONTENT_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg"}
EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}
QUALITY = {"webp": 78, "jpeg": 82}


@dataclass(frozen=True)
class Spec:
    """A family of renditions: a shape (None keeps the picture's own) in some widths and formats."""

    name: str
    ratio: float | None
    widths: tuple
    formats: tuple = ("webp", "jpeg")
    # Platforms ask for a width (share cards and Google's 1200 px); a smaller picture is enlarged to it.
    upscale: bool = False

    @property
    def cropped(self):
        return self.ratio is not None


SPECS = {
    spec.name: spec for spec in (
        # The picture as taken: story pages and body figures (srcset), largest first as the fallback.
        Spec("full", None, (480, 800, 1200, 1600)),
        # Teasers on lists: 3:2 around the focal point.
        Spec("teaser", 3 / 2, (240, 480, 960)),
        # og:image and twitter:image: 1200 x 630, around the focal point.
        Spec("share", 1200 / 630, (1200,), ("jpeg",), upscale=True),
        # JSON-LD image: the three shapes Google's Article guidance asks for, at least 1200 px wide.
        Spec("wide", 16 / 9, (1200,), ("jpeg",), upscale=True),
        Spec("standard", 4 / 3, (1200,), ("jpeg",), upscale=True),
        Spec("square", 1, (1200,), ("jpeg",), upscale=True),
        # Portraits of analysts and staff: small squares around the focal point (the face), up to three times
        # the 6 rem a profile shows them at.
        Spec("portrait", 1, (96, 192, 384)),
        # The admin's library list and pickers.
        Spec("thumb", None, (320,), ("jpeg",)),
    )
}


def crop_box(width, height, ratio, focal_x, focal_y):
    """Return the largest (left, top, right, bottom) box of this ratio, centred on the focal point where it fits."""
    if width / height > ratio:
        box_w, box_h = max(1, round(height * ratio)), height
    else:
        box_w, box_h = width, max(1, round(width / ratio))
    left = min(max(0, round(focal_x * width - box_w / 2)), width - box_w)
    top = min(max(0, round(focal_y * height - box_h / 2)), height - box_h)
    return (left, top, left + box_w, top + box_h)


def _focal_tag(focal_x, focal_y):
    return f"f{round(focal_x * 1000):03d}{round(focal_y * 1000):03d}"


def _folder(photo):
    return f"photos/{photo.token[:2]}/{photo.token}"


def _encode(willow_image, fmt):
    out = io.BytesIO()
    if fmt == "webp":
        willow_image.save_as_webp(out, quality=QUALITY["webp"])
    else:
        if willow_image.has_alpha():
            willow_image = willow_image.set_background_color_rgb((255, 255, 255))
        willow_image.save_as_jpeg(out, quality=QUALITY["jpeg"], progressive=True)
    return out.getvalue()


def _sizes(spec, source_width, source_height):
    """Return the (width, height) pairs this spec makes from a source of this size (after cropping)."""
    ratio = spec.ratio or source_width / source_height
    sizes = []
    for width in spec.widths:
        if width > source_width and not spec.upscale:
            continue
        sizes.append((width, max(1, round(width / ratio))))
    if source_width < max(spec.widths) and (not sizes or sizes[-1][0] < source_width):
        # Smaller than the largest size: its own size is the largest made (never enlarged for readers).
        sizes.append((source_width, source_height if spec.ratio is None else max(1, round(source_width / ratio))))
    return sizes


def _working_copy(image, specs):
    """Return the picture box-reduced by the largest whole factor that still leaves every rendition a downscale.

    Reducing by averaging whole blocks is nearly free; Lanczos over a quarter of the pixels then
    costs a quarter: renditions of a 24-megapixel photo take a third of the time.
    """
    need_w = max(max(spec.widths) for spec in specs)
    need_h = max(round(max(spec.widths) / spec.ratio) for spec in specs if spec.cropped) if any(
        spec.cropped for spec in specs) else 0
    factor = min(image.width // need_w, image.height // need_h if need_h else image.height)
    return image.reduce(factor) if factor >= 2 else image


def make(photo, image, *, specs=None, storage=None):
    """Make the renditions of `specs` (default: all) of a picture from its clean pixels; return {spec: entry}.

    An entry is {format: [[width, height, file name, bytes], ...]} with widths ascending. Files are written
    through the storage; the caller records the entries on the picture (and deletes replaced files).
    """
    storage = storage or default_storage
    chosen = [SPECS[name] for name in (specs or SPECS)]
    made, written = {}, []
    folder, focal = _folder(photo), (photo.focal_x, photo.focal_y)
    work = _working_copy(image, chosen)
    source = PillowImage(work)
    try:
        for spec in chosen:
            part = source
            if spec.cropped:
                part = source.crop(crop_box(work.width, work.height, spec.ratio, *focal))
            part_width, part_height = part.get_size()
            entry = {fmt: [] for fmt in spec.formats}
            # Largest first, each size made from the one before it: Lanczos over fewer pixels each time.
            previous = part
            for width, height in reversed(_sizes(spec, part_width, part_height)):
                sized = previous if (width, height) == previous.get_size() else previous.resize((width, height))
                previous = sized if width <= part_width else part
                tag = f"-{_focal_tag(*focal)}" if spec.cropped else ""
                for fmt in spec.formats:
                    name = f"{folder}/{spec.name}-{width}x{height}{tag}.{EXTENSIONS[fmt]}"
                    if storage.exists(name):  # the same crop made before (a focal point moved back)
                        storage.delete(name)
                    encoded = _encode(sized, fmt)
                    saved = storage.save(name, ContentFile(encoded))
                    written.append(saved)
                    entry[fmt].insert(0, [width, height, saved, len(encoded)])
            made[spec.name] = entry
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return made


def manifest(photo, image, *, storage=None):
    """Return a complete Photo.renditions value: every spec made from the clean pixels."""
    return {"v": VERSION, "focal": [photo.focal_x, photo.focal_y], **make(photo, image, storage=storage)}


def file_names(renditions, specs=None):
    """Return the storage names of the files of these specs (default: every spec) in a renditions value."""
    names = []
    for spec, entry in renditions.items():
        if spec in SPECS and (specs is None or spec in specs):
            names.extend(item[2] for sizes in entry.values() for item in sizes)
    return names


def open_master(photo, storage=None):
    """Return the picture's clean pixels from its stored copy (to make renditions again)."""
    storage = storage or default_storage
    with storage.open(photo.file.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image if image.mode in ("RGB", "RGBA") else image.convert("RGB")


# Addresses of rendition files, remembered: a list page asks for a hundred, and a storage's url()
# (joining, quoting; for a remote store, more) is the same every time for a name.
@functools.lru_cache(maxsize=50_000)
def media_url(name):
    return default_storage.url(name)


@receiver(setting_changed)
def _storage_changed(sender, setting, **kwargs):
    if setting in {"STORAGES", "MEDIA_URL"}:
        media_url.cache_clear()


def sources(photo_renditions, spec):
    """Return {format: [(url, width, height), ...]} of a spec, widths ascending, or {} if it was never made."""
    entry = (photo_renditions or {}).get(spec) or {}
    return {fmt: [(media_url(item[2]), item[0], item[1]) for item in sizes] for fmt, sizes in entry.items() if sizes}


def largest(photo_renditions, spec, fmt="jpeg"):
    """Return (url, width, height) of the largest rendition of a spec in a format, or None."""
    found = sources(photo_renditions, spec).get(fmt)
    return found[-1] if found else None


def enclosure(photo_renditions, spec="share"):
    """Return (url, bytes) of the largest JPEG of a spec (a feed's enclosure), or None."""
    sizes = ((photo_renditions or {}).get(spec) or {}).get("jpeg")
    return (media_url(sizes[-1][2]), sizes[-1][3]) if sizes else None

