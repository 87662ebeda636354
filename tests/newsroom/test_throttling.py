"""Admin login throttling (django-axes): repeated failures lock the account out and say so."""
import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def editor(db):
    return UserFactory(username="ingrid.fictus")


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def fail_until_locked(client, username, ip="203.0.113.7"):
    responses = [attempt(client, username, "wrong-guess", ip) for _ in range(settings.AXES_FAILURE_LIMIT)]
    return responses


def test_axes_is_on_in_the_test_settings():
    assert settings.AXES_ENABLED is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "newsroom.security.LoginThrottleBackend"


def test_wrong_passwords_below_the_limit_show_the_normal_login_error(client, editor):
    response = attempt(client, editor.username, "wrong-guess")
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_account_out_with_a_clear_page(client, editor):
    responses = fail_until_locked(client, editor.username)
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert f"After {settings.AXES_FAILURE_LIMIT} wrong passwords" in page
    assert "paused for 15 minutes" in page
    assert 'class="errornote"' in page  # styled as the admin's own error box
    assert locked["Retry-After"] == str(15 * 60)
    assert AccessAttempt.objects.filter(username=editor.username).exists()


def test_the_right_password_is_refused_while_locked_out(client, editor):
    fail_until_locked(client, editor.username)
    response = attempt(client, editor.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_applies_to_that_account_from_that_address_only(client, editor):
    other = UserFactory(username="otto.fictus")
    fail_until_locked(client, editor.username)
    assert attempt(client, other.username, PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, editor.username, PASSWORD, ip="198.51.100.9").status_code == 302


def test_login_works_again_after_the_cool_off(client, editor):
    fail_until_locked(client, editor.username)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16), tick=False):
        response = attempt(client, editor.username, PASSWORD)
    assert response.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, editor.username, "wrong-guess")
    assert attempt(client, editor.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, editor.username, "wrong-guess").status_code == 200


def test_lockout_page_does_not_echo_the_username(client, db):
    hostile = '<script>alert("x")</script>'
    responses = fail_until_locked(client, hostile)
    assert responses[-1].status_code == 429
    assert hostile not in responses[-1].content.decode()


def test_test_client_login_and_force_login_keep_working(client, editor):
    """Helpers' tests log in with client.login() and client.force_login(); axes must not break them."""
    assert client.login(username=editor.username, password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    assert not client.login(username=editor.username, password="wrong-guess")
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 200
