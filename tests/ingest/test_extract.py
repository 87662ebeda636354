"""Unit tests of the copy extractor and the name matcher (no database except where marked)."""
import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import MAX_BYTES, CopyError, copy_checksum, decode_copy, extract
from ingest.evaluate import evaluate, score_story
from ingest.match import normalize_name, rank, score
from ingest.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "kim-yo-jong-rejects-seoul-overtures.txt"
COPY = Path(__file__).resolve().parent / "copy"
EXPECTED = json.loads((COPY / "expected.json").read_text(encoding="utf-8"))

# The seed copy's attributed statements, as annotated by hand: [speaker, words of what was said, as printed].
SEED_STATEMENTS = [
    ["Kim Yo Jong", "North Korea had “no interest” in any proposal from Seoul"],
    ["Kim Yo Jong", "accused the government of President Lee Jae Myung"],
    ["Kim Yo Jong", "No matter what policy is adopted and whatever proposal is made in Seoul"],
    ["Kim Yo Jong", "There is neither a reason to meet nor an issue to be discussed"],
    ["Kim Yo Jong", "these as “sincere efforts,” but insisted"],
    ["Kim Yo Jong", "pointed to the upcoming joint military drills"],
    ["South Korean Unification Ministry", "responded by reaffirming its commitment to dialogue"],
    ["Koo Byoungsam", "Pyongyang’s statement proves it continues to closely monitor"],
    ["Moon Seong Mook", "Pyongyang sees little benefit in re-engaging with Seoul"],
    ["Moon Seong Mook", "Kim Yo Jong’s remarks appear designed to pressure Seoul"],
    ["Leif-Eric Easley", "She’s reinforcing national pride"],
    ["Leif-Eric Easley", "It’s also a way to justify weapons development"],
    ["Kwak Gil Sup", "North Korea may reassess its approach"],
    ["Kwak Gil Sup", "North Korea is likely working on Plan B and Plan C"],
]


def seed_extraction():
    return extract(SEED.read_text(encoding="utf-8"), filename=SEED.name)


def seed_score():
    return score_story(seed_extraction(), {"statements": SEED_STATEMENTS}, label=SEED.name)


# --- The seed story ----------------------------------------------------------------------------

def test_seed_dateline_outlet_and_suggested_headline():
    ex = seed_extraction()
    assert (ex.dateline, ex.outlet) == ("SEOUL", "Realist English")
    assert ex.headline == "Kim Yo Jong rejected diplomatic overtures from South Korea’s new liberal administration"
    assert ex.dek.startswith("Kim Yo Jong, the influential sister of North Korean leader Kim Jong Un")
    assert len(ex.paragraphs) == 13
    assert ex.paragraphs[0].startswith("Kim Yo Jong, the influential sister")  # dateline removed from the body
    assert ex.paragraphs[-1].startswith("“North Korea is likely working on Plan B")


def test_seed_yields_all_three_analysts_with_affiliations():
    speakers = seed_extraction().speakers
    assert speakers["Leif-Eric Easley"].title == "professor"
    assert speakers["Leif-Eric Easley"].affiliation == "Ewha Womans University"
    assert speakers["Kwak Gil Sup"].title == "head"
    assert speakers["Kwak Gil Sup"].affiliation == "One Korea Center"
    assert speakers["Moon Seong Mook"].affiliation == "Korea Research Institute for National Strategy"
    for name in ("Leif-Eric Easley", "Kwak Gil Sup", "Moon Seong Mook"):
        assert speakers[name].target == "commentary"


def test_seed_quotes_by_kim_yo_jong_are_attributed_to_her_full_name():
    ex = seed_extraction()
    direct = [s for s in ex.statements if s.speaker == "Kim Yo Jong" and s.direct]
    assert [s.text for s in direct] == [
        "No matter what policy is adopted and whatever proposal is made in Seoul, we have no interest in it.",
        "There is neither a reason to meet nor an issue to be discussed.",
    ]
    assert direct[0].reference == "Kim"  # "Kim said", not Kim Jong Un, who is also named in the copy
    kim = ex.speakers["Kim Yo Jong"]
    assert kim.target == "citation"
    assert kim.source_name == "Kim Yo Jong statement carried by state media"
    assert kim.source_kind == "state_media"


