"""The dashboard's tables from the kept summary (sourcing/summary.py) are the tables counted live.

A desk's life is walked step by step (publishing, scheduling, edits to quotes and citations,
retagging, analysts moving, organizations changing, unpublishing, deletes) and after each step
every table is taken from the summary and from sourcing/report.py's live queries, for 90 days,
365 days, the whole archive and a period that ended a month ago. After each step every ended
bucket must also be current again: the write's refresh after commit counted it, so the summary,
not the live fallback, gave the figures.
"""
import datetime
import io
import logging

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Commentary, Organization, Source
from articles.services import articles_publish, articles_tag, articles_unpublish, articles_untag
from sourcing import report, summary
from sourcing.models import SummaryBucket, SummaryRow
from sourcing.report import Period
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    CitationFactory,
    CommentaryFactory,
    OrganizationFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime.datetime(2026, 6, 15, 3, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
ROW_TABLES = (
    "quotes_by_analyst", "quotes_by_printed_affiliation", "quotes_by_organization", "quotes_by_kind",
    "quotes_by_country", "citations_by_organization", "citations_by_kind", "citations_by_country",
)


def periods():
    today = timezone.localdate()
    first = today - datetime.timedelta(days=800)
    return [Period.last_days(90), Period.last_days(365), Period(start=first, end=today),
            Period(start=first, end=today - datetime.timedelta(days=30))]


def canonical(rows):
    return sorted(repr(sorted(row.items())) for row in rows)


def assert_summary_agrees():
    """Every table from the summary equals the live one, and no ended bucket is left stale."""
    stale = list(SummaryBucket.objects.filter(current=False).values_list("kind", "start"))
    assert not [key for key in stale if summary.has_ended(*key, timezone.now())], stale
    for period in periods():
        figures = summary.figures(period)
        assert figures.summary() == report.summary(period), period
        assert figures.official_only() == report.official_only(period), period
        for name in ROW_TABLES:
            live, kept = getattr(report, name)(period), getattr(figures, name)()
            assert canonical(kept) == canonical(live), (name, period)
            counted = next(key for key in ("quotes", "citations") if key in (live or [{"quotes": 0}])[0])
            assert [row[counted] for row in kept] == [row[counted] for row in live], (name, period)
        assert figures.quotes_by_analyst() == report.quotes_by_analyst(period), period
        for min_group in (1, 2, report.SELF_DESCRIBED_MIN_GROUP):
            assert canonical(figures.self_described_counts(min_group=min_group)) == canonical(
                report.self_described_counts(period, min_group=min_group)), (period, min_group)


def kept_days():
    return set(SummaryBucket.objects.filter(kind=SummaryBucket.Kind.DAY, current=True).values_list("start", flat=True))


@pytest.fixture
def clock():
    traveller = time_machine.travel(NOW, tick=False)
    yield traveller.start()
    traveller.stop()


def test_summary_tables_follow_the_desk(clock):
    topic, other = TopicFactory(name="Imaginary canals"), TopicFactory(name="Imaginary tolls")
    tank = OrganizationFactory(name="Institute of Pretend Policy", kind=Organization.Kind.THINK_TANK,
                               country="Freedonia")
    college = OrganizationFactory(name="University of Nowhere", kind=Organization.Kind.UNIVERSITY, country="")
    ministry = OrganizationFactory(name="Ministry of Make-Believe", kind=Organization.Kind.GOVERNMENT,
                                   country="Sylvania")
    ana = AnalystFactory(name="Ana Puddleby", organization=tank, self_described_gender="Woman")
    ben = AnalystFactory(name="Ben Quiverly", organization=college, self_described_gender=" woman ")
    cai = AnalystFactory(name="Cai Wrenlow", organization=None)
    dee = AnalystFactory(name="Dee Marshwick", organization=tank, self_described_gender="Man")
    statement = SourceFactory(name="Pretend ministry statement", organization=ministry)
    dispatch = SourceFactory(name="Make-believe news dispatch", kind=Source.Kind.STATE_MEDIA, organization=None)
    loose = SourceFactory(name="A leaflet of no one", kind=Source.Kind.DOCUMENT, organization=None)

    stories = {}
    for days_ago in (0, 1, 2, 40, 200, 380, 500, 700):
        story = ArticleFactory(published_at=NOW - datetime.timedelta(days=days_ago, hours=1), topics=[topic])
        stories[days_ago] = story
        CommentaryFactory(article=story, analyst=ana, affiliation_as_printed="Pretend Policy Institute")
        CommentaryFactory(article=story, analyst=[ben, cai, dee][days_ago % 3], is_direct_quote=days_ago % 2 == 0,
                          affiliation_as_printed="" if days_ago % 4 else "  University of Nowhere ")
        CitationFactory(article=story, source=[statement, dispatch, loose][days_ago % 3])
        if days_ago % 5 == 0:
            CitationFactory(article=story, source=statement)
    # One analyst under two printed affiliations in one story: counted once per story.
    CommentaryFactory(article=stories[40], analyst=ana, affiliation_as_printed="Formerly of Pretend Policy")
    summary.refresh()
    assert kept_days() >= {timezone.localdate() - datetime.timedelta(days=n) for n in (1, 2, 40, 200, 700)}
    assert_summary_agrees()

    # Publishing a draft (now) and a backdated story (its old day is counted again).
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, topics=[topic])
    CommentaryFactory(article=draft, analyst=cai)
    assert_summary_agrees()
    articles_publish(articles=Article.objects.filter(pk=draft.pk), user=None)
    assert_summary_agrees()
    backdated = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    CommentaryFactory(article=backdated, analyst=ben)
    CitationFactory(article=backdated, source=dispatch)
    backdated.status, backdated.published_at = Article.Status.PUBLISHED, NOW - datetime.timedelta(days=41)
    backdated.save()
    assert_summary_agrees()

    # Scheduled: counts from its time on with no write, the day it falls on included once it has ended.
    soon = ArticleFactory(published_at=NOW + datetime.timedelta(hours=5), topics=[topic, other])
    CommentaryFactory(article=soon, analyst=ben)
    CitationFactory(article=soon, source=statement)
    later = ArticleFactory(published_at=NOW + datetime.timedelta(days=2))
    CommentaryFactory(article=later, analyst=dee, affiliation_as_printed="Pretend Policy Institute")
    assert_summary_agrees()
    clock.move_to(NOW + datetime.timedelta(hours=6))
    assert_summary_agrees()
    clock.move_to(NOW + datetime.timedelta(days=4))
    assert_summary_agrees()
    assert timezone.localtime(later.published_at).date() in kept_days()

    # Editing quotes and citations.
    quote = stories[200].commentary.get(analyst=ana)
    quote.analyst, quote.affiliation_as_printed, quote.is_direct_quote = dee, "Dee's own shop", False
    quote.save()
    CommentaryFactory(article=stories[500], analyst=ben, is_direct_quote=False)
    citation = stories[380].citations.first()
    citation.source = dispatch
    citation.save()
    stories[700].citations.first().delete()
    assert_summary_agrees()

    # Retagging changes no table on all topics; the summary stays right.
    articles_tag(articles=Article.objects.filter(pk__in=[stories[2].pk, stories[500].pk]), name=other.name)
    articles_untag(articles=Article.objects.filter(pk=stories[40].pk), name=topic.name)
    assert_summary_agrees()

    # An analyst moves; organizations change kind, country and state control; a source moves.
    ana.organization = college
    ana.save()
    assert_summary_agrees()
    cai.organization = ministry
    cai.save()
    assert_summary_agrees()
    college.kind = Organization.Kind.NGO
    college.save()
    assert_summary_agrees()
    tank.country = "Sylvania"
    tank.save()
    assert_summary_agrees()
    ministry.state_controlled = True
    ministry.save()
    assert_summary_agrees()
    loose.organization = college
    loose.save()
    dispatch.kind = Source.Kind.WIRE
    dispatch.save()
    assert_summary_agrees()
    tank.delete()  # its analysts and sources lose it without a signal of their own
    assert_summary_agrees()
    ben.self_described_gender = "Man"  # read as it is now: nothing to count again
    ben.name = "Ben Quiverly-Renamed"
    ben.save()
    assert_summary_agrees()

    # Unpublishing and deleting.
    articles_unpublish(articles=Article.objects.filter(pk=stories[2].pk), user=None)
    assert_summary_agrees()
    Commentary.objects.filter(article=stories[380]).first().delete()
    stories[500].delete()
    assert_summary_agrees()
    moved = stories[40]
    moved.published_at = NOW - datetime.timedelta(days=300)
    moved.save()
    assert_summary_agrees()

    # A year on: every period moved, the buckets it needs are filled as they are read.
    clock.move_to(NOW + datetime.timedelta(days=400))
    assert_summary_agrees()


