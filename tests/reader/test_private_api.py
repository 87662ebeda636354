"""The Django internals reader/private_api.py relies on: a test that names the Django version when one changes."""
import inspect

import django
import pytest
from django.db.models.expressions import Col
from django.db.models.sql import Query

from articles.models import Article
from reader.private_api import STORED_VECTOR, StoredSearchVector

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
