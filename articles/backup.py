"""Content backups: every story and everything it refers to, as JSON keyed by slugs and usernames.

The file names rows by natural keys (slug, topic name, username), never by database id, so a
backup taken on SQLite restores on PostgreSQL and the other way round. Sections and rows come in a
fixed order, so two exports of the same content are byte-identical.

Importing validates the whole file before writing anything, then writes in one transaction.
A story in the file replaces the story with the same slug, together with its bylines, topics,
citations, commentary, corrections and old addresses; stories not in the file are left alone.
A file that is too large, nests too deep, gives a value of the wrong type (a date as a number, a
headline as a list) or names one row twice is refused with one line naming the record and field.
"""
import datetime
import decimal
import json
import re
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from .models import (
    Analyst,
    Article,
    Byline,
    Citation,
    Commentary,
    Correction,
    Organization,
    SlugRedirect,
    Source,
    TaggedArticle,
    Topic,
)
from .sanitize import clean_html

FORMAT = "newsroom-content"
VERSION = 1
USER_FIELDS = ["username", "first_name", "last_name", "email"]
# Limits on what a backup may hold. A backup nests three levels (file, section, record); a story's
# body is tens of kilobytes. import_content reads files up to MAX_FILE_MB (--max-mb raises it).
MAX_DEPTH = 8
MAX_TEXT_CHARS = 1_000_000
MAX_FILE_MB = 512


class BackupError(Exception):
    """A backup file that cannot be imported; the message names the record and the problem."""


# Copied from the story on every save (articles/visibility.py): not data, so not in a backup.
DERIVED_FIELDS = {"story_live_at"}


@dataclass(frozen=True)
class Section:
    name: str
    model: type
    key: tuple  # fields that identify a row (parents) or order it within its story (children)
    parent_field: str | None = None  # set on rows that belong to a story

    @property
    def fields(self):
        return [f for f in self.model._meta.concrete_fields if not f.primary_key and f.name not in DERIVED_FIELDS]

    @property
    def field_names(self):
        return [f.name for f in self.fields]


SECTIONS = [
    Section("organizations", Organization, ("slug",)),
    Section("analysts", Analyst, ("slug",)),
    Section("sources", Source, ("slug",)),
    Section("topics", Topic, ("name",)),
    Section("stories", Article, ("slug",)),
    Section("topic_links", TaggedArticle, ("content_object__slug", "tag__name"), "content_object"),
    Section("bylines", Byline, ("article__slug", "sort_order", "pk"), "article"),
    Section("citations", Citation, ("article__slug", "sort_order", "pk"), "article"),
    Section("commentary", Commentary, ("article__slug", "sort_order", "pk"), "article"),
    Section("corrections", Correction, ("article__slug", "published_at", "pk"), "article"),
    Section("old_addresses", SlugRedirect, ("old_slug",), "article"),
]


def reference_key(model):
    """Return the field that names a row of model when another row points at it."""
    if model is get_user_model():
        return model.USERNAME_FIELD
    return {Topic: "name"}.get(model, "slug")


