"""/healthz: 200 when the database answers within 2 seconds, 503 otherwise, with nothing about why."""
import threading
import time

import pytest
from django.db import OperationalError

from newsroom import database, health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_outage_left():
    """Each test starts and ends with the database answering, whatever a failed test left behind."""
    yield
    if health.database_check.thread is not None:
        health.database_check.thread.join(12)
    over_by = time.monotonic() + 5
    while database.outage and time.monotonic() < over_by:
        time.sleep(0.05)
    database.outage.end()


def test_healthy_site_answers_200_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")


def test_health_is_never_cached(client):
    cache_control = client.get("/healthz")["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control and "max-age=0" in cache_control


def test_health_sets_no_cookie_and_asks_nothing_of_the_requests_own_connection(client, django_assert_num_queries):
    with django_assert_num_queries(0):  # the check runs on a connection of its own thread
        response = client.get("/healthz")
    assert response.status_code == 200 and not response.cookies


def test_database_down_answers_503_without_details(client, monkeypatch, caplog):
    def refused():
        raise OperationalError("could not connect to server: secret-db.internal:5432")

    monkeypatch.setattr(health.database_check, "probe", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert "secret-db.internal" in caplog.text  # the reason is logged for the operator


def test_a_hung_database_answers_503_within_two_seconds_and_200_once_it_answers(client, monkeypatch):
    released = threading.Event()
    monkeypatch.setattr(database, "answers", released.is_set)  # the outage's prober asks the same database

    def hangs():
        released.wait(10)  # a database whose processes are stopped: no error, no answer
        return True

    monkeypatch.setattr(health.database_check, "probe", hangs)
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"unavailable\n"
    assert time.monotonic() - started < 2.0
    assert database.outage  # the process now knows: pages and probes answer 503 at once
    started = time.monotonic()
    assert client.get("/healthz").status_code == 503 and client.get("/").status_code == 503
    assert time.monotonic() - started < 1.0  # neither waits on the database (a busy machine takes its time)
    assert [t.name for t in threading.enumerate()].count("healthz") == 1  # no pile of stuck checks
    released.set()
    health.database_check.thread.join(5)
    over_by = time.monotonic() + 5
    while database.outage:  # its prober asks the database, which answers again
        assert time.monotonic() < over_by
        time.sleep(0.05)
    assert client.get("/healthz").status_code == 200


def test_redis_down_still_answers_200(client, settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"  # the site serves without Redis
    assert client.get("/healthz").status_code == 200


def test_health_only_answers_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
