"""Revision history: who changed what and when, a readable diff, and restoring a revision."""
import pytest
from django.urls import reverse

from articles.models import Article

from ..factories import ArticleFactory, CitationFactory, CommentaryFactory
from .workflow_support import change_url, messages_of, person, story_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return person("Editor", "edmund")


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


@pytest.fixture
def edited(client, editor):
    """A story saved twice through the admin by two editors."""
    story = ArticleFactory(headline="Freedonia mulls a fictional tariff", body="<p>The cabinet met on Monday.</p>")
    client.force_login(editor)
    client.post(change_url(story), story_post(
        story, headline="Freedonia imposes a fictional tariff", body="<p>The cabinet met on Tuesday.</p>",
    ))
    story.refresh_from_db()
    second = person("Editor", "gwen")
    client.force_login(second)
    client.post(change_url(story), story_post(story, dek="Now with a sharper dek."))
    story.refresh_from_db()
    client.force_login(editor)
    return story


def test_history_lists_each_save_with_who_and_which_fields(client, edited):
    response = client.get(history_url(edited))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Edmund Testwright" in page and "Gwen Testwright" in page
    records = list(response.context["page_obj"])
    assert len(records) == 3
    assert {change["field"] for change in records[1].history_delta_changes} >= {"Headline", "Body"}
    assert "What changed" in page and "Restore this revision" in page
    assert "Asia/Seoul" in page


def test_diff_shows_removed_and_added_words(client, edited):
    record = edited.history.order_by("history_date")[1]
    response = client.get(reverse("admin:articles_article_revision_diff", args=[edited.pk, record.history_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>mulls</del>" in page and "<ins>imposes</ins>" in page
    assert "<del>Monday.</del>" in page and "<ins>Tuesday.</ins>" in page
    assert "<p>" not in "".join(c.get("segments", [("", "")])[0][1] for c in response.context["changes"])


def test_diff_escapes_what_editors_typed(client, editor):
    story = ArticleFactory(headline="Plain headline")
    client.force_login(editor)
    client.post(change_url(story), story_post(story, headline="Headline <script>alert(1)</script>"))
    record = story.history.latest()
    page = client.get(reverse("admin:articles_article_revision_diff", args=[story.pk, record.history_id]))
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert "&lt;script&gt;" in page.content.decode()


def test_restore_brings_back_the_old_text_but_not_the_old_status(client, edited, editor):
    first = edited.history.earliest()
    url = reverse("admin:articles_article_simple_history", args=[edited.pk, first.history_id])
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert form_page.context["adminform"].form["headline"].value() == "Freedonia mulls a fictional tariff"
    data = story_post(first.instance)
    data["loaded_version"] = form_page.context["adminform"].form["loaded_version"].value()
    client.post(url, data)
    edited.refresh_from_db()
    assert edited.headline == "Freedonia mulls a fictional tariff"
    assert edited.body == "<p>The cabinet met on Monday.</p>"
    assert edited.status == Article.Status.PUBLISHED
    assert edited.history.latest().history_user == editor


def test_restore_from_a_stale_page_is_refused(client, edited):
    first = edited.history.earliest()
    url = reverse("admin:articles_article_simple_history", args=[edited.pk, first.history_id])
    data = story_post(edited, headline="Stale restore")
    data["loaded_version"] = str(edited.version - 1)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else" in response.content.decode()
    edited.refresh_from_db()
    assert edited.headline != "Stale restore"


def test_history_page_includes_commentary_and_citation_changes(client, editor):
    story = ArticleFactory()
    item = CommentaryFactory(article=story, text="The first fictional wording.")
    item.text = "The second fictional wording."
    item.save()
    CitationFactory(article=story, taken="A fictional ministry summary.")
    client.force_login(editor)
    page = client.get(history_url(story)).content.decode()
    assert "Expert commentary: history" in page and "Sources cited: history" in page
    assert "The first fictional wording." in page and "The second fictional wording." in page
    assert "A fictional ministry summary." in page


def test_diff_of_another_story_id_is_404(client, edited):
    record = edited.history.latest()
    other = ArticleFactory()
    url = reverse("admin:articles_article_revision_diff", args=[other.pk, record.history_id])
    assert client.get(url).status_code == 404


def test_history_user_is_recorded_for_workflow_moves(client, editor):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    response = client.post(change_url(story), story_post(story, _transition="publish"), follow=True)
    assert "Published: readers see it now." in messages_of(response)
    latest = story.history.latest()
    assert latest.status == Article.Status.PUBLISHED and latest.history_user == editor
