"""The import_copy command and the import services, through call_command."""
import codecs
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Analyst, Article, Citation, Commentary, Organization, Source
from ingest.models import CopyImport
from ingest.services import copies_import, suggestions_apply
from tests.factories import AnalystFactory, OrganizationFactory, SourceFactory

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "kim-yo-jong-rejects-seoul-overtures.txt"
COPY = Path(__file__).resolve().parent / "copy"

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("import_copy", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, CopyImport, Commentary, Citation, Analyst, Organization, Source)
    }


def test_import_creates_one_draft_and_pending_suggestions_only():
    out = run(SEED)
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert not article.is_published()
    assert (article.dateline, article.credit) == ("SEOUL", "Realist English")
    assert article.body.count("<p>") == 13
    record = CopyImport.objects.get()
    assert record.article == article and article.copy_checksum == record.checksum
    assert len(record.suggestions) == 14
    assert {s["status"] for s in record.suggestions} == {"pending"}
    assert Commentary.objects.count() == Citation.objects.count() == Analyst.objects.count() == 0
    assert "Imported" in out and "14 attributed statements" in out
    assert f"/admin/articles/import-copy/{record.pk}/" in out


def test_reimporting_the_same_copy_finds_the_earlier_draft(tmp_path):
    run(SEED)
    before = counts()
    # Same words, different line endings and trailing spaces: the same copy.
    variant = tmp_path / "again.txt"
    variant.write_bytes(SEED.read_bytes().replace(b"\n", b"  \r\n"))
    out = run(variant)
    assert counts() == before
    assert "already imported as draft story" in out and "nothing changed" in out


def test_dry_run_saves_nothing_and_shows_matches():
    AnalystFactory(name="Leif-Eric Easley")
    before = counts()
    out = run(SEED, "--dry-run")
    assert counts() == before
    assert "Dry run: nothing was saved." in out
    assert "Leif-Eric Easley [commentary, quote, existing: Leif-Eric Easley]" in out


def test_publish_as_draft_still_only_creates_a_draft():
    run(SEED, "--publish-as-draft")
    assert Article.objects.get().status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_several_files_are_imported_together():
    run(COPY / "01-harbor-talks.txt", COPY / "02-grain-corridor.txt")
    assert set(Article.objects.values_list("dateline", flat=True)) == {"PORT VESSNA", "ALDERMOOR"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"%PDF-1.4\x00\x01\x02", "this is a PDF"),
        (b"\x00\x01\x02\x03" * 50, "binary data"),
        ("SEOUL (Test Wire). Café talks resumed.".encode("latin-1"), "not valid UTF-8"),
        ("FREEDONIA CITY. Nothing.".encode("utf-16-le"), "UTF-16 without a byte-order mark"),
        (b"SEOUL (W). A line.\n" * 401, "more than 400 paragraphs"),
        (b"a" * 5_000_000, "the file is 5.0 MB; the limit is 1 MB"),
    ],
    ids=["empty", "pdf", "binary", "latin-1", "utf-16-no-bom", "too-many-paragraphs", "5mb"],
)
def test_bad_file_gets_a_clear_message_naming_it_and_changes_nothing(tmp_path, data, message):
    bad = tmp_path / "bad-copy.txt"
    bad.write_bytes(data)
    before = counts()
    with pytest.raises(CommandError) as info:
        run(bad)
    assert f"{bad}: " in str(info.value)
    assert message in str(info.value)
    assert "Nothing was imported" in str(info.value)
    assert counts() == before


def test_utf16_with_byte_order_mark_is_imported(tmp_path):
    story = tmp_path / "utf16.txt"
    story.write_bytes(codecs.BOM_UTF16_LE + SEED.read_text(encoding="utf-8").encode("utf-16-le"))
    run(story)
    assert Article.objects.get().dateline == "SEOUL"


def test_one_bad_file_among_several_imports_none(tmp_path):
    bad = tmp_path / "report.pdf.txt"
    bad.write_bytes(b"%PDF-1.4\x00\x01\x02")
    with pytest.raises(CommandError, match="report.pdf.txt: this is a PDF"):
        run(COPY / "01-harbor-talks.txt", bad, COPY / "02-grain-corridor.txt")
    assert Article.objects.count() == CopyImport.objects.count() == 0


def test_missing_file_is_named():
    with pytest.raises(CommandError, match=r"nowhere\.txt: no such file"):
        run("nowhere.txt")


# --- Confirming suggestions (the service behind the review screen) -----------------------------

def imported_seed():
    (result,) = copies_import(files=[("seed.txt", SEED.read_bytes())])
    return result.copy_import


def by_speaker(record, name):
    return [s for s in record.suggestions if s["speaker"] == name]


