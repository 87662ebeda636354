"""Project settings that change how the site talks to its database and serves its pages."""
import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from ..commands import ROOT, run_manage

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom-settings-never-connected"


def database_options(**env):
    """Return DATABASES['default']['OPTIONS'] as the settings build them from this environment."""
    code = (
        "import json; from django.conf import settings;"
        " print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides={
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.base", "DATABASE_URL": POSTGRES_URL, **env,
    })
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements_unless_turned_off():
    assert database_options() == {"server_side_binding": True, "prepare_threshold": 5, "connect_timeout": 2}
    assert database_options(DJANGO_DB_PREPARE_THRESHOLD="2")["prepare_threshold"] == 2
    assert database_options(DJANGO_DB_SERVER_SIDE_BINDING="0") == {"connect_timeout": 2}


def test_postgresql_connections_give_up_connecting_and_app_servers_statements_in_seconds():
    assert database_options()["connect_timeout"] == 2
    assert database_options(DJANGO_DB_CONNECT_TIMEOUT="5")["connect_timeout"] == 5
    assert "options" not in database_options()  # commands and shells: no statement timeout
    assert database_options(DJANGO_DB_STATEMENT_TIMEOUT="2.5")["options"] == "-c statement_timeout=2500"


def test_sqlite_waits_for_a_write_lock_at_most_the_statement_timeout():
    sqlite = {"DATABASE_URL": "sqlite:///newsroom-settings-never-connected.sqlite3"}
    assert database_options(**sqlite) == {"timeout": 5}
    assert database_options(**sqlite, DJANGO_DB_STATEMENT_TIMEOUT="3") == {"timeout": 3.0}


@pytest.mark.django_db
def test_a_statement_run_again_on_a_connection_is_prepared_there(postgres_only):
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    with connection.cursor() as cursor:
        for _ in range(threshold + 1):
            cursor.execute("SELECT %s::int + 1 AS prepared_probe", [41])
            assert cursor.fetchone() == (42,)
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any("prepared_probe" in statement for statement in statements), statements


@pytest.mark.django_db
def test_reader_pages_never_build_a_message_cookie_signer(client, monkeypatch):
    from django.core import signing

    built = []
    real = signing.get_cookie_signer
    monkeypatch.setattr(signing, "get_cookie_signer", lambda *a, **k: built.append(1) or real(*a, **k))
    assert client.get("/").status_code == 200
    assert built == []


def gunicorn_config(monkeypatch, **env):
    """Return gunicorn's Config as ./gunicorn.conf.py sets it under this environment (each value validated)."""
    import runpy

    from gunicorn.config import Config

    for name in ("WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "DJANGO_DB_STATEMENT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    settings = {name: value for name, value in namespace.items() if not name.startswith("_") and name != "os"}
    assert set(settings) <= set(config.settings), set(settings) - set(config.settings)
    for name, value in settings.items():
        config.set(name, value)
    return config


def test_gunicorn_bounds_workers_below_its_timeout_and_sets_the_statement_timeout(monkeypatch):
    from django.conf import settings

    config = gunicorn_config(monkeypatch)
    assert config.worker_class_str == "sync" and config.workers == 2
    assert config.graceful_timeout == 30
    # A request on a hung database answers (503) before gunicorn would kill its worker.
    admin = float(settings.NEWSROOM_DB_ADMIN_STATEMENT_TIMEOUT)
    assert config.timeout > max(1, admin) + 1
    assert config.env == {"DJANGO_DB_STATEMENT_TIMEOUT": "1"}
    tuned = gunicorn_config(monkeypatch, WEB_CONCURRENCY="8", GUNICORN_TIMEOUT="60", DJANGO_DB_STATEMENT_TIMEOUT="0")
    assert tuned.workers == 8 and tuned.timeout == 60 and tuned.env == {"DJANGO_DB_STATEMENT_TIMEOUT": "0"}


# Client addresses for login throttling (django-axes through django-ipware) ------------------------

CLIENT_ADDRESS = (
    "import json; from axes.helpers import get_client_ip_address; from django.test import RequestFactory;"
    " cases = json.loads(input());"
    " print(json.dumps([get_client_ip_address(RequestFactory().get('/', **meta)) for meta in cases]))"
)


def client_addresses(cases, **env):
    """Return the address django-axes counts for each request (its META) under the settings this environment gives."""
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", CLIENT_ADDRESS], cwd=ROOT,
        input=json.dumps(cases), capture_output=True, text=True, timeout=120,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
             "DJANGO_SETTINGS_MODULE": "newsroom.settings.production", "DJANGO_SECRET_KEY": "x" * 50, **env},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


