"""Keyset pagination for story lists: "Older stories" / "Newer stories" at any depth, no OFFSET.

A cursor is the last (or first) story's publication time in microseconds and its id,
`?before=1700000000000000-42`. Each page is one indexed range query whatever its depth. Page-number
URLs (`?page=N`, up to MAX_PAGES) keep working: the boundary is found with a narrow id-only query,
then the page is fetched like a cursor page.
"""
import datetime
import functools
import re

from django.db.models import Q
from django.http import Http404
from django.utils.http import urlencode

from pagecache.fragments import Listing

from .formats import absolute_url
from .queries import attach_teaser_parts

PAGE_SIZE = 20
MAX_PAGES = 50
CURSOR = re.compile(r"^(\d{1,20})-(\d{1,20})$")


def encode(article):
    stamp = article.published_at
    micros = int(stamp.timestamp()) * 1_000_000 + stamp.microsecond
    return f"{micros}-{article.pk}"


def decode(value):
    match = CURSOR.match(value or "")
    if not match:
        raise Http404("Not a page of this list.")
    micros, pk = int(match[1]), int(match[2])
    try:
        stamp = datetime.datetime.fromtimestamp(micros // 1_000_000, tz=datetime.UTC).replace(
            microsecond=micros % 1_000_000
        )
    except (OverflowError, OSError, ValueError) as error:
        raise Http404("Not a page of this list.") from error
    return stamp, pk


class Stories:
    """A list of stories paginated by their own (published_at, id) index."""

    time, key = "published_at", "pk"

    def __init__(self, stories, *, prepared=None):
        self.rows = stories
        # prepared(start, n): the first page through a prepared query (reader/queries.py).
        self.prepared = prepared

    def newest(self):
        return self.rows.order_by(f"-{self.time}", f"-{self.key}")

    def oldest(self):
        return self.rows.order_by(self.time, self.key)

    def fetch(self, rows, n, *, newest):
        """Return the stories of the ordered rows, at most n."""
        return list(rows[:n])

    def fetch_page(self, start, n):
        """Return at most n of the newest-first rows after the first start (page-number pages)."""
        if start == 0 and self.prepared is not None:
            return self.prepared(start, n)
        if start:
            return self.fetch_after(self.newest(), start, n)
        return self.fetch(self.newest(), n, newest=True)

    def fetch_after(self, rows, start, n):
        """Return at most n of the newest-first rows after the first start (none if there are not start rows)."""
        # Only (time, id) of the boundary row: an index walk, no story rows built.
        boundary = list(rows.values_list(self.time, self.key)[start - 1 : start])
        if not boundary:
            return []
        return self.fetch(rows.filter(older_than(self, *boundary[0])), n, newest=True)


class LinkedStories(Stories):
    """The stories a topic, an analyst or a source links to, paginated through the links' own index.

    `links` are live TaggedArticle, Commentary or Citation rows, ordered by their copy of the story's
    live-from time (articles/visibility.py); `stories` (published ones) are fetched by id for each
    page, so the published rule still decides what is shown. An analyst quoted twice in one story
    has two rows for it (see ArticleQuerySet.among_links).
    """

    time = "story_live_at"

    def __init__(self, links, story_field, stories, *, one_per_story=False, prepared=None):
        # links may be a function returning them: built only for pages `prepared` does not serve.
        self._links, self.story_field, self.key, self.stories = links, story_field, f"{story_field}_id", stories
        self.one_per_story = one_per_story
        # prepared(start, n): the same page through prepared queries (reader/queries.py);
        # for the first page, and for any page-number page when a story has one link row.
        self.prepared = prepared

    @functools.cached_property
    def rows(self):
        return self._links() if callable(self._links) else self._links

    def fetch_page(self, start, n):
        if self.prepared is not None and (start == 0 or self.one_per_story):
            return self.prepared(start, n)
        return super().fetch_page(start, n)

    def fetch(self, rows, n, *, newest):
        stories = self.stories.among_links(rows, self.story_field, n, newest=newest, one_per_story=self.one_per_story)
        return list(stories)

    def fetch_after(self, rows, start, n):
        if self.one_per_story:
            # The links' index skips the first start rows inside the stories query: no boundary query.
            return list(self.stories.among_links(rows, self.story_field, n, offset=start, one_per_story=True))
        # Two quotes (or citations) of one story are two rows: counting rows would drift from the
        # cursor pages. The start-th distinct (time, story) pair is the boundary, in index order.
        boundary = list(rows.values_list(self.time, self.key).distinct()[start - 1 : start])
        if not boundary:
            return []
        return self.fetch(rows.filter(older_than(self, *boundary[0])), n, newest=True)


