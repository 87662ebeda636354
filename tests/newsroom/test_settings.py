"""Project settings that change how the site talks to its database and serves its pages."""
import json

import pytest
from django.db import connection

from ..commands import run_manage

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