def test_seed_ministry_statement_by_koo_byoungsam():
    ex = seed_extraction()
    (koo,) = [s for s in ex.statements if s.speaker == "Koo Byoungsam"]
    assert koo.sentence.startswith("Ministry spokesperson Koo Byoungsam said Pyongyang’s statement proves")
    assert koo.text.startswith("Pyongyang’s statement proves")  # what was said, without who said it
    speaker = ex.speakers["Koo Byoungsam"]
    assert (speaker.title, speaker.affiliation) == ("spokesperson", "South Korean Unification Ministry")
    assert speaker.target == "citation"
    assert speaker.source_name == "South Korean Unification Ministry"  # one source with the ministry itself
    ministry = ex.speakers["South Korean Unification Ministry"]
    assert (ministry.kind, ministry.country) == ("institution", "South Korea")


def test_seed_short_references_resolve_to_full_names():
    by_reference = {s.reference: s.speaker for s in seed_extraction().statements if s.reference}
    assert by_reference["Kim"] == "Kim Yo Jong"
    assert by_reference["Moon"] == "Moon Seong Mook"
    assert by_reference["Kwak"] == "Kwak Gil Sup"
    assert by_reference["She"] == "Kim Yo Jong"


def test_seed_scores_one_with_no_false_attributions():
    result = seed_score()
    assert result.wrong == [] and result.missed == []
    assert (result.precision, result.recall) == (1.0, 1.0)


def test_unnamed_groups_are_never_attributed():
    texts = " ".join(s.sentence for s in seed_extraction().statements)
    assert "Analysts believe" not in texts
    assert "Experts say" not in texts


def test_the_first_fictional_copies_still_score_one():
    report = evaluate(COPY)
    assert report.overall.wrong == [] and report.overall.missed == []
    assert report.overall.expected >= 40
    assert report.overall.routing == 1.0


@pytest.mark.parametrize("name", [n for n in EXPECTED if not n.startswith("_")])
def test_fictional_copy_fields_and_speakers(name):
    spec = EXPECTED[name]
    ex = extract((COPY / name).read_text(encoding="utf-8"), filename=name)
    for key in ("dateline", "outlet", "headline"):
        if key in spec:
            assert getattr(ex, key) == spec[key]
    for speaker, attributes in spec["speakers"].items():
        for key, value in attributes.items():
            assert getattr(ex.speakers[speaker], key) == value, (speaker, key)


# --- Datelines and structure -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("opening", "dateline", "outlet"),
    [
        ("SEOUL (Realist English). Text follows here.", "SEOUL", "Realist English"),
        ("SEOUL, July 28 (Test Wire) -- Text follows here.", "SEOUL", "Test Wire"),
        ("PORT VESSNA — Text follows here.", "PORT VESSNA", ""),
        ("NEW FREEDONIA CITY: Text follows here.", "NEW FREEDONIA CITY", ""),
        ("ESKELBY, Talmora (Test Wire) — Text follows here.", "ESKELBY", "Test Wire"),
    ],
)
def test_dateline_forms(opening, dateline, outlet):
    ex = extract(opening)
    assert (ex.dateline, ex.outlet) == (dateline, outlet)
    assert ex.paragraphs == ["Text follows here."]


def test_headline_line_above_the_dateline_is_used_as_the_headline():
    ex = extract("Sylvania shuts its ports\n\nALDERMOOR (Test Wire). The ports closed at noon.")
    assert ex.headline == "Sylvania shuts its ports"
    assert ex.headline_from_copy
    assert ex.paragraphs == ["The ports closed at noon."]


