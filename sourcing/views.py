"""The sourcing dashboard in the admin: tables, bar charts and CSV downloads for editors.

Only editors and admins see it (roles.SOURCING_DASHBOARD in articles/roles.py); reporters get a
403 and see sourcing checks on their own stories instead. ``?format=csv&table=<name>`` downloads one table.
"""
import csv
from dataclasses import dataclass, field
from urllib.parse import quote

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format

from articles import roles
from articles.models import self_described_enabled

from . import report, summary
from .forms import SourcingFilterForm

TABLE_ROWS_SHOWN = 25
CHART_BARS = 10
BAR_HEIGHT = 26
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def can_view_sourcing(user):
    """Return whether this user may see the sourcing dashboard (editors and administrators)."""
    return roles.can(user, roles.SOURCING_DASHBOARD)


@dataclass
class Column:
    key: str
    title: str
    kind: str = "text"  # text, number, percent, date

    @property
    def numeric(self):
        return self.kind in {"number", "percent"}


@dataclass
class Table:
    """One dashboard table: where its rows come from, its columns and what its chart shows."""

    name: str
    title: str
    rows: object  # function(period) -> list of dicts
    columns: list
    note: str = ""
    chart_label: str = ""
    chart_value: str = ""
    chart_title: str = ""
    group: str = "quotes"
    wide: bool = False  # many columns: the card takes the dashboard's full width
    data: list = field(default_factory=list)
    kept: object = None  # function(summary.Figures) -> the same rows from the kept summary, if it has them

    def cells(self, row):
        return [(column, row.get(column.key)) for column in self.columns]

    def rows_for(self, period, figures):
        """Return the table's rows: from the kept summary's figures when it has them, else counted live."""
        if figures is not None and self.kept is not None:
            return self.kept(figures)
        return self.rows(period)


def _official_rows(period):
    return _official_table(report.official_only(period))


def _official_table(totals):
    stories = totals["stories"]
    rows = [
        ("State media only", totals["state_media_only"]),
        ("One government only", totals["single_government"]),
        ("Other sources", totals["citing"] - totals["official_only"]),
        ("No source cited", stories - totals["citing"]),
    ]
    return [{"category": label, "stories": n, "share": n / stories if stories else 0.0} for label, n in rows]


