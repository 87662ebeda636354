"""Reader search on SQLite and PostgreSQL: what is found, in what order, and safe highlighting."""
import datetime
from io import StringIO

import pytest
from django.db import ProgrammingError, connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search_document import build_search_document
from reader.search import (
    MAX_QUERY_LENGTH,
    excerpt,
    render_hits,
    search_articles,
    uses_fts5,
)

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory
from .desk import build_desk

pytestmark = pytest.mark.django_db


def search(client, q):
    return client.get(reverse("articles:search"), {"q": q})


def found(response):
    return [article.headline for article in response.context["articles"]]


def test_search_document_holds_headline_dek_body_analyst_names_and_quotes():
    story = ArticleFactory(
        headline="Pretend summit", dek="A dek line.", body="<p>First para.</p><p>Second &amp; last.</p>",
    )
    CommentaryFactory(article=story, analyst=AnalystFactory(name="Ysolde Marrowby"), text="A quotable line.")
    story.refresh_from_db()
    assert story.search_document == (
        "Pretend summit A dek line. First para. Second & last. Ysolde Marrowby A quotable line."
    )
    assert build_search_document(story) == story.search_document


def test_search_document_follows_commentary_and_analyst_changes():
    story = ArticleFactory()
    commentary = CommentaryFactory(article=story, analyst=AnalystFactory(name="Before Name"))
    commentary.analyst.name = "After Name"
    commentary.analyst.save()
    story.refresh_from_db()
    assert "After Name" in story.search_document
    commentary.delete()
    story.refresh_from_db()
    assert "After Name" not in story.search_document


@pytest.mark.parametrize("query", ["turns down", "performance", "Penwright", "voters at home"])
def test_search_finds_the_story_by_headline_dek_analyst_and_quote(client, query):
    desk = build_desk()
    assert found(search(client, query)) == [desk.story.headline]


def test_search_never_returns_hidden_stories(client):
    build_desk()
    for query in ["Hiddenword", "Secret quote", "pretend frontier"]:
        response = search(client, query)
        assert not [h for h in found(response) if "Hiddenword" in h], query


def test_search_ranks_headline_matches_first(client):
    body_only = ArticleFactory(headline="Ministers meet", body="<p>They discussed the zeppelin treaty.</p>")
    older = body_only.published_at.replace(year=2020)
    in_headline = ArticleFactory(headline="Zeppelin treaty signed", published_at=older)
    assert found(search(client, "zeppelin")) == [in_headline.headline, body_only.headline]


def test_search_highlights_the_match(client):
    ArticleFactory(headline="Envoys discuss the zeppelin question", body="<p>The zeppelin question is old.</p>")
    body = search(client, "zeppelin").content.decode()
    assert "<mark>zeppelin</mark>" in body.lower()


def test_highlight_escapes_story_text(client):
    story = ArticleFactory(headline="Pretend </script><b>bold</b> zeppelin", body="<p>x</p>")
    Article.objects.filter(pk=story.pk).update(search_document="<img src=x onerror=alert(1)> zeppelin tail")
    body = search(client, "zeppelin").content.decode()
    assert "<img src=x" not in body and "<b>bold</b>" not in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body


def test_render_hits_marks_only_markers_and_escapes_the_rest():
    assert render_hits("a <b> \x02hit\x03 & \x02two\x03") == "a &lt;b&gt; <mark>hit</mark> &amp; <mark>two</mark>"
    assert render_hits("stray \x02 marker") == "stray  marker"


def test_excerpt_centres_on_the_first_hit():
    text = "word " * 200 + "needle " + "word " * 200
    snippet = excerpt(text, ["needle"], width=100)
    assert "\x02needle\x03" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 130


def test_hangul_query_finds_hangul_story(client):
    story = ArticleFactory(headline="남북 정상 회담 재개 합의", body="<p>양측은 회담을 재개하기로 했다.</p>")
    ArticleFactory(headline="Unrelated pretend story")
    assert found(search(client, "회담")) == [story.headline]
    assert "<mark>회담</mark>" in search(client, "회담").content.decode()


def test_empty_query_gets_guidance_not_an_error(client):
    build_desk()
    response = search(client, "   ")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Type a name, a place or a topic" in body
    assert "Browse by topic" in body


