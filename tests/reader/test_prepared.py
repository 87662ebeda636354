"""Prepared queries (reader/prepared.py, page_queries.py): the ORM's rows, without its compile per request."""
import contextlib
import copy
import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.models import OuterRef
from django.db.models.signals import post_init
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import AnalystStats, Article, Topic
from articles.querysets import TEASER_FIELDS
from counts import analysts as analyst_stats
from pagecache.fragments import fingerprint
from reader import pagination
from reader import queries as page_queries
from reader.prepared import Prepared

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory, OrganizationFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """Two topics and an analyst over published, draft, scheduled and archived stories."""
    now = timezone.now()
    org = OrganizationFactory(name="Pretend Institute of Graustark Studies")
    analyst = AnalystFactory(name="Zenobia Quillfeather", organization=org)
    big, small = TopicFactory(name="Pretend Freedonia border"), TopicFactory(name="Pretend Sylvanian tariffs")
    stories = []
    for n in range(7):
        story = ArticleFactory(
            headline=f"Pretend story {n}", topics=[big] if n % 2 else [big, small],
            published_at=now - datetime.timedelta(hours=n + 1),
        )
        CommentaryFactory(article=story, analyst=analyst, sort_order=1)
        if n == 3:
            CommentaryFactory(article=story, analyst=analyst, sort_order=2)  # quoted twice in one story
        stories.append(story)
    hidden = [
        ArticleFactory(topics=[big], status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(topics=[big], published_at=now + datetime.timedelta(hours=2)),  # scheduled
        ArticleFactory(topics=[big], status=Article.Status.ARCHIVED, published_at=now - datetime.timedelta(days=1)),
    ]
    for story in hidden:
        CommentaryFactory(article=story, analyst=analyst)
    return {"big": big, "small": small, "analyst": analyst, "stories": stories, "hidden": hidden, "now": now}


def described(rows):
    """Return rows as comparable values: every loaded field of a model, and its annotations."""
    extra = ("listed_topics", "first_quoted", "last_quoted", "story_count", "n")
    return [
        (fingerprint(row), {name: getattr(row, name) for name in extra if hasattr(row, name)})
        if hasattr(row, "_meta") else row
        for row in rows
    ]


def listing(prepared):
    """Return prepared with its stories' topics attached, as for_listing() attaches them."""

    def run(**values):
        return page_queries.attach_listed_topics(prepared(**values))

    return run


def test_every_page_query_returns_what_its_queryset_returns(desk):
    now, big, analyst = desk["now"], desk["big"], desk["analyst"]
    ids = [story.pk for story in desk["stories"][:4]]
    cases = [
        (page_queries.topic_by_slug, page_queries._topic, {"slug": big.slug, "now": now}, {}),
        (listing(page_queries.topic_stories), page_queries._topic_stories, {"topic": big.pk, "now": now},
         {"offset": 0, "limit": 5}),
        (listing(page_queries.topic_stories), page_queries._topic_stories, {"topic": big.pk, "now": now},
         {"offset": 5, "limit": 5}),
        (page_queries.analyst_by_slug, page_queries._analyst, {"slug": analyst.slug}, {}),
        (page_queries.analyst_counts, page_queries._analyst_counts, {"analyst": analyst.pk, "now": now}, {}),
        (listing(page_queries.analyst_stories), page_queries._analyst_stories, {"analyst": analyst.pk, "now": now},
         {"limit": 21}),
        (page_queries.analyst_quotes, page_queries._analyst_quotes, {"analyst": analyst.pk, "stories": ids}, {}),
        (page_queries.analyst_topics, page_queries._analyst_topics, {"analyst": analyst.pk, "now": now},
         {"stories": 200}),
        (page_queries.listed_topics, page_queries._listed_topics, {"stories": ids}, {}),
        (page_queries.listed_topics, page_queries._listed_topics, {"stories": ids[:1]}, {}),
    ]
    for prepared, build, values, shape in cases:
        expected = list(build(**values, **shape))
        assert expected, build.__name__  # each case has rows to compare
        got = prepared(**values, shape=shape)
        assert described(got) == described(expected), build.__name__
        # Run again with the same shape: the compiled SQL is reused, the rows are the same.
        assert described(prepared(**values, shape=shape)) == described(expected), build.__name__


def test_rows_are_built_as_from_db_builds_them_and_init_signals_still_fire(desk):
    now, big = desk["now"], desk["big"]
    expected = {story.pk: story for story in page_queries._topic_stories(big.pk, now, 0, 5)}
    got = page_queries.topic_page(big, now, 0, 5)
    got.load_parts(got)  # listed_topics, as the queryset attaches them
    assert [story.pk for story in got] == list(expected)
    for story in got:
        twin = expected[story.pk]
        assert {k: v for k, v in story.__dict__.items() if k != "_state"} == {
            k: v for k, v in twin.__dict__.items() if k != "_state"
        }
        assert (story._state.adding, story._state.db) == (False, "default")
        loaded = {"id", *TEASER_FIELDS}
        assert story.get_deferred_fields() == twin.get_deferred_fields() == {
            field.attname for field in Article._meta.concrete_fields if field.attname not in loaded
        }
        assert story.body == twin.body  # a deferred field still loads on access
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Article)
    try:
        again = page_queries.topic_stories(topic=big.pk, now=now, shape={"offset": 0, "limit": 5})
    finally:
        post_init.disconnect(receiver, sender=Article)
    assert seen == again and len(seen) == 5


