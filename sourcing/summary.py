"""The sourcing dashboard's kept summary: its tables summed from day, month and year buckets.

Counted live (sourcing/report.py), every per-group table read every quote or citation of the
period joined to its analyst and organization: seconds over a year or the whole archive. The
summary keeps, per bucket of stories, the counts those tables are made of (SummaryRow), so a
period is a few dozen bucket reads:

- A story has one live-from time (its publication time while it has published status), so it
  falls into exactly one day, one month and one year (desk time). Story counts per group therefore
  add up across buckets. Distinct analysts do not: they are counted from the kept per-analyst rows
  (quotes, direct quotes and stories per analyst, and quotes per analyst and printed affiliation),
  whatever the buckets, joined to each analyst's organization as it is now.
- A period is covered by whole years, then whole months, then days; a year or month that is stale
  or missing is read as its months or days, and a stale or missing day, today and any later day are
  counted live. Day, month and year keep what a table needs and no more: a year of day buckets
  would be 365 reads, a period of months alone would leave up to 60 edge days to count live.
- Only a bucket that has ended is kept, and it holds only stories whose live-from time has
  passed: a scheduled story needs no refresh when it goes live, its day is counted live until it ends.
- Staleness follows counts/kept.py: a write marks the buckets of the stories it changed stale inside
  its transaction (a new version, ``current`` off), by the core's ``stories_changed`` and, for an
  analyst's organization, an organization's kind, country or state control and a source's
  organization or kind, by model signals (sourcing/receivers.py). After the commit the days are
  counted again and their months and years summed from them; a count is kept only under the
  version it started from. A failure to count is logged and leaves the bucket stale: read live,
  never wrong. ``manage.py refresh_sourcing_summary`` counts what is stale or missing (--all: all).

Periods on one topic are counted live: the summary has no topic.
"""
import datetime
import json
import logging
import secrets
from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import Lower, Trim, TruncDate
from django.utils import timezone

from articles.models import Analyst, Article, Organization

from . import report
from .models import SummaryBucket, SummaryRow

logger = logging.getLogger(__name__)

DAY, MONTH, YEAR = SummaryBucket.Kind.DAY, SummaryBucket.Kind.MONTH, SummaryBucket.Kind.YEAR
FIELDS = ("quotes", "direct_quotes", "citations", "stories")
ONE_DAY = datetime.timedelta(days=1)

# What the rows of one bucket count (dimension: key, analyst -> counts):
#   total: stories and citations; quoting: stories quoting, quotes, direct quotes
#   analyst (per analyst): quotes, direct quotes, stories
#   printed (per analyst, key: affiliation as printed, trimmed): quotes
#   affiliation, quote_org, quote_kind, quote_country (key): stories quoting that group
#   cited_org (key: [organization id, citation kind] as JSON), citation_kind, citation_country: citations, stories
#   official (key: citing, state_media_only, single_government): stories


def new_version():
    """A bucket's version: replaced by every write that makes it stale (as counts/kept.py's rows)."""
    return secrets.randbits(62)


# Buckets ----------------------------------------------------------------------------------------

def bucket_end(kind, start):
    """Return the first day after the bucket."""
    if kind == DAY:
        return start + ONE_DAY
    if kind == MONTH:
        return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def buckets_of(day):
    """Return the day, month and year buckets a day belongs to."""
    return [(DAY, day), (MONTH, day.replace(day=1)), (YEAR, day.replace(month=1, day=1))]


def has_ended(kind, start, now):
    return report._midnight(bucket_end(kind, start)) <= now


def children(kind, start):
    """Return the buckets one level down (a year's months, a month's days)."""
    step = MONTH if kind == YEAR else DAY
    out, day, end = [], start, bucket_end(kind, start)
    while day < end:
        out.append((step, day))
        day = bucket_end(step, day)
    return out


def cover(start, end):
    """Split the days start..end (inclusive) into whole years, then whole months, then days."""
    out, day = [], start
    while day <= end:
        kind = DAY
        if day.day == 1 and bucket_end(MONTH, day) - ONE_DAY <= end:
            kind = YEAR if day.month == 1 and bucket_end(YEAR, day) - ONE_DAY <= end else MONTH
        out.append((kind, day))
        day = bucket_end(kind, day)
    return out


def _local_day(when):
    return timezone.localtime(when).date()


# Counting --------------------------------------------------------------------------------------