def test_over_long_query_gets_guidance_not_an_error(client):
    response = search(client, "x" * (MAX_QUERY_LENGTH + 1))
    assert response.status_code == 200
    assert "longer than 200 characters" in response.content.decode()


def test_no_results_suggests_topics(client):
    build_desk()
    body = search(client, "nonexistentword").content.decode()
    assert "No stories match" in body and "Imaginary frontier" in body


def test_search_pages_are_not_indexed(client):
    assert '<meta name="robots" content="noindex, follow">' in search(client, "x").content.decode()


def test_search_results_paginate_and_keep_the_query(client):
    ArticleFactory.create_batch(23, headline="Zeppelin notes")
    response = search(client, "zeppelin")
    assert len(response.context["articles"]) == 20
    assert "?page=2&amp;q=zeppelin" in response.content.decode()
    assert len(client.get(reverse("articles:search"), {"q": "zeppelin", "page": 2}).context["articles"]) == 3


@pytest.mark.postgres
def test_postgres_search_stems_english_words(client, postgres_only):
    story = ArticleFactory(headline="Freedonia sanctions pretend exporters")
    assert found(search(client, "sanction")) == [story.headline]
    assert found(search(client, '"pretend exporters"')) == [story.headline]
    assert found(search(client, "sanctions -Freedonia")) == []


def plan_without_seqscan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


@pytest.mark.postgres
def test_postgres_search_matches_through_the_index_on_the_stored_vector(postgres_only):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_vector'")
        assert cursor.fetchone()[0].endswith("USING gin (search_vector)")
    # Without the published filter, and without walking the newest stories (a plain index scan):
    # the only way left to the matches is the GIN index.
    ArticleFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = plan_without_seqscan(search_articles(Article.objects.all(), "zeppelin"))
    assert "Bitmap Index Scan on article_search_vector" in plan
    assert "(search_vector @@ " in plan
    assert "to_tsvector" not in plan  # neither matching nor ranking parses a story's text


@pytest.mark.postgres
def test_postgres_common_word_walks_the_newest_stories_without_parsing_them(postgres_only):
    ArticleFactory.create_batch(3)
    plan = plan_without_seqscan(search_articles(Article.objects.published(), "zeppelin"))
    assert "(search_vector @@ " in plan
    assert "to_tsvector" not in plan  # walking 1,000 matches used to parse each story it passed (5.3 s)


@pytest.mark.postgres
def test_postgres_stored_vector_follows_every_write(client, postgres_only):
    story = ArticleFactory(headline="Zeppelin treaty signed", dek="Envoys agree on airspace.")
    assert found(search(client, "zeppelin")) == [story.headline]
    story.headline = "Airship treaty signed"
    story.save()
    assert found(search(client, "zeppelin")) == []
    assert found(search(client, "airships")) == [story.headline]
    Article.objects.filter(pk=story.pk).update(dek="Envoys agree on a dirigible corridor.")
    assert found(search(client, "dirigible")) == [story.headline]
    CommentaryFactory(article=story, analyst=AnalystFactory(name="Ysolde Marrowby"), text="A quotable line.")
    assert found(search(client, "Marrowby")) == [story.headline]
    with connection.cursor() as cursor:  # the column is the database's to keep: nobody else may write it
        cursor.execute("SAVEPOINT direct_write")
        with pytest.raises(ProgrammingError, match="can only be updated to DEFAULT"):
            cursor.execute("UPDATE articles_article SET search_vector = NULL WHERE id = %s", [story.pk])
        cursor.execute("ROLLBACK TO SAVEPOINT direct_write")


