"""The grammar of a speaker (ingest/speakers.py), shape by shape, on short fictional copy."""
import pytest

from ingest import extract
from ingest.evaluate import normalize


def statements(body, dateline="TESTVILLE (Test Wire) -- "):
    story = extract(dateline + body)
    return [(s.speaker, story.speakers[s.speaker].title, s.text) for s in story.statements]


@pytest.mark.parametrize(
    ("body", "speaker", "title", "words"),
    [
        # An occupation printed before the name is a title, never part of the name
        ("Shepherd Ilmar Vosk said the upper pastures were still under snow.", "Ilmar Vosk", "shepherd",
         "the upper pastures were still under snow"),
        ("Beekeeper Runa Talsby said half her hives had died over the winter.", "Runa Talsby", "beekeeper",
         "half her hives had died"),
        # "named" between the description and the name, and an age, are no part of the title
        ("A ferryman named Oskil Brandvoll said the crossing had never been so quiet.", "Oskil Brandvoll",
         "ferryman", "the crossing had never been so quiet"),
        ("A 54-year-old welder, Petra Lunnvik, said the yard had cut every second shift.", "Petra Lunnvik",
         "welder", "the yard had cut every second shift"),
    ],
)
def test_occupations_before_a_name(body, speaker, title, words):
    assert any(s == speaker and t == title and normalize(words) in normalize(x) for s, t, x in statements(body))


def test_a_dateline_before_an_occupation_is_no_part_of_the_title():
    found = statements("Fisherwoman Aud Kelleran said the nets came up empty.",
                       dateline="Brannock (Marvalia) (TWR) - ")
    assert ("Aud Kelleran", "fisherwoman") in [(s, t) for s, t, _ in found]


def test_a_place_based_institution_is_the_institution():
    body = ("The Tollmark-based Northern Grain Council said it would meet its members on Friday.")
    assert "Northern Grain Council" in [s for s, _, _ in statements(body)]


def test_a_clause_ending_in_an_organization_word_is_no_institution():
    body = ("Trade between the islands has stayed low since Morlund closed its customs office in the harbour "
            "town of Vesk last year and declared the crossing “closed for good” in a new decree.")
    assert statements(body) == []


def test_an_office_of_an_organization_before_a_name_is_a_title_not_an_institution():
    body = ("Trade Minister Odile Karsk said the rules would apply from March. "
            "The Chairman of the Vellmark Millers Guild, Jonas Trell, welcomed the rules. "
            "“We have waited a decade for this,” he said.")
    found = statements(body)
    assert ("Jonas Trell", "chairman") in [(s, t.lower()) for s, t, _ in found]
    assert "Odile Karsk" not in [s for s, _, x in found if "waited a decade" in x]


def test_both_officials_named_in_a_pair_can_be_quoted_by_surname_later():
    body = ("Trade Minister Oda Vellan and Marovian Trade Minister Piet Sandrum signed the accord in Osk.\n\n"
            "“Tariffs on timber end on the first of May,” Vellan said after the signing.")
    assert [s for s, _, _ in statements(body)] == ["Oda Vellan"]
