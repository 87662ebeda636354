"""The sourcing dashboard's numbers, each checked on a small corpus where the answer is known."""
import datetime

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, Organization, Source
from sourcing import report as sourcing
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

pytestmark = pytest.mark.django_db

# Noon in Seoul on 15 June 2026; "today" for the desk is 15 June.
NOW = datetime.datetime(2026, 6, 15, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def ago(days, hours=1):
    return NOW - datetime.timedelta(days=days, hours=hours)


@pytest.fixture
def corpus():
    """Five published stories in the last 90 days, plus stories that must not count.

    s1 (topic): Alma twice (one paraphrase) and Bruno; cites only state media.
    s2 (topic): Alma; cites two statements of one ministry.
    s3: Cyrus (no affiliation); cites two different ministries.
    s4 (topic): no quotes; cites state media and a think tank.
    s5: Bruno; cites nothing.
    """
    topic = TopicFactory(name="Imaginary border talks")
    tank = OrganizationFactory(name="Institute of Imaginary Studies", kind=Organization.Kind.THINK_TANK,
                               country="Freedonia")
    uni = OrganizationFactory(name="University of Sylvan Port", kind=Organization.Kind.UNIVERSITY, country="Sylvania")
    newsreel = OrganizationFactory(name="Sylvanian Central Newsreel", kind=Organization.Kind.STATE_MEDIA,
                                   country="Sylvania")
    ministry = OrganizationFactory(name="Freedonian Ministry of Make-Believe", kind=Organization.Kind.GOVERNMENT,
                                   country="Freedonia")
    office = OrganizationFactory(name="Freedonian Office of Pretend Affairs", kind=Organization.Kind.GOVERNMENT,
                                 country="Freedonia")
    alma = AnalystFactory(name="Alma Quillfeather", organization=tank)
    bruno = AnalystFactory(name="Bruno Thistlewaite", organization=uni)
    cyrus = AnalystFactory(name="Cyrus Mothcott", organization=None)
    dora = AnalystFactory(name="Dora Brambleby", organization=tank)
    eli = AnalystFactory(name="Eli Fiddlestone", organization=uni)

    dispatch = SourceFactory(name="Newsreel dispatch", kind=Source.Kind.STATE_MEDIA, organization=newsreel)
    statement_a = SourceFactory(name="Ministry statement A", organization=ministry)
    statement_b = SourceFactory(name="Ministry statement B", organization=ministry)
    office_note = SourceFactory(name="Office note", organization=office)
    report = SourceFactory(name="Institute report", kind=Source.Kind.DOCUMENT, organization=tank)

    s1 = ArticleFactory(headline="s1", published_at=ago(1), topics=[topic])
    s2 = ArticleFactory(headline="s2", published_at=ago(10), topics=[topic])
    s3 = ArticleFactory(headline="s3", published_at=ago(20))
    s4 = ArticleFactory(headline="s4", published_at=ago(30), topics=[topic])
    s5 = ArticleFactory(headline="s5", published_at=ago(89, hours=0))
    CommentaryFactory(article=s1, analyst=alma)
    CommentaryFactory(article=s1, analyst=alma, is_direct_quote=False)
    CommentaryFactory(article=s1, analyst=bruno)
    CommentaryFactory(article=s2, analyst=alma)
    CommentaryFactory(article=s3, analyst=cyrus)
    CommentaryFactory(article=s5, analyst=bruno)
    CitationFactory(article=s1, source=dispatch)
    CitationFactory(article=s2, source=statement_a)
    CitationFactory(article=s2, source=statement_b)
    CitationFactory(article=s3, source=statement_a)
    CitationFactory(article=s3, source=office_note)
    CitationFactory(article=s4, source=dispatch)
    CitationFactory(article=s4, source=report)

    # None of these may be counted in the default 90-day period.
    draft = ArticleFactory(headline="draft", status=Article.Status.DRAFT, published_at=None, topics=[topic])
    CommentaryFactory(article=draft, analyst=alma)
    CitationFactory(article=draft, source=dispatch)
    scheduled = ArticleFactory(headline="scheduled", published_at=NOW + datetime.timedelta(days=1))
    CommentaryFactory(article=scheduled, analyst=bruno)
    old = ArticleFactory(headline="old", published_at=ago(100), topics=[topic])
    CommentaryFactory(article=old, analyst=bruno)
    CitationFactory(article=old, source=dispatch)
    ancient = ArticleFactory(headline="ancient", published_at=ago(400), topics=[topic])
    CommentaryFactory(article=ancient, analyst=dora)
    return locals()


@pytest.fixture
def period():
    return Period.last_days(90)


def by(rows, key):
    return {row[key]: row for row in rows}


def test_default_period_is_the_last_ninety_days_in_desk_time():
    period = Period.last_days(90)
    assert period.end == datetime.date(2026, 6, 15)
    assert period.start == datetime.date(2026, 3, 18)
    assert period.end_at == timezone.make_aware(datetime.datetime(2026, 6, 16))


def test_summary_counts_only_published_stories_in_the_period(corpus, period, django_assert_num_queries):
    with django_assert_num_queries(3):  # stories, quotes, citations
        totals = sourcing.summary(period)
    assert totals == {
        "stories": 5, "stories_quoting": 4, "quotes": 6, "direct_quotes": 5, "analysts": 3, "citations": 7,
    }


def test_quotes_and_stories_per_analyst(corpus, period, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = sourcing.quotes_by_analyst(period)
    assert [(r["name"], r["quotes"], r["direct_quotes"], r["stories"]) for r in rows] == [
        ("Alma Quillfeather", 3, 2, 2),
        ("Bruno Thistlewaite", 2, 2, 2),
        ("Cyrus Mothcott", 1, 1, 1),
    ]
    assert rows[0]["organization"] == "Institute of Imaginary Studies"


def test_quotes_per_affiliation_as_printed(corpus, period, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = by(sourcing.quotes_by_printed_affiliation(period), "affiliation")
    assert {name: (r["quotes"], r["stories"], r["analysts"]) for name, r in rows.items()} == {
        "Institute of Imaginary Studies": (3, 2, 1),
        "University of Sylvan Port": (2, 2, 1),
        sourcing.NO_AFFILIATION: (1, 1, 1),
    }


def test_printed_affiliation_keeps_history_while_organization_table_follows_the_move(corpus, period):
    corpus["alma"].organization = corpus["uni"]
    corpus["alma"].save()
    printed = by(sourcing.quotes_by_printed_affiliation(period), "affiliation")
    current = by(sourcing.quotes_by_organization(period), "name")
    assert printed["Institute of Imaginary Studies"]["quotes"] == 3
    assert "Institute of Imaginary Studies" not in current
    assert current["University of Sylvan Port"]["quotes"] == 5
    assert current["University of Sylvan Port"]["analysts"] == 2


def test_quotes_per_organization_kind_and_country(corpus, period, django_assert_num_queries):
    with django_assert_num_queries(1):
        kinds = by(sourcing.quotes_by_kind(period), "kind")
    with django_assert_num_queries(1):
        countries = by(sourcing.quotes_by_country(period), "country")
    assert {k: (r["quotes"], r["stories"]) for k, r in kinds.items()} == {
        "Think tank": (3, 2), "University": (2, 2), sourcing.NO_ORGANIZATION: (1, 1),
    }
    assert {k: (r["quotes"], r["analysts"]) for k, r in countries.items()} == {
        "Freedonia": (3, 1), "Sylvania": (2, 1), sourcing.NO_COUNTRY: (1, 1),
    }


def test_citations_per_organization_kind_and_country(corpus, period, django_assert_num_queries):
    with django_assert_num_queries(1):
        kinds = by(sourcing.citations_by_kind(period), "kind")
    with django_assert_num_queries(1):
        countries = by(sourcing.citations_by_country(period), "country")
    with django_assert_num_queries(1):
        orgs = by(sourcing.citations_by_organization(period), "name")
    assert {k: (r["citations"], r["stories"]) for k, r in kinds.items()} == {
        "Government or ministry": (4, 2), "State media": (2, 2), "Think tank": (1, 1),
    }
    assert {k: (r["citations"], r["stories"]) for k, r in countries.items()} == {
        "Freedonia": (5, 3), "Sylvania": (2, 2),
    }
    assert orgs["Freedonian Ministry of Make-Believe"]["citations"] == 3
    assert orgs["Freedonian Ministry of Make-Believe"]["stories"] == 2
    assert orgs["Sylvanian Central Newsreel"]["kind"] == "State media"


def test_state_media_dispatch_without_organization_counts_as_state_media(period):
    story = ArticleFactory(published_at=ago(1))
    CitationFactory(article=story, source=SourceFactory(kind=Source.Kind.STATE_MEDIA, organization=None))
    assert [r["kind"] for r in sourcing.citations_by_kind(period)] == ["State media"]
    assert sourcing.official_only(period)["state_media_only"] == 1


def test_share_of_stories_sourced_only_to_state_media_or_one_government(corpus, period, django_assert_num_queries):
    with django_assert_num_queries(1):
        totals = sourcing.official_only(period)
    assert totals == {
        "stories": 5, "citing": 4, "state_media_only": 1, "single_government": 1, "official_only": 2, "share": 0.4,
    }


def test_state_media_rule_agrees_between_query_and_python(corpus):
    from articles.models import Citation

    flagged = set(Citation.objects.filter(sourcing.state_media_citation_q()).values_list("source_id", flat=True))
    for source in Source.objects.select_related("organization"):
        assert sourcing.source_is_state_media(source) == (source.pk in flagged), source


def test_topic_filter(corpus, django_assert_num_queries):
    period = Period.last_days(90, topic=corpus["topic"])
    assert sourcing.summary(period)["stories"] == 3
    assert [(r["name"], r["quotes"]) for r in sourcing.quotes_by_analyst(period)] == [
        ("Alma Quillfeather", 3), ("Bruno Thistlewaite", 1),
    ]
    with django_assert_num_queries(1):
        totals = sourcing.official_only(period)
    assert (totals["stories"], totals["state_media_only"], totals["single_government"]) == (3, 1, 1)


def test_period_filter(corpus):
    period = Period(start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 10))
    # Only "old" (published 100 days before 15 June, i.e. 7 March) falls in this period.
    assert sourcing.summary(period)["stories"] == 1
    assert [(r["name"], r["quotes"]) for r in sourcing.quotes_by_analyst(period)] == [("Bruno Thistlewaite", 1)]
    assert sourcing.official_only(period)["state_media_only"] == 1


def test_period_bounds_are_inclusive_days_in_desk_time():
    # 23:30 on 10 March in Seoul is 14:30 UTC: still 10 March for the desk.
    late = timezone.make_aware(datetime.datetime(2026, 3, 10, 23, 30))
    ArticleFactory(published_at=late)
    assert sourcing.summary(Period(start=datetime.date(2026, 3, 10), end=datetime.date(2026, 3, 10)))["stories"] == 1
    assert sourcing.summary(Period(start=datetime.date(2026, 3, 11), end=datetime.date(2026, 3, 11)))["stories"] == 0


@pytest.fixture
def concentrated():
    """A topic with 6 quotes in the last 90 days: Hana 3, Ivo 2, Jun 1; Ivo also 4 quotes 100 days ago."""
    topic = TopicFactory(name="Imaginary fisheries")
    hana, ivo, jun = (AnalystFactory(name=n) for n in ("Hana Wobbleton", "Ivo Pudding", "Jun Larkfield"))
    for n, analyst in enumerate([hana, hana, hana, ivo, ivo, jun]):
        CommentaryFactory(article=ArticleFactory(published_at=ago(n + 1), topics=[topic]), analyst=analyst)
    for n in range(4):
        CommentaryFactory(article=ArticleFactory(published_at=ago(100 + n), topics=[topic]), analyst=ivo)
    # A small topic: one analyst, all of its two quotes, below the minimum.
    small = TopicFactory(name="Imaginary cheese")
    for n in range(2):
        CommentaryFactory(article=ArticleFactory(published_at=ago(n + 1), topics=[small]), analyst=jun)
    return topic


def test_concentration_flags_analyst_with_more_than_a_third_of_a_topics_quotes(
    concentrated, django_assert_num_queries
):
    # The window's quotes and topic links, then the flagged topics' and analysts' names.
    with django_assert_num_queries(4):
        rows = sourcing.concentration(Period.last_days(90))
    assert [(r["topic"], r["name"], r["quotes"], r["topic_quotes"]) for r in rows] == [
        ("Imaginary fisheries", "Hana Wobbleton", 3, 6),
    ]
    assert rows[0]["share"] == 0.5


def test_concentration_window_is_ninety_days_ending_with_the_period(concentrated):
    # Ending 95 days ago, the window holds Ivo's four older quotes and none of the recent ones.
    period = Period(start=datetime.date(2026, 1, 1), end=timezone.localdate() - datetime.timedelta(days=95))
    assert sourcing.concentration(period) == []  # four quotes: below the minimum of five
    rows = sourcing.concentration(period, min_quotes=4)
    assert [(r["name"], r["quotes"], r["topic_quotes"]) for r in rows] == [("Ivo Pudding", 4, 4)]


def test_concentration_respects_topic_filter_and_minimum(concentrated):
    other = TopicFactory(name="Unrelated")
    assert sourcing.concentration(Period.last_days(90, topic=other)) == []
    assert [r["name"] for r in sourcing.concentration(Period.last_days(90, topic=concentrated))] == ["Hana Wobbleton"]
    small = sourcing.concentration(Period.last_days(90), min_quotes=2)
    assert {(r["topic"], r["name"]) for r in small} == {
        ("Imaginary fisheries", "Hana Wobbleton"), ("Imaginary cheese", "Jun Larkfield"),
    }


def test_dormant_analysts_are_those_not_quoted_for_a_year(corpus, period, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = sourcing.dormant_analysts(period)
    assert [(r["name"], r["last_quoted"]) for r in rows] == [
        ("Eli Fiddlestone", None),
        ("Dora Brambleby", corpus["ancient"].published_at),
    ]


def test_dormant_analysts_on_a_topic_lists_only_those_once_quoted_on_it(corpus):
    rows = sourcing.dormant_analysts(Period.last_days(90, topic=corpus["topic"]))
    assert [r["name"] for r in rows] == ["Dora Brambleby"]


def test_a_draft_quote_does_not_keep_an_analyst_active(corpus, period):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    CommentaryFactory(article=draft, analyst=corpus["eli"])
    assert "Eli Fiddlestone" in [r["name"] for r in sourcing.dormant_analysts(period)]


def test_self_described_counts_fold_small_groups(period, django_assert_num_queries):
    story = ArticleFactory(published_at=ago(1))
    for n in range(5):
        CommentaryFactory(article=story, analyst=AnalystFactory(self_described_gender="Woman" if n else " woman "))
    for _ in range(6):
        CommentaryFactory(article=story, analyst=AnalystFactory(self_described_gender="man"))
    CommentaryFactory(article=story, analyst=AnalystFactory(self_described_gender="non-binary"))
    CommentaryFactory(article=story, analyst=AnalystFactory(self_described_gender=""))
    with django_assert_num_queries(1):
        rows = sourcing.self_described_counts(period)
    assert rows == [
        {"description": "man", "analysts": 6, "quotes": 6},
        {"description": "woman", "analysts": 5, "quotes": 5},
        {"description": "Groups of fewer than 5 (combined)", "analysts": None, "quotes": None},
    ]


def test_self_described_small_groups_shown_combined_when_they_reach_the_minimum(period):
    story = ArticleFactory(published_at=ago(1))
    for gender in ["agender", "non-binary", "", "", "two-spirit"]:
        CommentaryFactory(article=story, analyst=AnalystFactory(self_described_gender=gender))
    assert sourcing.self_described_counts(period) == [
        {"description": "Groups of fewer than 5 (combined)", "analysts": 5, "quotes": 5},
    ]