@pytest.mark.postgres
def test_postgres_rank_from_the_stored_vector_is_the_headline_and_dek_rank(postgres_only):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    from reader.search import SEARCH_CONFIG, headline_dek_vector

    ArticleFactory(headline="Zeppelin treaty signed", dek="The zeppelin question, settled.")
    ArticleFactory(headline="Ministers meet", dek="Zeppelin and airship talks", body="<p>" + "Zeppelin " * 50 + "</p>")
    ArticleFactory(headline="Quiet day", body="<p>A zeppelin treaty, signed at last.</p>")
    parsed = SearchVector("headline", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "dek", weight="B", config=SEARCH_CONFIG,
    )
    for words in ["zeppelin", "zeppelin treaty", '"zeppelin treaty"', "zeppelin -airship", "treaty OR airship"]:
        tsquery = SearchQuery(words, search_type="websearch", config=SEARCH_CONFIG)
        ranks = Article.objects.order_by("pk").annotate(
            stored=SearchRank(headline_dek_vector(), tsquery), parsed=SearchRank(parsed, tsquery),
        )
        assert [a.stored for a in ranks] == [a.parsed for a in ranks], words


@pytest.mark.postgres
def test_postgres_common_word_ranks_only_the_newest_candidates(client, monkeypatch, postgres_only):
    from reader import search as search_module

    monkeypatch.setattr(search_module, "SEARCH_CANDIDATES", 2)
    # Newest by publication time, whatever the order the stories were filed in.
    now = timezone.now()
    newest = ArticleFactory(body="<p>A zeppelin.</p>", published_at=now - datetime.timedelta(hours=1))
    newer = ArticleFactory(headline="Zeppelin seen", published_at=now - datetime.timedelta(hours=2))
    ArticleFactory(headline="Zeppelin zeppelin zeppelin", published_at=now - datetime.timedelta(hours=3))
    assert found(search(client, "zeppelin")) == [newer.headline, newest.headline]


@pytest.mark.postgres
def test_postgres_generated_corpus_is_found_through_the_rebuilt_index(postgres_only):
    from django.contrib.postgres.search import SearchQuery, SearchVector
    from django.core.management import call_command

    from reader.private_api import StoredSearchVector
    from reader.search import SEARCH_CONFIG

    def gin_indexes():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article'")
            return {name: definition for name, definition in cursor.fetchall() if " USING gin " in definition}

    before = gin_indexes()
    # generate_corpus writes stories with COPY, its GIN indexes dropped (corpus.search_indexes_deferred).
    call_command("generate_corpus", stories=60, seed=6, verbosity=0, stdout=StringIO(), stderr=StringIO())
    assert gin_indexes() == before
    tsquery = SearchQuery("Freedonia", config=SEARCH_CONFIG)
    stored = Article.objects.alias(v=StoredSearchVector()).filter(v=tsquery)
    parsed = Article.objects.alias(
        v=SearchVector("headline", "dek", "search_document", config=SEARCH_CONFIG),
    ).filter(v=tsquery)
    assert stored.exists()
    assert set(stored.values_list("pk", flat=True)) == set(parsed.values_list("pk", flat=True))


def test_stored_search_vector_exists_on_postgresql_only():
    with connection.cursor() as cursor:
        columns = {column.name for column in connection.introspection.get_table_description(cursor, "articles_article")}
    assert ("search_vector" in columns) == (connection.vendor == "postgresql")


def test_edited_story_is_found_by_its_new_words(client):
    story = ArticleFactory(headline="Zeppelin treaty signed")
    story.headline = "Airship treaty signed"
    story.save()
    assert found(search(client, "zeppelin")) == []
    assert found(search(client, "airship")) == [story.headline]


@pytest.mark.postgres
def test_postgres_hangul_search_can_use_the_trigram_index(postgres_only):
    ArticleFactory.create_batch(3)
    plan = plan_without_seqscan(search_articles(Article.objects.all(), "남북관계"))
    assert "article_search_trgm" in plan


# SQLite FTS5 (migration 0006) ------------------------------------------------------------------

@pytest.fixture
def fts5():
    """Skip unless the test database is SQLite with the FTS5 index (the default test database)."""
    if not uses_fts5():
        pytest.skip("needs SQLite with FTS5 (the default test database)")


def sqlite_fts(test):
    """Run test on the SQLite leg only (deselected elsewhere, see conftest), with the FTS5 index."""
    return pytest.mark.sqlite(pytest.mark.usefixtures("fts5")(test))


def fts_ids(query):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM article_search WHERE article_search MATCH %s ORDER BY rowid", [query])
        return [row[0] for row in cursor.fetchall()]