PROXY = "10.0.0.1"  # the last proxy: the connection gunicorn sees


def test_without_a_proxy_the_connection_is_the_client_and_x_forwarded_for_is_ignored():
    cases = [{"REMOTE_ADDR": "198.51.100.7"}, {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}]
    assert client_addresses(cases) == ["198.51.100.7", "198.51.100.7"]
    assert client_addresses(cases, DJANGO_PROXY_COUNT="0") == ["198.51.100.7", "198.51.100.7"]


def test_behind_one_proxy_the_client_is_the_last_forwarded_address_whatever_a_client_wrote_before_it():
    assert client_addresses([
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"},
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66, 198.51.100.7"},  # a forged first entry
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address, 198.51.100.7"},
    ], DJANGO_PROXY_COUNT="1") == ["198.51.100.7"] * 3


def test_behind_two_proxies_the_client_is_the_second_address_from_the_right():
    assert client_addresses([
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.0.0.2"},
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66, 198.51.100.7, 10.0.0.2"},
    ], DJANGO_PROXY_COUNT="2") == ["198.51.100.7"] * 2


@pytest.mark.django_db
def test_behind_a_proxy_five_wrong_passwords_lock_out_one_client_not_every_editor(client, settings):
    from django.urls import reverse

    from newsroom.settings.base import client_address_settings

    from ..factories import UserFactory

    settings.AXES_IPWARE_META_PRECEDENCE_ORDER, settings.AXES_IPWARE_PROXY_COUNT = client_address_settings(1)
    editor = UserFactory(username="ingrid.fictus")

    def sign_in(password, forwarded):
        return client.post(reverse("admin:login"), {"username": editor.username, "password": password},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    attacker = "203.0.113.66"
    statuses = [sign_in("wrong-guess", attacker).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[-1] == 429
    assert sign_in("correct-horse-battery", f"198.51.100.7, {attacker}").status_code == 429  # a forged entry
    assert sign_in("correct-horse-battery", "198.51.100.7").status_code == 302  # the editor, through the proxy


@pytest.mark.django_db
def test_without_a_proxy_a_forged_x_forwarded_for_does_not_escape_the_lockout(client, settings):
    from django.urls import reverse

    from ..factories import UserFactory

    editor = UserFactory(username="ingrid.fictus")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": editor.username, "password": "wrong-guess"},
                    REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = client.post(reverse("admin:login"), {"username": editor.username, "password": "correct-horse-battery"},
                           REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code == 429


# Logging ----------------------------------------------------------------------------------------------

def test_the_development_console_prints_each_log_line_once():
    code = (
        "import logging; logging.getLogger('django.request').error('probe-request-error');"
        " logging.getLogger('django.server').info('probe-server-line');"
        " logging.getLogger('pagecache.backends').warning('probe-app-warning')"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides={
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev", "DJANGO_DEBUG": "1",
    })
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for probe in ("probe-request-error", "probe-server-line", "probe-app-warning"):
        assert sum(probe in line for line in lines) == 1, result.stderr
    assert any(line.startswith("[") and "probe-server-line" in line for line in lines)  # the server's own format
