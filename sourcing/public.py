"""Whom we quote: the sourcing desk's measures as a public page, in aggregate only.

Readers see, over the last twelve months of published stories, the share of quotes by the kind of
organization the analyst works for and by its country, and the share of citations from
state-controlled sources. The rows are the dashboard's own (report.py), so the desk and its readers
count alike; no analyst is named and nothing is shown that the stories do not print. The numbers
are worked out at most once an hour (the default cache) and the page is public, so any cache may
keep it for a few minutes.
"""
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from . import report

PERIOD_DAYS = 365
COUNTS_SECONDS = 3600
# Countries with fewer quotes than this are summed into one row: a long tail of ones says little.
COUNTRY_MIN_QUOTES = 3
OTHER_COUNTRIES = "Other countries"
NO_COUNTRY = "Country not recorded"


def _shares(rows, count, label):
    """Return (label, count, share of the total) for each row, largest first."""
    total = sum(row[count] for row in rows)
    return [(row[label], row[count], row[count] / total if total else 0.0) for row in rows], total


def _countries(rows):
    """Keep each country with COUNTRY_MIN_QUOTES quotes or more; sum the others; "no country" stays apart."""
    named = [row for row in rows if row["country"] != report.NO_COUNTRY]
    kept = [row for row in named if row["quotes"] >= COUNTRY_MIN_QUOTES]
    rest = sum(row["quotes"] for row in named if row["quotes"] < COUNTRY_MIN_QUOTES)
    if rest:
        kept.append({"country": OTHER_COUNTRIES, "quotes": rest})
    unknown = sum(row["quotes"] for row in rows if row["country"] == report.NO_COUNTRY)
    if unknown:
        kept.append({"country": NO_COUNTRY, "quotes": unknown})
    return kept


def voices(period):
    """Return what the public page shows for the period: quotes by kind and by country, citations by kind."""
    by_kind, quotes = _shares(report.quotes_by_kind(period), "quotes", "kind")
    by_country, _ = _shares(_countries(report.quotes_by_country(period)), "quotes", "country")
    by_source, citations = _shares(report.citations_by_kind(period), "citations", "kind")
    summary = report.summary(period)
    return {
        "quotes": quotes,
        "stories": summary["stories"],
        "analysts": summary["analysts"],
        "citations": citations,
        "quotes_by_kind": by_kind,
        "quotes_by_country": by_country,
        "citations_by_kind": by_source,
    }


def voices_period(today=None):
    """Return the period the public page counts: the twelve months to today."""
    return report.Period.last_days(PERIOD_DAYS, today=today)


def voices_key(period):
    return f"newsroom:sourcing:voices:{period.start.isoformat()}:{period.end.isoformat()}"


def counted_voices(today=None):
    """Return voices() for the twelve months to today, worked out at most once an hour."""
    period = voices_period(today)
    return period, cache.get_or_set(voices_key(period), lambda: voices(period), COUNTS_SECONDS)


class VoicesView(TemplateView):
    """Whom we quote, in aggregate: linked from the diversity policy."""

    template_name = "sourcing/voices.html"
    title = "Whom we quote"
    description = (
        "Who our stories quote and cite over the last twelve months, by the kind of organization and by country."
    )

    def get_context_data(self, **kwargs):
        period, counts = counted_voices(timezone.localdate())
        site = settings.NEWSROOM_SITE_URL
        # The shell's head (templates/base.html), as the reader's pages fill it.
        seo = {
            "title": self.title,
            "full_title": f"{self.title} | {settings.NEWSROOM['NAME']}",
            "description": self.description,
            "canonical": site + reverse("diverse_voices"),
            "og_type": "website",
            "noindex": False,
            "feeds": [],
        }
        return super().get_context_data(seo=seo, structured_data="", period=period, **counts, **kwargs)


voices_page = require_safe(cache_control(public=True, max_age=0, s_maxage=300)(VoicesView.as_view()))