def test_confirming_creates_commentary_with_new_analyst_and_affiliation_as_printed():
    record = imported_seed()
    easley = by_speaker(record, "Leif-Eric Easley")[0]
    suggestions_apply(copy_import=record, decisions={easley["id"]: {"action": "confirm"}})
    commentary = Commentary.objects.get()
    assert commentary.analyst.name == "Leif-Eric Easley"
    assert commentary.analyst.organization.name == "Ewha Womans University"
    assert commentary.analyst.organization.kind == Organization.Kind.UNIVERSITY
    assert (commentary.title_as_printed, commentary.affiliation_as_printed) == ("professor", "Ewha Womans University")
    assert commentary.is_direct_quote
    assert commentary.text.startswith("She’s reinforcing national pride")
    assert commentary.article.status == Article.Status.DRAFT


def test_confirming_links_an_existing_analyst_found_by_a_near_exact_name():
    existing = AnalystFactory(name="Leif Eric Easley", organization=OrganizationFactory(name="Ewha Womans University"))
    record = imported_seed()
    decisions = {s["id"]: {"action": "confirm"} for s in by_speaker(record, "Leif-Eric Easley")}
    suggestions_apply(copy_import=record, decisions=decisions)
    assert Analyst.objects.count() == 1
    assert list(Commentary.objects.values_list("analyst", flat=True)) == [existing.pk, existing.pk]
    assert list(Commentary.objects.values_list("sort_order", flat=True)) == [1, 2]


def test_confirming_a_citation_reuses_one_new_source_for_several_statements():
    record = imported_seed()
    decisions = {s["id"]: {"action": "confirm"} for s in by_speaker(record, "Kim Yo Jong")}
    suggestions_apply(copy_import=record, decisions=decisions)
    source = Source.objects.get()
    assert source.name == "Kim Yo Jong statement carried by state media"
    assert source.kind == Source.Kind.STATE_MEDIA
    assert Citation.objects.filter(source=source).count() == 6
    assert Citation.objects.filter(use=Citation.Use.QUOTE).count() == 2


def test_editor_can_edit_pick_an_existing_record_or_reject():
    source = SourceFactory(name="Unification Ministry briefing")
    record = imported_seed()
    (koo,) = by_speaker(record, "Koo Byoungsam")
    moon = by_speaker(record, "Moon Seong Mook")
    confirmed, rejected = suggestions_apply(copy_import=record, decisions={
        koo["id"]: {"action": "confirm", "record": source.pk, "text": "Edited by the desk."},
        moon[0]["id"]: {"action": "reject"},
    })
    assert (confirmed, rejected) == (1, 1)
    citation = Citation.objects.get()
    assert (citation.source, citation.taken) == (source, "Edited by the desk.")
    assert Commentary.objects.count() == 0
    statuses = {s["id"]: s["status"] for s in CopyImport.objects.get().suggestions}
    assert statuses[koo["id"]] == "confirmed" and statuses[moon[0]["id"]] == "rejected"


def test_confirming_twice_creates_nothing_twice():
    record = imported_seed()
    kwak = {s["id"]: {"action": "confirm"} for s in by_speaker(record, "Kwak Gil Sup")}
    suggestions_apply(copy_import=record, decisions=kwak)
    suggestions_apply(copy_import=CopyImport.objects.get(), decisions=kwak)
    assert Commentary.objects.count() == 2
    assert Analyst.objects.count() == 1


def test_switching_a_suggestion_to_commentary():
    record = imported_seed()
    (koo,) = by_speaker(record, "Koo Byoungsam")
    suggestions_apply(copy_import=record, decisions={koo["id"]: {"action": "confirm", "target": "commentary"}})
    assert Commentary.objects.get().analyst.name == "Koo Byoungsam"
    assert Citation.objects.count() == 0


def test_officials_of_one_institution_are_cited_under_one_source():
    record = imported_seed()
    decisions = {s["id"]: {"action": "confirm"}
                 for s in by_speaker(record, "Koo Byoungsam") + by_speaker(record, "South Korean Unification Ministry")}
    suggestions_apply(copy_import=record, decisions=decisions)
    source = Source.objects.get()
    assert source.name == "South Korean Unification Ministry"
    assert source.organization.name == "South Korean Unification Ministry"
    assert Citation.objects.filter(source=source).count() == 2


def test_commentary_holds_what_was_said_without_the_attribution_clause():
    record = imported_seed()
    (noted,) = [s for s in by_speaker(record, "Moon Seong Mook") if s["rule"] == "speaker, then what they said"]
    suggestions_apply(copy_import=record, decisions={noted["id"]: {"action": "confirm"}})
    commentary = Commentary.objects.get()
    assert commentary.text.startswith("Kim Yo Jong’s remarks appear designed to pressure Seoul")
    assert not commentary.is_direct_quote
    assert "Moon noted that Kim Yo Jong’s remarks" in commentary.article.body  # the story keeps the printed sentence
