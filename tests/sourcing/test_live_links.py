"""The dashboard figures that read the link rows' copy of the live-from time agree with published().

report.live_links() selects quotes and topic links by their own ``story_live_at`` instead of joining
the stories; here every such figure is compared, after each step of a desk's day, with the same
figures counted the plain way from ``Article.objects.published()``.
"""
import datetime
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from articles.models import Analyst, Article, Citation, Commentary
from articles.services import articles_publish, articles_tag, articles_unpublish, articles_untag
from sourcing import report
from sourcing.report import Period
from tests.factories import AnalystFactory, ArticleFactory, CitationFactory, CommentaryFactory, TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime.datetime(2026, 6, 15, 3, 0, tzinfo=datetime.UTC)


def published_quotes(period_end_at, topic=None):
    """(story, analyst, published_at) of every quote in a published story before period_end_at."""
    stories = Article.objects.published().filter(published_at__lt=period_end_at)
    if topic is not None:
        stories = stories.filter(topics=topic)
    return Commentary.objects.filter(article__in=stories).values_list("article_id", "analyst_id",
                                                                       "article__published_at")


def expected_dormant(period, days=report.DORMANT_DAYS):
    cutoff = period.end_at - datetime.timedelta(days=days)
    last = {}
    for _, analyst_id, at in published_quotes(period.end_at, period.topic):
        last[analyst_id] = max(at, last.get(analyst_id, at))
    rows = []
    for analyst in Analyst.objects.select_related("organization"):
        quoted = last.get(analyst.pk)
        if (quoted is None and period.topic is not None) or (quoted is not None and quoted >= cutoff):
            continue
        rows.append((analyst.name, quoted))
    return sorted(rows, key=lambda row: (row[1] is not None, row[1] or NOW, row[0]))


def expected_concentration(period, min_quotes):
    window = period.last(report.CONCENTRATION_DAYS)
    pairs, totals = Counter(), Counter()
    for story in Article.objects.published().filter(published_at__gte=window.start_at, published_at__lt=window.end_at):
        topics = [t for t in story.topics.all() if window.topic in (None, t)]
        for quote in story.commentary.select_related("analyst"):
            for topic in topics:
                pairs[topic.name, quote.analyst.name] += 1
                totals[topic.name] += 1
    return sorted(
        (topic, name, n, totals[topic]) for (topic, name), n in pairs.items()
        if totals[topic] >= min_quotes and 3 * n > totals[topic]
    )


def expected_summary(period):
    stories = period.stories()
    quotes = Commentary.objects.filter(article__in=stories)
    return {
        "stories": stories.count(),
        "stories_quoting": len({q.article_id for q in quotes}),
        "quotes": quotes.count(),
        "direct_quotes": quotes.filter(is_direct_quote=True).count(),
        "analysts": len({q.analyst_id for q in quotes}),
        "citations": Citation.objects.filter(article__in=stories).count(),
    }


def assert_tables_agree(periods):
    for period in periods:
        assert report.summary(period) == expected_summary(period), period
        dormant = [(row["name"], row["last_quoted"]) for row in report.dormant_analysts(period)]
        assert dormant == expected_dormant(period), period
        for min_quotes in (1, report.CONCENTRATION_MIN_QUOTES):
            flagged = sorted((r["topic"], r["name"], r["quotes"], r["topic_quotes"])
                             for r in report.concentration(period, min_quotes=min_quotes))
            assert flagged == expected_concentration(period, min_quotes), (period, min_quotes)


def test_link_tables_follow_publishing_edits_time_and_deletes():
    traveller = time_machine.travel(NOW, tick=False)
    clock = traveller.start()
    try:
        topic, other = TopicFactory(name="Imaginary canals"), TopicFactory(name="Imaginary tolls")
        ana, ben, cai = (AnalystFactory(name=n) for n in ("Ana Puddleby", "Ben Quiverly", "Cai Wrenlow"))
        AnalystFactory(name="Dee Never-Quoted")

        def periods():
            return [Period.last_days(90), Period.last_days(90, topic=topic), Period.last_days(400),
                    Period(start=datetime.date(2025, 1, 1), end=timezone.localdate() - datetime.timedelta(days=30))]

        old = ArticleFactory(published_at=NOW - datetime.timedelta(days=500), topics=[topic])
        CommentaryFactory(article=old, analyst=cai)
        stories = [ArticleFactory(published_at=NOW - datetime.timedelta(days=n + 1), topics=[topic]) for n in range(4)]
        for story, analyst in zip(stories, [ana, ana, ben, ana], strict=True):
            CommentaryFactory(article=story, analyst=analyst)
            CitationFactory(article=story)
        assert_tables_agree(periods())

        # A draft's quotes never count; publishing it makes them count at once.
        draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, topics=[topic])
        CommentaryFactory(article=draft, analyst=cai)
        assert_tables_agree(periods())
        articles_publish(articles=Article.objects.filter(pk=draft.pk), user=None)
        assert_tables_agree(periods())

        # A scheduled story counts from its time on, with no write in between.
        scheduled = ArticleFactory(published_at=NOW + datetime.timedelta(hours=5), topics=[topic, other])
        CommentaryFactory(article=scheduled, analyst=ben)
        CommentaryFactory(article=scheduled, analyst=ben, is_direct_quote=False)
        CitationFactory(article=scheduled)
        assert_tables_agree(periods())
        clock.move_to(NOW + datetime.timedelta(hours=6))
        assert_tables_agree(periods())

        # Edits: a quote moves to another analyst, a quote is added, a topic is added and removed.
        quote = stories[0].commentary.get()
        quote.analyst = ben
        quote.save()
        CommentaryFactory(article=stories[1], analyst=cai, is_direct_quote=False)
        assert_tables_agree(periods())
        articles_tag(articles=Article.objects.filter(pk__in=[stories[2].pk, old.pk]), name=other.name)
        assert_tables_agree(periods())
        articles_untag(articles=Article.objects.filter(pk=stories[3].pk), name=topic.name)
        assert_tables_agree(periods())

        # Unpublishing, deleting a quote and deleting a story.
        articles_unpublish(articles=Article.objects.filter(pk=stories[1].pk), user=None)
        assert_tables_agree(periods())
        Commentary.objects.filter(article=scheduled).first().delete()
        stories[2].delete()
        assert_tables_agree(periods())

        # A year later everyone is dormant, and the window holds nothing.
        clock.move_to(NOW + datetime.timedelta(days=400))
        assert_tables_agree(periods())
    finally:
        traveller.stop()