class Encoder(json.JSONEncoder):
    """JSON for field values; unlike DjangoJSONEncoder it keeps microseconds, so nothing is lost."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


# Export


def export_record(obj, section):
    record = {}
    for field in section.fields:
        if field.is_relation:
            related = getattr(obj, field.name)
            record[field.name] = getattr(related, reference_key(field.related_model)) if related else None
        else:
            record[field.name] = field.value_from_object(obj)
    return record


def export_data():
    """Return every story and what it refers to, as a JSON-ready dict in a stable order."""
    User = get_user_model()
    data = {"format": FORMAT, "version": VERSION}
    for section in SECTIONS:
        rows = section.model._default_manager.order_by(*section.key)
        related = [f.name for f in section.fields if f.is_relation]
        data[section.name] = [export_record(obj, section) for obj in rows.select_related(*related)]
    usernames = set()
    for section in SECTIONS:
        for field in section.fields:
            if field.is_relation and field.related_model is User:
                usernames.update(r[field.name] for r in data[section.name] if r[field.name])
    users = User._default_manager.filter(**{f"{User.USERNAME_FIELD}__in": usernames}).order_by(User.USERNAME_FIELD)
    data["users"] = [{name: getattr(user, name) for name in USER_FIELDS} for user in users]
    return data


def dumps(data):
    return json.dumps(data, cls=Encoder, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# Import


def _short(value, limit=60):
    text = repr(value) if isinstance(value, str | int | float | bool) or value is None else json_type(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def describe(section, index, raw):
    """Name a record for an error message: its section, position and key."""
    key = ""
    if isinstance(raw, dict):
        key_fields = [k.split("__")[0] for k in section.key if k != "pk"] if section else ["username"]
        key = ", ".join(f"{k}={_short(raw.get(k))}" for k in dict.fromkeys(key_fields) if k in raw)
    name = section.name if section else "users"
    return f"{name} record {index + 1}" + (f" ({key})" if key else "")


def json_type(value):
    """Name a JSON value's type as the file's author wrote it."""
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}[type(value)]


def expected_json(field):
    """Return (types, description) of the JSON values a field takes, or None for any (JSON fields)."""
    if isinstance(field, models.JSONField):
        return None
    if isinstance(field, models.BooleanField):
        return (bool,), "true or false"
    if isinstance(field, models.IntegerField):
        return (int,), "a whole number"
    if isinstance(field, models.FloatField | models.DecimalField):
        return (int, float), "a number"
    if isinstance(field, models.DateTimeField):
        return (str,), "a date and time as text, e.g. \"2025-07-28T09:00:00+09:00\""
    if isinstance(field, models.DateField | models.TimeField):
        return (str,), "a date or time as text"
    return (str,), "text"


def check_value(where, field, value):
    """Refuse a value of the wrong JSON type, text that is too long or that no database stores."""
    if value is None:
        if not field.null:
            raise BackupError(f"{where}: {field.name} may not be null")
        return
    expected = expected_json(field)
    if expected is not None:
        types, description = expected
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            raise BackupError(f"{where}: {field.name} must be {description}, not {json_type(value)}")
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            raise BackupError(
                f"{where}: {field.name} is {len(value):,} characters long; a backup holds at most "
                f"{MAX_TEXT_CHARS:,} per field"
            )
        if "\x00" in value:
            # PostgreSQL cannot store them; refuse them on every database alike.
            raise BackupError(f"{where}: {field.name}: Null characters are not allowed")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BackupError(f"{where}: {field.name}: not valid text (a lone surrogate escape)") from exc


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text, limit=MAX_DEPTH):
    """Return how deep the JSON text nests, counting brackets outside strings; stop once past limit."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


def check_unique(section, records):
    """Refuse two records that name the same row (two stories with one slug): one would silently win."""
    model = section.model
    keys = [(f.name,) for f in section.fields if f.unique]
    keys += [tuple(c.fields) for c in model._meta.constraints
             if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None]
    keys += [tuple(fields) for fields in model._meta.unique_together]
    for fields in dict.fromkeys(keys):
        seen = {}
        for index, raw in enumerate(records):
            value = tuple(json.dumps(raw[name], sort_keys=True) for name in fields)
            if value in seen:
                names = " and ".join(fields)
                raise BackupError(
                    f"{describe(section, index, raw)}: the same {names} as {section.name} record {seen[value] + 1}; "
                    f"a backup holds each {model._meta.verbose_name} once"
                )
            seen[value] = index


