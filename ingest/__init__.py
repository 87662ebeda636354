"""Turn plain-text wire copy into a structured draft: the extractor (no database) and the matcher."""
from .extract import MAX_BYTES, CopyError, Extraction, Speaker, Statement, copy_checksum, decode_copy, extract

__all__ = [
    "MAX_BYTES",
    "CopyError",
    "Extraction",
    "Speaker",
    "Statement",
    "copy_checksum",
    "decode_copy",
    "extract",
]
