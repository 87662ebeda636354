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


def split_paragraphs(text):
    """Paragraphs are separated by blank lines; copy without blank lines has one paragraph a line."""
    text = normalize_copy(text)
    if "\n\n" in text:
        blocks = [" ".join(line.strip() for line in block.split("\n")) for block in text.split("\n\n")]
    else:
        blocks = text.split("\n")
    return [b.strip() for b in blocks if b.strip()]


def extract(text, *, filename=""):
    """Return the suggested structure of one story, or raise CopyError when it has no dateline."""
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise CopyError(filename, "the file is empty. Paste or upload the story text.")
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise CopyError(filename, f"more than {MAX_PARAGRAPHS} paragraphs; import one story at a time.")
    headline_line = ""
    match = DATELINE_RE.match(paragraphs[0])
    if not match and len(paragraphs) > 1 and len(paragraphs[0]) <= 160 and not paragraphs[0].endswith("."):
        headline_line = paragraphs.pop(0)
        match = DATELINE_RE.match(paragraphs[0])
    if match and match.group("sep") == "." and not match.group("outlet"):
        match = None  # "U.S. officials said ..." is a sentence, not a dateline
    if not match:
        raise CopyError(
            filename,
            "no dateline found. The story must open with a dateline in capitals, e.g. "
            "“SEOUL (Realist English). Kim Yo Jong said ...” or “SEOUL — ...”.",
        )
    paragraphs = [p for p in paragraphs if not re.fullmatch(r"By [A-Z][^.]{0,80}", p)]
    paragraphs[0] = match.group("rest").strip()
    dateline = match.group("place").strip()
    outlet = (match.group("outlet") or "").strip()
    reader = Reader(outlet=outlet)
    for number, paragraph in enumerate(paragraphs, start=1):
        reader.read_paragraph(number, paragraph)
    reader.finish()
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