def parse(text):
    """Check the file's structure and field values without touching the database; return the data."""
    if nesting_depth(text) > MAX_DEPTH:
        raise BackupError(f"the JSON nests more than {MAX_DEPTH} levels deep; a backup nests 3 (file, section, record)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BackupError(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except (ValueError, RecursionError) as exc:  # e.g. a number of more than 4,300 digits
        raise BackupError(f"not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f'not a Newsroom content backup (expected "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise BackupError(
            f"backup format version {data.get('version')!r} is not supported; this site reads version {VERSION}"
        )
    expected = {"format", "version", "users", *(s.name for s in SECTIONS)}
    if unknown := sorted(set(data) - expected):
        raise BackupError(f"unknown section(s): {', '.join(unknown)}")
    for name in expected - {"format", "version"}:
        if not isinstance(data.get(name), list):
            raise BackupError(f'section "{name}" is missing or is not a list')

    User = get_user_model()
    usernames = {}
    for index, raw in enumerate(data["users"]):
        where = describe(None, index, raw)
        if not isinstance(raw, dict) or set(raw) != set(USER_FIELDS) or not raw["username"]:
            raise BackupError(f"{where}: a user needs exactly {', '.join(USER_FIELDS)}")
        for name in USER_FIELDS:
            field = User._meta.get_field(name)
            check_value(where, field, raw[name])
            try:
                field.clean(raw[name], None)
            except ValidationError as exc:
                raise BackupError(f"{where}: {name}: {' '.join(exc.messages)}") from exc
        if raw["username"] in usernames:
            raise BackupError(f"{where}: the same username as users record {usernames[raw['username']] + 1}")
        usernames[raw["username"]] = index

    for section in SECTIONS:
        names = set(section.field_names)
        for index, raw in enumerate(data[section.name]):
            where = describe(section, index, raw)
            if not isinstance(raw, dict):
                raise BackupError(f"{where}: not an object")
            if missing := sorted(names - set(raw)):
                raise BackupError(f"{where}: missing field(s) {', '.join(missing)}")
            if unknown := sorted(set(raw) - names):
                raise BackupError(f"{where}: unknown field(s) {', '.join(unknown)}")
            for field in section.fields:
                if field.is_relation:
                    if raw[field.name] is not None and not isinstance(raw[field.name], str):
                        key = reference_key(field.related_model)
                        raise BackupError(f"{where}: {field.name} must name a row by its {key}")
                    check_value(where, field, raw[field.name])
                    continue
                check_value(where, field, raw[field.name])
                try:
                    value = field.to_python(raw[field.name])
                except ValidationError as exc:
                    raise BackupError(f"{where}: {field.name}: {' '.join(exc.messages)}") from exc
                if isinstance(value, datetime.datetime) and timezone.is_naive(value):
                    raise BackupError(f"{where}: {field.name}: a date and time needs a time zone offset")
        check_unique(section, data[section.name])
    return data


def check_references(data):
    """Make sure every reference names a row in the file or already in the database."""
    User = get_user_model()
    in_file = {User: {u["username"] for u in data["users"]}}
    for section in SECTIONS:
        if section.parent_field is None:
            in_file[section.model] = {r[reference_key(section.model)] for r in data[section.name]}
    for section in SECTIONS:
        for field in (f for f in section.fields if f.is_relation):
            model, key = field.related_model, reference_key(field.related_model)
            wanted = {r[field.name] for r in data[section.name] if r[field.name] is not None}
            unknown = wanted - in_file.get(model, set())
            if unknown:
                unknown -= set(model._default_manager.filter(**{f"{key}__in": unknown}).values_list(key, flat=True))
            if not unknown:
                continue
            for index, raw in enumerate(data[section.name]):
                if raw[field.name] in unknown:
                    where = describe(section, index, raw)
                    raise BackupError(
                        f"{where}: {field.name} refers to {model._meta.verbose_name} {raw[field.name]!r}, "
                        "which is neither in the file nor in the database"
                    )


def build(section, raw, refs):
    values = {}
    for field in section.fields:
        value = raw[field.name]
        if field.is_relation:
            values[field.attname] = refs[field.related_model][value] if value is not None else None
        else:
            values[field.attname] = field.to_python(value)
    obj = section.model(**values)
    if section.model is Article:
        obj.body = clean_html(obj.body)
    return obj


def import_data(data):
    """Write parsed, checked data; the caller wraps this in a transaction. Return counts per section."""
    User = get_user_model()
    refs = {User: {}}
    for raw in data["users"]:
        user = User._default_manager.filter(username=raw["username"]).first()
        if user is None:
            user = User(**raw)
            user.set_unusable_password()
            user.save()
        refs[User][user.username] = user.pk
    for model in (User, Organization, Analyst, Source, Topic, Article):
        key = reference_key(model)
        refs.setdefault(model, {}).update(model._default_manager.values_list(key, "pk"))

    # Clear the links of the stories being restored first, so signal handlers that react to the
    # deletions (the search text) run before the stories' own saved values are written.
    story_slugs = [r["slug"] for r in data["stories"]]
    for section in SECTIONS:
        if section.parent_field is not None:
            section.model._default_manager.filter(**{f"{section.parent_field}__slug__in": story_slugs}).delete()

    counts = {}
    for section in SECTIONS:
        relations = [f.name for f in section.fields if f.is_relation]
        for index, raw in enumerate(data[section.name]):
            obj = build(section, raw, refs)
            if section.parent_field is None:
                key = reference_key(section.model)
                obj.pk = refs[section.model].get(raw[key])
            try:
                # References were checked as a whole; uniqueness is the database's job.
                obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
                with transaction.atomic():
                    obj.save_base(raw=True)
            except ValidationError as exc:
                problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                raise BackupError(f"{describe(section, index, raw)}: {problems}") from exc
            except DatabaseError as exc:
                reason = " ".join(str(exc).split())  # one line: PostgreSQL's messages carry a DETAIL line
                raise BackupError(f"{describe(section, index, raw)}: the database refused it ({reason})") from exc
            if section.parent_field is None:
                refs[section.model][raw[reference_key(section.model)]] = obj.pk
        counts[section.name] = len(data[section.name])
    return counts


def restore(text):
    """Validate a backup, then import it in one transaction. Raise BackupError and change nothing on failure."""
    data = parse(text)
    with transaction.atomic():
        check_references(data)
        return import_data(data)
