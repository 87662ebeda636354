"""Hot querysets compiled to SQL once per connection, then run with each request's values.

Building a queryset and compiling it to SQL costs Django 0.2–0.8 ms of Python per query, whatever
the SQL; running that SQL costs a tenth of it. An uncached topic or analyst page runs a handful of
queries whose shape never changes (only the topic, the time and the page do), so half of its render
was the ORM writing the same SQL again. A Prepared query is built from the ordinary querysets
(published(), live(), among_links(): the one definition of what readers may see), compiled once
per database connection and shape with marker values in place of the request's, and then run
with the request's values put where the markers were. Rows come back as the ORM builds them: the
same converters, the same model instances (ModelIterable's steps, without its compile).

A marker that the compiled SQL does not carry exactly where a value goes is an error at the first
compile (ImproperlyConfigured), never a query run with a value missing: tests compile every one.

The SQL runs on the driver's own cursor, through the checks Django's cursor makes (a persistent
connection's health check once a request, the connection is open and this thread's, the
transaction is not broken, errors become django.db's) but not its
wrapper: on SQLite that wrapper rewrote the placeholders of every query with a regular expression
again (the analyst's lookup: 145 us through Django's cursor, 55 us on the driver's). Whenever
queries are logged or wrapped (DEBUG, assertNumQueries, django_assert_num_queries,
connection.execute_wrapper()), Django's cursor runs them, so every query is seen and counted.
"""
import datetime
import weakref

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.signals import post_init, pre_init
from django.utils.dateparse import parse_datetime

# Compiled shapes kept per query and connection (a LIMIT, an OFFSET, an IN list's length).
MAX_SHAPES = 256
# Columns PostgreSQL's binary row format gives back exactly as Django's text loaders do (Django loads
# json, jsonb, inet and cidr as text itself; those columns keep the text format).
_BINARY_SAFE = frozenset((
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField", "ForeignKey", "OneToOneField",
    "BooleanField", "CharField", "TextField", "SlugField", "URLField", "EmailField", "DateField", "DateTimeField",
))
# What each kind of value looks like as a marker: never a value real data has.
_MARKERS = {
    "int": lambda n: -7_310_000_000 - n,
    "str": lambda n: f"\x00newsroom-prepared-marker-{n}\x00",
    "datetime": lambda n: datetime.datetime(1971, 2, 3, 4, 5, 6, 100_000 + n, tzinfo=datetime.UTC),
}


def _aware(zone):
    """Return Django's SQLite datetime converter under USE_TZ (aware, in the connection's zone), no setting read."""

    def convert(value, expression, connection):
        if value is not None:
            if not isinstance(value, datetime.datetime):
                value = parse_datetime(value)
            if value.utcoffset() is None:  # naive, as timezone.is_aware() tells it
                value = value.replace(tzinfo=zone)
        return value

    return convert


def _adapt(connection, kind, value):
    """Return value as the compiled SQL's parameters carry it (as Django's lookups adapt it)."""
    if kind == "datetime":
        return connection.ops.adapt_datetimefield_value(value)
    return value