def test_copy_without_a_dateline_is_read_and_the_editor_told_to_check_the_place():
    ex = extract("Kim said nothing on Monday.\nNothing else happened.", filename="story.txt")
    assert (ex.dateline, ex.outlet) == ("", "")
    assert ex.paragraphs == ["Kim said nothing on Monday.", "Nothing else happened."]
    assert ex.notes[0].startswith("No dateline found")


def test_sentence_that_starts_with_an_abbreviation_is_not_a_dateline():
    ex = extract("U.S. officials said nothing.", filename="x.txt")
    assert ex.dateline == "" and ex.paragraphs == ["U.S. officials said nothing."]


def test_bylines_outlet_and_date_lines_above_the_dateline_are_furniture():
    ex = extract(
        "Ports reopen in Sylvania\n\nBy ANNA VELL and PIET ROO\n\nMeridian Wire\n\nSeptember 18, 2025\n\n"
        "ALDERMOOR (Meridian Wire) -- The ports reopened at noon, harbour master Ivo Brandt said."
    )
    assert (ex.headline, ex.dateline, ex.outlet) == ("Ports reopen in Sylvania", "ALDERMOOR", "Meridian Wire")
    assert ex.paragraphs == ["The ports reopened at noon, harbour master Ivo Brandt said."]
    assert [s.speaker for s in ex.statements] == ["Ivo Brandt"]


def test_a_title_case_dateline_is_read_when_it_carries_a_date_and_an_outlet():
    ex = extract("Hospital opens\n\nVornagrad, October 10 (DCNA) -- A new hospital opened in the capital.")
    assert (ex.dateline, ex.outlet) == ("Vornagrad", "DCNA")
    assert ex.paragraphs == ["A new hospital opened in the capital."]


def test_a_commentary_without_a_dateline_is_read_past_its_letterhead():
    ex = extract(
        "ASHGROVE FORUM | ANALYSIS\n\nThe dam dispute needs engineers\n\nBy Mara Quell\n\n"
        "“Nobody wins a water war,” said Oskar Tenn, a hydrologist at Varnland University."
    )
    assert ex.dateline == "" and ex.headline == "ASHGROVE FORUM | ANALYSIS"
    assert ex.paragraphs[0].startswith("“Nobody wins")
    assert [s.speaker for s in ex.statements] == ["Oskar Tenn"]


def test_hard_wrapped_paragraphs_are_joined():
    ex = extract("FREEDONIA CITY (Test Wire). The first\nparagraph wraps.\n\nThe second one\ndoes too.")
    assert ex.paragraphs == ["The first paragraph wraps.", "The second one does too."]


def test_sentences_are_not_split_inside_quotations_or_after_abbreviations():
    assert split_sentences("“One. Two,” Dr. Anvers said. Then the U.S. envoy left.") == [
        "“One. Two,” Dr. Anvers said.",
        "Then the U.S. envoy left.",
    ]


def test_split_quotation_around_the_attribution_is_one_statement():
    ex = extract("FREEDONIA CITY (Test Wire). Teodor Vasquell spoke. “We are tired,” Vasquell said, “and so are they.”")
    (statement,) = ex.statements
    assert statement.text == "We are tired, and so are they."
    assert statement.speaker == "Teodor Vasquell"


def test_unknown_short_name_is_not_attributed_and_is_noted():
    ex = extract("FREEDONIA CITY (Test Wire). “We will see,” Brandt said.")
    assert ex.statements == []
    assert any("Brandt" in note for note in ex.notes)


def test_scare_quotes_are_not_statements():
    ex = extract("FREEDONIA CITY (Test Wire). The so-called “grand bargain” collapsed on Saturday.")
    assert ex.statements == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_extractor_never_crashes_on_arbitrary_text(body):
    try:
        ex = extract("SEOUL (Test Wire). " + body)
    except CopyError:
        return
    # With no text after it on its line the dateline is no dateline: the story is read without one.
    assert ex.dateline == "SEOUL" or (ex.dateline == "" and ex.notes[0].startswith("No dateline found"))
    for statement in ex.statements:
        assert statement.speaker in ex.speakers


# --- Reading bytes -----------------------------------------------------------------------------

