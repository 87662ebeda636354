"""Reader search: how stories are searched on each database (the text they are found by: articles/search_document.py).

PostgreSQL: full-text search (websearch syntax, English stemming) over a weighted vector of
headline, dek and the search document, stored in a generated column the database keeps in step
(GIN index, migration 0009). The newest SEARCH_CANDIDATES matches are ranked with ts_rank over
headline and dek (then newest first) and highlighted with ts_headline. Queries containing Hangul
or other CJK text, which the English parser cannot split into words, use substring matching
instead (a partial pg_trgm index serves it, migration 0007).
SQLite: an FTS5 index (migration 0006: unicode61 words with Porter stemming, kept in step by
triggers) finds stories containing every word, ranked by bm25 with the headline weighted above the
rest; a Hangul or other CJK word also matches words it begins (회담 finds 회담을). Every word is
passed to FTS5 as a quoted string, so query syntax (NEAR, OR, *, -, quotes) is only ever text. An
SQLite without FTS5 falls back to substring matching of every word, headline hits first.

Highlights are marked with two control characters and turned into <mark> elements only after
the surrounding text has been escaped, so a story's own text can never inject markup.
"""
import functools
import operator
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, Func, IntegerField, Q, Value, When
from django.db.models.functions import Length, Substr
from django.utils.html import format_html, format_html_join

from articles.search_document import CJK, CJK_CLASS, CONTROL_CHARS

from .private_api import StoredSearchVector

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# bm25 weight of the headline column against the search document (which repeats the headline).
FTS_HEADLINE_WEIGHT = 10.0
FTS_TABLE = "article_search"
# Ranking looks at the newest this-many matches of a query: the search page never shows more
# (50 pages of 20), and scoring all 30,000 stories that mention a common word took a second.
SEARCH_CANDIDATES = 1_000
SEARCH_CONFIG = "english"
HIT_START, HIT_STOP = "\x02", "\x03"
WORDISH = re.compile(r"\w")
HIT = re.compile(f"{HIT_START}(.*?){HIT_STOP}", re.DOTALL)


# Searching ---------------------------------------------------------------------------------


def uses_full_text(query):
    """Say whether this query goes to PostgreSQL full-text search (else substring matching)."""
    return connection.vendor == "postgresql" and not CJK.search(query)


def uses_fts5():
    """Say whether this SQLite database has the FTS5 index of migration 0006 (checked once per database)."""
    if connection.vendor != "sqlite":
        return False
    name = connection.settings_dict["NAME"]
    known = getattr(connection, "_article_search_fts5", None)
    if known is None or known[0] != name:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
            known = (name, cursor.fetchone() is not None)
        connection._article_search_fts5 = known
    return known[1]


def fts5_query(query):
    """Return an FTS5 MATCH expression requiring every word of query, or "" when it has no words.

    Each word becomes a quoted FTS5 string (inner quotes doubled), so operators typed by a reader
    are searched as text, never parsed; a CJK word is a prefix search.
    """
    phrases = []
    for term in query_terms(CONTROL_CHARS.sub(" ", query)):
        if not WORDISH.search(term):
            continue
        phrase = '"{}"'.format(term.replace('"', '""'))
        phrases.append(f"{phrase}*" if CJK.search(term) else phrase)
    return " ".join(phrases)


def headline_dek_vector():
    """The part of the stored vector that ranks PostgreSQL results: its headline (A) and dek (B) words.

    Filtering by weight gives exactly the vector of headline and dek, without parsing them again.
    """
    return Func(StoredSearchVector(), template="ts_filter(%(expressions)s, '{a,b}')", output_field=SearchVectorField())


def after_headline():
    """The search document without its leading headline, which results already show."""
    return Substr("search_document", Length("headline") + 2)


def query_terms(query):
    """Split a query into at most MAX_TERMS words for substring matching."""
    return [term.strip('"') for term in query.split() if term.strip('"')][:MAX_TERMS]


