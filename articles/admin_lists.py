"""What keeps the admin's lists fast at a million stories: bounded counts, cheap date links, capped row counts.

An editor's list page reads the rows it shows and little else. Counting every matching row of a
million-story table (and again for the total) was most of a list page's time, so:

- EstimatedCountPaginator counts exactly up to NEWSROOM_ADMIN_EXACT_COUNT (a count that reads at
  most that many index entries). Beyond it, the unfiltered list says "about N" from the database's
  own statistics, a filtered one "more than N", and the pages stop where rows are sure to exist.
- date_drilldown() offers the years, months and days between the first and the last story (two
  index look-ups) instead of asking the database for every date of the filtered list.
- UncountedPaginator serves the autocomplete boxes: a page reads one row past its end instead of
  counting every match.
- CappedCount counts a row's related rows up to a cap (a source's citations), so a page of fifty
  reads at most fifty times the cap.
"""
import calendar
import datetime
import math

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    TO_FIELD_VAR,
)
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import IntegerField, Max, Min, Subquery
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst

from . import roles

# Query parameters that only choose how a list is shown, never which rows are in it.
DISPLAY_PARAMS = {ALL_VAR, ORDER_VAR, PAGE_VAR, ERROR_FLAG, IS_POPUP_VAR, TO_FIELD_VAR, IS_FACETS_VAR}


def exact_count_limit():
    """Return how many rows a list counts exactly before it says "more than" (NEWSROOM_ADMIN_EXACT_COUNT)."""
    return getattr(settings, "NEWSROOM_ADMIN_EXACT_COUNT", 2000)


