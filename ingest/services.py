"""Import plain-text wire copy as draft stories; turn the suggestions an editor confirms into records.

Nothing here publishes: an import creates a draft story and a list of suggestions, and only
`suggestions_apply` (the editor's confirm on the review screen) creates commentary and citations.
"""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.html import format_html_join

from articles.models import Analyst, Article, Citation, Commentary, Organization, Source
from articles.roles import can_edit_article

from . import CopyError, copy_checksum, decode_copy, extract
from .decode import normalize_copy
from .match import best, match_analyst, match_organization, match_source
from .models import CopyImport

ACTIONS = ("confirm", "reject", "later")


class CopyBatchError(Exception):
    """One or more files of a batch cannot be imported; nothing was imported."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


@dataclass
class ReadCopy:
    filename: str
    text: str
    extraction: object
    checksum: str


@dataclass
class ImportResult:
    filename: str
    copy_import: object
    article: object
    extraction: object
    created: bool


def copy_read(*, data, filename):
    """Decode and extract one file (bytes) or pasted text (str); raise CopyError naming it if it is unusable."""
    if isinstance(data, str):
        data = data.encode("utf-8")  # pasted copy obeys the same size, binary and emptiness rules
    text = decode_copy(data, filename=filename)
    extraction = extract(text, filename=filename)
    return ReadCopy(filename=filename, text=normalize_copy(text), extraction=extraction, checksum=copy_checksum(text))


def copies_read(*, files):
    """Read every (filename, data) pair before anything is written; raise CopyBatchError listing each bad one."""
    read, errors = [], []
    for filename, data in files:
        try:
            read.append(copy_read(data=data, filename=filename))
        except CopyError as exc:
            errors.append(exc)
    if errors:
        raise CopyBatchError(errors)
    return read


def body_html(paragraphs):
    return format_html_join("\n", "<p>{}</p>", ((p,) for p in paragraphs))


def suggestions_from(extraction):
    """Return the suggestions stored on a CopyImport: one per attributed statement, all pending."""
    suggestions = []
    for number, statement in enumerate(extraction.statements, start=1):
        speaker = extraction.speaker(statement)
        suggestions.append({
            "id": number,
            "status": "pending",
            "result": None,
            "target": speaker.target,
            "speaker": speaker.name,
            "kind": speaker.kind,
            "role": speaker.role,
            "title": speaker.title,
            "affiliation": speaker.name if speaker.kind == "institution" else speaker.affiliation,
            "affiliation_kind": speaker.affiliation_kind,
            "country": speaker.country,
            "description": speaker.description,
            "source_name": speaker.source_name,
            "source_description": speaker.source_description,
            "source_kind": speaker.source_kind,
            "text": statement.text,
            "direct": statement.direct,
            "paragraph": statement.paragraph,
            "rule": statement.rule,
            "reference": statement.reference,
            "sentence": statement.sentence,
        })
    return suggestions


def copy_import(*, copy, user=None, dry_run=False):
    """Create the draft story and its suggestions for one read copy, or find the earlier import of it."""
    existing = CopyImport.objects.select_related("article").filter(checksum=copy.checksum).first()
    if existing and existing.article_id:
        return ImportResult(copy.filename, existing, existing.article, copy.extraction, created=False)
    if dry_run:
        return ImportResult(copy.filename, existing, None, copy.extraction, created=existing is None)
    ex = copy.extraction
    article = Article.objects.filter(copy_checksum=copy.checksum).first()
    if article is None:
        article = Article(
            headline=(ex.headline or copy.filename)[:200],
            dek=ex.dek[:400],
            dateline=ex.dateline[:100],
            credit=ex.outlet[:100],
            body=body_html(ex.paragraphs),
            status=Article.Status.DRAFT,
            kind=Article.Kind.NEWS,
            created_by=user,
            copy_checksum=copy.checksum,
        )
        article.save()
    if existing:  # the earlier draft was deleted: attach the new one to the same import
        existing.article = article
        existing.save(update_fields=["article"])
        return ImportResult(copy.filename, existing, article, ex, created=True)
    try:
        with transaction.atomic():
            record = CopyImport.objects.create(
                checksum=copy.checksum,
                filename=copy.filename[:255],
                text=copy.text,
                article=article,
                suggestions=suggestions_from(ex),
                created_by=user,
            )
    except IntegrityError:  # the same copy imported at the same moment by someone else
        record = CopyImport.objects.get(checksum=copy.checksum)
        return ImportResult(copy.filename, record, record.article, ex, created=False)
    return ImportResult(copy.filename, record, article, ex, created=True)


def copies_import(*, files, user=None, dry_run=False):
    """Import several files as drafts: all of them, or none when any is unusable (CopyBatchError)."""
    read = copies_read(files=files)
    with transaction.atomic():
        return [copy_import(copy=copy, user=user, dry_run=dry_run) for copy in read]


# --- Review ------------------------------------------------------------------------------------

def organization_for(name, *, kind="", country=""):
    """Return the organization called name (or nearly), creating it when there is none."""
    if not name:
        return None
    found = best(match_organization(name))
    if found:
        return Organization.objects.get(pk=found.pk)
    valid_kinds = {value for value, _ in Organization.Kind.choices}
    return Organization.objects.create(
        name=name[:200], kind=kind if kind in valid_kinds else Organization.Kind.OTHER, country=country[:100],
    )


def _next_order(queryset):
    return (queryset.aggregate(m=Max("sort_order"))["m"] or 0) + 1


def _confirm(article, suggestion, record_pk):
    if suggestion["target"] == "commentary":
        if record_pk:
            analyst = Analyst.objects.get(pk=record_pk)
        else:
            found = best(match_analyst(suggestion["speaker"]))
            if found:
                analyst = Analyst.objects.get(pk=found.pk)
            else:
                analyst = Analyst.objects.create(
                    name=suggestion["speaker"][:200],
                    title=suggestion["title"][:200],
                    organization=organization_for(
                        suggestion["affiliation"], kind=suggestion["affiliation_kind"], country=suggestion["country"],
                    ),
                )
        item = Commentary.objects.create(
            article=article,
            analyst=analyst,
            text=suggestion["text"],
            is_direct_quote=suggestion["direct"],
            title_as_printed=suggestion["title"][:200],
            affiliation_as_printed=suggestion["affiliation"][:200],
            sort_order=_next_order(article.commentary.all()),
        )
        return {"model": "commentary", "id": item.pk, "record": analyst.pk, "record_name": analyst.name}
    source_name = suggestion["source_name"] or suggestion["speaker"]
    if record_pk:
        source = Source.objects.get(pk=record_pk)
    else:
        found = best(match_source(source_name))
        if found:
            source = Source.objects.get(pk=found.pk)
        else:
            valid_kinds = {value for value, _ in Source.Kind.choices}
            kind = suggestion["source_kind"] if suggestion["source_kind"] in valid_kinds else Source.Kind.STATEMENT
            source = Source.objects.create(
                name=source_name[:255],
                kind=kind,
                organization=organization_for(
                    suggestion["affiliation"] if suggestion["affiliation"] != "state media" else "",
                    kind=suggestion["affiliation_kind"], country=suggestion["country"],
                ),
                description=_source_description(suggestion, source_name),
            )
    item = Citation.objects.create(
        article=article,
        source=source,
        use=Citation.Use.QUOTE if suggestion["direct"] else Citation.Use.SUMMARY,
        taken=suggestion["text"],
        sort_order=_next_order(article.citations.all()),
    )
    return {"model": "citation", "id": item.pk, "record": source.pk, "record_name": source.name}


def _source_description(suggestion, source_name):
    """Name the official behind a source of their own; a source that is their institution speaks for it."""
    if suggestion["kind"] != "person" or source_name.casefold() == suggestion["affiliation"].casefold():
        return ""
    return " ".join(filter(None, [suggestion["title"], suggestion["speaker"]]))


EDITABLE = ("target", "speaker", "title", "affiliation", "source_name", "text", "direct")


def suggestions_apply(*, copy_import, decisions, user=None):
    """Apply the editor's decisions: {suggestion id: {"action", "record", and edited fields}}.

    Confirming creates the commentary or citation (and the analyst, organization or source when
    the editor chose "new"); rejecting only marks the suggestion. A suggestion already confirmed is
    never applied twice. Return the number of (confirmed, rejected) suggestions.
    """
    confirmed = rejected = 0
    with transaction.atomic():
        record = CopyImport.objects.select_for_update().get(pk=copy_import.pk)
        article = record.article
        if user is not None and article is not None and not can_edit_article(user, article):
            raise PermissionDenied("This story is no longer a draft you can change; ask an editor to add these.")
        suggestions = record.suggestions
        for suggestion in suggestions:
            decision = decisions.get(suggestion["id"])
            if not decision or suggestion["status"] == "confirmed":
                continue
            for key in EDITABLE:
                if key in decision:
                    suggestion[key] = decision[key]
            action = decision.get("action", "later")
            if action == "confirm" and article is not None:
                suggestion["result"] = _confirm(article, suggestion, decision.get("record"))
                suggestion["status"] = "confirmed"
                confirmed += 1
            elif action == "reject":
                suggestion["status"] = "rejected"
                rejected += 1
            elif action == "later" and suggestion["status"] == "rejected":
                suggestion["status"] = "pending"
        record.suggestions = suggestions
        record.save(update_fields=["suggestions"])
    copy_import.suggestions = record.suggestions
    return confirmed, rejected


def suggestion_matches(suggestion):
    """Return the existing records a suggestion may be (best first) for its current target."""
    if suggestion["target"] == "commentary":
        return match_analyst(suggestion["speaker"])
    return match_source(suggestion["source_name"] or suggestion["speaker"])