def test_stale_bucket_is_read_live_and_never_wrong(clock, monkeypatch):
    story = ArticleFactory(published_at=NOW - datetime.timedelta(days=3))
    CommentaryFactory(article=story)
    summary.refresh()
    period = Period.last_days(90)
    assert summary.figures(period).summary()["direct_quotes"] == 1
    # A write marks the bucket stale and its refresh never comes: the bucket is read live.
    monkeypatch.setattr(summary, "refresh", lambda *args, **kwargs: 0)
    with transaction.atomic():
        summary.mark_stale([timezone.localtime(story.published_at).date()])
        Commentary.objects.filter(article=story).update(is_direct_quote=False)
    assert not SummaryBucket.objects.get(kind=SummaryBucket.Kind.DAY, start=story.published_at.date()).current
    assert summary.figures(period, fill=False).summary() == report.summary(period)
    assert report.summary(period)["direct_quotes"] == 0


def test_refresh_failure_is_logged_and_leaves_the_bucket_stale(clock, monkeypatch, caplog):
    story = ArticleFactory(published_at=NOW - datetime.timedelta(days=3))
    summary.refresh()

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(summary, "count_days", broken)
    with caplog.at_level(logging.ERROR, logger="sourcing.summary"):
        CommentaryFactory(article=story)
    assert "refresh_sourcing_summary" in caplog.text
    day = timezone.localtime(story.published_at).date()
    assert not SummaryBucket.objects.get(kind=SummaryBucket.Kind.DAY, start=day).current
    monkeypatch.undo()
    period = Period.last_days(90)
    assert summary.figures(period, fill=False).summary() == report.summary(period)
    assert report.summary(period)["quotes"] == 1


