"""A byline that would print no name stops publishing; new accounts get profiles; edits reach the page cache."""
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from articles import services, signals
from articles.models import Article, Transition
from people.models import StaffProfile, StandardsPage

from ..articles.workflow_support import person
from ..factories import ArticleFactory, BylineFactory, StaffProfileFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return person("Editor", "edmund")


@pytest.fixture
def draft():
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, headline="A pretend border reopens")


@pytest.mark.parametrize("action", ["publish", "schedule"])
def test_a_byline_with_no_name_to_print_refuses_publishing_and_saves_nothing(editor, draft, action):
    BylineFactory(article=draft, author=UserFactory(username="ed1", first_name="", last_name=""))
    at = timezone.now() + datetime.timedelta(days=1) if action == "schedule" else None
    with pytest.raises(ValidationError) as refused:
        services.article_transition(article=draft, action=action, user=editor, at=at)
    message = refused.value.messages[0]
    assert "“ed1”" in message and "no display name" in message and "Staff profiles" in message
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.published_at is None
    assert not Transition.objects.filter(article=draft).exists()


def test_the_refusal_names_every_nameless_account(editor, draft):
    for login in ("ed1", "ed2"):
        BylineFactory(article=draft, author=UserFactory(username=login, first_name="", last_name=""))
    with pytest.raises(ValidationError, match="The accounts “ed1” and “ed2” have no display name"):
        services.article_transition(article=draft, action="publish", user=editor)


def test_a_named_byline_publishes(editor, draft):
    BylineFactory(article=draft, author=StaffProfileFactory(user__first_name="", user__last_name="").user)
    BylineFactory(article=draft, author=UserFactory(first_name="Tobiah", last_name="Inkstone"))
    story = services.article_transition(article=draft, action="publish", user=editor)
    assert story.is_published()


def test_a_story_with_no_byline_still_publishes(editor, draft):
    # Nobody credited is a warning on the story form (sourcing checks), not a refusal.
    assert services.article_transition(article=draft, action="publish", user=editor).is_published()


def test_create_editor_gives_the_account_a_profile_under_the_name_typed():
    out = io.StringIO()
    call_command("create_editor", "ed1", "--name", "  Marisol   Pennyquill ", "--role", "reporter", stdout=out)
    profile = StaffProfile.objects.get(user__username="ed1")
    assert (profile.display_name, profile.slug) == ("Marisol Pennyquill", "marisol-pennyquill")
    assert profile.is_current
    assert "for Marisol Pennyquill" in out.getvalue()


def test_create_editor_requires_a_name():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--name"):
        call_command("create_editor", "ed1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Give the name bylines print"):
        call_command("create_editor", "ed1", "--name", "   ", stdout=io.StringIO())
    assert not StaffProfile.objects.exists()


def test_an_account_first_credited_on_a_byline_gets_a_profile_under_its_full_name():
    named = UserFactory(first_name="Tobiah", last_name="Inkstone")
    nameless = UserFactory(first_name="", last_name="")
    BylineFactory(author=named)
    BylineFactory(author=nameless)
    kept = StaffProfileFactory(display_name="Chosen Name")
    BylineFactory(author=kept.user)
    assert StaffProfile.objects.get(user=named).display_name == "Tobiah Inkstone"
    assert not StaffProfile.objects.filter(user=nameless).exists()
    kept.refresh_from_db()
    assert kept.display_name == "Chosen Name"


@pytest.fixture
def announced():
    """Record every content_changed the core's signal carries."""
    calls = []

    def listen(sender, **kwargs):
        calls.append(kwargs.get("using"))

    signals.content_changed.connect(listen, dispatch_uid="tests.people.announced")
    yield calls
    signals.content_changed.disconnect(dispatch_uid="tests.people.announced")


def test_profile_and_standards_edits_make_pages_stale(announced):
    profile = StaffProfileFactory()
    assert announced, "a new profile is news to bylines and the staff list"
    announced.clear()
    profile.expertise.add(TopicFactory())
    assert announced
    announced.clear()
    page = StandardsPage.objects.get(kind="ethics")
    page.title = "Our ethics"
    page.save()
    assert announced
    announced.clear()
    profile.delete()
    assert announced