TABLES = [
    Table(
        "analysts", "Most-quoted analysts", report.quotes_by_analyst,
        [Column("name", "Analyst"), Column("organization", "Current affiliation"),
         Column("quotes", "Quotes", "number"), Column("direct_quotes", "Direct quotes", "number"),
         Column("stories", "Stories", "number")],
        note="A quote is one expert-commentary entry, direct or paraphrased.",
        chart_label="name", chart_value="quotes", chart_title="Quotes, top analysts", wide=True,
    ),
    Table(
        "concentration", "Concentration: one analyst, more than a third of a topic's quotes",
        report.concentration,
        [Column("topic", "Topic"), Column("name", "Analyst"), Column("quotes", "Analyst's quotes", "number"),
         Column("topic_quotes", "Topic's quotes", "number"), Column("share", "Share", "percent")],
        note=f"Over the {report.CONCENTRATION_DAYS} days ending on the last day of the period, for topics "
        f"with at least {report.CONCENTRATION_MIN_QUOTES} quotes. Each row is a topic leaning on one voice.",
        chart_label="name", chart_value="share", chart_title="Share of the topic's quotes",
    ),
    Table(
        "affiliations", "Quotes per affiliation, as printed", report.quotes_by_printed_affiliation,
        [Column("affiliation", "Affiliation as printed"), Column("quotes", "Quotes", "number"),
         Column("stories", "Stories", "number"), Column("analysts", "Analysts", "number")],
        note="What readers were told at the time, exactly as printed.",
        chart_label="affiliation", chart_value="quotes", chart_title="Quotes per printed affiliation",
    ),
    Table(
        "organizations", "Quotes per organization (current affiliation)", report.quotes_by_organization,
        [Column("name", "Organization"), Column("kind", "Kind"), Column("country", "Country"),
         Column("quotes", "Quotes", "number"), Column("stories", "Stories", "number"),
         Column("analysts", "Analysts", "number")],
        note="Grouped by each analyst's organization today; an analyst who moved counts under the new one.",
        wide=True,
    ),
    Table(
        "quote_kinds", "Quotes per kind of organization", report.quotes_by_kind,
        [Column("kind", "Kind"), Column("quotes", "Quotes", "number"), Column("stories", "Stories", "number"),
         Column("analysts", "Analysts", "number")],
        chart_label="kind", chart_value="quotes", chart_title="Quotes per kind of organization",
    ),
    Table(
        "quote_countries", "Quotes per country", report.quotes_by_country,
        [Column("country", "Country"), Column("quotes", "Quotes", "number"), Column("stories", "Stories", "number"),
         Column("analysts", "Analysts", "number")],
        note="Country of the analyst's current organization.",
        chart_label="country", chart_value="quotes", chart_title="Quotes per country",
    ),
    Table(
        "official_only", "Stories sourced only to state media or one government", _official_rows,
        [Column("category", "Sourcing"), Column("stories", "Stories", "number"), Column("share", "Share", "percent")],
        note="State media only: every cited source is state media. One government only: every cited source "
        "belongs to the same ministry or office. Quoted analysts are commentary, not sources.",
        chart_label="category", chart_value="stories", chart_title="Stories by sourcing", group="sources",
    ),
    Table(
        "citation_kinds", "Citations per kind of organization", report.citations_by_kind,
        [Column("kind", "Kind"), Column("citations", "Citations", "number"), Column("stories", "Stories", "number")],
        note="State-media dispatches count as state media even without an organization.",
        chart_label="kind", chart_value="citations", chart_title="Citations per kind", group="sources",
    ),
    Table(
        "citation_countries", "Citations per country", report.citations_by_country,
        [Column("country", "Country"), Column("citations", "Citations", "number"),
         Column("stories", "Stories", "number")],
        chart_label="country", chart_value="citations", chart_title="Citations per country", group="sources",
    ),
    Table(
        "cited_organizations", "Citations per organization", report.citations_by_organization,
        [Column("name", "Organization"), Column("kind", "Kind"), Column("country", "Country"),
         Column("citations", "Citations", "number"), Column("stories", "Stories", "number")],
        group="sources", wide=True,
    ),
    Table(
        "dormant", "Analysts not quoted for a year", report.dormant_analysts,
        [Column("name", "Analyst"), Column("organization_name", "Current affiliation"),
         Column("last_quoted", "Last quoted", "date")],
        note=f"No published quote in the {report.DORMANT_DAYS} days up to the end of the period; "
        "with a topic, analysts once quoted on it and not since. Empty “last quoted”: never quoted.",
        group="people",
    ),
]
SELF_DESCRIBED = Table(
    "self_described", "Quoted analysts by self-described gender (aggregate)", report.self_described_counts,
    [Column("description", "As described"), Column("analysts", "Analysts", "number"),
     Column("quotes", "Quotes", "number")],
    note=f"Only as analysts describe themselves, entered by editors; counted only in aggregate. Groups of fewer "
    f"than {report.SELF_DESCRIBED_MIN_GROUP} analysts are combined, and a combined group that is still smaller "
    "is not counted, so no answer points to a person. Never shown publicly.",
    chart_label="description", chart_value="analysts", chart_title="Quoted analysts", group="people",
)

# The tables the kept summary (sourcing/summary.py) serves for a period on every topic; concentration
# and dormant analysts read the quotes' live-from index and stay live.
KEPT_TABLES = {
    "analysts": summary.Figures.quotes_by_analyst,
    "affiliations": summary.Figures.quotes_by_printed_affiliation,
    "organizations": summary.Figures.quotes_by_organization,
    "quote_kinds": summary.Figures.quotes_by_kind,
    "quote_countries": summary.Figures.quotes_by_country,
    "official_only": lambda figures: _official_table(figures.official_only()),
    "citation_kinds": summary.Figures.citations_by_kind,
    "citation_countries": summary.Figures.citations_by_country,
    "cited_organizations": summary.Figures.citations_by_organization,
    "self_described": summary.Figures.self_described_counts,
}
for _table in [*TABLES, SELF_DESCRIBED]:
    _table.kept = KEPT_TABLES.get(_table.name)


def tables():
    """Return the dashboard's table definitions (with self-described counts only when the desk enabled them)."""
    return [*TABLES, SELF_DESCRIBED] if self_described_enabled() else list(TABLES)