@sqlite_fts
def test_sqlite_search_goes_through_the_fts_index():
    ArticleFactory(headline="Zeppelin treaty signed")
    sql = str(search_articles(Article.objects.published(), "zeppelin").query)
    assert "article_search MATCH" in sql and "bm25(" in sql


@sqlite_fts
def test_sqlite_fts_triggers_survive_every_migration():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles_article'")
        triggers = {row[0] for row in cursor.fetchall()}
    assert {"article_search_insert", "article_search_update", "article_search_delete"} <= triggers


@sqlite_fts
def test_sqlite_fts_index_follows_insert_update_and_delete(client):
    story = ArticleFactory(headline="Zeppelin treaty signed")
    assert fts_ids('"zeppelin"') == [story.pk]
    story.headline = "Airship treaty signed"
    story.save()
    assert fts_ids('"zeppelin"') == []
    assert fts_ids('"airship"') == [story.pk]
    assert found(search(client, "airship")) == [story.headline]
    Article.objects.filter(pk=story.pk).update(search_document="Quiet words about a dirigible")
    assert fts_ids('"dirigible"') == [story.pk]
    story.delete()
    assert fts_ids('"dirigible"') == []
    with connection.cursor() as cursor:  # the index agrees with the table it indexes
        cursor.execute("INSERT INTO article_search(article_search, rank) VALUES ('integrity-check', 1)")


@sqlite_fts
def test_unpublished_story_leaves_search_results_at_once(client):
    story = ArticleFactory(headline="Zeppelin treaty signed")
    assert found(search(client, "zeppelin")) == [story.headline]
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    assert found(search(client, "zeppelin")) == []


def test_search_stems_english_words_and_finds_hangul_word_beginnings(client):
    story = ArticleFactory(
        headline="남북 정상 회담 재개 합의", body="<p>양측은 회담을 재개하기로 했다. Zeppelins sighted.</p>",
    )
    assert found(search(client, "회담을")) == [story.headline]
    assert found(search(client, "재개")) == [story.headline]
    assert found(search(client, "zeppelins")) == [story.headline]


@pytest.mark.parametrize("query", ["회", "a", "Z", "북"])
def test_one_character_queries_work(client, query):
    ArticleFactory(headline="남북 회담 a Zeppelin")
    assert search(client, query).status_code == 200


@pytest.mark.parametrize(
    "query",
    ['"', "*", "NEAR(", "NEAR(zeppelin treaty, 2)", "OR", "zeppelin OR", "-", "- zeppelin", '"zeppelin',
     'zeppelin"', '""', "^zeppelin", "zeppelin*", "headline:zeppelin", "{headline}: zeppelin", "AND NOT",
     "(zeppelin", "zeppelin)", "'", "\\", "%", "_", ":", "+", "zep\x01pelin"],
)
def test_hostile_queries_never_fail(client, query):
    story = ArticleFactory(headline="Zeppelin treaty signed")
    response = search(client, query)
    assert response.status_code == 200
    if query in ('"zeppelin', 'zeppelin"', "^zeppelin", "zeppelin*", "(zeppelin", "zeppelin)"):
        assert found(response) == [story.headline]  # operators are only text, the word still counts


@sqlite_fts
def test_fts_query_quotes_every_word():
    from reader.search import fts5_query

    assert fts5_query('NEAR(a b) OR "x') == '"NEAR(a" "b)" "OR" "x"'
    assert fts5_query('say"hi') == '"say""hi"'
    assert fts5_query("* - ^") == ""
    assert fts5_query("회담") == '"회담"*'


@sqlite_fts
def test_common_word_ranks_only_the_newest_candidates(client, monkeypatch):
    from reader import search as search_module

    monkeypatch.setattr(search_module, "SEARCH_CANDIDATES", 2)
    old = ArticleFactory(headline="Zeppelin zeppelin zeppelin")
    newer = ArticleFactory(body="<p>A zeppelin.</p>")
    newest = ArticleFactory(headline="Zeppelin seen")
    assert old.pk < newer.pk < newest.pk
    assert found(search(client, "zeppelin")) == [newest.headline, newer.headline]


def test_search_results_are_not_for_shared_caches(client):
    ArticleFactory(headline="Zeppelin talks resume")
    response = client.get("/search/", {"q": "zeppelin"})
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