class _Compiled:
    """One compiled shape on one connection: SQL, where each value goes, and how rows are read."""

    def __init__(self, queryset, connection, markers):
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
        # The SQL as the driver takes it: SQLite's qmark style, written once by Django's own conversion,
        # run on the driver's cursor (Django's would convert it again); else the backend's own cursor.
        self.driver_sql, self.on_driver = self.sql, connection.vendor == "sqlite"
        if self.on_driver:
            from django.db.backends.sqlite3.base import SQLiteCursorWrapper

            self.driver_sql = SQLiteCursorWrapper.convert_query(None, self.sql)
        self.col_count = compiler.col_count
        fields = [column for column, _, _ in compiler.select[: compiler.col_count]]
        # PostgreSQL: rows in the binary format when every column reads the same in it. psycopg parses
        # those in C; Django's text loader for timestamps is Python (a tenth of a topic page's time).
        # JSON too on a backend whose binary jsonb loads as Django's text (newsroom/postgresql/base.py).
        safe = _BINARY_SAFE | ({"JSONField"} if getattr(connection, "binary_json", False) else set())
        self.binary = connection.vendor == "postgresql" and all(
            field.output_field.get_internal_type() in safe for field in fields
        )
        self.execute_options = {"binary": True} if self.binary else {}  # sqlite3's execute() takes none
        self.converters = self.aware_converters = compiler.get_converters(fields)
        if self.on_driver and connection.timezone is not None:
            # SQLite with USE_TZ: Django's datetime converter reads the setting again for every
            # value (a list page has twenty-odd); the same conversion, the setting read once a query.
            django_converter, aware = connection.ops.convert_datetimefield_value, _aware(connection.timezone)
            self.aware_converters = {
                position: ([aware if one == django_converter else one for one in functions], expression)
                for position, (functions, expression) in self.converters.items()
            }
        self.compiler = compiler  # its converters are applied through it
        self.models = issubclass(queryset._iterable_class, ModelIterable)
        if not self.models and not issubclass(queryset._iterable_class, ValuesListIterable):
            raise ImproperlyConfigured("Prepared runs model and values_list() querysets only.")
        if self.models:
            klass_info = compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            self.model, self.model_slice = klass_info["model"], slice(start, end)
            self.init_list = [column[0].target.attname for column in compiler.select[start:end]]
            # Built once: a populator keeps only where its columns are, nothing of a row.
            self.populators = get_related_populators(klass_info, compiler.select, connection.alias)
            self.annotations = list((compiler.annotation_col_map or {}).items())
            # A model that keeps Django's own from_db() can be built without Model.__init__ (below).
            self.plain = self.model.from_db.__func__ is Model.from_db.__func__

    def bind(self, connection, values):
        params = list(self.params)
        for position, name, kind, index in self.slots:
            value = values[name] if index is None else values[name][index]
            params[position] = _adapt(connection, kind, value)
        return params

    def fetch(self, connection, params):
        """Return the rows of the SQL with params, as the driver gives them."""
        if connection.queries_logged or connection.execute_wrappers:
            with connection.cursor() as cursor:
                cursor.execute(self.sql, params)
                return cursor.fetchall()
        # What connection.cursor() and CursorWrapper.execute() check, without their wrapper: the
        # persistent connection's health check (once a request) first, as Django's cursor does.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        connection.validate_thread_sharing()
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            cursor = connection.connection.cursor() if self.on_driver else connection.create_cursor()
            try:
                cursor.execute(self.driver_sql, params, **self.execute_options)
                return cursor.fetchall()
            finally:
                cursor.close()

    def run(self, connection, values):
        rows = self.fetch(connection, self.bind(connection, values))
        if rows and len(rows[0]) != self.col_count:
            rows = [row[: self.col_count] for row in rows]
        converters = self.aware_converters if settings.USE_TZ else self.converters
        if converters:
            rows = self.compiler.apply_converters(rows, converters)
        if not self.models:
            # Tuples: as the database driver gave them when there is nothing to convert.
            return [tuple(row) for row in rows] if self.converters else rows
        return list(self._instances(connection.alias, rows))

    def _instances(self, alias, rows):
        model, names, columns = self.model, self.init_list, self.model_slice
        # What from_db() makes of these columns: the loaded fields in __dict__ (the others
        # deferred), a saved row's state, without Model.__init__ (5.7 against 0.8 µs per listed
        # story). A model with init signals listened to, or a from_db() of its own, goes through them.
        direct = self.plain and not (pre_init.has_listeners(model) or post_init.has_listeners(model))
        for row in rows:
            if direct:
                obj = model.__new__(model)
                state = obj._state = ModelState()
                state.adding, state.db = False, alias
                obj.__dict__.update(zip(names, row[columns], strict=True))
            else:
                obj = model.from_db(alias, names, row[columns])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            yield obj


class Prepared:
    """A queryset of a fixed shape, built by build(**values), compiled once per connection and shape.

    `kinds` names each value build() takes: "int", "str", "datetime", or a list of one of those
    ("ints" for an IN list: one compile per length). `shape` values (a LIMIT, an OFFSET: Django
    writes those into the SQL itself) are passed to build() as they are and key the compile.
    """

    def __init__(self, build, **kinds):
        self.build, self.kinds = build, kinds
        # Values that are lists (an IN list), by name, with the kind of their items.
        self.lists = {name: kind[:-1] for name, kind in kinds.items() if kind not in _MARKERS}
        if unknown := sorted(kinds[name] for name, item in self.lists.items()
                             if item not in _MARKERS or not kinds[name].endswith("s")):
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
            compiled = _Compiled(queryset, connection, markers)
            if len(per_connection) < MAX_SHAPES:  # shapes are few (page sizes); never grow without end
                per_connection[key] = compiled
        return compiled

    def __call__(self, *, using=DEFAULT_DB_ALIAS, shape=None, **values):
        """Return the rows (model instances, or tuples for values_list()) for these values."""
        if set(values) != set(self.kinds):
            raise TypeError(f"Prepared query takes {sorted(self.kinds)}, got {sorted(values)}.")
        if any(not values[name] for name in self.lists):
            return []  # an empty IN list matches nothing; Django would not run it either
        connection = connections[using]
        return self._get(connection, values, shape or {}).run(connection, values)
