import datetime

import pytest
from django.utils import timezone

from articles.models import Article

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.mark.parametrize(
    ("status", "offset", "visible"),
    [
        (Article.Status.PUBLISHED, -datetime.timedelta(minutes=1), True),
        (Article.Status.PUBLISHED, datetime.timedelta(minutes=1), False),
        (Article.Status.PUBLISHED, None, False),
        (Article.Status.DRAFT, -datetime.timedelta(days=1), False),
        (Article.Status.IN_REVIEW, -datetime.timedelta(days=1), False),
        (Article.Status.ARCHIVED, -datetime.timedelta(days=1), False),
    ],
)
def test_published_queryset_and_is_published_agree(status, offset, visible):
    article = ArticleFactory(status=status, published_at=None if offset is None else NOW + offset)
    in_queryset = Article.objects.published(at=NOW).filter(pk=article.pk).exists()
    assert in_queryset is visible
    assert article.is_published(at=NOW) is visible


def test_scheduled_story_goes_live_when_its_time_comes():
    article = ArticleFactory(published_at=NOW + datetime.timedelta(hours=2))
    assert article.is_scheduled(at=NOW)
    assert not Article.objects.published(at=NOW).filter(pk=article.pk).exists()
    later = NOW + datetime.timedelta(hours=3)
    assert Article.objects.published(at=later).filter(pk=article.pk).exists()


def test_slug_is_filled_from_headline_and_kept_unique():
    first = ArticleFactory(headline="Envoys meet at the border", slug="")
    second = ArticleFactory(headline="Envoys meet at the border", slug="")
    assert first.slug == "envoys-meet-at-the-border"
    assert second.slug == "envoys-meet-at-the-border-2"


def test_hangul_headline_gives_hangul_slug():
    article = ArticleFactory(headline="남북 관계 전망", slug="")
    assert article.slug == "남북-관계-전망"
    assert article.get_absolute_url() == "/stories/%EB%82%A8%EB%B6%81-%EA%B4%80%EA%B3%84-%EC%A0%84%EB%A7%9D/"


def test_body_is_sanitized_on_save():
    article = ArticleFactory(body='<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:x">l</a></p>')
    article.refresh_from_db()
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert article.body.startswith("<p>Hi")


def test_commentary_keeps_affiliation_printed_at_the_time():
    old_home = OrganizationFactory(name="Old Imaginary Institute")
    analyst = AnalystFactory(title="fellow", organization=old_home)
    commentary = CommentaryFactory(analyst=analyst)
    assert commentary.affiliation_as_printed == "Old Imaginary Institute"
    assert commentary.title_as_printed == "fellow"

    analyst.organization = OrganizationFactory(name="New Imaginary University")
    analyst.title = "professor"
    analyst.save()
    commentary.refresh_from_db()
    assert commentary.affiliation_as_printed == "Old Imaginary Institute"
    assert commentary.title_as_printed == "fellow"


def test_topics_are_case_insensitive():
    a = ArticleFactory()
    b = ArticleFactory()
    a.topics.add("North Imaginaria")
    b.topics.add("north imaginaria")
    assert a.topics.get() == b.topics.get()


def test_querysets_chain():
    analyst = AnalystFactory()
    quoted = CommentaryFactory(analyst=analyst).article
    quoted.topics.add("Sylvania")
    ArticleFactory().topics.add("Sylvania")
    ArticleFactory(status=Article.Status.DRAFT).topics.add("Sylvania")
    assert list(Article.objects.published().tagged("sylvania").quoting(analyst)) == [quoted]
    assert Article.objects.published().tagged("sylvania").count() == 2


def test_body_is_sanitized_when_loaded_raw_from_a_fixture(tmp_path):
    from django.core.management import call_command

    fixture = tmp_path / "story.json"
    fixture.write_text(
        '[{"model": "articles.article", "fields": {"headline": "Raw load", "slug": "raw-load", '
        '"body": "<p>Fine</p><script>alert(1)</script><img src=x onerror=alert(1)>", '
        '"status": "draft", "kind": "news", "created_at": "2025-01-01T00:00:00Z", '
        '"updated_at": "2025-01-01T00:00:00Z"}}]'
    )
    call_command("loaddata", str(fixture), verbosity=0)
    assert Article.objects.get(slug="raw-load").body == "<p>Fine</p>"


def test_slug_urls_reverses_many_slugs_as_slug_url_does_under_the_prefix_it_was_made_with():
    from django.urls import set_script_prefix

    from articles.models import slug_url, slug_urls

    paths = slug_urls("articles:topic_detail")
    assert [paths(slug) for slug in ("pretend-a", "pretend-b")] == [
        slug_url("articles:topic_detail", "pretend-a"), slug_url("articles:topic_detail", "pretend-b"),
    ]
    try:
        set_script_prefix("/desk/")
        assert slug_urls("articles:topic_detail")("pretend-a") == "/desk" + paths("pretend-a")
    finally:
        set_script_prefix("/")
