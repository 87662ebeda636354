"""Content backups: every story and everything it refers to, as JSON keyed by slugs and usernames.

The file names rows by natural keys (slug, topic name, username), never by database id, so a
backup taken on SQLite restores on PostgreSQL and the other way round. Sections and rows come in a
fixed order, so two exports of the same content are byte-identical.

Importing validates the whole file before writing anything, then writes in one transaction.
A story in the file replaces the story with the same slug, together with its bylines, topics,
citations, commentary, corrections and old addresses; stories not in the file are left alone.
"""
import datetime
import decimal
import json
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
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


def describe(section, index, raw):
    """Name a record for an error message: its section, position and key."""
    key = ""
    if isinstance(raw, dict):
        key_fields = [k.split("__")[0] for k in section.key if k != "pk"] if section else ["username"]
        key = ", ".join(f"{k}={raw.get(k)!r}" for k in dict.fromkeys(key_fields) if k in raw)
    name = section.name if section else "users"
    return f"{name} record {index + 1}" + (f" ({key})" if key else "")


def parse(text):
    """Check the file's structure and field values without touching the database; return the data."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BackupError(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
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

    for index, raw in enumerate(data["users"]):
        if not isinstance(raw, dict) or set(raw) != set(USER_FIELDS) or not raw["username"]:
            raise BackupError(f"{describe(None, index, raw)}: a user needs exactly {', '.join(USER_FIELDS)}")

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
                    continue
                if isinstance(raw[field.name], str) and "\x00" in raw[field.name]:
                    # PostgreSQL cannot store them; refuse them on every database alike.
                    raise BackupError(f"{where}: {field.name}: Null characters are not allowed")
                try:
                    value = field.to_python(raw[field.name])
                except ValidationError as exc:
                    raise BackupError(f"{where}: {field.name}: {' '.join(exc.messages)}") from exc
                if isinstance(value, datetime.datetime) and timezone.is_naive(value):
                    raise BackupError(f"{where}: {field.name}: a date and time needs a time zone offset")
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
                raise BackupError(f"{describe(section, index, raw)}: the database refused it ({exc})") from exc
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