def count_days(start, end, *, using=DEFAULT_DB_ALIAS):
    """Count the rows of every day start..end (inclusive) live: {day: {(dimension, key, analyst): [counts]}}.

    The queries are the dashboard's own (sourcing/report.py), grouped by the story's day as well.
    """
    period = report.Period(start, end)
    tz = timezone.get_current_timezone()
    days = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))

    def add(day, dimension, key, analyst=None, **counts):
        row = days[day][dimension, key, analyst]
        for i, name in enumerate(FIELDS):
            row[i] += counts.get(name, 0)

    day = TruncDate("article__published_at", tzinfo=tz)
    story_day = TruncDate("published_at", tzinfo=tz)
    for row in period.stories().using(using).values(day=story_day).annotate(stories=Count("id")):
        add(row.pop("day"), "total", None, **row)

    quotes = report.quotes_in(period).using(using)
    counts = {
        "quotes": Count("id"), "direct_quotes": Count("id", filter=Q(is_direct_quote=True)),
        "stories": Count("article_id", distinct=True),
    }
    for row in quotes.values(day=day).annotate(**counts):
        add(row.pop("day"), "quoting", None, **row)
    for row in quotes.values("analyst_id", day=day).annotate(**counts):
        add(row.pop("day"), "analyst", None, row.pop("analyst_id"), **row)
    printed = Trim("affiliation_as_printed")
    for row in quotes.values("analyst_id", day=day, key=printed).annotate(quotes=Count("id")):
        add(row["day"], "printed", row["key"], row["analyst_id"], quotes=row["quotes"])
    stories = {"stories": Count("article_id", distinct=True)}
    for dimension, group in (
        ("affiliation", printed), ("quote_org", F("analyst__organization")),
        ("quote_kind", F("analyst__organization__kind")), ("quote_country", F("analyst__organization__country")),
    ):
        for row in quotes.values(day=day, key=group).annotate(**stories):
            add(row["day"], dimension, _key(row["key"]), stories=row["stories"])

    citations = report.citations_in(period).using(using)
    for row in citations.values(day=day).annotate(citations=Count("id")):
        add(row["day"], "total", None, citations=row["citations"])
    cited = {"citations": Count("id"), "stories": Count("article_id", distinct=True)}
    for row in citations.values(day=day, org=F("source__organization"), kind=report._citation_kind()).annotate(**cited):
        add(row["day"], "cited_org", json.dumps([row["org"], row["kind"]]),
            citations=row["citations"], stories=row["stories"])
    for dimension, group in (("citation_kind", report._citation_kind()),
                             ("citation_country", F("source__organization__country"))):
        for row in citations.values(day=day, key=group).annotate(**cited):
            add(row["day"], dimension, _key(row["key"]), citations=row["citations"], stories=row["stories"])

    per_story = report.official_per_story(period, day=story_day).using(using)
    for day_, cited_n, state, government, governments in per_story.values_list(
        "day", "n_cited", "n_state", "n_government", "n_governments"
    ):
        if cited_n:
            add(day_, "official", "citing", stories=1)
            if state == cited_n:
                add(day_, "official", "state_media_only", stories=1)
            if government == cited_n and governments == 1:
                add(day_, "official", "single_government", stories=1)
    return days


def _key(value):
    return None if value is None else str(value)


# Keeping ---------------------------------------------------------------------------------------

def mark_stale(days, *, using=DEFAULT_DB_ALIAS):
    """Mark the buckets of these days stale now (in the caller's transaction); count them after it commits."""
    using, now = using or DEFAULT_DB_ALIAS, timezone.now()
    keys = sorted({key for day in days if day is not None for key in buckets_of(day) if has_ended(*key, now)})
    if not keys:
        return
    SummaryBucket.objects.using(using).bulk_create(
        [SummaryBucket(kind=kind, start=start, version=new_version(), current=False) for kind, start in keys],
        update_conflicts=True, unique_fields=["kind", "start"], update_fields=["version", "current"],
    )
    transaction.on_commit(lambda: refresh_after_commit(keys, using=using), using=using)


def mark_stale_at(times, *, using=DEFAULT_DB_ALIAS):
    """Mark stale the buckets of stories live from these times (None: not live)."""
    mark_stale({_local_day(when) for when in times if when is not None}, using=using)


