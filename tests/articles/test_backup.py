"""export_content / import_content: a lossless round trip, atomic imports, clear errors for broken files."""
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from articles.backup import SECTIONS, dumps, export_data
from articles.models import Article, Organization, SlugRedirect, Topic
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CitationFactory,
    CommentaryFactory,
    CorrectionFactory,
    SourceFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[2]


def build_dataset():
    """Create fictional content that exercises every section, Hangul, emoji and hostile text included."""
    editor = UserFactory(username="mirela.fictus", first_name="Mirela", last_name="Fictus")
    writer = UserFactory(username="tobin.quill", first_name="Tobin", last_name="Quill")
    north, alliance = Topic.objects.create(name="Freedonia"), Topic.objects.create(name="남북 관계", slug="남북-관계")
    story = ArticleFactory(
        headline='Sylvania "rejects" overtures </script><script>alert(1)</script> 🇰🇷',
        slug="sylvania-rejects-overtures",
        body="<p>First paragraph with <a href='https://example.org'>a link</a>.</p><p>한국어 문단 \u202e</p>",
        created_by=editor,
        published_at=timezone.now().replace(microsecond=123456) - datetime.timedelta(days=2),
        revised_at=timezone.now(),
        topics=[north, alliance],
    )
    hangul = ArticleFactory(headline="북한 성명", slug="북한-성명", status=Article.Status.DRAFT, published_at=None)
    hangul.topics.add(alliance)
    BylineFactory(article=story, author=writer, sort_order=0)
    BylineFactory(article=story, author=editor, sort_order=1)
    CommentaryFactory(article=story, sort_order=1, text="A quote with “curly” marks and <b>tags</b>.")
    CommentaryFactory(article=story, sort_order=0, is_direct_quote=False)
    CitationFactory(article=story, sort_order=0, use="quote")
    CitationFactory(article=hangul, source=SourceFactory(organization=None), taken="")
    CorrectionFactory(article=story, created_by=editor)
    SlugRedirect.objects.create(old_slug="sylvania-old-address", article=story)
    Organization.objects.create(name="Unlinked Institute", kind=Organization.Kind.UNIVERSITY)
    return story


def snapshot():
    """Every exported row as plain values, keyed independently of database ids."""
    return json.loads(dumps(export_data()))


def content_counts():
    return {s.name: s.model._default_manager.count() for s in SECTIONS}


def wipe_content():
    for section in reversed(SECTIONS):
        section.model._default_manager.all().delete()
    get_user_model().objects.all().delete()


@pytest.fixture
def dataset(db):
    return build_dataset()


def export(tmp_path, name="backup.json"):
    path = tmp_path / name
    call_command("export_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    return path


def test_round_trip_into_an_empty_database_loses_nothing(dataset, tmp_path):
    before = snapshot()
    story_fields = model_to_dict(Article.objects.get(slug=dataset.slug))
    path = export(tmp_path)
    wipe_content()
    assert sum(content_counts().values()) == 0

    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert snapshot() == before
    restored = Article.objects.get(slug=dataset.slug)
    restored_fields = model_to_dict(restored)
    for name in ["headline", "body", "published_at", "revised_at", "status", "kind", "dek", "credit"]:
        assert restored_fields[name] == story_fields[name], name
    assert restored.created_at == dataset.created_at and restored.updated_at == dataset.updated_at
    assert [b.author.username for b in restored.bylines.all()] == ["tobin.quill", "mirela.fictus"]
    assert sorted(t.name for t in restored.topics.all()) == ["Freedonia", "남북 관계"]
    assert not get_user_model().objects.get(username="tobin.quill").has_usable_password()
    assert export(tmp_path, "again.json").read_bytes() == path.read_bytes()


def test_export_is_stable_and_in_natural_key_order(dataset, tmp_path):
    first, second = export(tmp_path, "a.json"), export(tmp_path, "b.json")
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text())
    assert [a["slug"] for a in data["stories"]] == sorted(a["slug"] for a in data["stories"])
    assert "id" not in data["stories"][0] and "pk" not in data["stories"][0]
    assert [b["sort_order"] for b in data["bylines"]] == [0, 1]


def test_importing_twice_changes_nothing(dataset, tmp_path):
    path = export(tmp_path)
    before, counts = snapshot(), content_counts()
    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert snapshot() == before
    assert content_counts() == counts


