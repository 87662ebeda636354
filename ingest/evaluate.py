"""Score the extractor against hand-annotated copy: precision, recall and routing, per story and per style.

An evaluation set is a directory of plain-text stories and an ``expected.json`` that annotates each
one: its house ``style``, its attributed ``statements`` as ``[speaker, words]`` (a few words copied
from what was said) and its ``speakers`` with their ``kind``, ``title``, ``affiliation`` and
``target`` (``commentary`` or ``citation``).

- **Precision**: of the statements the extractor suggests, the share whose speaker is the annotated
  one and whose text contains the annotated words (each annotation counts once).
- **Recall**: of the annotated statements, the share the extractor found that way.
- **Routing**: of the annotated speakers the extractor found, the share it sends to the annotated
  target (expert commentary or a citation).
- Titles and affiliations are compared as printed (case aside) for the speakers found; a speaker
  name that starts with a title or an honorific ("Hydrologist Mira Tallen", "Dr. Vey") is counted
  as glued.
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

from .decode import CopyError
from .extract import extract
from .lexicon import HONORIFIC_WORDS, is_title_word

COUNTS = (
    "expected", "found", "correct", "speakers", "routed", "titles", "titles_right", "affiliations",
    "affiliations_right",
)


def normalize(text):
    """Return text casefolded with straight quotes and single spaces, for comparing words."""
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return " ".join(text.casefold().split())


def glued(name):
    """True when a person's name starts with a job title or an honorific ("Hydrologist Mira Tallen")."""
    words = name.split()
    return len(words) >= 2 and (words[0].rstrip(".").lower() in HONORIFIC_WORDS or is_title_word(words[0]))


@dataclass
class Score:
    """Counts for one story or a group of stories; ratios are computed from the counts."""

    label: str
    expected: int = 0
    found: int = 0
    correct: int = 0
    speakers: int = 0  # annotated speakers the extractor found
    routed: int = 0  # ... and sent to the annotated target
    titles: int = 0
    titles_right: int = 0
    affiliations: int = 0
    affiliations_right: int = 0
    stories: int = 0
    wrong: list = field(default_factory=list)  # (story, speaker, text, rule) suggested but not annotated
    missed: list = field(default_factory=list)  # (story, speaker, words) annotated but not found
    misrouted: list = field(default_factory=list)  # (story, speaker, target found, target annotated)
    misdescribed: list = field(default_factory=list)  # (story, speaker, field, found, annotated)
    glued: list = field(default_factory=list)  # (story, name)
    refused: list = field(default_factory=list)  # (story, the import's error): every statement in it missed

    @property
    def precision(self):
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self):
        return self.correct / self.expected if self.expected else 1.0

    @property
    def routing(self):
        return self.routed / self.speakers if self.speakers else 1.0

    @property
    def title_accuracy(self):
        return self.titles_right / self.titles if self.titles else 1.0

    @property
    def affiliation_accuracy(self):
        return self.affiliations_right / self.affiliations if self.affiliations else 1.0

    def add(self, other):
        for name in (*COUNTS, "stories"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("wrong", "missed", "misrouted", "misdescribed", "glued", "refused"):
            getattr(self, name).extend(getattr(other, name))
        return self


def score_story(extraction, spec, *, label=""):
    """Return the Score of one extraction against its annotation (one entry of expected.json)."""
    score = Score(label=label, stories=1)
    gold = spec.get("statements", [])
    score.expected, score.found = len(gold), len(extraction.statements)
    used = set()
    for statement in extraction.statements:
        hit = next(
            (i for i, (speaker, words) in enumerate(gold)
             if i not in used and normalize(speaker) == normalize(statement.speaker)
             and normalize(words) in normalize(statement.text)),
            None,
        )
        if hit is None:
            score.wrong.append((label, statement.speaker, statement.text, statement.rule))
        else:
            used.add(hit)
    score.correct = len(used)
    score.missed = [(label, speaker, words) for i, (speaker, words) in enumerate(gold) if i not in used]
    found = {normalize(name): speaker for name, speaker in extraction.speakers.items()}
    spoke = {normalize(s.speaker) for s in extraction.statements}
    for name, annotated in spec.get("speakers", {}).items():
        speaker = found.get(normalize(name))
        if speaker is None or normalize(name) not in spoke:
            continue
        if "target" in annotated:
            score.speakers += 1
            if speaker.target == annotated["target"]:
                score.routed += 1
            else:
                score.misrouted.append((label, name, speaker.target, annotated["target"]))
        if speaker.kind == "institution":
            continue
        for key, total, right in (("title", "titles", "titles_right"),
                                  ("affiliation", "affiliations", "affiliations_right")):
            if key not in annotated:
                continue
            setattr(score, total, getattr(score, total) + 1)
            if normalize(getattr(speaker, key)) == normalize(annotated[key]):
                setattr(score, right, getattr(score, right) + 1)
            else:
                score.misdescribed.append((label, name, key, getattr(speaker, key), annotated[key]))
    score.glued = [(label, s.name) for s in extraction.speakers.values() if s.kind == "person" and glued(s.name)]
    return score


def refused_story(spec, *, label, error):
    """Return the Score of a story the import refused: nothing suggested, every statement missed."""
    gold = spec.get("statements", [])
    return Score(
        label=label, stories=1, expected=len(gold),
        missed=[(label, speaker, words) for speaker, words in gold], refused=[(label, str(error))],
    )


@dataclass
class Report:
    """The scores of an evaluation set: each story, each house style, and all of it."""

    stories: list
    styles: dict
    overall: Score


def evaluate(directory, *, expected="expected.json"):
    """Extract every story annotated in directory/expected and score it; return a Report."""
    directory = Path(directory)
    annotations = json.loads((directory / expected).read_text(encoding="utf-8"))
    stories, styles = [], {}
    overall = Score(label=directory.name)
    for name, spec in annotations.items():
        if name.startswith("_"):
            continue
        try:
            extraction = extract((directory / name).read_text(encoding="utf-8"), filename=name)
        except CopyError as error:
            # A story the import refuses is a story the editor must do by hand: all of it missed.
            score = refused_story(spec, label=name, error=error)
        else:
            score = score_story(extraction, spec, label=name)
        stories.append((spec.get("style", ""), score))
        style = spec.get("style", "") or "unstyled"
        styles.setdefault(style, Score(label=style)).add(score)
        overall.add(score)
    return Report(stories=stories, styles=dict(sorted(styles.items())), overall=overall)


def table_rows(report):
    """Return the rows of the report's table: per style, then overall (label, stories, statements, P, R, routing)."""
    rows = []
    for style, score in [*report.styles.items(), ("all", report.overall)]:
        rows.append((style, score.stories, score.expected, score.precision, score.recall, score.routing))
    return rows
