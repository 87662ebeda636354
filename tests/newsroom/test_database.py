"""Bounded database waits: a statement past its limit ends the request with a 503 page, within seconds."""
import json
import time

import pytest
from django.db import OperationalError, connection

from newsroom import database
from pagecache import cache

from ..commands import run_manage

pytestmark = pytest.mark.django_db

COMMITTED_CHANGES = cache.committed_changes


def slow_statement():
    """A statement that runs for many seconds on the test's database, as a hung one would."""
    if connection.vendor == "postgresql":
        return "SELECT pg_sleep(20)"
    return ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 500000000) "
            "SELECT count(*) FROM n")


@pytest.fixture(autouse=True)
def _outage_over():
    """Leave no outage behind: its prober ends it once the test's database answers."""
    yield
    over_by = time.monotonic() + 5
    while database.outage and time.monotonic() < over_by:
        time.sleep(0.05)
    assert not database.outage


@pytest.fixture
def hung_database(monkeypatch):
    """Every public page's first statement (the page cache's check) runs for many seconds."""

    def committed_changes(using="default"):
        with connection.cursor() as cursor:
            cursor.execute(slow_statement())
        return 0

    monkeypatch.setattr(cache, "committed_changes", committed_changes)
    yield
    connection.close()  # PostgreSQL: the cut-off connection is thrown away, as after a request


def test_a_statement_past_its_limit_is_cut_off_and_the_reader_gets_a_503_page(client, settings, hung_database):
    settings.NEWSROOM_DB_STATEMENT_TIMEOUT = 0.2  # cut off 0.7 s in: the server's own limit plus half a second
    started = time.monotonic()
    response = client.get("/")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert b"Back in a moment" in response.content and response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    assert 0.5 < elapsed < 3.0


@pytest.mark.django_db(transaction=True)  # the cut-off connection is replaced, as between requests
def test_after_a_cut_off_requests_and_probes_get_503_at_once_until_the_database_answers_again(
    client, settings, hung_database, monkeypatch,
):
    settings.NEWSROOM_DB_STATEMENT_TIMEOUT = 0.2
    answering = []
    monkeypatch.setattr(database, "answers", lambda: bool(answering))  # the prober's question
    assert client.get("/").status_code == 503
    assert database.outage
    connection.close()  # what Django does with an unusable connection once a request ends
    monkeypatch.setattr(cache, "committed_changes", COMMITTED_CHANGES)  # the database would answer now
    for url in ("/", "/topics/", "/healthz"):
        started = time.monotonic()
        assert client.get(url).status_code == 503, url
        assert time.monotonic() - started < 1.0, url  # no wait on the database (a busy machine takes its time)
    answering.append(True)
    over_by = time.monotonic() + 5
    while database.outage:
        assert time.monotonic() < over_by, "the outage did not end once the database answered"
        time.sleep(0.05)
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_without_a_limit_nothing_watches_the_statements(client, settings, monkeypatch):
    settings.NEWSROOM_DB_STATEMENT_TIMEOUT = 0
    monkeypatch.setattr(database, "Cutoff", pytest.fail)
    assert client.get("/").status_code == 200


def test_admin_requests_have_the_longer_admin_limit(client, settings, monkeypatch):
    settings.NEWSROOM_DB_STATEMENT_TIMEOUT, settings.NEWSROOM_DB_ADMIN_STATEMENT_TIMEOUT = 3, 30
    limits = []
    real = database.Cutoff
    monkeypatch.setattr(database, "Cutoff", lambda seconds: limits.append(seconds) or real(seconds))
    client.get("/")
    client.get("/admin/login/")
    assert limits == [3 + database.CUTOFF_AFTER_TIMEOUT, 30 + database.CUTOFF_AFTER_TIMEOUT]


def test_a_database_error_in_a_view_answers_503_not_500(client, monkeypatch):
    def refused(using="default"):
        raise OperationalError("connection refused")

    monkeypatch.setattr(cache, "committed_changes", refused)
    response = client.get("/")
    assert response.status_code == 503 and b"Back in a moment" in response.content
    assert not database.outage  # a refusal is fast: the next request asks the database again


@pytest.mark.django_db(transaction=True)
def test_postgresql_app_servers_connections_carry_the_statement_timeout(postgres_only):
    code = ("from django.db import connection; c = connection.cursor(); c.execute('SHOW statement_timeout');"
            " print(c.fetchone()[0])")
    env = {"DJANGO_SETTINGS_MODULE": "newsroom.settings.test", "DATABASE_URL": connection_url()}
    assert run_manage("shell", "--no-imports", "-c", code, env_overrides=env).stdout.strip() == "0"
    timed = run_manage("shell", "--no-imports", "-c", code, env_overrides={**env, "DJANGO_DB_STATEMENT_TIMEOUT": "2.5"})
    assert timed.stdout.strip() == "2500ms", timed.stderr


def connection_url():
    params = connection.settings_dict
    return f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


def test_connecting_to_a_postgresql_that_never_answers_gives_up_within_seconds(stalled_port):
    code = "from django.db import connection; connection.ensure_connection()"
    started = time.monotonic()
    result = run_manage("shell", "--no-imports", "-c", code, env_overrides={
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{stalled_port}/newsroom-never-answers",
    })
    assert result.returncode != 0 and "timeout" in result.stderr.lower(), result.stderr[-500:]
    assert time.monotonic() - started < 15  # 2 s to give up, plus starting Python and Django


def test_the_cutoff_ends_a_long_statement_on_its_own():
    started = time.monotonic()
    cursor = connection.cursor()
    with pytest.raises(OperationalError), connection.execute_wrapper(database.Cutoff(0.5)):
        cursor.execute(slow_statement())
    # The statement alone runs for 20 s or more; a loaded machine may take a few seconds to interrupt it.
    assert time.monotonic() - started < 10
    connection.close()
    assert json.dumps(database.watchdog.waits) == "{}"  # nothing left watched
