"""Reader search on SQLite and PostgreSQL: what is found, in what order, and safe highlighting."""
import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article
from articles.search import (
    MAX_QUERY_LENGTH,
    build_search_document,
    excerpt,
    render_hits,
    search_articles,
    uses_fts5,
)

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory
from .reader import build_desk

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


@pytest.mark.postgres
def test_postgres_search_vector_matches_the_gin_index(postgres_only):
    # Without the published filter, so the only usable index is the one on the vector expression.
    ArticleFactory.create_batch(3)
    qs = search_articles(Article.objects.all(), "zeppelin")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "article_search_vector" in plan


@pytest.mark.postgres
def test_postgres_hangul_search_can_use_the_trigram_index(postgres_only):
    ArticleFactory.create_batch(3)
    qs = search_articles(Article.objects.all(), "남북관계")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
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
    from articles.search import fts5_query

    assert fts5_query('NEAR(a b) OR "x') == '"NEAR(a" "b)" "OR" "x"'
    assert fts5_query('say"hi') == '"say""hi"'
    assert fts5_query("* - ^") == ""
    assert fts5_query("회담") == '"회담"*'


@sqlite_fts
def test_common_word_ranks_only_the_newest_candidates(client, monkeypatch):
    from articles import search as search_module

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
