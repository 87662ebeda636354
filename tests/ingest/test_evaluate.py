"""The evaluation harness, and the scores the extractor must keep on the development set."""
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ingest import extract
from ingest.evaluate import evaluate, glued, score_story

EVAL = Path(__file__).resolve().parent / "eval"
DEV = EVAL / "dev"
HELD_OUT = EVAL / "held_out"

STORY = (
    "PORT VESSNA (Test Wire) -- Treasury Secretary Caius Merriwether said the levy would pass. "
    "“It is fair,” he said.\n\n"
    "Delphine Achterberg, a banking analyst at Morrow & Pike, said banks would pay."
)


def test_a_statement_counts_when_the_speaker_and_the_words_match():
    spec = {
        "statements": [
            ["Caius Merriwether", "the levy would pass"],
            ["Caius Merriwether", "It is fair"],
            ["Delphine Achterberg", "banks would pay"],
            ["Delphine Achterberg", "a statement nobody made"],
        ],
        "speakers": {
            "Caius Merriwether": {"target": "citation", "title": "treasury secretary", "affiliation": ""},
            "Delphine Achterberg": {"target": "citation", "title": "banking analyst", "affiliation": "Morrow & Pike"},
        },
    }
    score = score_story(extract(STORY), spec, label="story")
    assert (score.found, score.correct, score.expected) == (3, 3, 4)
    assert (score.precision, score.recall) == (1.0, 0.75)
    assert score.missed == [("story", "Delphine Achterberg", "a statement nobody made")]
    # The analyst is routed to commentary, not to the citation annotated here: routing counts it.
    assert (score.routed, score.speakers) == (1, 2)
    assert score.misrouted == [("story", "Delphine Achterberg", "commentary", "citation")]
    assert (score.titles_right, score.titles) == (2, 2)


def test_a_wrong_speaker_is_a_false_attribution():
    spec = {"statements": [["Delphine Achterberg", "the levy would pass"]]}
    score = score_story(extract(STORY), spec)
    assert score.correct == 0 and score.precision == 0.0
    assert ("", "Caius Merriwether", "the levy would pass", "speaker, then what they said") in score.wrong


def test_names_that_start_with_a_title_or_honorific_are_glued():
    assert glued("Hydrologist Mira Tallen") and glued("Dr. Hanna Quarrington") and glued("Minister Rasmus Quillon")
    assert not glued("Mira Tallen") and not glued("Tova Lindqvist")
    # occupations the lexicon knows, not only offices and professions in -ist
    assert glued("Fisherman Jorvik Almsted") and glued("Shepherd Ilmar Vosk")


@pytest.fixture(scope="module")
def dev():
    return evaluate(DEV)


def test_the_development_set_is_big_enough_to_mean_something(dev):
    assert dev.overall.stories >= 105
    assert dev.overall.expected >= 900
    assert len(dev.styles) >= 10


def test_development_set_scores(dev):
    overall = dev.overall
    # The scores measured when the rules were frozen (869 of 872 right, 869 of 900 found, 489 of 495 routed)
    assert overall.precision >= 0.99, overall.wrong
    assert overall.recall >= 0.96, overall.missed
    assert overall.routing >= 0.98, overall.misrouted
    assert overall.title_accuracy >= 0.89 and overall.affiliation_accuracy >= 0.87, overall.misdescribed


def test_no_style_of_the_development_set_falls_below_its_floors(dev):
    for style, score in dev.styles.items():
        assert score.precision >= 0.98, (style, score.wrong)
        assert score.recall >= 0.93, (style, score.missed)
        assert score.routing >= 0.96, (style, score.misrouted)


def test_no_speaker_name_carries_a_title_or_honorific(dev):
    assert dev.overall.glued == []


@pytest.fixture(scope="module")
def held_out():
    report = evaluate(HELD_OUT)
    if not report.overall.stories:
        pytest.skip("the held-out set is empty: the next blind third is written after the rules are frozen")
    return report


def test_the_held_out_set_is_big_enough_to_mean_something(dev, held_out):
    # Every house style, at least 200 statements, and at least a quarter of all the annotated copy
    # (the development set grew as earlier blind sets, once read, joined it).
    assert held_out.overall.expected >= 200 and len(held_out.styles) >= 10
    assert held_out.overall.expected * 4 >= dev.overall.expected + held_out.overall.expected


def test_held_out_scores_do_not_fall_below_those_measured(held_out):
    # Floors, not the targets (0.97 / 0.90 / 0.90, missed for precision and recall): what the blind
    # third scored once with the rules frozen before it was written (docs/ingest.md). Rules that
    # read unfamiliar copy worse fail here.
    overall = held_out.overall
    assert overall.refused == []
    assert overall.precision >= 0.94, overall.wrong
    assert overall.recall >= 0.88, overall.missed
    assert overall.routing >= 0.97, overall.misrouted
    assert overall.glued == []


def test_score_copy_prints_scores_per_style():
    out = StringIO()
    call_command("score_copy", str(DEV), stdout=out)
    text = out.getvalue()
    assert "Yonhap" in text and "live updates" in text
    assert "all" in text and "precision" in text and "routing" in text


def test_score_copy_refuses_a_directory_without_annotations(tmp_path):
    with pytest.raises(CommandError, match="no expected.json"):
        call_command("score_copy", str(tmp_path))


def test_a_story_the_import_refuses_counts_every_statement_missed(tmp_path):
    (tmp_path / "01-empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "02-fine.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "expected.json").write_text(
        '{"01-empty.txt": {"style": "AP", "statements": [["Ana Vell", "a line"], ["Ana Vell", "the import"]]},'
        ' "02-fine.txt": {"style": "AP", "statements": [["Caius Merriwether", "the levy would pass"]]}}',
        encoding="utf-8",
    )
    report = evaluate(tmp_path)
    assert (report.overall.stories, report.overall.expected, report.overall.correct) == (2, 3, 1)
    assert [story for story, _ in report.overall.refused] == ["01-empty.txt"]
    assert ("01-empty.txt", "Ana Vell", "a line") in report.overall.missed
    out = StringIO()
    call_command("score_copy", str(tmp_path), "--details", stdout=out)
    assert "refused by the import, every statement counted missed: 1 story" in out.getvalue()
    assert "refused 01-empty.txt: " in out.getvalue() and "the file is empty" in out.getvalue()
