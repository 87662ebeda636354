"""Turn plain-text wire copy into a structured draft: the extractor (no database) and the matcher.

The extractor is split by job: ``decode`` reads the bytes, ``lexicon`` holds the words it knows,
``sentences`` splits paragraphs, ``attribution`` finds who said what, and ``extract`` puts a story
together from them.
"""
from .decode import MAX_BYTES, CopyError, copy_checksum, decode_copy
from .extract import Extraction, Speaker, Statement, extract

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
