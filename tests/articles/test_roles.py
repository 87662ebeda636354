"""Roles: the groups setup_roles creates, create_editor, and who may do what by every route."""
import datetime
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Correction, Transition

from ..factories import AnalystFactory, ArticleFactory, BylineFactory, TopicFactory, UserFactory
from .workflow_support import add_url, change_url, person, story_post

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def reporter():
    return person("Reporter", "rhea")


@pytest.fixture
def editor():
    return person("Editor", "edmund")


# setup_roles and create_editor ---------------------------------------------------------------


def test_setup_roles_creates_three_groups_and_is_idempotent():
    first = run("setup_roles")
    assert "create role Reporter" in first
    counts = {g.name: g.permissions.count() for g in Group.objects.all()}
    assert set(counts) == {"Reporter", "Editor", "Admin"}
    assert counts["Reporter"] < counts["Editor"] < counts["Admin"] == Permission.objects.count()
    second = run("setup_roles")
    assert second.count("is up to date") == 3
    assert {g.name: g.permissions.count() for g in Group.objects.all()} == counts


def test_setup_roles_restores_a_permission_removed_by_hand():
    run("setup_roles")
    editors = Group.objects.get(name="Editor")
    editors.permissions.remove(Permission.objects.get(codename="publish_article"))
    assert "update role Editor: +1 / -0" in run("setup_roles")
    assert editors.permissions.filter(codename="publish_article").exists()


def test_setup_roles_dry_run_writes_nothing():
    assert "Would create role Editor" in run("setup_roles", "--dry-run")
    assert not Group.objects.exists()


def test_role_permissions_are_precise():
    run("setup_roles")
    reporter_perms = set(Group.objects.get(name="Reporter").permissions.values_list("codename", flat=True))
    editor_perms = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "add_analyst", "add_source", "add_organization", "add_topic",
            "add_commentary", "add_citation"} <= reporter_perms
    editor_only = {"publish_article", "delete_article", "merge_topics", "add_correction", "delete_analyst"}
    assert not editor_only & reporter_perms
    assert {"publish_article", "merge_topics", "add_correction", "delete_article"} <= editor_perms
    assert not {"add_user", "change_group"} & editor_perms


@pytest.mark.parametrize("role,group", [("reporter", "Reporter"), ("editor", "Editor"), ("admin", "Admin")])
def test_create_editor_prints_a_working_password_once(role, group):
    out = run("create_editor", f"new-{role}", "--name", "Nova Quillfeather", "--role", role)
    password = out.split("Password (shown only now, write it down): ")[1].split()[0]
    user = get_user_model().objects.get(username=f"new-{role}")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert len(password) >= 16 and user.check_password(password)
    assert authenticate(username=f"new-{role}", password=password) == user
    assert out.count(password) == 1


def test_create_editor_defaults_to_editor_and_refuses_an_existing_name():
    run("create_editor", "desk", "--name", "Desk Quillfeather")
    assert get_user_model().objects.get(username="desk").has_perm("articles.publish_article")
    with pytest.raises(CommandError, match="already exists.*changepassword desk"):
        call_command("create_editor", "DESK", "--name", "Other Quillfeather", stdout=io.StringIO())


# Reporter: own drafts only, never publishing --------------------------------------------------


def test_reporter_creates_a_draft_even_when_the_post_says_published(client, reporter):
    client.force_login(reporter)
    data = story_post(status="published", published_at_0="2025-07-28", published_at_1="09:00:00")
    response = client.post(add_url(), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.created_by == reporter


def test_reporter_edits_own_draft_but_not_someone_elses(client, reporter, editor):
    own = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    bylined = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=editor)
    BylineFactory(article=bylined, author=reporter)
    other = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=editor)
    client.force_login(reporter)
    for story in (own, bylined):
        assert client.post(change_url(story), story_post(story, headline="Reporter's new headline")).status_code == 302
        story.refresh_from_db()
        assert story.headline == "Reporter's new headline"
    response = client.post(change_url(other), story_post(other, headline="Hijacked"))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    other.refresh_from_db()
    assert other.headline != "Hijacked"
    # Nor read it: to them it does not exist.
    page = client.get(change_url(other), follow=True)
    assert other.headline not in page.content.decode() and "doesn’t exist" in page.content.decode()


def test_reporter_reads_live_stories_without_editing_them(client, reporter, editor):
    live = ArticleFactory(created_by=editor)
    client.force_login(reporter)
    page = client.get(change_url(live))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.post(change_url(live), story_post(live, headline="Hijacked")).status_code == 403


