"""generate_corpus: counts, proportions, reproducibility, fictional names, unpublished stories stay hidden."""
import datetime
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from articles.models import (
    Analyst,
    Article,
    Byline,
    Citation,
    Commentary,
    Organization,
    Source,
    TaggedArticle,
    Topic,
)
from articles.sanitize import clean_html
from bench import corpus
from counts import analysts as analyst_stats
from counts import topics as topic_stats
from counts.models import AnalystCounts, TopicCounts
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
REAL_PLACES = ["Korea", "Seoul", "Pyongyang", "China", "Japan", "Russia", "United States", "Washington", "Ukraine"]


def generate(**options):
    out = StringIO()
    call_command("generate_corpus", verbosity=0, stdout=out, stderr=StringIO(), now=NOW, **options)
    return out.getvalue()


def snapshot():
    """Return the corpus as plain values, independent of database ids."""
    stories = [
        (a.headline, a.slug, a.dek, a.dateline, a.body, a.kind, a.status, a.published_at, a.search_document)
        for a in Article.objects.order_by("pk")
    ]
    topics = sorted(TaggedArticle.objects.values_list("content_object__slug", "tag__name"))
    quotes = sorted(Commentary.objects.values_list(
        "article__slug", "analyst__name", "text", "title_as_printed", "affiliation_as_printed", "sort_order",
    ))
    cited = sorted(Citation.objects.values_list("article__slug", "source__name", "use", "taken", "sort_order"))
    return stories, topics, quotes, cited


def wipe():
    for model in (Commentary, Citation, Byline, TaggedArticle, Article, Analyst, Source, Organization, Topic):
        model.objects.all().delete()


def test_generates_the_requested_stories_at_desk_proportions():
    output = generate(stories=400, seed=3)

    assert Article.objects.count() == 400
    assert "Generated 400 stories" in output
    assert Topic.objects.count() == corpus.scaled(400, "topics")
    assert Analyst.objects.count() == corpus.scaled(400, "analysts")
    assert TaggedArticle.objects.count() == 3 * 400
    assert not Article.objects.annotate(n=Count("tagged_items")).exclude(n=3).exists()
    assert 0.85 * 3 * 400 <= Commentary.objects.count() <= 1.15 * 3 * 400
    assert 0.85 * 2 * 400 <= Citation.objects.count() <= 1.15 * 2 * 400
    assert Byline.objects.exists()


def test_explicit_counts_are_honoured():
    generate(stories=200, seed=3, topics=40, analysts=60, sources=25, commentary=100, citations=50)

    assert Topic.objects.count() == 40
    assert Analyst.objects.count() == 60
    assert Source.objects.count() == 25
    assert 70 <= Commentary.objects.count() <= 130
    assert 30 <= Citation.objects.count() <= 70


def test_organizations_cover_every_kind_in_every_country_and_sources_every_kind():
    generate(stories=50, seed=3)

    pairs = set(Organization.objects.values_list("kind", "country"))
    countries = {place for place, _ in corpus.PLACES}
    assert pairs == {(kind, country) for kind in Organization.Kind.values for country in countries}
    assert set(Source.objects.values_list("kind", flat=True)) == set(Source.Kind.values)


def test_topics_have_a_long_tail():
    generate(stories=1500, seed=5, topics=60)

    sizes = sorted(Topic.objects.annotate(n=Count("tagged_articles")).values_list("n", flat=True), reverse=True)
    assert sizes[0] > 8 * sizes[-1]
    # The ten busiest topics carry a large share of all tagging, as on a real desk.
    assert sum(sizes[:10]) > 0.4 * sum(sizes)


def test_same_seed_gives_the_same_corpus():
    generate(stories=150, seed=11)
    first = snapshot()
    wipe()
    generate(stories=150, seed=11)

    assert snapshot() == first


def test_another_seed_gives_another_corpus():
    generate(stories=150, seed=11)
    first = snapshot()
    wipe()
    generate(stories=150, seed=12)

    assert snapshot()[0] != first[0]


def test_names_are_fictional():
    generate(stories=300, seed=2)

    surnames = {head + tail for head in corpus.SURNAME_HEADS for tail in corpus.SURNAME_TAILS}
    for name in Analyst.objects.values_list("name", flat=True):
        given, surname = name.split(" ")[0], name.split(" ")[-1]
        assert given in corpus.GIVEN_NAMES and surname in surnames, name
    fictional = {place for place, _ in corpus.PLACES}
    assert set(Organization.objects.values_list("country", flat=True)) <= fictional
    texts = [
        *Article.objects.values_list("search_document", flat=True),
        *Organization.objects.values_list("name", flat=True),
        *Source.objects.values_list("name", flat=True),
        *Topic.objects.values_list("name", flat=True),
    ]
    real = re.compile("|".join(REAL_PLACES))
    assert not [text for text in texts if real.search(text)]


def test_drafts_in_review_and_scheduled_stories_exist_and_are_not_published():
    generate(stories=2000, seed=4)

    states = Counter(Article.objects.values_list("status", flat=True))
    assert states[Article.Status.DRAFT] > 0
    assert states[Article.Status.IN_REVIEW] > 0
    assert states[Article.Status.ARCHIVED] > 0
    scheduled = Article.objects.scheduled(at=NOW)
    assert scheduled.exists()
    published = Article.objects.published(at=NOW)
    hidden = Article.objects.exclude(pk__in=published)
    assert hidden.filter(status=Article.Status.DRAFT).count() == states[Article.Status.DRAFT]
    assert not published.filter(pk__in=scheduled).exists()
    assert not any(article.is_published(at=NOW) for article in hidden)
    assert 0.9 * 2000 <= published.count() <= 0.98 * 2000