def test_counts_come_with_the_topic_and_analyst_match_the_querysets_count_and_stop_at_the_cap(desk):
    now, big, small, analyst = desk["now"], desk["big"], desk["small"], desk["analyst"]
    with CaptureQueriesContext(connection) as queries:
        (topic,) = page_queries.topic_by_slug(slug=big.slug, now=now)
        (other,) = page_queries.topic_by_slug(slug=small.slug, now=now)
        ((quoted, *_),) = page_queries.analyst_counts(analyst=analyst.pk, now=now)
    assert len(queries) == 3  # each count inside its lookup's (or the analyst's counts') query
    assert topic.story_count == page_queries.topic_count(big.pk, now).count() == 7
    assert other.story_count == 4
    # Seven stories quote the analyst, one of them twice: seven stories, eight live quotes.
    assert quoted == 7
    capped = Prepared(
        lambda slug, now: Topic.objects.filter(slug=slug).annotate(
            story_count=page_queries.CappedCount(page_queries.topic_count(OuterRef("pk"), now)[:3]),
        ),
        slug="str", now="datetime",
    )
    assert capped(slug=big.slug, now=now)[0].story_count == 3


def test_a_scheduled_story_appears_once_its_time_comes_though_the_sql_was_compiled_before(desk):
    scheduled, big = desk["hidden"][1], desk["big"]
    before = page_queries.topic_page(big, desk["now"], 0, 50)
    assert scheduled.pk not in [story.pk for story in before]
    later = desk["now"] + datetime.timedelta(hours=3)
    after = page_queries.topic_page(big, later, 0, 50)
    assert [story.pk for story in after][0] == scheduled.pk
    assert page_queries.topic_by_slug(slug=big.slug, now=later)[0].story_count == 8


def test_drafts_and_archived_stories_never_come_back(desk):
    hidden = {story.pk for story in desk["hidden"]}
    shown = page_queries.topic_page(desk["big"], desk["now"], 0, 50)
    shown += page_queries.analyst_first_page(desk["analyst"], desk["now"], 50)
    assert len(shown) == 14 and not hidden & {story.pk for story in shown}


def test_pages_carry_topics_and_the_analysts_quotes_in_order(desk):
    stories = page_queries.analyst_first_page(desk["analyst"], desk["now"], 5)
    assert [story.pk for story in stories] == [story.pk for story in desk["stories"][:5]]
    assert not any(hasattr(story, "analyst_quotes") for story in stories)  # loaded only to render
    stories.load_parts(stories)
    twice = stories[3]
    assert [quote.sort_order for quote in twice.analyst_quotes] == [1, 2]
    assert all(quote.article is twice for quote in twice.analyst_quotes)
    assert [t.name for t in stories[0].listed_topics] == ["Pretend Freedonia border", "Pretend Sylvanian tariffs"]
    assert [t.name for t in stories[1].listed_topics] == ["Pretend Freedonia border"]


