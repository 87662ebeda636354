"""Read the bytes of an uploaded story: refuse what is not plain text, decode what is, checksum it.

UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read; anything else
is refused with a message that names the file and says how to fix it, rather than guessed.
"""
import codecs
import hashlib
import re
import unicodedata

MAX_BYTES = 1_000_000
"""Largest file accepted, in bytes. A long wire story is 10-30 KB; anything near 1 MB is not one story."""


class CopyError(ValueError):
    """Copy that cannot be imported; the message names the file and says how to fix it."""

    def __init__(self, filename, message):
        self.filename = filename or "pasted copy"
        self.reason = message
        super().__init__(f"{self.filename}: {message}")



BINARY_SIGNATURES = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP archive or Word/OpenDocument file",
    b"\xd0\xcf\x11\xe0": "an old Word or Excel file",
    b"{\\rtf": "an RTF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}


def decode_copy(data, *, filename=""):
    """Return the text of an uploaded file, or raise CopyError saying what is wrong with it.

    UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read. Anything
    else (Latin-1, Windows-1252, EUC-KR, UTF-16 without a mark) is refused rather than guessed:
    a wrong guess would put garbled names into a story.
    """
    size = len(data)
    if size > MAX_BYTES:
        raise CopyError(
            filename,
            f"the file is {size / 1_000_000:.1f} MB; the limit is {MAX_BYTES // 1_000_000} MB for one story. "
            "Check you picked the right file, or split it into one file per story.",
        )
    for signature, what in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise CopyError(filename, f"this is {what}, not plain text. Save or export the story as a .txt file.")
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[len(codecs.BOM_UTF8):], "utf-8", filename)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16", filename)
    else:
        if b"\x00" in data:
            raise CopyError(
                filename,
                "the file contains binary data (or is UTF-16 without a byte-order mark). "
                "Save the story as plain text in UTF-8.",
            )
        text = _decode(data, "utf-8", filename)
    text = text.lstrip("\ufeff")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(2, len(text) // 200):
        raise CopyError(filename, "the file looks binary, not like plain text. Save the story as a .txt file.")
    if not text.strip():
        raise CopyError(filename, "the file is empty. Paste or upload the story text.")
    return text


def _decode(data, encoding, filename):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        hint = ""
        if encoding == "utf-8":
            sample = data[max(0, exc.start - 20): exc.start + 20]
            try:
                sample.decode("cp1252")
                hint = " It looks like Latin-1 or Windows-1252."
            except UnicodeDecodeError:
                pass
        raise CopyError(
            filename,
            f"the file is not valid {encoding.upper()} (bad byte at position {exc.start}).{hint} "
            "Open it in your editor and save it as UTF-8, then import again.",
        ) from exc


def normalize_copy(text):
    """Return text with Unicode, line endings and spacing made uniform (what the checksum is taken of)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def copy_checksum(text):
    """Return the SHA-256 of the normalized copy: the same story pasted or uploaded twice has one checksum."""
    return hashlib.sha256(normalize_copy(text).encode("utf-8")).hexdigest()

