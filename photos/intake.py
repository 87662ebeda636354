"""Take in an uploaded file: refuse what the library cannot safely serve, and keep a clean copy of what it can.

Every refusal is an UploadRefused whose message names the file and says what to do about it. What
is kept is decoded by Pillow and encoded again by us, so no byte of the upload is ever served: no
metadata (GPS position, camera serial numbers, the owner's notes), no trailing payload, and a file
type that is exactly the one checked here.
"""
import hashlib
import io
import math
import re
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .metadata import read_metadata

# What the library takes: Pillow's format name -> (content type, file name endings).
FORMATS = {
    "JPEG": ("image/jpeg", (".jpg", ".jpeg", ".jpe")),
    "PNG": ("image/png", (".png",)),
    "WEBP": ("image/webp", (".webp",)),
}
# Largest picture decoded, in pixels: a 45-megapixel camera fits; a file claiming more is a
# mistake or is built to exhaust the server's memory (a "decompression bomb").
MAX_PIXELS = 50_000_000
# The cleaned copy kept is at most this long on its longer side: enough for every rendition and a
# print-quality crop, a fraction of a full camera frame's memory and disk.
MASTER_EDGE = 4096
# Pictures narrower than this make soft share cards and are left out of Google Discover.
SHARE_WIDTH = 1200
ORIENTATION = 0x0112  # the EXIF tag saying which way up the camera was held

# Recognised by their first bytes, to say what a refused file is.
_SIGNATURES = (
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"), (b"BM", "a BMP image"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (perhaps a Word or Keynote file)"), (b"8BPS", "a Photoshop file"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
)
_HEIF_BRANDS = {b"heic": "a HEIC photo (an iPhone's format)", b"heix": "a HEIC photo (an iPhone's format)",
                b"mif1": "a HEIF image", b"avif": "an AVIF image"}
_SVG = re.compile(rb"<svg[\s>]|<!doctype\s+svg", re.IGNORECASE)


class UploadRefused(Exception):
    """An upload the library does not take; the message names the file and says what to do."""


def max_upload_bytes():
    return getattr(settings, "PHOTOS_MAX_UPLOAD_BYTES", 30 * 1024 * 1024)


@dataclass
class Intake:
    """A checked upload: its clean pixels, a clean encoded copy, and what the file said about itself."""

    name: str
    file_format: str
    image: Image.Image  # RGB or RGBA, upright, sRGB, no metadata; at most MASTER_EDGE on its longer side
    master: bytes  # `image` encoded in file_format
    width: int  # of the upload (after turning it upright)
    height: int
    file_size: int
    sha256: str
    phash: str
    metadata: dict = field(default_factory=dict)  # caption, credit, copyright_holder, alt_text, when the file says

    @property
    def extension(self):
        return FORMATS[self.file_format][1][0]


