"""Read plain-text wire copy and suggest its structure.

Pure Python, no database and nothing downloaded. This module puts a story together: the dateline
and outlet from the opening ("SEOUL (Realist English). ...", "CARDENVAL, Sylvania, Aug. 14 (Wire)
— ..."), an optional headline line above it, a suggested headline and dek, and the body paragraphs.
Who said what is found by ``attribution`` (the frames) and ``speakers`` (the grammar of a speaker),
using the words in ``lexicon``; every statement records the rule that found it.
"""
import re
from dataclasses import asdict, dataclass, field

from .attribution import Reader, Speaker, Statement
from .decode import MAX_BYTES, CopyError, copy_checksum, decode_copy, normalize_copy
from .lexicon import DASHES, WEEKDAY_RE
from .sentences import split_sentences

__all__ = [
    "MAX_BYTES", "CopyError", "Extraction", "Speaker", "Statement", "copy_checksum", "decode_copy", "extract",
    "normalize_copy",
]

MAX_PARAGRAPHS = 400


@dataclass
class Extraction:
    """Everything the extractor suggests for one story."""

    dateline: str
    outlet: str
    headline: str
    dek: str
    paragraphs: list
    statements: list = field(default_factory=list)
    speakers: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    headline_from_copy: bool = False

    def speaker(self, statement):
        return self.speakers[statement.speaker]

    def to_dict(self):
        return asdict(self)


DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z.’'\- ]{1,40}?[A-Z.])"
    r"(?:,\s*(?P<region>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})(?=,|\s*\())?"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"\s*(?:\((?P<outlet>[^()\n]{1,80})\))?"
    r"\s*(?P<sep>\.|:|--|—|–|-)\s+(?P<rest>\S.*)$",
    re.S,
)


# Title-case datelines are read only with a date and an outlet: "Vornagrad, October 10 (DCNA) -- ..."
TITLE_DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}),\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2})"
    r"\s*\((?P<outlet>[^()\n]{1,80})\)\s*(?P<sep>:|--|—|–|-)\s+(?P<rest>\S.*)$",
    re.S,
)
BYLINE_RE = re.compile(r"By [A-Z][^.]{0,80}")
# Lines above the dateline read as furniture (headline, byline, outlet, date), at most this many.
MAX_FURNITURE = 8


def opening(paragraph):
    """Return the dateline match that opens paragraph, or None."""
    match = DATELINE_RE.match(paragraph)
    if match and match.group("sep") == "." and not match.group("outlet"):
        match = None  # "U.S. officials said ..." is a sentence, not a dateline
    return match or TITLE_DATELINE_RE.match(paragraph)


def is_furniture(paragraph):
    """True for a short line that is not a sentence: a headline, a byline, an outlet, a date."""
    # A headline may end with a quoted word ('... Denounces "Sanctions"'); a sentence ends with its stop.
    return len(paragraph) <= 160 and not re.search(r"[.!?,][\"”’]?$", paragraph)


def split_paragraphs(text):
    """Paragraphs are separated by blank lines; copy without blank lines has one paragraph a line."""
    text = normalize_copy(text)
    if "\n\n" in text:
        blocks = [" ".join(line.strip() for line in block.split("\n")) for block in text.split("\n\n")]
    else:
        blocks = text.split("\n")
    return [b.strip() for b in blocks if b.strip()]


def extract(text, *, filename=""):
    """Return the suggested structure of one story, or raise CopyError when it is empty or too long."""
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise CopyError(filename, "the file is empty. Paste or upload the story text.")
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise CopyError(filename, f"more than {MAX_PARAGRAPHS} paragraphs; import one story at a time.")
    headline_line, dateline, outlet = "", "", ""
    if len(paragraphs) > 1 and not opening(paragraphs[0]) and is_furniture(paragraphs[0]):
        headline_line = paragraphs.pop(0)
    # Wire copy often carries more furniture above its dateline: bylines, the outlet's name, a date,
    # a release number, "FOR IMMEDIATE RELEASE". Look past a few such lines for the dateline.
    for index, paragraph in enumerate(paragraphs[:MAX_FURNITURE + 1]):
        match = opening(paragraph)
        if match:
            del paragraphs[:index]
            paragraphs[0] = match.group("rest").strip()
            dateline, outlet = match.group("place").strip(), (match.group("outlet") or "").strip()
            break
        if not is_furniture(paragraph):
            break
    paragraphs = [p for p in paragraphs if not BYLINE_RE.fullmatch(p)]
    if not dateline:
        # Features, commentaries and releases may have none: read the story anyway and say so.
        while len(paragraphs) > 1 and is_furniture(paragraphs[0]):
            paragraphs.pop(0)
    reader = Reader(outlet=outlet)
    for number, paragraph in enumerate(paragraphs, start=1):
        reader.read_paragraph(number, paragraph, following=paragraphs[number] if number < len(paragraphs) else "")
    reader.finish()
    if not dateline:
        reader.notes.insert(0, "No dateline found: the place and the outlet are left blank; check them.")
    lead = split_sentences(paragraphs[0])[0] if paragraphs[0] else ""
    return Extraction(
        dateline=dateline,
        outlet=outlet,
        headline=headline_line or suggest_headline(lead),
        dek=lead[:400],
        paragraphs=paragraphs,
        statements=reader.statements,
        speakers=reader.speakers,
        notes=reader.notes,
        headline_from_copy=bool(headline_line),
    )



def suggest_headline(lead):
    """Suggest a headline from the lead: its main clause, without the appositive and the weekday."""
    sentence = lead.strip().rstrip(".")
    # Drop an appositive after the subject: "Kim Yo Jong, the influential sister of ..., rejected"
    sentence = re.sub(r"^([^,]{3,60}?),\s+(?:the|a|an|[a-z])[^,]{0,120},\s+(?=[a-z])", r"\1 ", sentence)
    sentence = re.split(r",\s+(?=[a-z])|\s+[" + DASHES + r"]\s+|;\s+", sentence)[0]
    sentence = WEEKDAY_RE.sub("", sentence).strip()
    if len(sentence) > 100:
        sentence = sentence[:100].rsplit(" ", 1)[0]
    return sentence

