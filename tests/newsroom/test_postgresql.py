"""The PostgreSQL backend's health check (newsroom/postgresql/base.py), against a real server."""
import select
import time

import psycopg
import pytest
from django.db import DatabaseError, connection, connections, transaction

from ..commands import run_manage

pytestmark = pytest.mark.django_db(transaction=True)  # a connection idle outside any transaction, as between requests


@pytest.fixture
def server(postgres_only):
    """A second connection to the test database, to watch and act on the test's own."""
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"], user=params["USER"], host=params["HOST"] or None, port=params["PORT"] or None,
        password=params["PASSWORD"] or None, autocommit=True,
    ) as other:
        yield other


def last_query(server):
    """Return the last statement the test's connection sent, as the server saw it."""
    pid = connection.connection.info.backend_pid
    return server.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]


def wait_readable(timeout=5.0):
    """Wait until the test's connection has something from the server to read."""
    poller = select.poll()
    poller.register(connection.connection.pgconn.socket, select.POLLIN)
    deadline = time.monotonic() + timeout
    while not poller.poll(50):
        assert time.monotonic() < deadline, "the server sent nothing"


def test_postgresql_urls_use_the_newsroom_backend():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {"DJANGO_SETTINGS_MODULE": "newsroom.settings.base"}
    postgres = run_manage("shell", "--no-imports", "-c", code, env_overrides={
        **env, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/newsroom-settings-never-connected",
    })
    assert postgres.stdout.strip() == "newsroom.postgresql", postgres.stderr
    sqlite = run_manage("shell", "--no-imports", "-c", code, env_overrides={
        **env, "DATABASE_URL": "sqlite:///newsroom-settings-never-connected.sqlite3",
    })
    assert sqlite.stdout.strip() == "django.db.backends.sqlite3", sqlite.stderr


def test_a_quiet_connection_is_usable_without_a_query(server):
    assert connection.vendor == "postgresql" and type(connections["default"]).__module__ == "newsroom.postgresql.base"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'quiet-probe'")
    assert connection.is_usable()
    assert last_query(server) == "SELECT 'quiet-probe'"  # no SELECT 1 went to the server


def test_a_connection_the_server_closed_fails_the_check_and_the_next_query_reconnects(server):
    connection.ensure_connection()
    old_pid = connection.connection.info.backend_pid
    assert server.execute("SELECT pg_terminate_backend(%s)", [old_pid]).fetchone() == (True,)
    wait_readable()  # the server's goodbye, then the end of the stream
    assert not connection.is_usable()

    connection.health_check_done = False  # as at the start of each request (close_old_connections)
    connection.close_if_health_check_failed()
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != old_pid


def test_anything_else_to_read_is_checked_with_a_query(server):
    with connection.cursor() as cursor:
        cursor.execute("LISTEN newsroom_probe")
    server.execute("NOTIFY newsroom_probe")
    wait_readable()
    assert connection.is_usable()
    assert last_query(server) == "SELECT 1"  # Django's own check ran, and the connection is well


def test_a_failed_transaction_is_checked_with_a_query_and_found_unusable(postgres_only):
    with transaction.atomic():
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
        assert not connection.is_usable()
        transaction.set_rollback(True)
