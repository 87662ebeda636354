"""Fixtures shared by the whole suite."""
import contextlib
import os
import shutil
import socket
import subprocess
import time

import pytest
from django.db import connection

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Start every test with fresh pages, so no test sees another's cached pages.

    Local-memory caches (and the fragments this process keeps) are emptied; a shared one
    (REDIS_URL) only gets a new content generation.
    """
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from pagecache.cache import SEEN_KEY, bump_generation, generation_cache
    from pagecache.state import forget_process_state

    for alias in caches:
        if isinstance(caches[alias], LocMemCache):
            caches[alias].clear()
    # Each test's database starts from the same change count: a shared store is checked anew.
    generation_cache().delete(SEEN_KEY)
    forget_process_state()
    bump_generation()
    yield


def pytest_collection_modifyitems(config, items):
    """Leave out what the run was not pointed at: tests of SQLite's own features on another
    database; tests of a PostgreSQL server without DATABASE_URL naming one, and tests of a shared
    Redis (the fixture `redis_url`) without REDIS_URL. A machine's own PostgreSQL or Redis is never
    used unasked.

    Deselected rather than skipped: CI's SQLite leg runs without either, its PostgreSQL leg with
    both, and neither leg shows a skip for what the other runs.
    """
    on_sqlite = connection.vendor == "sqlite"
    postgres_named = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    redis_named = bool(os.environ.get("REDIS_URL"))
    kept, dropped = [], []
    for item in items:
        left_out = (
            (item.get_closest_marker("sqlite") and not on_sqlite)
            or (item.get_closest_marker("postgres") and not postgres_named)
            or ("redis_url" in getattr(item, "fixturenames", ()) and not redis_named)
        )
        (dropped if left_out else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def postgres_only():
    """Skip (outside CI) when the suite runs on another database."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (make test does in .ci/run)")


@pytest.fixture(scope="session")
def chromium_path():
    """Return the Chromium binary, or skip outside CI when it is not installed."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if IN_CI:
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium package")
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    """A headless Debian Chromium driven by Playwright."""
    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


# Private services --------------------------------------------------------------------------------
# Tests of faults start their own Redis on a free port, or use a port where nothing answers: they
# never stop, stall or flush a server anyone else uses.


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A private redis-server on a free loopback port, keeping nothing on disk; stop() and start() again."""

    def __init__(self, directory):
        self.directory, self.port, self.process = directory, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def answers(self):
        import redis

        try:
            with contextlib.closing(self.client()) as client:
                return client.ping()
        except redis.RedisError:
            return False

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 (redis-server with fixed arguments)
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            assert time.monotonic() < deadline, "the private redis-server did not start"
            time.sleep(0.05)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    """A private Redis for this test only (redis-server, which .ci/run installs)."""
    if shutil.which("redis-server") is None:
        if IN_CI:
            pytest.fail("redis-server not found; .ci/run installs Debian's redis-server package")
        pytest.skip("needs redis-server (apt-get install redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on: connections are refused at once."""
    return free_port()


@pytest.fixture
def stalled_port():
    """A loopback port that accepts connections and never answers, as a stopped (SIGSTOP) server does."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)  # the kernel completes the handshakes; nobody ever reads
        yield listener.getsockname()[1]