def test_refresh_command_counts_stale_and_missing_buckets(clock):
    story = ArticleFactory(published_at=NOW - datetime.timedelta(days=40))
    CommentaryFactory(article=story)
    SummaryBucket.objects.all().delete()  # as before a first deployment: every bucket missing
    out = io.StringIO()
    call_command("refresh_sourcing_summary", "--dry-run", stdout=out)
    assert not SummaryBucket.objects.exists()
    assert f"Would count {len(summary.archive_keys()):,} " in out.getvalue()
    call_command("refresh_sourcing_summary", verbosity=0)
    call_command("refresh_sourcing_summary", "--dry-run", stdout=out)
    assert "Would count 0 " in out.getvalue()
    day = timezone.localtime(story.published_at).date()
    assert day in kept_days()
    bucket = SummaryBucket.objects.get(kind=SummaryBucket.Kind.DAY, start=day)
    assert summary.figures(Period.last_days(90)).summary()["quotes"] == 1
    SummaryRow.objects.filter(bucket=bucket, dimension="quoting").update(quotes=99)  # made wrong by hand
    call_command("refresh_sourcing_summary", verbosity=0)
    assert SummaryRow.objects.get(bucket=bucket, dimension="quoting").quotes == 99  # current: left alone
    call_command("refresh_sourcing_summary", "--all", verbosity=0)
    assert SummaryRow.objects.get(bucket=bucket, dimension="quoting").quotes == 1
    # Counted again under a new version: no reader keeps the hand-made sums.
    period = Period.last_days(90)
    assert summary.figures(period).summary() == report.summary(period)
    assert report.summary(period)["quotes"] == 1
    assert not SummaryBucket.objects.filter(current=False).exists()


def test_cover_uses_years_months_and_days():
    keys = summary.cover(datetime.date(2024, 11, 20), datetime.date(2026, 3, 3))
    kinds = [kind for kind, _ in keys]
    assert kinds.count(SummaryBucket.Kind.YEAR) == 1
    assert kinds.count(SummaryBucket.Kind.MONTH) == 1 + 2  # December 2024; January, February 2026
    assert kinds.count(SummaryBucket.Kind.DAY) == 11 + 3
    day, covered = datetime.date(2024, 11, 20), []
    for kind, start in keys:
        assert start == day
        day = summary.bucket_end(kind, start)
        covered.append(day)
    assert day == datetime.date(2026, 3, 4)


@pytest.mark.parametrize("by_id", [0, 500])
def test_quoted_analysts_read_by_id_or_all(clock, monkeypatch, by_id):
    monkeypatch.setattr(summary, "ANALYSTS_BY_ID", by_id)
    AnalystFactory(name="Eve Never-Quoted", self_described_gender="Woman")
    for n in range(3):
        CommentaryFactory(article=ArticleFactory(published_at=NOW - datetime.timedelta(days=n * 20)))
    summary.refresh()
    period = Period.last_days(365)
    figures = summary.figures(period)
    assert figures.quotes_by_analyst() == report.quotes_by_analyst(period)
    assert canonical(figures.quotes_by_organization()) == canonical(report.quotes_by_organization(period))
    assert canonical(figures.self_described_counts(min_group=1)) == canonical(
        report.self_described_counts(period, min_group=1))


def test_reader_keeps_the_sums_of_its_last_few_periods(clock):
    CommentaryFactory(article=ArticleFactory(published_at=NOW - datetime.timedelta(days=20)))
    summary.refresh()
    summary.KEPT_SUMS.clear()
    for days in range(30, 30 + summary.KEPT_SUMS_SIZE + 3):
        period = Period.last_days(days)
        assert summary.figures(period).summary() == report.summary(period)
    assert len(summary.KEPT_SUMS) == summary.KEPT_SUMS_SIZE


def test_period_on_a_topic_is_counted_live():
    assert summary.figures(Period.last_days(90, topic=TopicFactory())) is None