def refresh_after_commit(keys, *, using=DEFAULT_DB_ALIAS):
    """Count again once the write has committed. A failure is logged: the buckets stay stale, so the
    dashboard counts them live (never wrong) until the next write or the refresh command."""
    try:
        refresh(keys, using=using)
    except Exception:
        logger.exception(
            "Could not count the sourcing summary's buckets %s again after a change; the dashboard counts "
            "them live until the next change or `manage.py refresh_sourcing_summary`.", keys,
        )


def archive_keys(*, using=DEFAULT_DB_ALIAS, now=None):
    """Return every bucket that has ended, from the first published story's day."""
    now = now or timezone.now()
    first = Article.objects.using(using).published(at=now).aggregate(first=Min("published_at"))["first"]
    if first is None:
        return []
    yesterday = timezone.localdate(now) - ONE_DAY
    keys, day = set(), _local_day(first)
    while day <= yesterday:
        keys.update(buckets_of(day))
        day += ONE_DAY
    return sorted(key for key in keys if has_ended(*key, now))


def to_count(*, using=DEFAULT_DB_ALIAS, now=None):
    """Return the ended buckets of the archive that are stale or missing (what refresh() would count)."""
    using = using or DEFAULT_DB_ALIAS
    keys = archive_keys(using=using, now=now)
    current = set(SummaryBucket.objects.using(using).filter(current=True).values_list("kind", "start"))
    return [key for key in keys if key not in current]


def refresh(keys=None, *, using=DEFAULT_DB_ALIAS, force=False, now=None):
    """Count again the buckets among ``keys`` that are stale or missing (every one with force).

    keys None: every bucket of the archive. Days are counted live (one pass per month), months and
    years summed from their days and months when those are all current, else counted live. Return
    how many buckets were kept.
    """
    using, now = using or DEFAULT_DB_ALIAS, now or timezone.now()
    keys = archive_keys(using=using, now=now) if keys is None else keys
    keys = sorted({key for key in keys if has_ended(*key, now)})
    kept = 0
    days = [key for key in keys if key[0] == DAY]
    by_month = defaultdict(list)
    for key in days:
        by_month[key[1].replace(day=1)].append(key)
    for month_days in by_month.values():
        todo = _stale(month_days, using=using, force=force)
        if todo:
            counted = count_days(min(todo)[1], max(todo)[1], using=using)
            with transaction.atomic(using=using):  # one commit for the month's days
                for key, (pk, version) in sorted(todo.items()):
                    kept += _keep(pk, version, counted.get(key[1], {}), now=now, using=using)
    for kind in (MONTH, YEAR):
        for key, (pk, version) in sorted(_stale([k for k in keys if k[0] == kind], using=using, force=force).items()):
            parts = children(*key)
            current = SummaryBucket.objects.using(using).filter(
                current=True, **_keys_q(parts)
            ).values_list("pk", flat=True)
            current = list(current)
            if len(current) == len(parts):
                kept += _keep(pk, version, None, parts=current, now=now, using=using)
            else:
                counted = count_days(key[1], bucket_end(*key) - ONE_DAY, using=using)
                kept += _keep(pk, version, _sum(counted.values()), now=now, using=using)
    return kept


def _keys_q(keys):
    """Return filter arguments that select these (kind, start) buckets."""
    by_kind = defaultdict(list)
    for kind, start in keys:
        by_kind[kind].append(start)
    q = Q(pk__in=[])
    for kind, starts in by_kind.items():
        q |= Q(kind=kind, start__in=starts)
    return {"pk__in": SummaryBucket.objects.filter(q).values("pk")}


def _stale(keys, *, using, force):
    """Make sure these buckets have rows; return {key: (pk, version)} of those to count."""
    if not keys:
        return {}
    buckets = SummaryBucket.objects.using(using)
    buckets.bulk_create([SummaryBucket(kind=kind, start=start, version=new_version()) for kind, start in keys],
                        ignore_conflicts=True)
    todo = {}
    for kind, start, pk, version, current in buckets.filter(**_keys_q(keys)).values_list(
        "kind", "start", "pk", "version", "current"
    ):
        if force or not current:
            todo[kind, start] = (pk, version)
    return todo


def _sum(tallies):
    total = defaultdict(lambda: [0, 0, 0, 0])
    for tally in tallies:
        for group, counts in tally.items():
            row = total[group]
            for i, n in enumerate(counts):
                row[i] += n
    return total