def test_each_call_is_one_query_and_an_empty_list_is_none():
    with CaptureQueriesContext(connection) as queries:
        assert page_queries.topic_by_slug(slug="no-such-pretend-topic", now=timezone.now()) == []
        assert page_queries.listed_topics(stories=[]) == []
    assert len(queries) == 1


def test_a_value_the_compiled_sql_does_not_carry_is_refused_at_compile():
    ignores_its_value = Prepared(lambda slug: Topic.objects.filter(slug="fixed"), slug="str")
    with pytest.raises(ImproperlyConfigured, match="does not carry"):
        ignores_its_value(slug="anything")


def test_missing_or_unknown_values_are_a_type_error():
    with pytest.raises(TypeError, match="takes"):
        page_queries.topic_by_slug(name="x")


def test_querysets_it_cannot_read_are_refused():
    values = Prepared(lambda slug: Topic.objects.filter(slug=slug).values("name"), slug="str")
    with pytest.raises(ImproperlyConfigured, match="model and values_list"):
        values(slug="x")


def test_a_value_that_looks_like_sql_is_only_a_value(desk):
    assert page_queries.topic_by_slug(slug="x' OR '1'='1", now=timezone.now()) == []
    assert Topic.objects.count() == 2


def test_shapes_past_the_limit_still_answer_without_being_kept(desk, monkeypatch):
    from reader import prepared

    monkeypatch.setattr(prepared, "MAX_SHAPES", 2)
    ids = [story.pk for story in desk["stories"]]
    query = Prepared(page_queries._listed_topics, stories="ints")
    for n in range(1, 6):
        assert described(query(stories=ids[:n])) == described(page_queries._listed_topics(ids[:n])), n
    assert len(query._compiled[connections["default"]]) == 2


def test_a_value_of_an_unknown_kind_is_refused_when_the_query_is_declared():
    with pytest.raises(ImproperlyConfigured, match="unknown kinds"):
        Prepared(lambda slug: Topic.objects.filter(slug=slug), slug="slug")


def test_the_drivers_cursor_gives_the_rows_djangos_cursor_gives_and_logged_queries_are_still_seen(desk):
    analyst, now = desk["analyst"], desk["now"]
    direct = page_queries.analyst_stories(analyst=analyst.pk, now=now, shape={"limit": 21})
    with CaptureQueriesContext(connection) as queries:  # logged: Django's own cursor runs it
        logged = page_queries.analyst_stories(analyst=analyst.pk, now=now, shape={"limit": 21})
    assert len(queries) == 1
    assert described(direct) == described(logged) and len(direct) == 7
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        wrapped = page_queries.analyst_stories(analyst=analyst.pk, now=now, shape={"limit": 21})
    assert len(seen) == 1 and described(wrapped) == described(direct)


def test_errors_on_the_drivers_cursor_are_djangos_and_a_broken_transaction_is_refused(desk):
    analyst = desk["analyst"]
    compiled = page_queries.analyst_by_slug._get(connections["default"], {"slug": analyst.slug}, {})
    broken = copy.copy(compiled)
    broken.driver_sql = "SELECT * FROM no_such_table_here"
    with pytest.raises(DatabaseError), transaction.atomic():  # django.db's class, not the driver's
        broken.fetch(connections["default"], [])
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.create(headline="Pretend duplicate", slug=desk["stories"][0].slug)
        # An error inside this block's own savepoint leaves it usable...
        assert page_queries.analyst_by_slug(slug=analyst.slug)
    with pytest.raises(TransactionManagementError), transaction.atomic():
        # ...but one caught without a savepoint breaks the transaction: no query may run in it.
        with contextlib.suppress(IntegrityError):
            Article.objects.create(headline="Pretend duplicate", slug=desk["stories"][0].slug)
        page_queries.analyst_by_slug(slug=analyst.slug)