def test_reporter_cannot_edit_own_story_once_in_review_or_published(client, reporter):
    for status in (Article.Status.IN_REVIEW, Article.Status.PUBLISHED):
        story = ArticleFactory(status=status, created_by=reporter)
        client.force_login(reporter)
        assert client.post(change_url(story), story_post(story, headline="Late fix")).status_code == 403


def test_reporter_form_has_no_status_or_publication_time_to_set(client, reporter):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    client.force_login(reporter)
    form = client.get(change_url(story)).context["adminform"].form
    assert "status" not in form.fields
    assert "published_at" not in form.fields and "revised_at" not in form.fields


def test_reporter_crafted_status_and_time_in_change_post_are_ignored(client, reporter):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    client.force_login(reporter)
    client.post(change_url(story), story_post(
        story, status="published", published_at_0="2025-07-28", published_at_1="09:00:00",
    ))
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT and story.published_at is None


def test_reporter_publish_buttons_do_not_publish(client, reporter):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    client.force_login(reporter)
    page = client.get(change_url(story)).content.decode()
    assert 'value="submit"' in page and 'value="publish"' not in page and 'value="schedule"' not in page
    for action in ("publish", "schedule", "unpublish"):
        response = client.post(change_url(story), story_post(story, _transition=action), follow=True)
        story.refresh_from_db()
        assert story.status == Article.Status.DRAFT, action
        expected = "not possible" if action == "unpublish" else "Only editors"
        assert any(expected in m for m in map(str, response.context["messages"])), action


def test_reporter_transition_url_cannot_publish(client, reporter):
    story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None, created_by=reporter)
    client.force_login(reporter)
    url = reverse("admin:articles_article_transition", args=[story.pk, "publish"])
    client.post(url)
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW
    assert not Transition.objects.exists()


def test_reporter_bulk_publish_action_is_absent_and_refused(client, reporter):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    client.force_login(reporter)
    url = reverse("admin:articles_article_changelist")
    actions = dict(client.get(url).context["action_form"].fields["action"].choices)
    assert "publish_now" not in actions and "unpublish" not in actions
    response = client.post(url, {"action": "publish_now", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(("status", "hours", "readable"), [
    (Article.Status.PUBLISHED, -1, True),
    (Article.Status.PUBLISHED, 24, False),
    (Article.Status.IN_REVIEW, None, False),
], ids=["live", "scheduled", "in-review"])
def test_reporter_bulk_tagging_refuses_stories_they_may_not_edit(client, reporter, status, hours, readable):
    at = None if hours is None else timezone.now() + datetime.timedelta(hours=hours)
    theirs = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    others = ArticleFactory(status=status, published_at=at, headline="Someone else's pretend story")
    others.topics.add(TopicFactory(name="Pretend harbour"))
    client.force_login(reporter)
    url = reverse("admin:articles_article_changelist")

    response = client.post(
        url, {"action": "add_topic", "_selected_action": [theirs.pk, others.pk], "topic": "Pretend canals"}, follow=True
    )
    page = response.content.decode()
    assert "Tagged 1 story" in page
    # A live story they may read is refused by name; one they may not read is not even named.
    assert ("Someone else&#x27;s pretend story" in page) == readable
    assert ("cannot edit" in page) == readable
    assert list(others.topics.names()) == ["Pretend harbour"]
    assert list(theirs.topics.names()) == ["Pretend canals"]

    response = client.post(
        url, {"action": "remove_topic", "_selected_action": [others.pk], "topic": "Pretend harbour"}, follow=True
    )
    assert ("cannot edit" in response.content.decode()) == readable
    assert list(others.topics.names()) == ["Pretend harbour"]


def test_bulk_tagging_is_recorded_in_each_storys_admin_history(client, editor):
    a, b = ArticleFactory(), ArticleFactory()
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    client.post(url, {"action": "add_topic", "_selected_action": [a.pk, b.pk], "topic": "Pretend canals"})
    client.post(url, {"action": "remove_topic", "_selected_action": [a.pk], "topic": "Pretend canals"})
    entries = {(e.object_id, e.get_change_message(), e.user_id) for e in LogEntry.objects.all()}
    assert entries == {
        (str(a.pk), "Added topic “Pretend canals”.", editor.pk),
        (str(b.pk), "Added topic “Pretend canals”.", editor.pk),
        (str(a.pk), "Removed topic “Pretend canals”.", editor.pk),
    }


def test_tagging_services_refuse_a_reporter_on_a_story_they_may_not_edit(reporter):
    live = ArticleFactory()
    with pytest.raises(PermissionDenied):
        services.articles_tag(articles=Article.objects.filter(pk=live.pk), name="Pretend canals", user=reporter)
    live.topics.add(TopicFactory(name="Pretend harbour"))
    with pytest.raises(PermissionDenied):
        services.articles_untag(articles=Article.objects.filter(pk=live.pk), name="Pretend harbour", user=reporter)
    assert list(live.topics.names()) == ["Pretend harbour"]


def test_services_refuse_to_publish_for_a_reporter(reporter):
    story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None, created_by=reporter)
    with pytest.raises(PermissionDenied):
        services.articles_publish(articles=Article.objects.filter(pk=story.pk), user=reporter)
    with pytest.raises(PermissionDenied):
        services.article_transition(article=story, action="publish", user=reporter)
    with pytest.raises(PermissionDenied):
        services.article_transition(article=story, action="return", user=reporter)
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW


def test_reporter_submits_own_draft_for_review(client, reporter):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    client.force_login(reporter)
    client.post(change_url(story), story_post(story, _transition="submit"))
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW
    assert Transition.objects.get().by == reporter


def test_reporter_cannot_submit_someone_elses_draft(reporter, editor):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=editor)
    with pytest.raises(PermissionDenied):
        services.article_transition(article=story, action="submit", user=reporter)