def _keep(pk, version, tally, *, parts=None, now, using):
    """Keep a bucket's rows (``tally``, or the sum of the ``parts`` buckets' rows) if its version is unchanged."""
    with transaction.atomic(using=using):
        # A new version with the new rows: the summed rows a reader keeps (KEPT_SUMS) are named by versions.
        kept = SummaryBucket.objects.using(using).filter(pk=pk, version=version).update(
            current=True, computed_at=now, version=new_version(),
        )
        if not kept:
            return 0  # a write made it stale meanwhile: that write's refresh counts it
        rows = SummaryRow.objects.using(using)
        rows.filter(bucket_id=pk).delete()
        if parts is not None:
            _sum_rows(pk, parts, using=using)
        elif tally:
            _insert_rows(pk, tally, using=using)
    return 1


def _insert_rows(pk, tally, *, using):
    """Insert a bucket's rows in one statement run for each row (model instances cost more than the insert)."""
    connection = connections[using]
    name = connection.ops.quote_name
    columns = ", ".join(name(c) for c in ("bucket_id", "dimension", "key", "analyst_id", *FIELDS))
    sql = f"INSERT INTO {name(SummaryRow._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * 8)})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(pk, dimension, key, analyst, *counts)
                                 for (dimension, key, analyst), counts in tally.items()])