def test_import_replaces_edited_stories_and_keeps_others(dataset, tmp_path):
    path = export(tmp_path)
    dataset.headline = "Edited after the backup"
    dataset.save()
    dataset.commentary.all().delete()
    extra = ArticleFactory(headline="Written after the backup")
    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    dataset.refresh_from_db()
    assert dataset.headline.startswith("Sylvania")
    assert dataset.commentary.count() == 2
    assert Article.objects.filter(pk=extra.pk).exists()


def test_dry_run_checks_but_saves_nothing(dataset, tmp_path):
    path = export(tmp_path)
    wipe_content()
    call_command("import_content", str(path), "--dry-run", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert sum(content_counts().values()) == 0


def test_a_tampered_body_is_sanitized_on_import(dataset, tmp_path):
    path = export(tmp_path)
    data = json.loads(path.read_text())
    data["stories"][0]["body"] = '<p onclick="steal()">Hi<script>alert(1)</script></p>'
    path.write_text(json.dumps(data))
    call_command("import_content", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Article.objects.get(slug=data["stories"][0]["slug"]).body == "<p>Hi</p>"


def story_index(data, slug="sylvania-rejects-overtures"):
    return next(i for i, s in enumerate(data["stories"]) if s["slug"] == slug)


def break_json(data):
    return "{not json"


def set_version(data):
    data["version"] = 99


def set_format(data):
    data["format"] = "something-else"


def drop_headline(data):
    del data["stories"][story_index(data)]["headline"]


def add_field(data):
    data["stories"][story_index(data)]["paywall"] = True


def unknown_analyst(data):
    data["commentary"][-1]["analyst"] = "nobody-fictional"


def unknown_author(data):
    data["bylines"][0]["author"] = "ghost.writer"


def bad_choice(data):
    data["stories"][story_index(data)]["kind"] = "gossip"


def naive_date(data):
    data["stories"][story_index(data)]["published_at"] = "2025-07-28T09:00:00"


def bad_date(data):
    data["corrections"][0]["published_at"] = "the twelfth of never"


def long_headline(data):
    data["stories"][story_index(data)]["headline"] = "x" * 5000


def nul_in_text(data):
    data["stories"][story_index(data)]["dek"] = "null\x00byte"


def missing_section(data):
    del data["topics"]


def unknown_story(data):
    data["old_addresses"][-1]["article"] = "no-such-story"


def deeply_nested(data):
    # The parser would recurse once per level: a RecursionError traceback, not a message.
    return json.dumps(data)[:-1] + ', "deep": ' + "[" * 100_000 + "]" * 100_000 + "}"


def integer_date(data):
    data["corrections"][0]["published_at"] = 1753660800


def headline_as_list(data):
    data["stories"][story_index(data)]["headline"] = ["Sylvania", "rejects"]


def true_as_order(data):
    data["bylines"][0]["sort_order"] = True


def huge_body(data):
    data["stories"][story_index(data)]["body"] = "<p>" + "x" * 30_000_000 + "</p>"


def huge_number(data):
    return json.dumps(data)[:-1] + ', "n": ' + "9" * 5000 + "}"


def duplicate_slug(data):
    twin = dict(data["stories"][story_index(data)], headline="A second story at the same address")
    data["stories"].append(twin)


def duplicate_topic(data):
    data["topics"].append(dict(data["topics"][0], slug="another-address-for-the-topic"))


def duplicate_user(data):
    data["users"].append(dict(data["users"][0], first_name="Someone else"))


def duplicate_byline(data):
    data["bylines"].append(dict(data["bylines"][-1]))


BROKEN_FILES = [
    (break_json, "not valid JSON"),
    (set_version, "version 99 is not supported"),
    (set_format, "not a Newsroom content backup"),
    (drop_headline, "stories record 1 (slug='sylvania-rejects-overtures'): missing field(s) headline"),
    (add_field, "unknown field(s) paywall"),
    (unknown_analyst, "analyst refers to analyst 'nobody-fictional'"),
    (unknown_author, "bylines record 1 (article='sylvania-rejects-overtures', sort_order=0): author refers to user"),
    (bad_choice, "kind: Value 'gossip' is not a valid choice"),
    (naive_date, "published_at: a date and time needs a time zone offset"),
    (bad_date, "corrections record 1"),
    (long_headline, "headline: Ensure this value has at most 200 characters"),
    (nul_in_text, "dek: Null characters are not allowed"),
    (missing_section, 'section "topics" is missing'),
    (unknown_story, "old_addresses record 1 (old_slug='sylvania-old-address'): article refers to story 'no-such-st"),
    (deeply_nested, "the JSON nests more than 8 levels deep"),
    (integer_date, "corrections record 1 (article='sylvania-rejects-overtures', published_at=1753660800): published_at "
     'must be a date and time as text, e.g. "2025-07-28T09:00:00+09:00", not a number'),
    (headline_as_list, "stories record 1 (slug='sylvania-rejects-overtures'): headline must be text, not a list"),
    (true_as_order, "bylines record 1 (article='sylvania-rejects-overtures', sort_order=True): sort_order must be a "
     "whole number, not true/false"),
    (huge_body, "stories record 1 (slug='sylvania-rejects-overtures'): body is 30,000,007 characters long; a backup "
     "holds at most 1,000,000 per field"),
    (huge_number, "not valid JSON"),
    (duplicate_slug, "stories record 3 (slug='sylvania-rejects-overtures'): the same slug as stories record 1; a "
     "backup holds each story once"),
    (duplicate_topic, "topics record 3 (name='Freedonia'): the same name as topics record 1"),
    (duplicate_user, "users record 3 (username='mirela.fictus'): the same username as users record 1"),
    (duplicate_byline, "bylines record 3 (article='sylvania-rejects-overtures', sort_order=1): the same article and "
     "author as bylines record 2"),
]


@pytest.mark.parametrize(("breakage", "message"), BROKEN_FILES, ids=[b.__name__ for b, _ in BROKEN_FILES])
def test_a_broken_file_names_the_file_and_record_and_changes_nothing(dataset, tmp_path, breakage, message):
    path = export(tmp_path)
    data = json.loads(path.read_text())
    broken = breakage(data)
    path.write_text(broken if isinstance(broken, str) else json.dumps(data, ensure_ascii=False))
    Article.objects.filter(slug="북한-성명").delete()  # the import would bring it back
    before, counts = snapshot(), content_counts()

    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path))

    assert str(excinfo.value).startswith(f"{path}: ")
    assert message in str(excinfo.value)
    assert "Nothing was imported" in str(excinfo.value)
    assert "\n" not in str(excinfo.value)
    assert snapshot() == before
    assert content_counts() == counts


