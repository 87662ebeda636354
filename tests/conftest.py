"""Fixtures shared by the whole suite."""
import os
import shutil

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

    from pagecache.cache import bump_generation
    from pagecache.state import forget_process_state

    for alias in caches:
        if isinstance(caches[alias], LocMemCache):
            caches[alias].clear()
    forget_process_state()
    bump_generation()
    yield


def pytest_collection_modifyitems(config, items):
    """Leave out tests of SQLite's own features when the suite runs on another database.

    They run in the SQLite leg; deselecting (rather than skipping) keeps the PostgreSQL leg free
    of skips, as CI requires.
    """
    if connection.vendor == "sqlite":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("sqlite") else kept).append(item)
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
