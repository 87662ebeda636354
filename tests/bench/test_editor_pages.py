"""The editor pages of make bench (bench/editor_pages.py): what they pick, that an editor gets each, the table."""
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client

from articles import roles
from articles.models import Article
from bench import editor_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    call_command("generate_corpus", stories=120, seed=4, verbosity=0, stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def editor():
    return editor_pages.ensure_editor()


def test_the_benchmark_signs_in_as_an_editor(editor):
    assert roles.role_of(editor) == roles.EDITOR
    assert editor_pages.ensure_editor() == editor  # made once, found after


def test_every_picked_editor_page_answers_200_to_the_editor(corpus, editor):
    pages = editor_pages.pick_pages(editor)
    client = Client()
    client.force_login(editor)
    statuses = {page["key"]: client.get(page["url"]).status_code for page in pages}
    assert statuses and set(statuses.values()) == {200}, statuses
    # Signed out, the same address sends to the sign-in page: the 200s above are the editor's.
    assert Client().get(next(p["url"] for p in pages if p["key"] == "editor-dashboard-90")).status_code == 302


def test_the_pages_cover_every_filter_sortable_column_and_autocomplete_of_the_admin(corpus, editor):
    keys = {page["key"] for page in editor_pages.pick_pages(editor)}
    story_admin = admin.site.get_model_admin(Article)
    filters = [key for key in keys if key.startswith("editor-stories-filter-")]
    assert len(filters) == len(story_admin.list_filter)
    assert {"editor-stories-year", "editor-stories-month", "editor-stories-search-word",
            "editor-stories-search-name"} <= keys
    assert any(key.startswith("editor-stories-sort-") for key in keys)
    assert {"editor-autocomplete-commentary-analyst", "editor-autocomplete-citation-source"} <= keys
    assert {"editor-analysts-search", "editor-sources-search", "editor-topics-search",
            "editor-organizations-search"} <= keys
    assert {"editor-story-form", "editor-analyst-form", "editor-story-history", "editor-story-diff",
            "editor-import-review", "editor-dashboard-90", "editor-dashboard-365", "editor-dashboard-all"} <= keys


def test_a_second_pick_reuses_the_import_and_the_revisions(corpus, editor):
    first = {page["key"]: page["url"] for page in editor_pages.pick_pages(editor)}
    again = {page["key"]: page["url"] for page in editor_pages.pick_pages(editor)}
    assert first["editor-import-review"] == again["editor-import-review"]
    assert first["editor-story-diff"] == again["editor-story-diff"]


def test_bench_pages_selects_editor_pages_by_key_prefix():
    pages = [{"key": "editor-stories"}, {"key": "editor-dashboard-90"}, {"key": "editor-dashboard-all"}]
    assert editor_pages.select(pages, ["editor"]) == pages
    assert [p["key"] for p in editor_pages.select(pages, ["editor-dashboard"])] == [
        "editor-dashboard-90", "editor-dashboard-all"]
    assert editor_pages.select(pages, ["topic"]) == []
    assert editor_pages.wanted_any(["editor"]) and editor_pages.wanted_any([])
    assert not editor_pages.wanted_any(["topic-big-1"])


def row(name, p95, status=200):
    return {"key": name, "name": name, "status": status, "queries": 4, "timing": (p95 / 2, p95)}


def test_the_table_lists_each_page_with_its_queries_and_times():
    table = editor_pages.render_table([row("story list", 120.04), row("search “a|b”", 80.0)])
    assert table.startswith("Editor pages (signed-in editor, in process):")
    assert "| story list | 200 | 4 | 60.0 / 120.0 |" in table
    assert "search “a\\|b”" in table  # a pipe in a name cannot break the table


def test_the_target_is_met_only_when_every_page_answers_within_200_ms():
    assert editor_pages.check_target([row("story list", 120.0), row("dashboard", 199.0)]).startswith("- **met**")
    missed = editor_pages.check_target([row("story list", 120.0), row("dashboard", 450.0)])
    assert missed.startswith("- **not met**") and "1 of 2 within" in missed and "dashboard 450.0 ms" in missed
    failed = editor_pages.check_target([row("story list", 20.0, status=500)])
    assert failed.startswith("- **not met**") and "answered 500" in failed
    assert editor_pages.check_target([]).startswith("- **not measured**")
