"""The Redis cache fails soft: a Redis that refuses, stalls or comes back is a miss, never an error."""
import logging
import time

import pytest

from newsroom.settings.base import redis_caches
from pagecache import backends


def redis_cache(url, monkeypatch, breaker_seconds=None):
    """The cache the settings build for REDIS_URL=url (newsroom/settings/base.py), as Django builds it."""
    if breaker_seconds is not None:
        monkeypatch.setenv("NEWSROOM_REDIS_BREAKER_SECONDS", str(breaker_seconds))
    params = redis_caches(url)["default"]
    monkeypatch.setattr(backends, "_breakers", {})  # a breaker of this test's own
    return backends.RedisCache(params["LOCATION"], params)


def test_the_settings_bound_every_redis_call():
    options = redis_caches("redis://127.0.0.1:6379/0")["default"]["OPTIONS"]
    assert options["socket_connect_timeout"] <= 0.5 and options["socket_timeout"] <= 0.5
    assert 0 < options["BREAKER_SECONDS"] <= 30
    assert redis_caches("redis://127.0.0.1:6379/0")["fragments"]["BACKEND"] == "pagecache.backends.RedisCache"


def test_a_redis_that_refuses_connections_answers_as_misses(closed_port, monkeypatch):
    cache = redis_cache(f"redis://127.0.0.1:{closed_port}/0", monkeypatch)
    assert cache.get("page", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("token", "x") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # not set, as BaseCache.set_many reports
    cache.set("page", "body")
    cache.delete_many(["a"])
    assert cache.has_key("page") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")


def test_a_stalled_redis_costs_one_timeout_per_breaker_window(stalled_port, monkeypatch):
    cache = redis_cache(f"redis://127.0.0.1:{stalled_port}/0", monkeypatch)
    started = time.monotonic()
    assert cache.get("page") is None
    first = time.monotonic() - started
    assert 0.2 <= first < 1.0  # the read timeout, not a hang
    started = time.monotonic()
    for _ in range(50):
        assert cache.get_many(["a", "b"]) == {}
    assert time.monotonic() - started < 0.1  # the breaker is open: no call waits


def test_redis_is_used_again_once_it_answers_and_the_outage_is_logged_twice(redis_server, monkeypatch, caplog):
    cache = redis_cache(redis_server.url, monkeypatch, breaker_seconds=0.3)
    cache.set("kept", "before")
    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="pagecache.backends"):
        for _ in range(20):
            assert cache.get("kept") is None
        redis_server.start()  # no persistence: it starts empty
        assert cache.get("kept") is None  # still within the window: not asked
        time.sleep(0.35)
        cache.set("kept", "after")
        assert cache.get("kept") == "after"
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2, messages  # when the outage began, and when it ended
    assert "did not answer" in messages[0] and "answers again" in messages[1]
    assert redis_server.url.rsplit("/", 1)[0].split("//")[1] in messages[0]


def test_the_log_never_shows_the_redis_password(closed_port, monkeypatch, caplog):
    cache = redis_cache(f"redis://:hunter2secret@127.0.0.1:{closed_port}/0", monkeypatch)
    with caplog.at_level(logging.WARNING, logger="pagecache.backends"):
        cache.get("page")
    assert caplog.records and "hunter2secret" not in caplog.text