def test_bodies_are_stored_sanitized_and_search_text_covers_analysts_and_quotes():
    generate(stories=100, seed=6)

    for article in Article.objects.prefetch_related("commentary__analyst"):
        assert clean_html(article.body) == article.body
        assert article.headline in article.search_document
        for quote in article.commentary.all():
            assert quote.analyst.name in article.search_document
            assert quote.text in article.search_document
            assert quote.title_as_printed and quote.affiliation_as_printed


def test_slugs_are_unique_and_route():
    generate(stories=600, seed=8, topics=12)

    slugs = list(Article.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    story = Article.objects.published(at=NOW).first()
    assert story.get_absolute_url().endswith(f"/{story.slug}/")
    assert Topic.objects.filter(slug__regex=r"[^\x00-\x7f]").exists()  # some Hangul topics


def test_refuses_a_database_that_already_has_stories():
    ArticleFactory()

    with pytest.raises(CommandError, match="--append"):
        generate(stories=10)
    assert Article.objects.count() == 1


def test_append_adds_to_existing_stories_reusing_the_cast():
    generate(stories=100, seed=9)
    topics, analysts = Topic.objects.count(), Analyst.objects.count()

    generate(stories=100, seed=9, append=True)
    highest = max(Article.objects.values_list("pk", flat=True))

    assert Article.objects.count() == 200
    assert Topic.objects.count() == topics
    assert Analyst.objects.count() == analysts
    slugs = list(Article.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    # Ids given explicitly must leave the database able to number the next story itself.
    assert ArticleFactory().pk > highest


def test_links_quotes_and_citations_carry_their_storys_live_from_time():
    generate(stories=300, seed=5)
    stories = {a.pk: a.live_from for a in Article.objects.all()}
    for model, story_column in ((TaggedArticle, "content_object_id"), (Commentary, "article_id"),
                                (Citation, "article_id")):
        rows = list(model.objects.values_list(story_column, "story_live_at"))
        assert rows, model
        assert all(live == stories[story_id] for story_id, live in rows), model


def test_every_analyst_gets_the_page_counts_a_write_would_keep_also_after_append():
    generate(stories=150, seed=4)
    generate(stories=150, seed=4, append=True)  # more quotes of the same analysts, no signals sent
    now = timezone.now()
    kept = {stats.pk: stats for stats in AnalystCounts.objects.all()}
    assert set(kept) == set(Analyst.objects.values_list("pk", flat=True))
    for analyst_id, stats in kept.items():
        live = analyst_stats.count(analyst_id, now)
        assert stats.current
        assert (stats.story_count, stats.first_quoted, stats.last_quoted) == live[:3], analyst_id
        assert stats.valid_until == live.valid_until, analyst_id
        # Most covered first; ties in the order the database read the links (the page ranks them by name).
        assert dict(stats.topic_counts) == dict(live.topic_counts), analyst_id
        assert [n for _, n in stats.topic_counts] == sorted((n for _, n in stats.topic_counts), reverse=True)


def test_every_topic_gets_the_page_count_a_write_would_keep_also_after_append():
    generate(stories=150, seed=4)
    generate(stories=150, seed=4, append=True)  # more stories on the same topics, no signals sent
    now = timezone.now()
    kept = {stats.pk: stats for stats in TopicCounts.objects.all()}
    assert set(kept) == set(Topic.objects.values_list("pk", flat=True))
    for topic_id, stats in kept.items():
        assert stats.current and (stats.story_count, stats.valid_until) == topic_stats.count(topic_id, now), topic_id
    assert max(stats.story_count for stats in kept.values()) > 1


def test_the_batch_size_changes_nothing_in_the_corpus():
    generate(stories=150, seed=11, batch_size=7)
    small_batches = snapshot()
    wipe()
    generate(stories=150, seed=11, batch_size=1000)

    assert snapshot() == small_batches


def load_schema():
    """Return the indexes and foreign keys of the tables the story loop fills, as the catalog defines them."""
    tables = [model._meta.db_table for model in corpus.STORY_MODELS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) UNION ALL "
                "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s)",
                [tables, tables],
            )
        else:
            cursor.execute("SELECT tbl_name, name, sql FROM sqlite_master WHERE type IN ('index', 'table', 'trigger')")
        return sorted(row for row in cursor.fetchall() if connection.vendor == "postgresql" or row[0] in tables)


def test_indexes_and_foreign_keys_dropped_for_the_load_come_back_as_migrated():
    before = load_schema()
    generate(stories=80, seed=2)

    assert load_schema() == before
    assert any("commentary_analyst_live" in str(row) for row in before)  # the deferred ones are among them


def test_a_failed_load_leaves_the_indexes_in_place(monkeypatch):
    before = load_schema()

    def fail(self):
        raise RuntimeError("load interrupted")

    monkeypatch.setattr(corpus.CorpusGenerator, "make_stories", fail)
    with pytest.raises(RuntimeError, match="load interrupted"):
        generate(stories=20, seed=2)
    assert load_schema() == before


def test_now_on_the_command_line_is_read_as_utc():
    generate(stories=30, seed=3)  # now=NOW, 09:00 UTC
    aware = snapshot()
    wipe()
    call_command("generate_corpus", "--stories", "30", "--seed", "3", "--now", "2026-03-02T09:00", verbosity=0,
                 stdout=StringIO(), stderr=StringIO())

    assert snapshot() == aware
