"""make bench (bench/run.py): its check of issue 6's pagination target, and its cold mode."""
import pytest

from articles import fragments, topic_catalog
from bench.run import check_pagination, clear_every_cache

from ..factories import TopicFactory


def rows(page_1, page_50, interleaved=None):
    first = {"key": "topic-big-1", "uncached": (page_1, page_1 * 1.2)}
    if interleaved:
        first["interleaved"] = interleaved
    return [first, {"key": "topic-big-50", "uncached": (page_50, page_50 * 1.2)}]


def test_pagination_is_judged_on_the_alternating_pair_and_shows_the_sequential_medians():
    line = check_pagination(rows(2.0, 2.7, interleaved=(2.2, 2.3)))
    assert line.startswith("- **met**") and "page 50 2.3 ms vs page 1 2.2 ms median (5% slower)" in line
    assert "one after the other, as in the table: page 50 2.7 vs page 1 2.0 ms" in line
    assert check_pagination(rows(2.0, 2.0, interleaved=(2.0, 2.5))).startswith("- **not met**")


def test_without_the_pair_the_sequential_medians_decide():
    assert check_pagination(rows(2.0, 2.7)).startswith("- **not met**")
    assert check_pagination(rows(2.0, 2.2)).startswith("- **met**")
    assert check_pagination(rows(2.0, 2.2)[:1]).startswith("- **not measured**")


@pytest.mark.django_db
def test_the_cold_mode_forgets_what_a_restart_forgets():
    TopicFactory(name="Pretend Ruritanian harvest")
    assert topic_catalog.topics_by_id()
    fragments._recent.put_many({"newsroom:fragment:pretend": "<p>kept</p>"})
    clear_every_cache()
    assert topic_catalog._kept == {}
    assert fragments._recent.get_many(["newsroom:fragment:pretend"]) == {}