def older_than(source, stamp, pk):
    return Q(**{f"{source.time}__lt": stamp}) | Q(**{source.time: stamp, f"{source.key}__lt": pk})


def newer_than(source, stamp, pk):
    return Q(**{f"{source.time}__gt": stamp}) | Q(**{source.time: stamp, f"{source.key}__gt": pk})


class KeysetPage:
    """One page of stories, newest first, with cursors to its neighbours."""

    def __init__(self, items, *, number, has_newer, has_older, older, newer, start):
        self.object_list = items
        self.number = number
        self.has_newer, self.has_older = has_newer, has_older
        self.older_cursor, self.newer_cursor = older, newer
        self._start = start

    def has_previous(self):
        return self.has_newer

    def has_next(self):
        return self.has_older

    def start_index(self):
        return self._start + 1 if self.object_list else 0

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def paginate(source, params, *, page_size=PAGE_SIZE, max_pages=MAX_PAGES):
    """Return the KeysetPage that params (a QueryDict) asks for from source (Stories or LinkedStories)."""
    if not isinstance(source, Stories):
        source = Stories(source)
    before, after, page = params.get("before"), params.get("after"), params.get("page")
    number, start = None, None
    if before:
        items = source.fetch(source.newest().filter(older_than(source, *decode(before))), page_size + 1, newest=True)
        has_older, has_newer = len(items) > page_size, True
        items = items[:page_size]
    elif after:
        items = source.fetch(source.oldest().filter(newer_than(source, *decode(after))), page_size + 1, newest=False)
        has_newer, has_older = len(items) > page_size, True
        items = list(reversed(items[:page_size]))
    elif page == "last":
        # The oldest stories: the same index walked from the other end.
        items = source.fetch(source.oldest(), page_size + 1, newest=False)
        has_newer, has_older = len(items) > page_size, False
        items = list(reversed(items[:page_size]))
    else:
        number = 1
        if page not in (None, "", "1"):
            if not (page.isascii() and page.isdigit()) or not 1 <= int(page) <= max_pages:
                raise Http404("No such page.")
            number = int(page)
        start = (number - 1) * page_size
        items = source.fetch_page(start, page_size + 1)
        has_older, has_newer = len(items) > page_size, number > 1
        items = items[:page_size]
        if number > 1 and not items:
            raise Http404("No such page.")
    if (before or after) and not items:
        # Nothing past the cursor (every story there unpublished since, or a made-up cursor): a
        # page with no stories and no way on is not a page. Building its links failed (a 500).
        raise Http404("No such page.")
    return KeysetPage(
        items, number=number, has_newer=has_newer and bool(items), has_older=has_older,
        older=encode(items[-1]) if items and has_older else None,
        newer=encode(items[0]) if items and has_newer else None,
        start=start or 0,
    )


