"""Writes that send no model signal (QuerySet.update(), bulk_create(), bulk_update()) announce
their change themselves (articles/changes.py), or say why no page changes.

QuerySet.delete() sends post_delete for each row while anything listens, as the page cache does.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCT = ("articles", "reader", "pagecache", "counts", "ingest", "sourcing")
# What public pages show: a silent write to one of these can leave a page stale.
SHOWN = {"Article", "TaggedArticle", "Commentary", "Citation", "Correction", "Byline", "Topic", "Analyst",
         "Source", "Organization", "SlugRedirect"}
SILENT = {"update", "bulk_create", "bulk_update"}
ANNOUNCES = {"stories_changed", "content_changed"}
EXCUSE = "# pages:"


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def silent_writes(path):
    """Return (line, function) of each unannounced silent write to a shown model in the module."""
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)]
        announced = any(
            (isinstance(c.func, ast.Name) and c.func.id in ANNOUNCES)
            or (isinstance(c.func, ast.Attribute) and c.func.attr in ANNOUNCES)
            for c in calls
        )
        for call in calls:
            if not (isinstance(call.func, ast.Attribute) and call.func.attr in SILENT):
                continue
            if _root_name(call.func.value) not in SHOWN or announced:
                continue
            excused = any(EXCUSE in lines[n] for n in range(max(0, call.lineno - 3), call.lineno))
            if not excused:
                found.append((call.lineno, function.name))
    return found


def test_every_silent_write_to_what_pages_show_is_announced():
    found = {
        str(path.relative_to(ROOT)): writes
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and (writes := silent_writes(path))
    }
    assert not found, f"Silent writes that leave cached pages stale (call stories_changed or say why): {found}"


def test_the_check_finds_an_unannounced_update_and_accepts_an_announced_one(tmp_path):
    module = tmp_path / "writes.py"
    module.write_text(
        "def rename(pk):\n"
        "    Article.objects.filter(pk=pk).update(headline='Pretend')\n"
        "def rename_and_say(pk):\n"
        "    Article.objects.filter(pk=pk).update(headline='Pretend')\n"
        "    stories_changed([pk])\n"
        "def note(pk):\n"
        "    # pages: nothing shown changes\n"
        "    Article.objects.filter(pk=pk).update(copy_checksum='x')\n"
        "def tag(links):\n"
        "    TaggedArticle.objects.bulk_create(links)\n"
    )
    assert silent_writes(module) == [(2, "rename"), (10, "tag")]