def test_utf8_with_and_without_byte_order_mark():
    assert decode_copy("SEOUL — Kim".encode()) == "SEOUL — Kim"
    assert decode_copy(codecs.BOM_UTF8 + "SEOUL — Kim".encode()) == "SEOUL — Kim"


def test_utf16_with_byte_order_mark_is_decoded():
    assert decode_copy("SEOUL — Kim Yo Jong".encode("utf-16"), filename="a.txt") == "SEOUL — Kim Yo Jong"
    assert decode_copy(codecs.BOM_UTF16_BE + "SEOUL".encode("utf-16-be")) == "SEOUL"


def test_utf16_without_byte_order_mark_is_refused():
    with pytest.raises(CopyError, match=r"^a\.txt: .*UTF-16 without a byte-order mark"):
        decode_copy("SEOUL — Kim".encode("utf-16-le"), filename="a.txt")


def test_latin1_is_refused_with_a_hint():
    with pytest.raises(CopyError, match=r"^old\.txt: the file is not valid UTF-8 .*Latin-1.*save it as UTF-8"):
        decode_copy("SÃO PAULO (Test Wire). Café talks.".encode("latin-1"), filename="old.txt")


def test_empty_and_blank_files_are_refused():
    for data in (b"", b"  \n\n \t"):
        with pytest.raises(CopyError, match=r"^e\.txt: the file is empty"):
            decode_copy(data, filename="e.txt")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7 binary", "this is a PDF"),
        (b"PK\x03\x04 docx", "Word/OpenDocument"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_binary_files_are_refused(data, message):
    with pytest.raises(CopyError, match=message) as info:
        decode_copy(data, filename="scan.bin")
    assert str(info.value).startswith("scan.bin: ")


def test_files_over_the_size_limit_are_refused():
    with pytest.raises(CopyError, match=r"^big\.txt: the file is 5\.0 MB; the limit is 1 MB"):
        decode_copy(b"a" * 5_000_000, filename="big.txt")
    assert decode_copy(b"SEOUL " + b"a" * (MAX_BYTES - 6))  # exactly at the limit is fine


def test_checksum_ignores_line_endings_and_trailing_spaces():
    assert copy_checksum("SEOUL (W). One.\n\nTwo.") == copy_checksum("SEOUL (W). One.  \r\n\r\n\r\nTwo.\r\n")
    assert copy_checksum("SEOUL (W). One.") != copy_checksum("SEOUL (W). Two.")


# --- Matching names ----------------------------------------------------------------------------

def test_normalized_names_ignore_case_hyphens_punctuation_and_spacing():
    assert normalize_name("Leif Eric Easley") == normalize_name("Leif-Eric  Easley") == "leif eric easley"
    assert normalize_name("The Korea Research Institute for National Strategy.") == (
        "korea research institute for national strategy"
    )


def test_scores_exact_reordered_and_similar_names():
    assert score("Leif Eric Easley", "Leif-Eric Easley") == 1.0
    assert score("Unification Ministry", "Ministry of Unification") >= 0.92
    assert score("South Korean Unification Ministry", "Unification Ministry") == 1.0
    assert score("Moon Seong Muk", "Moon Seong Mook") >= 0.75
    assert score("Kwak Gil Sup", "Oriana Castellane") < 0.75


def test_rank_offers_best_matches_first_and_drops_unrelated_names():
    matches = rank("Leif Eric Easley", [(1, "Leif-Eric Easley"), (2, "Leif Erikson"), (3, "Kwak Gil Sup")])
    assert [m.pk for m in matches][:1] == [1]
    assert matches[0].kind == "exact"
    assert 3 not in [m.pk for m in matches]


def test_subset_rule_is_for_sources_not_people():
    name = "Kim Yo Jong statement carried by state media"
    other = "Kim Yo Jong statement carried by North Korean state media"
    assert score(name, other, subset=True) >= 0.92
    assert score("Moon Seong", "Moon Seong Mook", subset=False) < 0.92
