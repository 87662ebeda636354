"""Django's Redis cache, made to fail soft: a Redis that is down or stalled is a cache miss, never an error.

Redis only accelerates the site (docs/architecture.md, "Page cache"): pages and fragments are
rendered again without it. So every call is bounded (connect and read timeouts, a few hundred
milliseconds; redis-py retries nothing unless told to), a failed call answers as a miss would
(`get` the default, `get_many` nothing, `add` False, a write nothing), and a circuit breaker keeps
a dead Redis from costing one timeout per call: after a failure, every call in this process skips
Redis for BREAKER_SECONDS, then one call tries again. Each outage is logged once, when it starts,
and once when Redis answers again.

Settings (CACHES[alias]["OPTIONS"]): BREAKER_SECONDS; everything else goes to redis-py's
connection pool as Django's RedisCache passes it (socket_connect_timeout, socket_timeout here
default to DEFAULT_TIMEOUT).
"""
import logging
import threading
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds; a page cache call on a healthy Redis takes well under a millisecond.
DEFAULT_TIMEOUT = 0.25
DEFAULT_BREAKER_SECONDS = 5.0


class Breaker:
    """Whether calls to one Redis server go through, shared by every thread (and cache alias) of a process."""

    def __init__(self, name, seconds):
        self.name, self.seconds = name, seconds
        self.lock = threading.Lock()
        self.open_until = 0.0  # monotonic time; calls skip Redis before it
        self.down_since = None  # wall-clock time of the first failure of this outage

    def closed(self):
        return time.monotonic() >= self.open_until

    def failed(self, error):
        with self.lock:
            self.open_until = time.monotonic() + self.seconds
            if self.down_since is None:
                self.down_since = time.time()
                logger.warning(
                    "Redis at %s did not answer (%s: %s); serving without the cache, trying again every %g s.",
                    self.name, type(error).__name__, error, self.seconds,
                )

    def succeeded(self):
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is not None:
                logger.warning("Redis at %s answers again after %.1f s.", self.name, time.time() - self.down_since)
                self.down_since = None


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(location, seconds):
    """Return this process's breaker for one Redis location (every alias pointing there shares it)."""
    with _breakers_lock:
        breaker = _breakers.get(location)
        if breaker is None:
            breaker = _breakers[location] = Breaker(location, seconds)
        return breaker


def _safe_location(location):
    """The location without a password, for the log."""
    scheme, sep, rest = location.partition("://")
    return f"{scheme}{sep}{rest.rpartition('@')[2]}" if sep else location


class RedisCache(django_redis.RedisCache):
    """Django's RedisCache whose calls are bounded and answer as misses while Redis is unreachable."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        seconds = float(options.pop("BREAKER_SECONDS", DEFAULT_BREAKER_SECONDS))
        options.setdefault("socket_connect_timeout", DEFAULT_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_TIMEOUT)
        super().__init__(server, {**params, "OPTIONS": options})
        location = server if isinstance(server, str) else ",".join(server)
        self.breaker = breaker_for(_safe_location(location), seconds)

    def _call(self, default, method, *args, **kwargs):
        breaker = self.breaker
        if not breaker.closed():
            return default
        try:
            result = method(*args, **kwargs)
        except RedisError as error:
            breaker.failed(error)
            return default
        breaker.succeeded()
        return result

    def add(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        self._call(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._call(None, super().incr, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (Redis did not answer).")
        return result

    def set_many(self, data, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        # The keys not set, as BaseCache.set_many documents: all of them when Redis did not answer.
        return self._call(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)
