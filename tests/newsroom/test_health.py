"""/healthz: 200 when the database and Redis answer, 503 otherwise, with nothing about why."""
import socket

import pytest
from django.db import OperationalError, connection

from newsroom import health

pytestmark = pytest.mark.django_db


def redis_reachable(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthy_site_answers_200_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")


def test_health_is_never_cached(client):
    cache_control = client.get("/healthz")["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control and "max-age=0" in cache_control


def test_health_sets_no_cookie_and_is_cheap(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert not response.cookies


def test_database_down_answers_503_without_details(client, monkeypatch, caplog):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server: secret-db.internal:5432")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert "database_answers" in caplog.text  # the reason is logged for the operator


def test_redis_down_answers_503_without_details(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


def test_redis_up_answers_200(client, settings):
    if not redis_reachable():
        pytest.skip("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    assert client.get("/healthz").status_code == 200


def test_without_redis_url_redis_is_not_checked(settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr(health.redis.Redis, "from_url", pytest.fail)
    assert health.redis_answers() is True


def test_health_only_answers_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