def test_a_persistent_connection_is_health_checked_once_a_request_before_prepared_queries(desk, monkeypatch):
    # Production keeps connections (CONN_MAX_AGE) with health checks: a page served by prepared
    # queries alone must check its connection as Django's cursor would, not find it dead.
    connection = connections["default"]
    connection.ensure_connection()
    monkeypatch.setattr(connection, "health_check_enabled", True)
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(True) or True)
    connection.health_check_done = False  # as at the start of every request (close_old_connections)
    assert page_queries.analyst_by_slug(slug=desk["analyst"].slug)
    assert page_queries.topic_by_slug(slug=desk["big"].slug, now=desk["now"])
    assert checks == [True]  # once, before the first query


def test_an_analyst_quoted_many_times_per_story_still_gets_full_pages(client, db):
    analyst = AnalystFactory(name="Pretend Analyst Manyquotes")
    now = timezone.now()
    stories = [ArticleFactory(published_at=now - datetime.timedelta(hours=n + 1)) for n in range(22)]
    for story in stories:
        for order in range(6):  # more quotes per story than a fixed slack of link rows per story would cover
            CommentaryFactory(article=story, analyst=analyst, sort_order=order + 1)
    page = page_queries.analyst_first_page(analyst, now, 21)
    assert [story.pk for story in page] == [story.pk for story in stories[:21]]
    body = client.get(analyst.get_absolute_url()).content.decode()
    assert body.count('class="quotetimeline__item"') == 20 and "?before=" in body
    # Cursor pages and the feed group the quotes too.
    older = client.get(analyst.get_absolute_url(), {"before": pagination.encode(stories[0])}).content.decode()
    assert older.count('class="quotetimeline__item"') == 20 and "?before=" in older
    feed = client.get(reverse("articles:analyst_feed_rss", kwargs={"slug": analyst.slug})).content.decode()
    assert feed.count("<item>") == 22


def test_rows_load_as_djangos_own_loaders_and_converters_load_them(desk):
    now, big, analyst = desk["now"], desk["big"], desk["analyst"]
    values, shape = {"topic": big.pk, "now": now}, {"offset": 0, "limit": 5}
    default = connections["default"]
    stories = page_queries.topic_stories._get(default, values, shape)
    # Ids, text, flags and times: binary on PostgreSQL (parsed in C), never on SQLite.
    assert stories.binary is (connection.vendor == "postgresql")
    # SQLite's times are made aware by a converter that does not read USE_TZ per value; same values.
    assert (stories.aware_converters is stories.converters) is (connection.vendor == "postgresql")
    # The analyst's kept counts are JSON, which Django parses itself: binary only where jsonb's binary
    # format loads as the same text (newsroom/postgresql/base.py).
    assert page_queries.analyst_by_slug._get(default, {"slug": analyst.slug}, {}).binary is (
        connection.vendor == "postgresql"
    )
    got = page_queries.topic_stories(**values, shape=shape)
    expected = list(page_queries._topic_stories(**values, **shape))
    assert [story.pk for story in got] == [story.pk for story in expected] and len(got) == 5
    columns = [field.attname for field in Article._meta.concrete_fields]
    for story, same in zip(got, expected, strict=True):
        loaded = [name for name in columns if name in same.__dict__]
        assert len(loaded) > 5 and set(loaded) == {name for name in columns if name in story.__dict__}
        for name in loaded:
            value = same.__dict__[name]
            assert type(story.__dict__[name]) is type(value) and story.__dict__[name] == value, name
            if isinstance(value, datetime.datetime):
                assert story.__dict__[name].tzinfo == value.tzinfo == datetime.UTC, name
    analyst_stats.refresh([analyst.pk], now=now)
    kept = AnalystStats.objects.get(analyst=analyst).topic_counts
    assert kept and page_queries.analyst_by_slug(slug=analyst.slug)[0].stats.topic_counts == kept
