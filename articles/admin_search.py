"""The story list's search: the full-text index reader search uses, instead of LIKE over every story.

A LIKE search reads every story's headline, dek and address and joins every quote for the
analysts' names: seconds at 100,000 stories. The search document (articles/search_document.py)
already holds headline, dek, body and every quoted analyst's name and quote, indexed for reader
search: SQLite's FTS5 table article_search (migration 0006), PostgreSQL's stored search_vector
with its GIN index (migration 0009). The admin asks that index for the newest MATCH_LIMIT
matching stories (by id: the order they were added) and lists those, filtered and ordered as
the list is. A search that looks like a story's address also finds the story by its slug.
"""
import json
import re

from django.conf import settings
from django.db import OperationalError, connections
from django.db.models.expressions import RawSQL

from .search_document import CJK, CJK_CLASS

MAX_TERMS = 8
WORDISH = re.compile(r"\w")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SLUGGISH = re.compile(r"^[\w-]+$")


def match_limit():
    """Return how many of the newest matching stories a search lists (NEWSROOM_ADMIN_SEARCH_LIMIT)."""
    return getattr(settings, "NEWSROOM_ADMIN_SEARCH_LIMIT", 1000)


def terms(query):
    """Return the words of a search, at most MAX_TERMS, without quotes or control characters."""
    words = (word.strip('"') for word in CONTROL.sub(" ", query).split())
    return [word for word in words if WORDISH.search(word)][:MAX_TERMS]


def fts5_match(words):
    """Return an FTS5 expression requiring every word, each a quoted string (so no word is ever an operator)."""
    phrases = []
    for word in words:
        phrase = '"{}"'.format(word.replace('"', '""'))
        phrases.append(f"{phrase}*" if CJK.search(word) else phrase)  # 회담 also finds 회담을
    return " ".join(phrases)


def slug_in(query):
    """Return the story address a search may be (a slug, or a pasted /stories/<slug>/ address), or ""."""
    candidate = query.strip().rstrip("/").rsplit("/", 1)[-1]
    return candidate if SLUGGISH.match(candidate) and "-" in candidate else ""


def matching_ids(model, query, *, using="default"):
    """Return the ids of the newest stories the search index matches (newest first), or None without an index.

    None means: this database has no word index for this query (an SQLite without FTS5, or Hangul
    on PostgreSQL); the caller matches substrings instead.
    """
    connection = connections[using]
    words = terms(query)
    if not words:
        return []
    limit = match_limit()
    if connection.vendor == "sqlite":
        try:
            with connection.cursor() as cursor:
                # Only the index is read: the newest matches are the highest rowids of each word's list.
                cursor.execute(
                    "SELECT rowid FROM article_search WHERE article_search MATCH %s ORDER BY rowid DESC LIMIT %s",
                    [fts5_match(words), limit],
                )
                return [row[0] for row in cursor.fetchall()]
        except OperationalError:
            return None  # no FTS5 table in this database
    if connection.vendor == "postgresql" and not CJK.search(query):
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {table} WHERE search_vector @@ websearch_to_tsquery('english'::regconfig, %s) "  # noqa: S608
                "ORDER BY id DESC LIMIT %s",
                [" ".join(words), limit],
            )
            return [row[0] for row in cursor.fetchall()]
    return None


def id_list(ids, connection):
    """Return what `pk__in` takes for these ids: on SQLite and PostgreSQL one value holding them all.

    A list of 1,000 ids is prepared and bound one parameter at a time for each query that uses it
    (the list's count and its page): more time than both queries take to run.
    """
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return ids


def search_stories(queryset, query):
    """Return the stories of queryset a search finds (the newest match_limit() matches), or None without an index."""
    ids = matching_ids(queryset.model, query, using=queryset.db)
    if ids is None:
        return None
    found = queryset.filter(pk__in=id_list(ids, connections[queryset.db])) if ids else queryset.none()
    if slug := slug_in(query):
        found = found | queryset.filter(slug=slug)
    return found


def substring_search(queryset, query):
    """Match every word as a substring of the search document (Hangul on PostgreSQL, an SQLite without FTS5)."""
    words, stories = terms(query), queryset
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        # Lets PostgreSQL use the partial trigram index (migration 0007), whose predicate this is.
        queryset = queryset.filter(search_document__regex=CJK_CLASS)
    for word in words:
        queryset = queryset.filter(search_document__icontains=word)
    if slug := slug_in(query):
        queryset = queryset | stories.filter(slug=slug)
    return queryset
