"""The workflow: draft, review, published now or scheduled, unpublished; recorded and shown."""
import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, SlugRedirect, Transition

from ..factories import ArticleFactory
from .workflow_support import change_url, messages_of, person, story_post

pytestmark = pytest.mark.django_db
SEOUL = datetime.timezone(datetime.timedelta(hours=9))


@pytest.fixture
def reporter():
    return person("Reporter", "rhea")


@pytest.fixture
def editor():
    return person("Editor", "edmund")


def draft(**kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, **kwargs)


def test_full_path_draft_review_published_unpublished_reopened(client, reporter, editor):
    story = draft(created_by=reporter)
    client.force_login(reporter)
    client.post(change_url(story), story_post(story, _transition="submit"))
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW

    client.force_login(editor)
    client.post(change_url(story), story_post(story, _transition="return"))
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    story = services.article_transition(article=story, action="submit", user=reporter)

    response = client.post(change_url(story), story_post(story, _transition="publish"), follow=True)
    story.refresh_from_db()
    assert story.is_published()
    assert "Published: readers see it now." in messages_of(response)
    assert client.get(story.get_absolute_url()).status_code == 200

    client.post(change_url(story), story_post(story, _transition="unpublish"))
    story.refresh_from_db()
    assert story.status == Article.Status.ARCHIVED
    assert client.get(story.get_absolute_url()).status_code == 404

    client.post(change_url(story), story_post(story, _transition="reopen"))
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT

    log = list(Transition.objects.filter(article=story).order_by("at", "pk").values_list("from_status", "to_status"))
    assert log == [
        ("draft", "in_review"), ("in_review", "draft"), ("draft", "in_review"), ("in_review", "published"),
        ("published", "archived"), ("archived", "draft"),
    ]
    assert Transition.objects.filter(article=story, by=editor).count() == 4


def test_transition_buttons_save_the_edits_first(client, editor):
    story = draft()
    client.force_login(editor)
    client.post(change_url(story), story_post(story, headline="Freshly edited then published", _transition="publish"))
    story.refresh_from_db()
    assert story.headline == "Freshly edited then published" and story.is_published()


def test_new_story_can_be_saved_and_submitted_at_once(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("admin:articles_article_add"), story_post(_transition="submit"))
    story = Article.objects.get()
    assert response.status_code == 302 and response.url == change_url(story)
    assert story.status == Article.Status.IN_REVIEW
    assert story.transitions.get().by == reporter


def test_status_is_read_only_on_the_form_even_for_editors(client, editor):
    story = draft()
    client.force_login(editor)
    assert "status" not in client.get(change_url(story)).context["adminform"].form.fields
    client.post(change_url(story), story_post(story, status="published"))
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert not Transition.objects.exists()


def test_change_form_shows_buttons_log_and_time_zone(client, editor):
    story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    services.article_transition(article=story, action="return", user=editor)
    client.force_login(editor)
    page = client.get(change_url(story)).content.decode()
    for action in ("submit", "publish", "schedule"):
        assert f'name="_transition" value="{action}"' in page
    assert 'value="unpublish"' not in page
    assert "Status changes (latest first)" in page and "Edmund Testwright" in page
    assert "Asia/Seoul" in page and "KST" in page
    assert reverse("articles:article_preview", args=[story.pk]) in page


def test_every_time_field_says_its_time_zone(client, editor):
    client.force_login(editor)
    form = client.get(reverse("admin:articles_article_add")).context["adminform"].form
    for name in ("published_at", "revised_at"):
        assert "Asia/Seoul" in str(form.fields[name].help_text)
    story = ArticleFactory(published_at=datetime.datetime(2025, 7, 28, 9, 0, tzinfo=SEOUL))
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Publication time (Seoul)" in changelist
    assert "28 Jul 2025, 09:00 KST" in changelist and story.headline in changelist


@time_machine.travel(datetime.datetime(2025, 7, 27, 18, 0, tzinfo=SEOUL), tick=False)
def test_scheduled_story_goes_live_at_its_time_without_a_cron(client, editor):
    story = draft(slug="scheduled-fictional-story")
    client.force_login(editor)
    response = client.post(change_url(story), story_post(
        story, published_at_0="2025-07-28", published_at_1="09:00:00", _transition="schedule",
    ), follow=True)
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert story.published_at == datetime.datetime(2025, 7, 28, 9, 0, tzinfo=SEOUL)
    assert "Scheduled: readers see it from 28 Jul 2025, 09:00 KST." in messages_of(response)
    assert story.is_scheduled() and not story.is_published()
    client.logout()
    assert client.get("/stories/scheduled-fictional-story/").status_code == 404
    assert story not in Article.objects.published()

    with time_machine.travel(datetime.datetime(2025, 7, 28, 8, 59, tzinfo=SEOUL), tick=False):
        assert client.get("/stories/scheduled-fictional-story/").status_code == 404
    with time_machine.travel(datetime.datetime(2025, 7, 28, 9, 0, tzinfo=SEOUL), tick=False):
        assert client.get("/stories/scheduled-fictional-story/").status_code == 200
        assert story in Article.objects.published()


