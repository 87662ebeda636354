"""The Django internals reader/private_api.py relies on: a test that names the Django version when one changes."""
import inspect

import django
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.expressions import Col
from django.db.models.sql import Query
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Commentary, TaggedArticle, Topic
from articles.querysets import TEASER_FIELDS
from reader.private_api import STORED_VECTOR, Prepared, StoredSearchVector

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory, TopicFactory

CHANGED = f"Django {django.get_version()} changed an internal reader/private_api.py relies on: "


def test_col_still_takes_an_alias_and_a_target_field():
    parameters = list(inspect.signature(Col).parameters)
    assert parameters[:2] == ["alias", "target"], CHANGED + f"Col({', '.join(parameters)})"


def test_query_still_gives_its_initial_alias():
    assert callable(getattr(Query, "get_initial_alias", None)), CHANGED + "Query.get_initial_alias() is gone"
    assert Query(Article).get_initial_alias() == Article._meta.db_table, CHANGED + "get_initial_alias()"


def test_an_unattached_field_still_takes_its_column_from_set_attributes_from_name():
    assert STORED_VECTOR.column == "search_vector", CHANGED + "Field.set_attributes_from_name()"


@pytest.mark.django_db
def test_the_stored_vector_is_the_stories_own_column_under_a_subquerys_alias():
    outer = Article.objects.alias(v=StoredSearchVector()).filter(v__isnull=False).values("pk")
    sql = str(Article.objects.filter(pk__in=outer).query)
    assert '"search_vector"' in sql.replace("`", '"'), CHANGED + sql
    assert "U0" in sql, CHANGED + "the subquery's stories were not aliased: " + sql


def _stories(topic, now, limit):
    links = TaggedArticle.objects.filter(tag_id=topic).live(at=now).newest_first("content_object")
    return Article.objects.published(at=now).only(*TEASER_FIELDS).among_links(
        links, "content_object", limit, one_per_story=True
    )


@pytest.mark.django_db
def test_prepared_rows_are_the_querysets_rows_field_for_field():
    topic = TopicFactory(name="Pretend estuary talks")
    now = timezone.now()
    stories = [ArticleFactory(topics=[topic], published_at=now - timezone.timedelta(hours=n + 1)) for n in range(4)]
    ArticleFactory(topics=[topic], status=Article.Status.DRAFT, published_at=None)
    prepared = Prepared(_stories, topic="int", now="datetime")
    for limit in (2, 10):
        got = prepared(topic=topic.pk, now=now, shape={"limit": limit})
        expected = list(_stories(topic.pk, now, limit))
        assert [story.pk for story in got] == [story.pk for story in expected] == [s.pk for s in stories[:limit]]
        for one, other in zip(got, expected, strict=True):
            assert {name: getattr(one, name) for name in (*TEASER_FIELDS, "id")} == {
                name: getattr(other, name) for name in (*TEASER_FIELDS, "id")
            }, CHANGED + "a prepared row differs from the queryset's"
            assert one.get_deferred_fields() == other.get_deferred_fields()
    with CaptureQueriesContext(connection) as queries:
        prepared(topic=topic.pk, now=now, shape={"limit": 2})
    assert len(queries) == 1  # through Django's own cursor: logged, counted, wrapped


@pytest.mark.django_db
def test_prepared_tuples_and_annotations_and_a_value_that_looks_like_sql():
    analyst = AnalystFactory()
    story = ArticleFactory()
    CommentaryFactory(article=story, analyst=analyst)
    pairs = Prepared(
        lambda stories: Commentary.objects.filter(article_id__in=stories).values_list("article_id", "analyst_id"),
        rows="tuples", stories="ints",
    )
    assert pairs(stories=[story.pk]) == [(story.pk, analyst.pk)]
    assert pairs(stories=[]) == []  # an empty IN list runs no query
    named = Prepared(lambda slug: Topic.objects.filter(slug=slug), slug="str")
    assert named(slug="x' OR '1'='1") == []


def test_prepared_refuses_what_it_cannot_run():
    with pytest.raises(ImproperlyConfigured, match="unknown kinds"):
        Prepared(lambda when: Topic.objects.all(), when="dates")
    wrong = Prepared(lambda slug: Topic.objects.filter(name="fixed"), slug="str")
    with pytest.raises(TypeError):
        wrong(name="x")


@pytest.mark.django_db
def test_prepared_refuses_a_value_the_sql_does_not_carry_and_related_objects():
    ignored = Prepared(lambda slug: Topic.objects.filter(name="fixed"), slug="str")
    with pytest.raises(ImproperlyConfigured, match="does not carry"):
        ignored(slug="anything")
    related = Prepared(lambda slug: Commentary.objects.select_related("analyst").filter(analyst__slug=slug), slug="str")
    with pytest.raises(ImproperlyConfigured, match="select_related"):
        related(slug="anything")