def _what_it_is(head):
    """Return what the first bytes of a file say it is ("a GIF image"), or ""."""
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return what
    if head[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(head[8:12], "a video or HEIF file")
    sample = head[:2048]
    if _SVG.search(sample):
        return "an SVG drawing"
    if b"\x00" not in sample:
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "a text file"
    return ""


def _refuse_unless_picture(name, head):
    what = _what_it_is(head)
    if what == "an SVG drawing" or name.lower().endswith((".svg", ".svgz")):
        raise UploadRefused(
            f"“{name}” is an SVG drawing. The library refuses SVG files: they can carry scripts and links that "
            "run in readers' browsers. Export the drawing as a PNG (at least 1200 px wide) and upload that."
        )
    if what:
        raise UploadRefused(
            f"“{name}” is {what}, not a picture the library takes. Upload a JPEG, PNG or WebP file "
            "(export or save it as JPEG from your photo editor)."
        )
    raise UploadRefused(
        f"“{name}” is not a picture the library can read. Upload a JPEG, PNG or WebP file; if this is one, "
        "it is damaged: export it again."
    )


def _name_matches(name, file_format):
    return name.lower().endswith(FORMATS[file_format][1])


def _to_srgb(image):
    """Return the image in sRGB (browsers assume it for untagged files), dropping any embedded profile."""
    profile = image.info.get("icc_profile")
    if image.mode == "CMYK" and not profile:
        return image.convert("RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            target = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels are still good, shown as if sRGB
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB")


def _without_metadata(image):
    """Return a copy of the pixels alone: no EXIF, XMP, IPTC, comments or profile travel with it."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def encode(image, file_format, *, quality=92):
    """Return the image encoded in file_format, with nothing but pixels."""
    out = io.BytesIO()
    if file_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True)
    elif file_format == "PNG":
        image.save(out, "PNG", optimize=False, compress_level=6)
    else:
        image.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()


def perceptual_hash(image):
    """Return the picture's 64-bit perceptual hash (DCT "pHash") as 16 hex digits.

    The same picture resized, re-compressed or lightly retouched gets a hash a few bits away;
    different pictures differ in about half their bits.
    """
    size, keep = 32, 8
    small = image.convert("L").resize((size, size), Image.Resampling.LANCZOS)
    pixels = list(small.get_flattened_data())
    cosines = [[math.cos(math.pi * (2 * n + 1) * k / (2 * size)) for n in range(size)] for k in range(keep)]
    # Separable DCT: the first `keep` coefficients of each row, then of each of those columns.
    rows = [
        [sum(p * c for p, c in zip(pixels[r * size:(r + 1) * size], cosines[k], strict=True)) for k in range(keep)]
        for r in range(size)
    ]
    coefficients = [
        sum(rows[r][u] * cosines[v][r] for r in range(size)) for v in range(keep) for u in range(keep)
    ]
    median = sorted(coefficients[1:])[len(coefficients[1:]) // 2]  # the DC term says only "how bright"
    bits = 0
    for value in coefficients:
        bits = (bits << 1) | (value > median)
    return f"{bits:016x}"


def hash_distance(one, other):
    """Return how many of two perceptual hashes' 64 bits differ."""
    return (int(one, 16) ^ int(other, 16)).bit_count()


def take_in(upload):
    """Check an uploaded file (a Django UploadedFile) and return an Intake, or raise UploadRefused."""
    name = (upload.name or "the file").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise UploadRefused(
            f"“{name}” is {filesizeformat(upload.size)}; the library takes files up to {filesizeformat(limit)}. "
            "Export a smaller JPEG: 3,000 to 4,000 px on the longer side is plenty."
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(f"“{name}” is larger than {filesizeformat(limit)}, the most the library takes.")
    if not data:
        raise UploadRefused(f"“{name}” is empty (0 bytes). Upload the file again.")
    if _what_it_is(data[:4096]) == "an SVG drawing" or name.lower().endswith((".svg", ".svgz")):
        _refuse_unless_picture(name, data[:4096])

    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it; every warning here is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
        except Image.DecompressionBombError as error:
            raise UploadRefused(_bomb_message(name, None, None)) from error
        except Image.DecompressionBombWarning as error:
            raise UploadRefused(_bomb_message(name, None, None)) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            _refuse_unless_picture(name, data[:4096])
            raise AssertionError("unreachable") from error
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise UploadRefused(_bomb_message(name, width, height))
        file_format = image.format
        if not _name_matches(name, file_format):
            endings = " or ".join(FORMATS[file_format][1][:2])
            raise UploadRefused(
                f"“{name}” is a {file_format} picture but its name says otherwise. Rename it to end in {endings} "
                "and upload it again, so its name and its contents agree."
            )
        if getattr(image, "n_frames", 1) > 1:
            raise UploadRefused(
                f"“{name}” is animated ({image.n_frames} frames). The library takes still pictures: "
                "export the frame you want as a JPEG or PNG."
            )
        metadata = read_metadata(image)
        try:
            if file_format == "JPEG":
                # Decode at the smallest scale still at least MASTER_EDGE: a fraction of the memory.
                image.draft("RGB", _fit(width, height, MASTER_EDGE))
            image.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as error:
            raise UploadRefused(
                f"“{name}” is cut short or damaged: the picture ends before all of it is there "
                "(an interrupted download or copy?). Download or export it again and upload the new file."
            ) from error
    if image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8):  # stored on its side: upright, it is the other way
        width, height = height, width
    upright = ImageOps.exif_transpose(image)
    clean = _without_metadata(_to_srgb(upright))
    if max(clean.size) > MASTER_EDGE:
        clean.thumbnail((MASTER_EDGE, MASTER_EDGE), Image.Resampling.LANCZOS)
    return Intake(
        name=name, file_format=file_format, image=clean, master=encode(clean, file_format),
        width=width, height=height, file_size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        phash=perceptual_hash(clean), metadata=metadata,
    )


def _fit(width, height, edge):
    scale = min(1.0, edge / max(width, height))
    return (max(1, round(width * scale)), max(1, round(height * scale)))


def _bomb_message(name, width, height):
    size = f"claims {width:,} × {height:,} pixels ({width * height / 1e6:,.0f} megapixels)" if width else (
        "claims more pixels than the server can safely open"
    )
    return (
        f"“{name}” {size}; the library takes pictures up to {MAX_PIXELS / 1e6:,.0f} megapixels. A real photo this "
        "large is rare: resize it to 4,000 px on the longer side and upload it again."
    )
