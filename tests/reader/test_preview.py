"""The private preview: the reader's story page for drafts and scheduled stories, desk only."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from ..articles.workflow_support import jsonld_blocks, person
from ..factories import ArticleFactory, CommentaryFactory, UserFactory

pytestmark = pytest.mark.django_db


def preview_url(article):
    return reverse("articles:article_preview", args=[article.pk])


@pytest.fixture
def editor():
    return person("Editor", "edmund")


@pytest.fixture
def story():
    story = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, headline="Sylvania drafts a fictional treaty",
    )
    CommentaryFactory(article=story, text="A fictional analyst's careful words.")
    return story


def test_anonymous_visitor_gets_404(client, story):
    assert client.get(preview_url(story)).status_code == 404


def test_signed_in_non_staff_user_gets_404(client, story):
    client.force_login(UserFactory(username="reader", is_staff=False))
    assert client.get(preview_url(story)).status_code == 404


def test_editor_sees_the_draft_with_the_reader_template_and_a_banner(client, editor, story):
    client.force_login(editor)
    response = client.get(preview_url(story))
    assert response.status_code == 200
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "Preview — not published." in page and "Status: Draft" in page
    assert "Sylvania drafts a fictional treaty" in page and "careful words" in page
    assert response.context["preview"]


def test_preview_is_never_cached_and_never_indexed(client, editor, story):
    client.force_login(editor)
    response = client.get(preview_url(story))
    cache_control = response["Cache-Control"]
    for directive in ("no-cache", "no-store", "must-revalidate", "private"):
        assert directive in cache_control
    assert "Expires" in response
    page = response.content.decode()
    assert '<meta name="robots" content="noindex' in page
    assert 'rel="canonical"' not in page
    assert response["X-Robots-Tag"].startswith("noindex")


def test_draft_preview_has_structured_data_as_if_published_now(client, editor, story):
    client.force_login(editor)
    data = jsonld_blocks(client.get(preview_url(story)))
    article = next(block for block in data if block.get("headline"))
    published = datetime.datetime.fromisoformat(article["datePublished"])
    assert abs(published - timezone.now()) < datetime.timedelta(minutes=1)
    story.refresh_from_db()
    assert story.published_at is None  # nothing was saved


def test_scheduled_story_preview_says_when_it_goes_live(client, editor):
    at = timezone.now() + datetime.timedelta(days=2)
    story = ArticleFactory(published_at=at)
    client.force_login(editor)
    page = client.get(preview_url(story)).content.decode()
    assert "Scheduled: readers see it from" in page
    assert timezone.localtime(at).strftime("%H:%M") in page
    # The banner's machine-readable time is in whole seconds, as every other time on the site.
    assert f'<time datetime="{timezone.localtime(at).replace(microsecond=0).isoformat()}">' in page
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_reporter_previews_own_draft_but_not_someone_elses(client, story):
    reporter = person("Reporter", "rhea")
    own = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    client.force_login(reporter)
    assert client.get(preview_url(own)).status_code == 200
    assert client.get(preview_url(story)).status_code == 404


def test_public_page_of_a_live_story_has_no_banner(client, editor):
    story = ArticleFactory()
    client.force_login(editor)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Preview — not published" not in page and 'rel="canonical"' in page


def test_missing_story_preview_is_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("articles:article_preview", args=[999999])).status_code == 404


def test_a_draft_without_a_publication_time_does_not_say_published(client, editor, story):
    client.force_login(editor)
    page = client.get(preview_url(story)).content.decode()
    times = re.search(r'<p class="story__times">(.*?)</p>', page, re.DOTALL)[1]
    assert "Published" not in times and "<time" not in times
    assert "Not published" in times
    assert 'property="article:published_time"' not in page


def test_a_scheduled_preview_shows_its_publication_time(client, editor, story):
    story.status, story.published_at = Article.Status.PUBLISHED, timezone.now() + datetime.timedelta(days=2)
    story.save()
    client.force_login(editor)
    page = client.get(preview_url(story)).content.decode()
    times = re.search(r'<p class="story__times">(.*?)</p>', page, re.DOTALL)[1]
    assert "Published <time" in times and "Not published" not in times