def table_estimate(model, *, using="default"):
    """Return about how many rows the model's table holds, from the database's statistics (no count).

    PostgreSQL: the planner's row count (pg_class.reltuples, kept by autovacuum and ANALYZE).
    SQLite: the highest id handed out, one step into the primary key (deleted rows are still counted).
    None when the database has no figure yet.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
            row = cursor.fetchone()
        return row[0] if row and row[0] > 0 else None
    return model._default_manager.using(using).aggregate(top=Max("pk"))["top"]


class EstimatedCountPaginator(Paginator):
    """Pages of a list counted exactly up to a limit, estimated beyond it (say so: count_text).

    `estimate` is a callable giving the whole table's size, passed only when the list shows the
    whole table (no filter, no search, a role that sees every row).
    """

    def __init__(self, object_list, per_page, *, estimate=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.estimate = estimate
        self.limit = exact_count_limit()
        self.exact = True

    @cached_property
    def count(self):
        # A sliced count reads at most limit + 1 entries of whichever index serves the list; only the
        # ids, so the rows' annotations (capped counts) are not worked out for every counted row.
        counted = self.object_list.order_by().values("pk")[: self.limit + 1].count()
        if counted <= self.limit:
            return counted
        self.exact = False
        estimated = self.estimate() if self.estimate else None
        return max(estimated or 0, self.limit + 1)

    @cached_property
    def num_pages(self):
        # Beyond the exact count, only the pages sure to hold rows (deep offsets are slow, too).
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        rows = self.count if self.exact else self.limit
        return math.ceil(max(1, rows - self.orphans) / self.per_page)

    @cached_property
    def count_text(self):
        """Return the count as an editor should read it: "1,234", "about 1,000,000" or "more than 2,000"."""
        if self.exact:
            return formats.number_format(self.count, force_grouping=True)
        if self.estimate and self.count > self.limit + 1:
            return f"about {formats.number_format(round_estimate(self.count), force_grouping=True)}"
        return f"more than {formats.number_format(self.limit, force_grouping=True)}"


class UncountedPage(Page):
    """A page that knows whether another follows from the one row read past its end."""

    def __init__(self, object_list, number, paginator, *, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class UncountedPaginator(Paginator):
    """Pages that never count the list: each reads its rows and one more (the autocomplete boxes' pages).

    Django's autocomplete asks its page whether another follows, which counts every matching row.
    """

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger("That page number is not an integer") from exc
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return UncountedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


def is_autocomplete(request):
    """Tell whether the request is one of the admin's autocomplete boxes asking for choices."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


def round_estimate(n):
    """Round an estimate to three significant figures: it is not exact, so it should not look it."""
    digits = max(0, len(str(n)) - 3)
    return round(n, -digits)


class BoundedCountsMixin:
    """A ModelAdmin whose list counts at most NEWSROOM_ADMIN_EXACT_COUNT rows (EstimatedCountPaginator).

    `whole_table_visible(request)` says whether the user's list, unfiltered, is the whole table (a
    role that sees every row): only then may the table's statistics stand for the count.
    """

    show_full_result_count = False  # no second count of the unfiltered list
    # No "Show counts" link: it counts every filter choice over the whole filtered list.
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator

    def whole_table_visible(self, request):
        return True

    def list_is_unfiltered(self, request):
        return not (set(request.GET) - DISPLAY_PARAMS) and self.whole_table_visible(request)

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if is_autocomplete(request):
            return UncountedPaginator(queryset, per_page, allow_empty_first_page=allow_empty_first_page)
        estimate = None
        if self.list_is_unfiltered(request):
            def estimate():
                return table_estimate(self.model, using=queryset.db)
        return self.paginator(
            queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page, estimate=estimate,
        )


class BoundedListMixin(BoundedCountsMixin):
    """A list that counts at most NEWSROOM_ADMIN_EXACT_COUNT rows, with date links that read no rows."""

    # Rendering a row (its checkbox, its links) costs more than reading it: fifty a page, not Django's 100.
    list_per_page = 50

    def whole_table_visible(self, request):
        # A reporter's story list is narrowed (articles/roles.py): the table's size is not theirs to see.
        capability = getattr(self, "view_capability", None)
        return capability is None or roles.can_all(request.user, capability)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", None) and response.context_data.get("cl")
        if cl is not None and cl.date_hierarchy:
            # admin/articles/change_list.html shows these instead of Django's (a scan of the list's dates).
            response.context_data["date_drilldown"] = date_drilldown(cl)
        return response


class CappedCount(Subquery):
    """The number of rows of a one-column queryset, counted up to the queryset's slice ([:cap]).

    `CappedCount(Citation.objects.filter(source=OuterRef("pk")).values("pk")[:1001])` reads at
    most 1,001 index entries per source; 1,001 means "more than 1,000".
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped)"
    output_field = IntegerField()


# Date drill-down -------------------------------------------------------------------------------


def _bounds(model, field):
    """Return the first and last value of a date field over the whole table: one index step each."""
    manager = model._default_manager
    first = manager.aggregate(first=Min(field))["first"]
    last = manager.aggregate(last=Max(field))["last"]
    if first is None or last is None:
        return None, None
    if isinstance(first, datetime.datetime):
        first, last = timezone.localtime(first), timezone.localtime(last)
    return first.date() if isinstance(first, datetime.datetime) else first, (
        last.date() if isinstance(last, datetime.datetime) else last
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def date_drilldown(cl):
    """Return the context of admin/date_hierarchy.html for a change list, without reading its rows.

    Django's drill-down asks the database for every distinct year (month, day) of the filtered
    list: a scan of the whole list. These links are the calendar's years, months and days between
    the first and the last row of the table; a period without rows shows an empty list.
    """
    field = cl.date_hierarchy
    year_field, month_field, day_field = f"{field}__year", f"{field}__month", f"{field}__day"
    year, month, day = (_int(cl.params.get(name)) for name in (year_field, month_field, day_field))
    first, last = _bounds(cl.model, field)
    if first is None:
        return {"show": False}

    def link(filters):
        return cl.get_query_string(filters, [f"{field}__"])

    if year and month and day:
        try:
            chosen = datetime.date(year, month, day)
        except ValueError:
            return {"show": False}
        return {
            "show": True,
            "back": {
                "link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
        }
    if year and month and 1 <= month <= 12:
        days = [
            datetime.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)
        ]
        return {
            "show": True,
            "back": {"link": link({year_field: year}), "title": str(year)},
            "choices": [
                {
                    "link": link({year_field: year, month_field: month, day_field: d.day}),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in days
                if first <= d <= last
            ],
        }
    if year:
        months = [datetime.date(year, m, 1) for m in range(1, 13)]
        return {
            "show": True,
            "back": {"link": link({}), "title": "All dates"},
            "choices": [
                {
                    "link": link({year_field: year, month_field: m.month}),
                    "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in months
                if (first.year, first.month) <= (m.year, m.month) <= (last.year, last.month)
            ],
        }
    return {
        "show": True,
        "choices": [
            {"link": link({year_field: str(y)}), "title": str(y)} for y in range(first.year, last.year + 1)
        ],
    }