def chart(table, data):
    """Return the bars of a table's chart: label, value, shown value and length in percent of the longest."""
    if not table.chart_value:
        return []
    rows = [row for row in data if row.get(table.chart_value)][:CHART_BARS]
    top = max((row[table.chart_value] for row in rows), default=0)
    column = next(c for c in table.columns if c.key == table.chart_value)
    bars = []
    for n, row in enumerate(rows):
        # Percentages of the chart's width: labels take the first 42%, the longest bar 46%.
        width = 46 * row[table.chart_value] / top if top else 0
        bars.append({
            "label": str(row[table.chart_label]),
            "value": display(column, row[table.chart_value]),
            "width": f"{max(width, 0.5):.2f}%",
            "value_x": f"{42 + width + 1:.2f}%",
            "bar_y": BAR_HEIGHT * n + 4,
            "text_y": BAR_HEIGHT * n + 18,
        })
    return bars


def display(column, value):
    """Return a cell as an editor reads it (HTML and CSV alike)."""
    if value is None:
        return "never" if column.kind == "date" else "–"
    if column.kind == "percent":
        return f"{value:.0%}" if value * 100 == round(value * 100) else f"{value:.1%}"
    if column.kind == "date":
        return date_format(timezone.localtime(value), "Y-m-d")
    return value


def csv_safe(value):
    """Return a cell that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value):
        return value


def csv_response(table, period):
    """Stream one table as CSV, every text cell guarded against formula injection."""
    writer = csv.writer(_Echo())
    data = table.rows_for(period, summary.figures(period) if table.kept else None)

    def lines():
        yield writer.writerow([column.title for column in table.columns])
        for row in data:
            yield writer.writerow([csv_safe(display(column, value)) for column, value in table.cells(row)])

    topic = f"-{period.topic.slug}" if period.topic else ""
    filename = f"sourcing-{table.name}-{period.start:%Y%m%d}-{period.end:%Y%m%d}{topic}.csv"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    # The filename is ASCII apart from a Hangul topic slug; RFC 5987 keeps it intact.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def dashboard(request):
    """Show the sourcing tables and charts for the chosen period and topic, or download one table."""
    if not can_view_sourcing(request.user):
        raise PermissionDenied("The sourcing dashboard is for editors.")
    form = SourcingFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        if request.GET.get("format") == "csv":
            return HttpResponseBadRequest("Check the dates: " + "; ".join(form.errors.get("__all__", [])))
        period = None
    else:
        if not request.GET:
            form = SourcingFilterForm({})
            form.is_valid()
        period = form.period()
        # Show the dates actually counted, defaults included.
        form = SourcingFilterForm(initial={"start": period.start, "end": period.end, "topic": period.topic})
    available = {table.name: table for table in tables()}
    if request.GET.get("format") == "csv":
        table = available.get(request.GET.get("table", ""))
        if table is None:
            raise Http404("No such sourcing table.")
        return csv_response(table, period)

    sections = []
    totals = top_share = None
    if period is not None:
        # The kept summary's figures (None on one topic: counted live).
        figures = summary.figures(period)
        totals = figures.summary() if figures is not None else report.summary(period)
        for table in available.values():
            data = table.rows_for(period, figures)
            sections.append({
                "table": table,
                "rows": [[(c, display(c, v)) for c, v in table.cells(row)] for row in data[:TABLE_ROWS_SHOWN]],
                "more": max(0, len(data) - TABLE_ROWS_SHOWN),
                "count": len(data),
                "chart": (bars := chart(table, data)),
                "chart_height": BAR_HEIGHT * len(bars) + 8,
                "csv_query": _csv_query(request, table.name),
            })
            if table.name == "analysts" and totals["quotes"]:
                top_share = sum(row["quotes"] for row in data[:5]) / totals["quotes"]
    context = {
        **admin.site.each_context(request),
        "title": "Sourcing",
        "form": form,
        "period": period,
        "totals": totals,
        "top_share": top_share,
        "sections": sections,
        "groups": [
            ("quotes", "Who we quote"),
            ("sources", "What we cite"),
            ("people", "Analysts on file"),
        ],
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "admin/articles/sourcing.html", context)


def _csv_query(request, name):
    query = request.GET.copy()
    query["format"] = "csv"
    query["table"] = name
    return query.urlencode()


sourcing_dashboard = admin.site.admin_view(dashboard)
