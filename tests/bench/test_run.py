"""make bench (bench/run.py): its check of the pagination target, and its cold mode."""
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from articles.models import Topic
from bench import run
from bench.run import check_pagination, clear_every_cache
from pagecache import fragments, topic_catalog
from reader.queries import attach_teaser_parts

from ..factories import ArticleFactory, TopicFactory


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
    topic = TopicFactory(name="Pretend Ruritanian harvest")
    assert topic_catalog.topics_by_id()[topic.pk].name == "Pretend Ruritanian harvest"
    Topic.objects.filter(pk=topic.pk).update(name="Pretend Ruritanian drought")  # no signal: the catalog keeps it
    story = ArticleFactory()
    with mock.patch.object(fragments, "render_to_string", side_effect=render_to_string) as renders:
        fragments.render_stories("includes/story_teaser.html", attach_teaser_parts([story]))
        fragments.render_stories("includes/story_teaser.html", attach_teaser_parts([story]))
        assert renders.call_count == 1  # kept
        clear_every_cache()
        fragments.render_stories("includes/story_teaser.html", attach_teaser_parts([story]))
        assert renders.call_count == 2
    assert topic_catalog.topics_by_id()[topic.pk].name == "Pretend Ruritanian drought"


def test_rounds_combine_into_mean_rates_the_worst_p99_and_every_error():
    rounds = [
        {"rps": 900.0, "p50_ms": 10.0, "p99_ms": 30.0, "errors": 0, "tool": "wrk -t2 -c16 -d3s"},
        {"rps": 600.0, "p50_ms": 14.0, "p99_ms": 55.0, "errors": 2, "tool": "wrk -t2 -c16 -d3s"},
        {"rps": 750.0, "p50_ms": 12.0, "p99_ms": 40.0, "errors": 0, "tool": "wrk -t2 -c16 -d3s"},
    ]
    got = run.combined(rounds)
    assert got["rps"] == 750.0 and got["p50_ms"] == 12.0 and got["p99_ms"] == 55.0 and got["errors"] == 2
    assert got["tool"] == "wrk -t2 -c16 -d3s, 3 rounds"
    failed = {"rps": None, "errors": "failed: timeout"}
    assert run.combined([rounds[0], failed]) is failed  # a failed round is reported, not averaged away


def test_each_ratio_is_the_median_of_the_rounds_ratios_to_the_twin_measured_with_them():
    statics = [{"rps": 3000.0}, {"rps": 1500.0}, {"rps": 3000.0}]  # a slow stretch in round two
    pages = [{"rps": 600.0}, {"rps": 400.0}, {"rps": 570.0}]
    assert run.median_of(run.round_ratios(pages, statics)) == pytest.approx(0.2)  # 0.20, 0.27, 0.19
    # Pooled, the slow round would pull the twin's mean more than the page's.
    assert run.ratio(run.combined(pages), run.combined(statics)) != pytest.approx(0.2)
    assert run.median_of(run.round_ratios([{"rps": None}], [{"rps": 3000.0}])) is None


@pytest.mark.django_db
def test_bench_pages_editor_runs_no_reader_page(monkeypatch):
    call_command("generate_corpus", stories=40, seed=2, verbosity=0, stdout=StringIO(), stderr=StringIO())
    monkeypatch.setenv("BENCH_PAGES", "editor")
    assert run.pick_pages() == []
    monkeypatch.setenv("BENCH_PAGES", "home")
    assert [page["key"] for page in run.pick_pages()] == ["home"]
