"""Staff edit their own profile in the admin, admins everyone's; standards pages are edited with history."""
import pytest
from django.urls import reverse

from people.models import StaffProfile, StandardsPage

from ..articles.workflow_support import person
from ..factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:people_{obj._meta.model_name}_change", args=[obj.pk])


def profile_post(profile, **overrides):
    data = {
        "user": profile.user_id, "display_name": profile.display_name, "slug": profile.slug,
        "job_title": profile.job_title, "bio": profile.bio, "languages": "", "public_email": "",
        "links": "", "is_current": "on" if profile.is_current else "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


@pytest.fixture
def reporter(client):
    user = person("Reporter", "rhea")
    client.force_login(user)
    return user


def test_a_reporter_sees_and_edits_only_their_own_profile(client, reporter):
    own = StaffProfileFactory(user=reporter, display_name="Rhea Testwright")
    other = StaffProfileFactory(display_name="Someone Else Entirely")
    listing = client.get(reverse("admin:people_staffprofile_changelist")).content.decode()
    assert "Rhea Testwright" in listing and "Someone Else Entirely" not in listing
    response = client.post(change_url(own), profile_post(own, job_title="Frontier correspondent", user=other.user_id))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.job_title == "Frontier correspondent" and own.user_id == reporter.pk  # the account is not theirs to move
    assert client.post(change_url(other), profile_post(other, job_title="Hijacked")).status_code in (302, 403, 404)
    other.refresh_from_db()
    assert other.job_title != "Hijacked"


def test_a_reporter_cannot_mark_themself_former_staff_or_delete_their_profile(client, reporter):
    own = StaffProfileFactory(user=reporter)
    client.post(change_url(own), profile_post(own, is_current=""))
    own.refresh_from_db()
    assert own.is_current
    delete = reverse("admin:people_staffprofile_delete", args=[own.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert StaffProfile.objects.filter(pk=own.pk).exists()


def test_profiles_are_added_by_admins_for_an_account(client, reporter):
    add = reverse("admin:people_staffprofile_add")
    assert client.get(add).status_code == 403  # create_editor or an admin gives an account its profile
    admin_user = person("Admin", "ada")
    client.force_login(admin_user)
    response = client.post(add, {
        "user": reporter.pk, "display_name": "Rhea Testwright", "slug": "rhea-testwright", "is_current": "on",
    })
    assert response.status_code == 302
    assert StaffProfile.objects.get().user == reporter


def test_an_admin_edits_everyones_profile_and_marks_former_staff(client):
    admin_user = person("Admin", "ada")
    client.force_login(admin_user)
    other = StaffProfileFactory()
    response = client.post(change_url(other), profile_post(other, is_current="", links="https://example.org/x"))
    assert response.status_code == 302, response.content.decode()[:2000]
    other.refresh_from_db()
    assert not other.is_current and other.link_list == ["https://example.org/x"]


def test_a_bad_link_is_refused_with_a_message(client, reporter):
    own = StaffProfileFactory(user=reporter)
    response = client.post(change_url(own), profile_post(own, links="not a link"))
    assert response.status_code == 200
    assert "is not a web address" in response.content.decode()


@pytest.fixture
def editor_client(client):
    client.force_login(person("Editor", "edmund"))
    return client


def test_editing_a_standards_page_sanitizes_it_keeps_history_and_ends_the_starting_text(editor_client):
    page = StandardsPage.objects.get(kind="ownership")
    response = editor_client.post(change_url(page), {
        "title": "Ownership and funding", "summary": "Who pays for us.",
        "body": '<p>Owned by its staff.</p><script>alert("x")</script><img src=x onerror=alert(1)>',
    })
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.body.startswith("<p>Owned by its staff.</p>") and not page.starting_text
    assert "<script" not in page.body and "alert" not in page.body and "onerror" not in page.body
    [edit] = page.history.all()  # the starting text came with the site; the history starts with the desk
    assert edit.history_user.username == "edmund" and edit.history_type == "~"
    history = editor_client.get(reverse("admin:people_standardspage_history", args=[page.pk]))
    assert history.status_code == 200


def test_reporters_do_not_edit_standards_pages(client, reporter):
    page = StandardsPage.objects.get(kind="ethics")
    assert client.get(reverse("admin:people_standardspage_changelist")).status_code == 403
    assert client.post(change_url(page), {"title": "Hijacked", "summary": "", "body": ""}).status_code == 403
    page.refresh_from_db()
    assert page.title == "Ethics policy"


def test_standards_pages_cannot_be_deleted_or_added(editor_client):
    client = editor_client
    client.force_login(UserFactory(username="site-admin", is_superuser=True))
    page = StandardsPage.objects.get(kind="ethics")
    assert client.post(reverse("admin:people_standardspage_delete", args=[page.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:people_standardspage_add")).status_code == 403
    assert StandardsPage.objects.filter(kind="ethics").exists()
