"""The suite touches only the services it is pointed at (tests/conftest.py): never a machine's own
PostgreSQL or Redis when DATABASE_URL and REDIS_URL do not name them."""
from types import SimpleNamespace

import pytest

from . import conftest


class Item(SimpleNamespace):
    def get_closest_marker(self, name):
        return name if name in self.markers else None


def kept(monkeypatch, vendor="sqlite", **env):
    """Return the names of the items the suite keeps under this environment, and those it leaves out."""
    for name in ("DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(conftest, "connection", SimpleNamespace(vendor=vendor))
    items = [
        Item(name="plain", markers=(), fixturenames=("client",)),
        Item(name="sqlite-only", markers=("sqlite",), fixturenames=()),
        Item(name="postgres-server", markers=("postgres",), fixturenames=()),
        Item(name="shared-redis", markers=(), fixturenames=("redis_url",)),
        Item(name="two-servers", markers=("postgres",), fixturenames=("database", "redis_url")),
    ]
    left_out = []
    config = SimpleNamespace(hook=SimpleNamespace(pytest_deselected=lambda items: left_out.extend(items)))
    conftest.pytest_collection_modifyitems(config, items)
    return [item.name for item in items], [item.name for item in left_out]


def test_without_database_url_or_redis_url_no_test_uses_a_server(monkeypatch):
    assert kept(monkeypatch) == (
        ["plain", "sqlite-only"], ["postgres-server", "shared-redis", "two-servers"],
    )


def test_pointed_at_both_every_server_test_runs_and_sqlites_own_are_left_out(monkeypatch):
    names, left_out = kept(monkeypatch, vendor="postgresql",
                           DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
                           REDIS_URL="redis://127.0.0.1:6379/15")
    assert names == ["plain", "postgres-server", "shared-redis", "two-servers"] and left_out == ["sqlite-only"]


def test_pointed_at_postgresql_only_a_shared_redis_is_still_left_alone(monkeypatch):
    names, left_out = kept(monkeypatch, vendor="postgresql", DATABASE_URL="postgresql://db.internal/newsroom")
    assert names == ["plain", "postgres-server"] and left_out == ["sqlite-only", "shared-redis", "two-servers"]


@pytest.mark.parametrize("url", ["sqlite:///elsewhere.sqlite3", ""])
def test_a_database_url_that_names_no_postgresql_server_is_not_one(monkeypatch, url):
    names, _ = kept(monkeypatch, DATABASE_URL=url)
    assert "postgres-server" not in names