class KeysetPaginationMixin:
    """For a ListView of stories: paginate with cursors; the template gets `page_obj` and `pager`."""

    paginate_by = None
    page_size = PAGE_SIZE
    max_pages = MAX_PAGES

    def get_template_names(self):
        # ListView's default also reads object_list.model, which would build a lazy listing
        # (views.published_listing) that page-number pages never query.
        return [self.template_name]

    def get_keyset(self):
        """Return what to paginate: the view's stories, or LinkedStories walked through an index of links."""
        return self.object_list

    def get_context_data(self, **kwargs):
        page = paginate(self.get_keyset(), self.request.GET, page_size=self.page_size, max_pages=self.max_pages)
        kwargs.update(page_obj=page, pager=self.pager_links(page), is_paginated=page.has_newer or page.has_older)
        stories = page.object_list
        if not isinstance(stories, Listing):
            stories = page.object_list = self.teaser_listing(list(stories))
        return super().get_context_data(object_list=stories, **kwargs)

    def teaser_listing(self, stories):
        """Return the page's stories ready for their teasers.

        A Listing loads its stories' topics and pictures only for the teasers it must render; a
        plain page of stories gets them here, in one query each for the page.
        """
        return attach_teaser_parts(stories)

    def pager_links(self, page):
        def link(**params):
            return f"{self.request.path}?{urlencode(params)}" if params else self.request.path

        return {
            "older": link(before=page.older_cursor) if page.has_older else None,
            "newer": link(after=page.newer_cursor) if page.has_newer else None,
            "first": self.request.path if page.has_newer else None,
        }

    def _by_page_number(self):
        """Whether this is a page-number page past the first (`?page=2`, `?page=last`)."""
        params = self.request.GET
        return not (params.get("before") or params.get("after")) and params.get("page") not in (None, "", "1")

    def get_canonical_url(self):
        """Return the one address of this page: its cursor's, or none for a page-number page.

        Page 2 answers at `?page=2` and at the cursor address the pages link to (`?before=...`). The
        cursor address is the canonical one: it always shows the same stories (those older than the
        cursor), while `?page=N` shifts by one story each time one is published. A page-number page
        past the first names no canonical and asks not to be indexed (get_noindex).
        """
        params = self.request.GET
        if params.get("before"):
            return absolute_url(f"{self.request.path}?{urlencode({'before': params['before']})}")
        if params.get("after"):
            return absolute_url(f"{self.request.path}?{urlencode({'after': params['after']})}")
        return "" if self._by_page_number() else absolute_url(self.request.path)

    def get_noindex(self):
        return super().get_noindex() or self._by_page_number()

    def list_jsonld(self, context, *, name, description):
        from . import jsonld

        page = context["page_obj"]
        return jsonld.collection(
            self.request, name=name, description=description, items=context["object_list"],
            position_offset=page.start_index() - 1 if page.object_list else 0,
        )


class DirectoryPage:
    """One page of an A–Z directory (analysts by name), with cursors to its neighbours."""

    def __init__(self, items, *, previous, next_, letter):
        self.object_list = items
        self.previous_cursor, self.next_cursor = previous, next_
        self.letter = letter

    def has_previous(self):
        return self.previous_cursor is not None

    def has_next(self):
        return self.next_cursor is not None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def paginate_directory(rows, params, *, page_size, field="name"):
    """Return the DirectoryPage that params ask for from rows, walked in (field, id) order.

    `?from=b` starts at the first row whose field is B or after, `?after=ID` / `?before=ID` page on
    from (or back to) the row with that id: one indexed range per page whatever its depth, as for
    stories. A cursor on a row that is not in rows (an analyst no longer quoted) is a 404.
    """
    start, after, before = params.get("from"), params.get("after"), params.get("before")
    ascending = rows.order_by(field, "pk")
    letter = None
    if sum(bool(value) for value in (start, after, before)) > 1:
        raise Http404("One of from, after or before.")
    if start:
        if len(start) != 1 or not start.isascii() or not start.isalpha():
            raise Http404("Not a letter.")
        letter = start.upper()
        items = list(ascending.filter(**{f"{field}__gte": letter})[: page_size + 1])
        has_previous = ascending.filter(**{f"{field}__lt": letter}).exists()
        has_next = len(items) > page_size
        items = items[:page_size]
    elif after or before:
        cursor = after or before
        if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > 20:
            raise Http404("Not a page of this list.")
        value = rows.filter(pk=int(cursor)).values_list(field, flat=True).first()
        if value is None:
            raise Http404("Not a page of this list.")
        if after:
            later = Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": int(cursor)})
            items = list(ascending.filter(later)[: page_size + 1])
            has_previous, has_next = True, len(items) > page_size
            items = items[:page_size]
        else:
            earlier = Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": int(cursor)})
            items = list(rows.order_by(f"-{field}", "-pk").filter(earlier)[: page_size + 1])
            has_next, has_previous = True, len(items) > page_size
            items = list(reversed(items[:page_size]))
    else:
        items = list(ascending[: page_size + 1])
        has_previous, has_next = False, len(items) > page_size
        items = items[:page_size]
    if (after or before) and not items:
        raise Http404("Not a page of this list.")
    return DirectoryPage(
        items,
        previous=str(items[0].pk) if items and has_previous else None,
        next_=str(items[-1].pk) if items and has_next else None,
        letter=letter,
    )