def search_articles(queryset, query):
    """Return the stories of queryset matching query, best first, annotated for highlighting."""
    if uses_full_text(query):
        tsquery = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        highlight = {"config": SEARCH_CONFIG, "start_sel": HIT_START, "stop_sel": HIT_STOP}
        # The stored vector and its GIN index find the matches; no story's text is parsed for that.
        # Only the newest SEARCH_CANDIDATES of them are ranked: ranking all 26,000 stories that
        # mention a common word, for the page count and again for the page, took 0.5-1.4 s.
        newest = (
            queryset.alias(search=StoredSearchVector())
            .filter(search=tsquery)
            .order_by("-published_at", "-pk")
            .values("pk")[:SEARCH_CANDIDATES]
        )
        return (
            queryset.filter(pk__in=newest)
            .annotate(
                # Headline and dek words rank, then newest first; the rest of the text only matches.
                rank=SearchRank(headline_dek_vector(), tsquery),
                headline_hits=SearchHeadline("headline", tsquery, highlight_all=True, **highlight),
                snippet_hits=SearchHeadline(
                    after_headline(), tsquery, max_words=45, min_words=25, max_fragments=2,
                    fragment_delimiter=" … ", **highlight,
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    if uses_fts5():
        match = fts5_query(query)
        if not match:
            return queryset.none()
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        # extra(): the only way to join the FTS5 table and call bm25() on it. The SQL is constant;
        # the reader's words go in as parameters. The unary + keeps SQLite from looking stories up
        # in the FTS index one by one (5 ms each); the rowid bound keeps only the newest
        # SEARCH_CANDIDATES matches, so bm25 is computed for at most that many stories.
        newest = (
            f"SELECT min(rowid) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
            "ORDER BY rowid DESC LIMIT %s)"
        )
        return queryset.extra(  # noqa: S610
            select={"rank": f"bm25({FTS_TABLE}, %s, 1.0)"},
            select_params=[FTS_HEADLINE_WEIGHT],
            tables=[FTS_TABLE],
            where=[f"+{FTS_TABLE}.rowid = {table}.id", f"{FTS_TABLE} MATCH %s", f"{FTS_TABLE}.rowid >= ({newest})"],
            params=[match, match, SEARCH_CANDIDATES],
        ).order_by("rank", "-published_at", "-pk")
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        # Only CJK queries reach here on PostgreSQL; this lets it use the partial trigram index.
        queryset = queryset.filter(search_document__regex=CJK_CLASS)
    for term in terms:
        queryset = queryset.filter(search_document__icontains=term)
    in_headline = functools.reduce(operator.or_, (Q(headline__icontains=term) for term in terms))
    return queryset.annotate(
        rank=Case(When(in_headline, then=Value(1)), default=Value(0), output_field=IntegerField()),
    ).order_by("-rank", "-published_at", "-pk")


def mark_terms(text, terms):
    """Wrap each occurrence of the terms in text with the hit markers."""
    if not terms:
        return text
    pattern = re.compile(
        "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE,
    )
    return pattern.sub(lambda m: f"{HIT_START}{m.group(0)}{HIT_STOP}", text)


def excerpt(text, terms, *, width=280):
    """Return about width characters of text around the first hit, with hits marked."""
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE) if terms else None
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > width // 3:
        start = text.rfind(" ", 0, match.start() - width // 3) + 1
    end = len(text) if start + width >= len(text) else text.rfind(" ", start, start + width)
    if end <= start:
        end = start + width
    window = text[start:end]
    return ("… " if start else "") + mark_terms(window, terms) + (" …" if end < len(text) else "")


def render_hits(marked):
    """Return marked text as safe HTML: everything escaped, hits inside <mark>."""
    pieces, last = [], 0
    for match in HIT.finditer(marked):
        pieces.append(marked[last : match.start()])
        pieces.append(format_html("<mark>{}</mark>", match.group(1)))
        last = match.end()
    pieces.append(marked[last:].replace(HIT_START, "").replace(HIT_STOP, ""))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def attach_highlights(articles, query):
    """Give each found story `headline_html` and `snippet_html` with the matches marked."""
    full_text = uses_full_text(query)
    terms = query_terms(query)
    for article in articles:
        if full_text:
            headline = article.headline_hits
            snippet = article.snippet_hits
        else:
            headline = mark_terms(article.headline, terms)
            text = article.search_document
            snippet = excerpt(text[len(article.headline) + 1 :] if text.startswith(article.headline) else text, terms)
        article.headline_html = render_hits(headline)
        article.snippet_html = render_hits(snippet)
    return articles
