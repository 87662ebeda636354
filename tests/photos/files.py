"""Picture files built for the tests: real ones with metadata, and every kind of bad input. All drawn here."""
import io
import struct
import zlib

from PIL import Image, ImageDraw

GPS_IFD = 0x8825


def drawing(width=1600, height=1000, *, mode="RGB", seed=0):
    """Return a picture of shapes, different for each seed."""
    image = Image.new(mode, (width, height), (40 + seed * 20 % 200, 90, 140) if mode != "L" else 120)
    draw = ImageDraw.Draw(image)
    for n in range(12):
        x, y = (n * 131 + seed * 97) % width, (n * 71 + seed * 53) % height
        fill = ((n * 40 + seed * 30) % 256, (200 - n * 15) % 256, (n * 90) % 256)
        draw.ellipse((x, y, x + width // 4, y + height // 4), fill=fill if mode != "L" else fill[0])
        light = (250, 250, 240) if mode != "L" else 250
        draw.rectangle((width - x - 40, y, width - x + width // 6, y + 30), fill=light)
    return image


def _segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _iptc(fields):
    data = b"\x1c\x01\x5a\x00\x03\x1b%G"  # record 1, dataset 90: the text is UTF-8
    for (record, dataset), value in fields.items():
        raw = value.encode("utf-8")
        data += bytes([0x1C, record, dataset]) + struct.pack(">H", len(raw)) + raw
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(data)) + data
    if len(data) % 2:
        resource += b"\x00"
    return b"Photoshop 3.0\x00" + resource


def _xmp(credit="", rights="", description="", alt=""):
    return (
        "http://ns.adobe.com/xap/1.0/\x00"
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" '
        f'photoshop:Credit="{credit}">'
        f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt></dc:description>'
        f'<Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang="x-default">{alt}</rdf:li></rdf:Alt>'
        "</Iptc4xmpCore:AltTextAccessibility>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def jpeg(width=1600, height=1000, *, seed=0, exif=None, iptc=None, xmp=None, gps=False, orientation=None, quality=90):
    """Return JPEG bytes; with EXIF fields (tag: value), a GPS position, IPTC (dataset: text) or XMP (keywords)."""
    image = drawing(width, height, seed=seed)
    tags = image.getexif()
    for tag, value in (exif or {}).items():
        tags[tag] = value
    if gps:
        tags[GPS_IFD] = {1: "N", 2: (37.0, 34.0, 12.5), 3: "E", 4: (126.0, 58.0, 40.2)}
    if orientation:
        tags[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=tags)
    data = out.getvalue()
    extra = b""
    if iptc:
        extra += _segment(0xED, _iptc(iptc))
    if xmp:
        extra += _segment(0xE1, _xmp(**xmp))
    return data[:2] + extra + data[2:]


def png(width=1400, height=900, *, mode="RGB", seed=0):
    out = io.BytesIO()
    drawing(width, height, mode=mode, seed=seed).save(out, "PNG")
    return out.getvalue()


def webp(width=1400, height=900, *, seed=0):
    out = io.BytesIO()
    drawing(width, height, seed=seed).save(out, "WEBP", quality=80)
    return out.getvalue()


def gif(width=400, height=300, frames=1):
    out = io.BytesIO()
    images = [drawing(width, height, seed=n).convert("P") for n in range(frames)]
    images[0].save(out, "GIF", save_all=frames > 1, append_images=images[1:])
    return out.getvalue()


def animated_webp(width=400, height=300, frames=3):
    out = io.BytesIO()
    images = [drawing(width, height, seed=n) for n in range(frames)]
    images[0].save(out, "WEBP", save_all=True, append_images=images[1:], duration=100)
    return out.getvalue()


def svg():
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
        b'<script>alert(document.cookie)</script><rect width="400" height="300" fill="red"/></svg>'
    )


def text():
    return b"Notes for the desk: this is not a picture.\nCall the ministry at 10.\n"


def truncated_jpeg():
    whole = jpeg(1200, 800, quality=92)
    return whole[: len(whole) * 2 // 3]


def png_bomb(width, height):
    """Return a small PNG that claims width x height pixels: a few kilobytes of zeros that unpack to gigabytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    body = b"".join(packer.compress(row) for _ in range(min(height, 2000))) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
