"""No lost edits: two editors with the same story open; the second save is refused, text kept."""
import datetime

import pytest
import time_machine
from django.test import Client

from articles.admin_workflow import ArticleWorkflowForm
from articles.models import Article, Commentary

from ..factories import ArticleFactory, CommentaryFactory
from .workflow_support import change_url, person, story_post

pytestmark = pytest.mark.django_db
SEOUL = datetime.timezone(datetime.timedelta(hours=9))


@pytest.fixture
def two_editors():
    first, second = Client(), Client()
    first.force_login(person("Editor", "ana"))
    second.force_login(person("Editor", "bo"))
    return first, second


def loaded(client, story):
    """Open the story's change form and return what it would post back, as loaded."""
    form = client.get(change_url(story)).context["adminform"].form
    return story_post(story, loaded_version=form["loaded_version"].value())


def test_second_save_is_refused_with_who_and_when_and_keeps_the_text(two_editors):
    ana, bo = two_editors
    story = ArticleFactory(headline="A fictional ceasefire holds")
    ana_data, bo_data = loaded(ana, story), loaded(bo, story)

    with time_machine.travel(datetime.datetime(2025, 7, 28, 14, 5, tzinfo=SEOUL)):
        ana_data["headline"] = "A fictional ceasefire holds for a third day"
        assert ana.post(change_url(story), ana_data).status_code == 302

    bo_data["headline"] = "Bo's rival headline"
    bo_data["body"] = "<p>Bo's long paragraph, typed with care.</p>"
    response = bo.post(change_url(story), bo_data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else (Ana Testwright) saved this story at 14:05 KST; your text is below" in page
    assert "copy your changes, reload, and reapply" in page
    form = response.context["adminform"].form
    assert form["headline"].value() == "Bo's rival headline"
    assert "typed with care" in form["body"].value()
    story.refresh_from_db()
    assert story.headline == "A fictional ceasefire holds for a third day"
    assert story.version == 2


def test_after_reloading_the_second_editor_can_save(two_editors):
    ana, bo = two_editors
    story = ArticleFactory()
    ana.post(change_url(story), {**loaded(ana, story), "headline": "First save"})
    story.refresh_from_db()
    assert bo.post(change_url(story), {**loaded(bo, story), "headline": "Second save"}).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Second save" and story.version == 3


def test_inline_only_change_from_a_stale_form_is_refused(two_editors):
    ana, bo = two_editors
    story = ArticleFactory()
    quote = CommentaryFactory(article=story, text="Original fictional quote.")
    bo_data = loaded(bo, story)
    ana.post(change_url(story), {**loaded(ana, story), "dek": "Ana's dek"})
    bo_data.update({
        "commentary-TOTAL_FORMS": "1", "commentary-INITIAL_FORMS": "1",
        "commentary-0-id": str(quote.pk), "commentary-0-article": str(story.pk),
        "commentary-0-analyst": str(quote.analyst_id), "commentary-0-text": "Bo's rewording",
        "commentary-0-is_direct_quote": "on", "commentary-0-title_as_printed": quote.title_as_printed,
        "commentary-0-affiliation_as_printed": quote.affiliation_as_printed, "commentary-0-sort_order": "0",
    })
    response = bo.post(change_url(story), bo_data)
    assert response.status_code == 200 and "Someone else" in response.content.decode()
    assert Commentary.objects.get().text == "Original fictional quote."


def test_inline_change_from_a_fresh_form_bumps_the_version(two_editors):
    ana, _ = two_editors
    story = ArticleFactory()
    quote = CommentaryFactory(article=story, text="Original fictional quote.")
    data = loaded(ana, story)
    data.update({
        "commentary-TOTAL_FORMS": "1", "commentary-INITIAL_FORMS": "1",
        "commentary-0-id": str(quote.pk), "commentary-0-article": str(story.pk),
        "commentary-0-analyst": str(quote.analyst_id), "commentary-0-text": "Ana's rewording",
        "commentary-0-is_direct_quote": "on", "commentary-0-sort_order": "0",
    })
    assert ana.post(change_url(story), data).status_code == 302
    assert Commentary.objects.get().text == "Ana's rewording"
    story.refresh_from_db()
    assert story.version == 2


def test_a_post_without_the_loaded_version_is_refused(two_editors):
    ana, _ = two_editors
    story = ArticleFactory()
    data = story_post(story, headline="No version sent")
    del data["loaded_version"]
    assert ana.post(change_url(story), data).status_code == 200
    story.refresh_from_db()
    assert story.headline != "No version sent"


def test_a_workflow_move_in_between_also_makes_the_form_stale(two_editors):
    ana, bo = two_editors
    story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    bo_data = loaded(bo, story)
    ana.post(change_url(story), {**loaded(ana, story), "_transition": "publish"})
    response = bo.post(change_url(story), {**bo_data, "headline": "Too late"})
    assert "Someone else" in response.content.decode()


def test_race_after_validation_is_caught_by_the_conditional_update(two_editors, monkeypatch):
    """If another save lands between the form's check and the write, the write refuses too."""
    ana, _ = two_editors
    story = ArticleFactory(headline="Before the race")
    data = {**loaded(ana, story), "headline": "Ana's racing edit"}
    original_clean = ArticleWorkflowForm.clean
    raced = []

    def other_save():
        Article.objects.filter(pk=story.pk).update(version=story.version + 1, headline="The other save")

    def clean_then_lose_the_race(form):
        if raced:
            # The other save committed; the rollback of the first attempt only undid our simulation of it.
            other_save()
        cleaned = original_clean(form)
        if not raced:  # the first validation passes, then someone else saves before the write
            raced.append(True)
            other_save()
        return cleaned

    monkeypatch.setattr(ArticleWorkflowForm, "clean", clean_then_lose_the_race)
    response = ana.post(change_url(story), data)
    assert raced
    assert response.status_code == 200
    assert "Someone else" in response.content.decode()
    assert response.context["adminform"].form["headline"].value() == "Ana's racing edit"
    story.refresh_from_db()
    assert story.headline == "The other save"