@time_machine.travel(datetime.datetime(2025, 7, 27, 18, 0, tzinfo=SEOUL), tick=False)
def test_schedule_refuses_a_past_time_and_keeps_the_story_a_draft(client, editor):
    story = draft()
    client.force_login(editor)
    response = client.post(change_url(story), story_post(
        story, published_at_0="2025-07-27", published_at_1="09:00:00", _transition="schedule",
    ), follow=True)
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert any("set a publication time in the future" in m for m in messages_of(response))


@time_machine.travel(datetime.datetime(2025, 7, 27, 18, 0, tzinfo=SEOUL), tick=False)
def test_scheduled_story_can_be_published_now_or_cancelled(editor):
    story = draft()
    at = datetime.datetime(2025, 7, 28, 9, 0, tzinfo=SEOUL)
    services.article_transition(article=story, action="schedule", user=editor, at=at)
    story = services.article_transition(article=story, action="publish", user=editor)
    assert story.published_at == timezone.now() and story.is_published()

    other = draft()
    services.article_transition(article=other, action="schedule", user=editor, at=at)
    other = services.article_transition(article=other, action="unpublish", user=editor)
    assert other.status == Article.Status.ARCHIVED


def test_live_story_cannot_be_published_again_or_rescheduled(editor):
    story = ArticleFactory()
    for action, kwargs in (("publish", {}), ("schedule", {"at": timezone.now() + datetime.timedelta(days=1)})):
        with pytest.raises(ValidationError, match="not possible"):
            services.article_transition(article=story, action=action, user=editor, **kwargs)


def test_republishing_keeps_the_first_publication_time(editor):
    story = ArticleFactory()
    first = story.published_at
    services.article_transition(article=story, action="unpublish", user=editor)
    story = services.article_transition(article=story, action="publish", user=editor)
    assert story.published_at == first


def test_transition_url_moves_a_story_and_needs_post(client, editor):
    story = ArticleFactory()
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[story.pk, "unpublish"])
    assert client.get(url).status_code == 405
    response = client.post(url, {"version": story.version})
    assert response.status_code == 302 and response.url == change_url(story)
    story.refresh_from_db()
    assert story.status == Article.Status.ARCHIVED


def test_transition_url_refuses_a_stale_version(client, editor):
    story = ArticleFactory()
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[story.pk, "unpublish"])
    response = client.post(url, {"version": story.version - 1}, follow=True)
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert any("changed this story since you loaded it" in m for m in messages_of(response))


def test_unknown_action_is_a_message_not_an_error(client, editor):
    story = draft()
    client.force_login(editor)
    response = client.post(reverse("admin:articles_article_transition", args=[story.pk, "explode"]), follow=True)
    assert response.status_code == 200
    assert any("Unknown workflow action" in m for m in messages_of(response))


# Slug changes ------------------------------------------------------------------------------------


def test_changing_a_published_slug_redirects_the_old_address(client, editor):
    story = ArticleFactory(slug="old-fictional-address")
    client.force_login(editor)
    response = client.post(change_url(story), story_post(story, slug="new-fictional-address"), follow=True)
    assert any("/stories/old-fictional-address/ now redirects" in m for m in messages_of(response))
    assert SlugRedirect.objects.get().old_slug == "old-fictional-address"
    client.logout()
    moved = client.get("/stories/old-fictional-address/")
    assert moved.status_code == 301
    assert moved["Location"] == "/stories/new-fictional-address/"
    assert client.get(moved["Location"]).status_code == 200


def test_hangul_slug_change_redirects_too(client, editor):
    story = ArticleFactory(slug="김여정-담화")
    client.force_login(editor)
    client.post(change_url(story), story_post(story, slug="김여정-담화-서울"))
    client.logout()
    moved = client.get(reverse("articles:article_detail", kwargs={"slug": "김여정-담화"}))
    assert moved.status_code == 301
    assert moved["Location"] == reverse("articles:article_detail", kwargs={"slug": "김여정-담화-서울"})


def test_changing_a_draft_slug_leaves_no_redirect(client, editor):
    story = draft(slug="draft-address")
    client.force_login(editor)
    client.post(change_url(story), story_post(story, slug="better-draft-address"))
    assert not SlugRedirect.objects.exists()


def test_moving_back_to_an_old_slug_removes_its_redirect(client, editor):
    story = ArticleFactory(slug="first-address")
    client.force_login(editor)
    client.post(change_url(story), story_post(story, slug="second-address"))
    story.refresh_from_db()
    client.post(change_url(story), story_post(story, slug="first-address"))
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["second-address"]
    client.logout()
    assert client.get("/stories/first-address/").status_code == 200
    assert client.get("/stories/second-address/").status_code == 301


def test_old_address_of_an_unpublished_story_does_not_redirect(client, editor):
    story = ArticleFactory(slug="gone-address")
    services.article_slug_changed(article=story, old_slug="older-address")
    services.article_transition(article=story, action="unpublish", user=editor)
    assert client.get("/stories/older-address/").status_code == 404


def test_time_labels_and_messages_follow_the_desks_zone_setting(client, editor, settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    client.force_login(editor)
    story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Publication time (Lisbon)" in changelist and "Seoul" not in changelist
    with pytest.raises(ValidationError, match=r"in the future \(Lisbon time\)"):
        services.article_transition(article=story, action="schedule", user=editor, at=None)
    assert "(Lisbon time)" in str(services.MOVES["schedule"].help)
