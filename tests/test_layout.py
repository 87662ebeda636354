"""The house's shape, checked over the code: no import cycle between modules, and Django's private
internals used in one quarantined module only (reader/private_api.py).

The direction rules between apps are import-linter contracts (pyproject.toml, `make lint`).
"""
import ast
from pathlib import Path

import django.db.models

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("articles", "reader", "pagecache", "counts", "ingest", "sourcing", "people", "photos", "bench", "newsroom")
QUARANTINE = "reader.private_api"
# Underscore names Django documents (Model._meta, managers, instance state) and django-simple-history's
# documented way of naming who made a change.
DOCUMENTED_UNDERSCORE = {"_meta", "_default_manager", "_base_manager", "_state", "_history_user", "_replace"}
# Internal attributes of Django's querysets: flagged even where the code assigns them.
QUERYSET_INTERNALS = {"_iterable_class", "_prefetch_related_lookups", "_result_cache", "_fields", "_hints", "_db"}
# Django modules whose contents are internal, and the names in them that are documented.
INTERNAL_MODULES = {
    "django.db.models.sql": set(),
    "django.db.models.base": set(),
    "django.db.models.query": {"QuerySet", "Prefetch", "prefetch_related_objects"},
    # RawSQL is documented under this module's name (Query Expressions, "RawSQL expressions").
    "django.db.models.expressions": {*django.db.models.__all__, "RawSQL"},
    "django.db.backends.utils": set(),
    "django.db.backends.postgresql.psycopg_any": set(),
    "django.db.backends.sqlite3": set(),
    "django.utils.autoreload": set(),
}


def project_modules():
    """Return {module name: (path, is package)} for every module of the product and the benchmark."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            found[".".join(parts)] = (path, is_package)
    return found


def imported_names(name, path, is_package):
    """Yield (module, imported name or None) for every import statement in the module, at any depth."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            for alias in node.names:
                yield module, alias.name


def import_graph(modules):
    """Return {module: set of project modules it imports}, function-level imports included."""
    graph = {}
    for name, (path, is_package) in modules.items():
        edges = graph.setdefault(name, set())
        for module, imported in imported_names(name, path, is_package):
            if imported and f"{module}.{imported}" in modules:
                edges.add(f"{module}.{imported}")
            elif module in modules:
                edges.add(module)
    return graph


def cycles(graph):
    """Return the strongly connected groups of more than one module, and modules importing themselves (Tarjan)."""
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_cycle_finder_finds_a_cycle_through_three_modules_and_a_self_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions(tmp_path):
    (tmp_path / "pkg").mkdir()
    module = tmp_path / "pkg" / "one.py"
    module.write_text("def later():\n    from . import two\n    from .three import thing\n")
    modules = {"pkg.one": (module, False), "pkg.two": (None, False), "pkg.three": (None, False)}
    edges = set()
    for target, imported in imported_names("pkg.one", module, False):
        edges.add(f"{target}.{imported}" if f"{target}.{imported}" in modules else target)
    assert edges == {"pkg.two", "pkg.three"}


def test_no_module_imports_itself_back_through_others():
    found = cycles(import_graph(project_modules()))
    assert not found, f"Import cycles (function-level imports included): {found}"


def _foreign_private_attributes(modules):
    """Return (module, attribute) for underscore attributes the project neither defines nor Django documents."""
    trees = {name: ast.parse(path.read_text()) for name, (path, _) in modules.items()}
    own = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                own.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                own.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                own.add(node.attr)  # the project's own mark on an object (a view, an instance, a connection)
            elif isinstance(node, ast.arg):
                own.add(node.arg)
    found = []
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not node.attr.startswith("_") or node.attr.startswith("__"):
                continue
            if node.attr in QUERYSET_INTERNALS or (node.attr not in own and node.attr not in DOCUMENTED_UNDERSCORE):
                found.append((name, node.attr))
    return sorted(set(found))


def _internal_imports(modules):
    found = []
    for name, (path, is_package) in modules.items():
        for module, imported in imported_names(name, path, is_package):
            if not module or not module.startswith("django"):
                continue
            if imported and imported.startswith("_"):
                found.append((name, f"{module}.{imported}"))
            for internal, documented in INTERNAL_MODULES.items():
                if (module == internal or module.startswith(internal + ".")) and imported not in documented:
                    found.append((name, f"{module}.{imported}"))
    return sorted(set(found))


def test_djangos_private_internals_are_used_only_in_the_quarantined_module():
    modules = {name: where for name, where in project_modules().items() if name != QUARANTINE}
    assert not _internal_imports(modules), "Django internals outside reader/private_api.py"
    assert not _foreign_private_attributes(modules), "Private attributes of other code outside reader/private_api.py"


def test_the_private_name_checks_catch_what_the_removed_speed_code_used(tmp_path):
    module = tmp_path / "speed.py"
    module.write_text(
        "from django.db.models.base import ModelState\n"
        "from django.db.models.query import ModelIterable, QuerySet\n"
        "from django.db.backends.postgresql.psycopg_any import get_adapters_template\n"
        "def lookups(queryset):\n"
        "    return queryset._prefetch_related_lookups\n"
        "def listing(queryset):\n"
        "    queryset._iterable_class = list\n"
    )
    modules = {"speed": (module, False)}
    assert [found for _, found in _internal_imports(modules)] == [
        "django.db.backends.postgresql.psycopg_any.get_adapters_template",
        "django.db.models.base.ModelState",
        "django.db.models.query.ModelIterable",
    ]
    found = _foreign_private_attributes(modules)
    assert found == [("speed", "_iterable_class"), ("speed", "_prefetch_related_lookups")]


def test_the_quarantined_module_is_the_one_that_uses_them():
    path = ROOT / "reader" / "private_api.py"
    assert _internal_imports({QUARANTINE: (path, False)}), "reader/private_api.py no longer needs to exist"