def test_a_refusal_by_the_database_is_one_line_and_changes_nothing(dataset, tmp_path):
    # Passes every check and fails in the database, after the stories were written: none of it may stick.
    path = export(tmp_path)
    data = json.loads(path.read_text())
    data["stories"][story_index(data)]["headline"] = "Written before the failure"
    data["bylines"].append(dict(data["bylines"][-1], sort_order=7))
    path.write_text(json.dumps(data, ensure_ascii=False))
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path))
    assert "bylines record 3 (article='sylvania-rejects-overtures', sort_order=7): " in str(excinfo.value)
    assert "\n" not in str(excinfo.value)
    assert snapshot() == before


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(dataset, tmp_path):
    path = export(tmp_path)
    path.write_text(path.read_text()[:-2] + ', "padding": "' + "x" * 2**21 + '"}\n')
    with pytest.raises(CommandError, match=r"2 MB is more than the 1 MB import_content reads.*--max-mb 3"):
        call_command("import_content", str(path), "--max-mb", "1")


def test_a_missing_file_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="nowhere.json: cannot read"):
        call_command("import_content", str(tmp_path / "nowhere.json"))


def test_export_to_a_missing_folder_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="cannot write the backup"):
        call_command("export_content", str(tmp_path / "no" / "such" / "dir.json"))


def manage(*args, database_url):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_TEST_DB_NAME"}}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="newsroom.settings.test")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_round_trip_between_sqlite_and_postgresql(db, postgres_only, tmp_path):
    """Export from SQLite, import into PostgreSQL (this test's database), and back again: same bytes."""
    sqlite_url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    manage("migrate", "--noinput", "-v0", database_url=sqlite_url)
    manage(
        "shell", "--no-imports", "-c", "from tests.articles.test_backup import build_dataset; build_dataset()",
        database_url=sqlite_url,
    )
    from_sqlite = tmp_path / "from-sqlite.json"
    manage("export_content", str(from_sqlite), database_url=sqlite_url)

    call_command("import_content", str(from_sqlite), stdout=open(os.devnull, "w"))  # noqa: SIM115
    from_postgres = export(tmp_path, "from-postgres.json")
    assert from_postgres.read_text() == from_sqlite.read_text()

    target_url = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    manage("migrate", "--noinput", "-v0", database_url=target_url)
    manage("import_content", str(from_postgres), database_url=target_url)
    back_in_sqlite = tmp_path / "back-in-sqlite.json"
    manage("export_content", str(back_in_sqlite), database_url=target_url)
    assert back_in_sqlite.read_text() == from_sqlite.read_text()