def test_reporter_manages_analysts_sources_topics_but_not_corrections_or_merges(client, reporter):
    client.force_login(reporter)
    for name in ("analyst", "source", "organization", "topic"):
        assert client.get(reverse(f"admin:articles_{name}_add")).status_code == 200, name
    analyst = AnalystFactory()
    assert client.get(reverse("admin:articles_analyst_delete", args=[analyst.pk])).status_code == 403
    assert client.get(reverse("admin:articles_correction_add")).status_code == 403
    a, b = TopicFactory(), TopicFactory()
    client.post(reverse("admin:articles_topic_changelist"),
                {"action": "merge_topics", "_selected_action": [a.pk, b.pk], "confirm": "yes", "target": a.pk})
    assert b.__class__.objects.filter(pk=b.pk).exists()


def test_reporter_cannot_add_a_correction_inline(client, reporter):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=reporter)
    client.force_login(reporter)
    data = story_post(story)
    data.update({"corrections-TOTAL_FORMS": "1", "corrections-0-kind": "correction",
                 "corrections-0-text": "Forged", "corrections-0-published_at_0": "2025-07-28",
                 "corrections-0-published_at_1": "09:00:00"})
    client.post(change_url(story), data)
    assert not Correction.objects.exists()


def test_reporter_cannot_restore_an_old_revision_of_a_published_story(client, reporter, editor):
    story = ArticleFactory(status=Article.Status.PUBLISHED, created_by=reporter)
    old = story.history.earliest()
    client.force_login(reporter)
    url = reverse("admin:articles_article_simple_history", args=[story.pk, old.history_id])
    assert client.post(url, story_post(story, headline="Reverted by a reporter")).status_code == 403


# Editor and Admin --------------------------------------------------------------------------------


def test_editor_edits_any_story_and_publishes(client, editor, reporter):
    story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None, created_by=reporter)
    client.force_login(editor)
    client.post(change_url(story), story_post(story, headline="Editor's sharper headline", _transition="publish"))
    story.refresh_from_db()
    assert story.headline == "Editor's sharper headline"
    assert story.is_published()


def test_editor_bulk_publish_and_unpublish(client, editor):
    a, b = (ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None) for _ in range(2))
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    client.post(url, {"action": "publish_now", "_selected_action": [a.pk, b.pk]})
    assert Article.objects.published().count() == 2
    client.post(url, {"action": "unpublish", "_selected_action": [a.pk]})
    assert list(Article.objects.published()) == [b]


def test_editor_merges_topics_and_adds_corrections(client, editor):
    assert editor.has_perm("articles.merge_topics")
    client.force_login(editor)
    assert client.get(reverse("admin:articles_correction_add")).status_code == 200


def test_admin_role_manages_accounts(client):
    admin_user = person("Admin", "ada")
    client.force_login(admin_user)
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    client.post(change_url(story), story_post(story, _transition="publish"))
    story.refresh_from_db()
    assert story.is_published()


def test_editor_cannot_manage_accounts(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_add")).status_code == 403


def test_an_account_in_no_role_cannot_search_colleagues(client):
    UserFactory(username="otto", first_name="Otto")
    client.force_login(UserFactory(username="no-role"))
    url = reverse("admin:autocomplete") + "?app_label=articles&model_name=byline&field_name=author&term=otto"
    assert client.get(url).status_code == 403
