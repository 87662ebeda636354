"""What a picture file says about itself: caption, credit, copyright and alt text from IPTC, XMP or EXIF.

Agencies write IPTC (and its XMP twin); cameras write EXIF. The first field that says something
useful wins, in the order IPTC, XMP, EXIF. Only these few fields are read, to prefill the form;
none of it is kept in any file the library serves (photos/intake.py).
"""
import re

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from PIL import IptcImagePlugin

# IPTC IIM dataset numbers (record 2).
IPTC_CAPTION, IPTC_BYLINE, IPTC_CREDIT, IPTC_SOURCE, IPTC_COPYRIGHT = (2, 120), (2, 80), (2, 110), (2, 115), (2, 116)
IPTC_CHARSET = (1, 90)
# EXIF tags.
EXIF_DESCRIPTION, EXIF_ARTIST, EXIF_COPYRIGHT = 0x010E, 0x013B, 0x8298

_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
}
# What cameras and phones write when nobody wrote anything.
_PLACEHOLDERS = {
    "olympus digital camera", "sony dsc", "default", "untitled", "image", "photo", "picture", "samsung",
    "lg digital camera", "digital camera", "camera", "exif_jpeg_picture", "minolta digital camera",
}
_COPYRIGHT_PREFIX = re.compile(r"^\s*(?:©|\(c\)|copyright\b)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\b)?\s*[,:.]?\s*", re.I)
_MAX_LENGTH = {"caption": 1000, "alt_text": 600, "credit": 200, "copyright_holder": 200}


def _text(value, charset="utf-8"):
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else b"; ".join(value) if isinstance(value[0], bytes) else "; ".join(value)
    if isinstance(value, bytes):
        for encoding in (charset, "utf-8", "latin-1"):
            try:
                value = value.decode(encoding)
                break
            except (UnicodeDecodeError, LookupError):
                continue
    text = " ".join(str(value).replace("\x00", "").split())
    return "" if text.casefold() in _PLACEHOLDERS else text


def _iptc(image):
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (OSError, SyntaxError, ValueError, IndexError, TypeError):
        return {}
    charset = "utf-8" if info.get(IPTC_CHARSET, b"") == b"\x1b%G" else "latin-1"
    byline = _text(info.get(IPTC_BYLINE), charset)
    credit = _text(info.get(IPTC_CREDIT), charset)
    return {
        "caption": _text(info.get(IPTC_CAPTION), charset),
        # "Byline/Agency" is how desks print a credit; the IPTC credit line alone names the agency.
        "credit": f"{byline}/{credit}" if byline and credit and byline != credit else (byline or credit),
        "copyright_holder": _text(info.get(IPTC_COPYRIGHT), charset) or _text(info.get(IPTC_SOURCE), charset),
    }


def _xmp_packet(image):
    for key in ("xmp", "XML:com.adobe.xmp"):
        packet = image.info.get(key)
        if packet:
            return packet if isinstance(packet, bytes) else packet.encode("utf-8", "replace")
    return b""


def _xmp_value(root, path):
    """Return the text of a property: its rdf:Alt/Seq/Bag's first item, its element text or its attribute."""
    prefix, name = path.split(":")
    qualified = f"{{{_NS[prefix]}}}{name}"
    for description in root.iter(f"{{{_NS['rdf']}}}Description"):
        if qualified in description.attrib:
            return _text(description.attrib[qualified])
        element = description.find(path, _NS)
        if element is not None:
            item = element.find(".//rdf:li", _NS)
            return _text((item if item is not None else element).text)
    return ""


def _xmp(image):
    packet = _xmp_packet(image)
    if not packet:
        return {}
    packet = packet[packet.find(b"<"):] if b"<" in packet else packet
    try:
        root = ElementTree.fromstring(packet.rstrip(b"\x00"), forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return {}
    creator = _xmp_value(root, "dc:creator")
    credit = _xmp_value(root, "photoshop:Credit")
    return {
        "caption": _xmp_value(root, "dc:description"),
        "credit": f"{creator}/{credit}" if creator and credit and creator != credit else (creator or credit),
        "copyright_holder": _xmp_value(root, "dc:rights") or _xmp_value(root, "photoshop:Source"),
        # IPTC Photo Metadata 2021: alt text written by the photographer or the agency.
        "alt_text": _xmp_value(root, "Iptc4xmpCore:AltTextAccessibility"),
    }


def _exif(image):
    try:
        exif = image.getexif()
    except (OSError, SyntaxError, ValueError, TypeError):
        return {}
    return {
        "caption": _text(exif.get(EXIF_DESCRIPTION)),
        "credit": _text(exif.get(EXIF_ARTIST)),
        "copyright_holder": _text(exif.get(EXIF_COPYRIGHT)),
    }


def copyright_holder_from_notice(notice):
    """Return the holder named in a copyright notice: "© 2024 Yonhap News Agency" -> "Yonhap News Agency"."""
    return _COPYRIGHT_PREFIX.sub("", notice).strip() or notice.strip()


def read_metadata(image):
    """Return {field: text} for the caption, credit, copyright holder and alt text the file gives."""
    found = {}
    for reader in (_iptc, _xmp, _exif):
        for key, value in reader(image).items():
            if value and not found.get(key):
                found[key] = value
    if found.get("copyright_holder"):
        found["copyright_holder"] = copyright_holder_from_notice(found["copyright_holder"])
    return {key: value[: _MAX_LENGTH[key]] for key, value in found.items() if value}
