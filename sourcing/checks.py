"""Sourcing checks run while a story is edited: warnings for the reporter, never a block on saving.

Each check is a small function that takes a ``StoryParts`` (the body, the commentary and the
citations of one story, saved or still in the form) and returns a list of ``SourcingWarning``.
``@register`` adds a check to ``CHECKS``; ``run_checks`` runs them all. To add a check, write a
function in this module, decorate it, give it a test in tests/articles/test_checks_sourcing.py and
a line in the README's "Sourcing desk" section.

(Named ``checks_sourcing`` so it is never mistaken for Django's system checks framework.)
"""
import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import strip_tags

from articles.models import Byline, Citation, Commentary

from .report import source_is_state_media

WARNING = "warning"
INFO = "info"


@dataclass(frozen=True)
class SourcingWarning:
    """One thing a reporter or editor should look at before publishing."""

    check: str
    message: str
    level: str = WARNING
    fix: str = ""


@dataclass
class StoryParts:
    """What the checks read from a story: its body, commentary and citations (model instances, maybe unsaved),
    and who is credited (its desk credit and the accounts on its byline)."""

    body: str = ""
    commentary: list = field(default_factory=list)
    citations: list = field(default_factory=list)
    credit: str = ""
    byline_authors: list = field(default_factory=list)

    @classmethod
    def from_article(cls, article):
        """Load a saved story's parts in three queries."""
        return cls(
            body=article.body,
            commentary=list(
                Commentary.objects.filter(article=article).select_related("analyst__organization")
            ),
            citations=list(Citation.objects.filter(article=article).select_related("source__organization")),
            credit=article.credit,
            byline_authors=list(Byline.objects.filter(article=article).values_list("author_id", flat=True)),
        )

    @classmethod
    def from_forms(cls, form, formsets):
        """Read the parts from a bound article form and its inline formsets, before anything is saved."""
        data = getattr(form, "cleaned_data", None) or {}
        parts = cls(body=data.get("body", ""), credit=data.get("credit", ""))
        for formset in formsets:
            if formset.model is Byline:
                parts.byline_authors += [
                    inline.cleaned_data["author"].pk for inline in formset.forms
                    if getattr(inline, "cleaned_data", None) and inline.cleaned_data.get("author")
                    and not inline.cleaned_data.get("DELETE")
                ]
            if formset.model not in (Commentary, Citation):
                continue
            for inline in formset.forms:
                data = getattr(inline, "cleaned_data", None)
                if not data or data.get("DELETE"):
                    continue
                row = formset.model(**{k: v for k, v in data.items() if k not in {"DELETE", "id", "article"}})
                if formset.model is Commentary and not data.get("id") and row.analyst_id:
                    # Saving a new entry fills a blank affiliation from the analyst's record; so do we.
                    row.affiliation_as_printed = row.affiliation_as_printed or row.analyst.affiliation
                (parts.commentary if formset.model is Commentary else parts.citations).append(row)
        return parts


CHECKS = []


def register(check):
    """Add a check to the set ``run_checks`` runs."""
    CHECKS.append(check)
    return check


def run_checks(story, *, checks=None):
    """Return the warnings of every registered check for a story (an Article or a StoryParts)."""
    parts = story if isinstance(story, StoryParts) else StoryParts.from_article(story)
    return [warning for check in (checks or CHECKS) for warning in check(parts)]


def _quoted(commentary, n):
    return f"Quote {n} ({commentary.analyst.name})" if commentary.analyst_id else f"Quote {n}"


def _fold(text):
    """Casefold and collapse whitespace, for comparing names and affiliations."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


_QUOTE_MARKS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": " ", "\u201d": " ", "\u201e": " ", "\u201f": " ", "\u00ab": " ", "\u00bb": " ", '"': " ",
    "\u300c": " ", "\u300d": " ", "\u300e": " ", "\u300f": " ",
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u00a0": " ",
})
_EDGE_PUNCTUATION = " .,;:!?'-"


def normalize_quote(text):
    """Reduce text to what a quote check compares: no tags, entities, quotation marks or spacing differences."""
    text = html.unescape(strip_tags(text or ""))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MARKS)
    return re.sub(r"\s+", " ", text).strip().casefold()


@register
def quote_without_affiliation(story):
    """Warn about commentary that prints no affiliation for the analyst."""
    warnings = []
    for n, item in enumerate(story.commentary, start=1):
        if item.affiliation_as_printed.strip():
            continue
        current = item.analyst.affiliation if item.analyst_id else ""
        warnings.append(SourcingWarning(
            check="quote_without_affiliation",
            message=f"{_quoted(item, n)} prints no affiliation: readers cannot tell who the analyst speaks for.",
            fix=f"Print “{current}”, the analyst's current affiliation." if current else
            "Add the affiliation to the analyst's record, or write “independent analyst” if that is true.",
        ))
    return warnings


@register
def only_state_media(story):
    """Warn when every source the story cites is state media (a state-controlled organization's, by the core's rule)."""
    if story.citations and all(source_is_state_media(c.source) for c in story.citations):
        return [SourcingWarning(
            check="only_state_media",
            message="Every source cited is state media or another state-controlled organization. "
            "Readers get only the official version.",
            fix="Cite an independent source too (a wire, a document, an official on the other side), "
            "or say in the text that the claim could not be verified.",
        )]
    return []


@register
def no_credit(story):
    """Warn when nobody is credited: no byline and no desk credit."""
    if story.byline_authors or story.credit.strip():
        return []
    return [SourcingWarning(
        check="no_credit",
        message="Nobody is credited: the story has no byline and no desk credit, so readers and search engines "
        "see it credited to the publication.",
        fix="Add a byline, or type the desk's name in Desk credit.",
    )]


@register
def affiliation_changed(story):
    """Warn when a quoted analyst's current affiliation is not the one printed, and offer it."""
    warnings = []
    for n, item in enumerate(story.commentary, start=1):
        printed = _fold(item.affiliation_as_printed)
        current = item.analyst.affiliation if item.analyst_id else ""
        # "professor at Ewha Womans University" still names "Ewha Womans University".
        if printed and current and _fold(current) not in printed:
            warnings.append(SourcingWarning(
                check="affiliation_changed",
                message=f"{_quoted(item, n)} is printed as “{item.affiliation_as_printed}”, "
                f"but the analyst's record now says “{current}”.",
                fix=f"If the story is new or being updated, print “{current}”. Leave older stories as they ran.",
            ))
    return warnings


@register
def source_without_link(story):
    """Warn about citations with no link, neither on the citation nor on the source."""
    return [
        SourcingWarning(
            check="source_without_link",
            message=f"Source {n} ({citation.source.name}) has no link, so readers cannot check it.",
            fix="Paste the link to the statement, dispatch or document in the citation's Link box.",
        )
        for n, citation in enumerate(story.citations, start=1)
        if not (citation.url or citation.source.url)
    ]


@register
def direct_quote_not_in_body(story):
    """Warn about a direct quote whose words do not appear in the body text."""
    body = normalize_quote(story.body)
    warnings = []
    for n, item in enumerate(story.commentary, start=1):
        if not item.is_direct_quote:
            continue
        words = normalize_quote(item.text).strip(_EDGE_PUNCTUATION)
        if words and words not in body:
            warnings.append(SourcingWarning(
                check="direct_quote_not_in_body",
                message=f"{_quoted(item, n)} is marked as a direct quote, but its words are not in the body.",
                fix="Copy the quote exactly as the body prints it, or untick “direct quote” if it is a paraphrase.",
            ))
    return warnings
