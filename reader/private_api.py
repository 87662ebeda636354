"""The one module that uses Django's private internals, each listed here and checked by a test.

Every name below is outside Django's documented API and may change in any release; the test
(tests/reader/test_private_api.py) fails naming the Django version when one does, so an upgrade
finds out at once, here and nowhere else.

- django.db.models.expressions.Col and Query.get_initial_alias(): StoredSearchVector names the
  stories' stored search vector, a PostgreSQL generated column the model does not declare (SQLite
  has no such column and no other query may load it), under whatever alias the query gives the
  stories' table (U0 inside a subquery). Searching the stored vector instead of computing it from
  headline, dek and text took a common word's search on PostgreSQL from 1,367 ms to 55 ms at
  100,000 stories (docs/performance.md, "Search").
- Field.set_attributes_from_name(): gives that unattached field its column name.
"""
from django.contrib.postgres.search import SearchVectorField
from django.db.models import Expression
from django.db.models.expressions import Col

# A PostgreSQL generated column (migration 0009), not a model field: SQLite has no such column,
# and no other query should load it.
STORED_VECTOR = SearchVectorField()
STORED_VECTOR.set_attributes_from_name("search_vector")


class StoredSearchVector(Expression):
    """A story's stored search vector: headline (A), dek (B), search document (C), English."""

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        # A column of the query's own table, under whatever alias that table has (U0 in a subquery).
        return Col(query.get_initial_alias(), STORED_VECTOR)
