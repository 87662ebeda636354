"""The one module that uses Django's private internals, each listed here and checked by a test.

Every name below is outside Django's documented API and may change in any release; the test
(tests/reader/test_private_api.py) fails naming the Django version when one does, so an upgrade
finds out at once, here and nowhere else.

- django.db.models.expressions.Col and Query.get_initial_alias(): StoredSearchVector names the
  stories' stored search vector, a PostgreSQL generated column the model does not declare (SQLite
  has no such column and no other query may load it), under whatever alias the query gives the
  stories' table (U0 inside a subquery). Searching the stored vector instead of computing it from
  headline, dek and text took a common word's search on PostgreSQL from 1,367 ms to 55 ms at
  100,000 stories (docs/performance.md, "Search").
- Field.set_attributes_from_name(): gives that unattached field its column name.
- QuerySet.query, Query.get_compiler(), SQLCompiler.as_sql(), .col_count, .select, .klass_info,
  .annotation_col_map, .get_converters(), .apply_converters(): Prepared compiles the queryset of an
  uncached topic or analyst page once per connection and shape, then runs that SQL with each
  request's values through Django's own cursor and builds rows with Model.from_db() (documented).
  Building and compiling the querysets was most of such a page's work: see docs/performance.md,
  "Prepared queries", for the page with and without it, measured in one `make bench` run
  (NEWSROOM_PREPARED_QUERIES=off runs the plain querysets, as the tests also do).
"""
import datetime
import weakref

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Expression
from django.db.models.expressions import Col

# A PostgreSQL generated column (migration 0009), not a model field: SQLite has no such column,
# and no other query should load it.
STORED_VECTOR = SearchVectorField()
STORED_VECTOR.set_attributes_from_name("search_vector")


class StoredSearchVector(Expression):
    """A story's stored search vector: headline (A), dek (B), search document (C), English."""

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        # A column of the query's own table, under whatever alias that table has (U0 in a subquery).
        return Col(query.get_initial_alias(), STORED_VECTOR)


# Prepared queries ------------------------------------------------------------------------------

# Compiled shapes kept per query and connection (a LIMIT, an OFFSET, an IN list's length).
MAX_SHAPES = 256
# What each kind of value looks like as a marker: never a value real data has.
_MARKERS = {
    "int": lambda n: -7_310_000_000 - n,
    "str": lambda n: f"\x00newsroom-prepared-marker-{n}\x00",
    "datetime": lambda n: datetime.datetime(1971, 2, 3, 4, 5, 6, 100_000 + n, tzinfo=datetime.UTC),
}


def prepared_queries_enabled():
    """Return whether the reader's page queries run prepared (NEWSROOM_PREPARED_QUERIES, on by default)."""
    return getattr(settings, "NEWSROOM_PREPARED_QUERIES", True)


def _adapt(connection, kind, value):
    """Return value as the compiled SQL's parameters carry it (as Django's lookups adapt it)."""
    if kind == "datetime":
        return connection.ops.adapt_datetimefield_value(value)
    return value


class _Compiled:
    """One compiled shape on one connection: its SQL, where each value goes, and how rows are read."""

    def __init__(self, queryset, connection, markers, rows):
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = []  # (position in params, value name, kind, index in a list value or None)
        adapted = {}
        for name, (kind, marker) in markers.items():
            for index, one in enumerate(marker) if isinstance(marker, list) else [(None, marker)]:
                adapted[_adapt(connection, kind, one)] = (name, kind, index)
        found = set()
        for position, value in enumerate(self.params):
            slot = adapted.get(value) if isinstance(value, int | str | datetime.datetime) else None
            if slot is not None:
                self.slots.append((position, *slot))
                found.add(slot)
        if missing := set(adapted.values()) - found:
            raise ImproperlyConfigured(f"The compiled query does not carry the values {sorted(missing)!r}.")
        self.col_count = compiler.col_count
        self.compiler = compiler  # its converters are applied through it
        self.converters = compiler.get_converters([column for column, _, _ in compiler.select[: self.col_count]])
        self.models = rows == "models"
        if self.models:
            info = compiler.klass_info
            if info.get("related_klass_infos"):
                raise ImproperlyConfigured("Prepared queries build no related objects (select_related).")
            start, end = info["select_fields"][0], info["select_fields"][-1] + 1
            self.model, self.model_slice = info["model"], slice(start, end)
            self.field_names = [column[0].target.attname for column in compiler.select[start:end]]
            self.annotations = list((compiler.annotation_col_map or {}).items())

    def run(self, connection, values):
        params = list(self.params)
        for position, name, kind, index in self.slots:
            params[position] = _adapt(connection, kind, values[name] if index is None else values[name][index])
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if rows and len(rows[0]) != self.col_count:
            rows = [row[: self.col_count] for row in rows]
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        if not self.models:
            return [tuple(row) for row in rows]
        built = []
        for row in rows:
            obj = self.model.from_db(connection.alias, self.field_names, row[self.model_slice])
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            built.append(obj)
        return built


class Prepared:
    """A queryset of a fixed shape, built by build(**values), compiled once per connection and shape.

    `kinds` names each value build() takes: "int", "str", "datetime", or a list of one of those
    ("ints" for an IN list: one compile per length). `shape` values (a LIMIT, an OFFSET: Django
    writes those into the SQL itself) are passed to build() as they are and key the compile.
    `rows` is "models" (instances, as the queryset gives them) or "tuples" (a values_list()).
    With NEWSROOM_PREPARED_QUERIES off, the queryset is built and run as usual.
    """

    def __init__(self, build, *, rows="models", **kinds):
        self.build, self.rows, self.kinds = build, rows, kinds
        self.lists = {name: kind[:-1] for name, kind in kinds.items() if kind not in _MARKERS}
        if unknown := sorted(kinds[name] for name, item in self.lists.items() if item not in _MARKERS):
            raise ImproperlyConfigured(f"Prepared query values of unknown kinds: {unknown}.")
        self._compiled = weakref.WeakKeyDictionary()  # connection -> {shape: _Compiled}

    def _markers(self, values):
        markers, n = {}, 0
        for name, kind in self.kinds.items():
            if name in self.lists:
                marker = [_MARKERS[self.lists[name]](n + i) for i in range(len(values[name]))]
                markers[name], n = (self.lists[name], marker), n + len(marker)
            else:
                markers[name], n = (kind, _MARKERS[kind](n)), n + 1
        return markers

    def _get(self, connection, values, shape):
        key = (*shape.items(), *(len(values[name]) for name in self.lists))
        per_connection = self._compiled.setdefault(connection, {})
        compiled = per_connection.get(key)
        if compiled is None:
            markers = self._markers(values)
            queryset = self.build(**{name: marker for name, (_, marker) in markers.items()}, **shape)
            compiled = _Compiled(queryset, connection, markers, self.rows)
            if len(per_connection) < MAX_SHAPES:  # shapes are few (page sizes); never grow without end
                per_connection[key] = compiled
        return compiled

    def __call__(self, *, using=DEFAULT_DB_ALIAS, shape=None, **values):
        """Return the rows (model instances, or tuples) for these values."""
        if set(values) != set(self.kinds):
            raise TypeError(f"Prepared query takes {sorted(self.kinds)}, got {sorted(values)}.")
        if any(not values[name] for name in self.lists):
            return []  # an empty IN list matches nothing; Django would not run it either
        if not prepared_queries_enabled():
            return list(self.build(**values, **(shape or {})).using(using))
        connection = connections[using]
        return self._get(connection, values, shape or {}).run(connection, values)