def _sum_rows(pk, parts, *, using):
    """Insert into bucket ``pk`` the sums of the ``parts`` buckets' rows, in the database."""
    connection = connections[using]
    name = connection.ops.quote_name
    table = name(SummaryRow._meta.db_table)
    columns = [name(c) for c in ("dimension", "key", "analyst_id")]
    counts = [name(c) for c in FIELDS]
    marks = ", ".join(["%s"] * len(parts))
    # Names from the model, values as parameters.
    sql = (
        f"INSERT INTO {table} ({name('bucket_id')}, {', '.join(columns + counts)}) "  # noqa: S608
        f"SELECT %s, {', '.join(columns)}, {', '.join(f'SUM({c})' for c in counts)} FROM {table} "
        f"WHERE {name('bucket_id')} IN ({marks}) GROUP BY {', '.join(columns)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, *parts])


# Reading ---------------------------------------------------------------------------------------

def figures(period, *, using=DEFAULT_DB_ALIAS, now=None, fill=True):
    """Return the period's Figures from the kept buckets and live counts, or None for a period on one topic.

    ``fill``: count and keep the ended buckets found missing (the day after it ends, a new deployment).
    """
    if period.topic is not None:
        return None
    now = now or timezone.now()
    today = timezone.localdate(now)
    kept_ids, live_days, missing = [], [], []  # kept_ids: (pk, version) of current buckets
    todo = cover(period.start, min(period.end, today - ONE_DAY))
    while todo:
        status = {
            (kind, start): (pk, version, current)
            for kind, start, pk, version, current in SummaryBucket.objects.using(using)
            .filter(**_keys_q(todo)).values_list("kind", "start", "pk", "version", "current")
        }
        descend = []
        for key in todo:
            pk, version, current = status.get(key, (None, None, False))
            if current:
                kept_ids.append((pk, version))
                continue
            if pk is None:
                missing.append(key)
            if key[0] == DAY:
                live_days.append(key[1])
            else:
                descend += children(*key)
        todo = descend
    tally = _sum(tally for start, end in _runs(live_days) for tally in count_days(start, end, using=using).values())
    if period.end >= today:
        tally = _sum([tally, *count_days(max(period.start, today), period.end, using=using).values()])
    if kept_ids:
        tally = _sum([tally, _kept_sums(kept_ids, using=using)])
    if fill and missing:
        try:
            refresh(missing, using=using, now=now)
        except Exception:
            logger.exception("Could not keep the sourcing summary's missing buckets %s.", missing)
    return Figures(tally, using=using)


# The summed rows of the last few sets of kept buckets read in this process, named by the buckets'
# (id, version) pairs: a bucket's rows change only with its version (a write marks it stale with a new
# one, a refresh keeps new rows under another), so the same names are the same rows.
KEPT_SUMS = {}
KEPT_SUMS_SIZE = 4  # the dashboard's usual periods; the whole archive's sums are MBs at 100,000 stories


def _kept_sums(kept_ids, *, using):
    """Return {(dimension, key, analyst): counts} summed over these current buckets."""
    name = (using, tuple(sorted(kept_ids)))
    sums = KEPT_SUMS.get(name)
    if sums is None:
        rows = (
            SummaryRow.objects.using(using).filter(bucket_id__in=[pk for pk, _ in kept_ids]).order_by()
            .values_list("dimension", "key", "analyst_id")
            .annotate(*(Sum(field) for field in FIELDS))
        )
        sums = {(d, k, a): tuple(counts) for d, k, a, *counts in rows}
        # Oldest first out; list() copies the names at once, whatever other threads do meanwhile.
        for old in list(KEPT_SUMS)[:max(0, len(KEPT_SUMS) - KEPT_SUMS_SIZE + 1)]:
            KEPT_SUMS.pop(old, None)
        KEPT_SUMS[name] = sums
    return sums


def _runs(days):
    """Return (first, last) of each run of consecutive days."""
    runs = []
    for day in sorted(days):
        if runs and runs[-1][1] + ONE_DAY == day:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return runs


def _sort(rows, *keys, using=DEFAULT_DB_ALIAS):
    """Order rows as SQL's ORDER BY on these keys ("-name": descending numbers) would."""
    null_first = connections[using].vendor in {"sqlite", "mysql"}

    def sort_key(row):
        out = []
        for key in keys:
            if key.startswith("-"):
                out.append(-row[key[1:]])
            else:
                value = row[key]
                out.append((value is not None) if null_first else (value is None))
                out.append(value if value is not None else "")
        return out

    return sorted(rows, key=sort_key)


# Up to this many quoted analysts are read by id; past it, every analyst (a long list of ids costs more).
ANALYSTS_BY_ID = 500
_ANALYST_COLUMNS = {
    "organization_name": F("organization__name"), "organization_kind": F("organization__kind"),
    "organization_country": F("organization__country"), "description": Lower(Trim("self_described_gender")),
}
_ORGANIZATION_COLUMNS = ("organization_id", "organization_name", "organization_kind", "organization_country")


class Figures:
    """The dashboard's tables for one period, from kept rows and live counts summed (``tally``)."""

    def __init__(self, tally, *, using=DEFAULT_DB_ALIAS):
        self.using = using
        self.by_dimension = defaultdict(dict)
        for (dimension, key, analyst), counts in tally.items():
            self.by_dimension[dimension][key, analyst] = dict(zip(FIELDS, counts, strict=True))
        self._analysts = None

    def rows(self, dimension):
        return self.by_dimension.get(dimension, {})

    def analysts(self):
        """Return {analyst id: its name, slug, organization and self-description now} for the quoted analysts."""
        if self._analysts is None:
            ids = [analyst for _, analyst in self.rows("analyst")]
            qs = Analyst.objects.using(self.using).order_by()
            if len(ids) <= ANALYSTS_BY_ID:
                qs = qs.filter(pk__in=ids)
            columns = ("id", "name", "slug", "organization_id", *_ANALYST_COLUMNS)
            self._analysts = {
                row[0]: dict(zip(columns, row, strict=True))
                for row in qs.annotate(**_ANALYST_COLUMNS).values_list(*columns)
            }
        return self._analysts

    def summary(self):
        total = self.rows("total").get((None, None), {"stories": 0, "citations": 0})
        quoting = self.rows("quoting").get((None, None), {"stories": 0, "quotes": 0, "direct_quotes": 0})
        return {
            "stories": total["stories"], "stories_quoting": quoting["stories"], "quotes": quoting["quotes"],
            "direct_quotes": quoting["direct_quotes"], "analysts": len(self.rows("analyst")),
            "citations": total["citations"],
        }

    def quotes_by_analyst(self):
        analysts = self.analysts()
        rows = [
            {"analyst_id": pk, "name": analysts[pk]["name"], "slug": analysts[pk]["slug"],
             "organization": analysts[pk]["organization_name"], "quotes": counts["quotes"],
             "direct_quotes": counts["direct_quotes"], "stories": counts["stories"]}
            for (_, pk), counts in self.rows("analyst").items()
        ]
        return _sort(rows, "-quotes", "-stories", "name", "analyst_id", using=self.using)

    def quotes_by_printed_affiliation(self):
        quotes, analysts = defaultdict(int), defaultdict(set)
        for (key, analyst), counts in self.rows("printed").items():
            quotes[key] += counts["quotes"]
            analysts[key].add(analyst)
        rows = [
            {"affiliation": key, "quotes": quotes[key], "stories": counts["stories"], "analysts": len(analysts[key])}
            for (key, _), counts in self.rows("affiliation").items()
        ]
        rows = _sort(rows, "-quotes", "affiliation", using=self.using)
        for row in rows:
            row["affiliation"] = row["affiliation"] or report.NO_AFFILIATION
        return rows

    def _quotes_by(self, dimension, attribute):
        """Quotes and analysts per an attribute of the analyst's organization now, stories from the kept rows."""
        analysts = self.analysts()
        quotes, distinct = defaultdict(int), defaultdict(int)
        for (_, pk), counts in self.rows("analyst").items():
            value = _key(analysts[pk][attribute])
            quotes[value] += counts["quotes"]
            distinct[value] += 1
        return [(key, quotes[key], counts["stories"], distinct[key])
                for (key, _), counts in self.rows(dimension).items()]

    def quotes_by_organization(self):
        organizations = {}
        for analyst in self.analysts().values():
            organizations[_key(analyst["organization_id"])] = analyst
        rows = []
        for key, quotes, stories, analysts in self._quotes_by("quote_org", "organization_id"):
            organization = organizations.get(key, dict.fromkeys(_ORGANIZATION_COLUMNS))
            rows.append({
                "organization_id": organization["organization_id"], "name": organization["organization_name"],
                "kind": organization["organization_kind"], "country": organization["organization_country"],
                "quotes": quotes, "stories": stories, "analysts": analysts,
            })
        rows = _sort(rows, "-quotes", "name", using=self.using)
        return report.label_organizations(rows)

    def quotes_by_kind(self):
        rows = [{"kind": key, "quotes": quotes, "stories": stories, "analysts": analysts}
                for key, quotes, stories, analysts in self._quotes_by("quote_kind", "organization_kind")]
        return report.label_kinds(_sort(rows, "-quotes", "kind", using=self.using))

    def quotes_by_country(self):
        rows = [{"country": key, "quotes": quotes, "stories": stories, "analysts": analysts}
                for key, quotes, stories, analysts in self._quotes_by("quote_country", "organization_country")]
        rows = _sort(rows, "-quotes", "country", using=self.using)
        for row in rows:
            row["country"] = row["country"] or report.NO_COUNTRY
        return rows

    def citations_by_organization(self):
        keys = [(json.loads(key), counts) for (key, _), counts in self.rows("cited_org").items()]
        ids = {org for (org, _), _ in keys if org is not None}
        names = {
            pk: (name, country) for pk, name, country in
            Organization.objects.using(self.using).filter(pk__in=ids).values_list("pk", "name", "country")
        }
        rows = []
        for (org, kind), counts in keys:
            name, country = names.get(org, (None, None))
            rows.append({"organization_id": org, "name": name, "kind": kind, "country": country,
                         "citations": counts["citations"], "stories": counts["stories"]})
        rows = _sort(rows, "-citations", "name", using=self.using)
        return report.label_organizations(rows)

    def citations_by_kind(self):
        rows = [{"kind": key, "citations": counts["citations"], "stories": counts["stories"]}
                for (key, _), counts in self.rows("citation_kind").items()]
        return report.label_kinds(_sort(rows, "-citations", "kind", using=self.using))

    def citations_by_country(self):
        rows = [{"country": key, "citations": counts["citations"], "stories": counts["stories"]}
                for (key, _), counts in self.rows("citation_country").items()]
        rows = _sort(rows, "-citations", "country", using=self.using)
        for row in rows:
            row["country"] = row["country"] or report.NO_COUNTRY
        return rows

    def official_only(self):
        official = {key: counts["stories"] for (key, _), counts in self.rows("official").items()}
        return report.official_totals({
            "stories": self.summary()["stories"], "citing": official.get("citing", 0),
            "state_media_only": official.get("state_media_only", 0),
            "single_government": official.get("single_government", 0),
        })

    def self_described_counts(self, *, min_group=report.SELF_DESCRIBED_MIN_GROUP):
        analysts = self.analysts()
        quotes, distinct = defaultdict(int), defaultdict(int)
        for (_, pk), counts in self.rows("analyst").items():
            description = analysts[pk]["description"]
            quotes[description] += counts["quotes"]
            distinct[description] += 1
        rows = [{"description": key, "analysts": distinct[key], "quotes": quotes[key]} for key in distinct]
        return report.fold_self_described(_sort(rows, "-analysts", "description", using=self.using),
                                          min_group=min_group)
