"""The context every page's template gets (reader/context_processors.py)."""
import pytest
from django.template import base

from pagecache.cache import bump_generation

from .desk import build_desk
from .test_views import public_urls

pytestmark = pytest.mark.django_db


def test_the_base_template_finds_every_variable_it_tests_on_reader_pages(client, monkeypatch):
    # A missing variable costs four caught exceptions per lookup; `query` and `preview` have defaults.
    desk = build_desk()
    for url in public_urls(desk):
        client.get(url)  # fragments rendered (their templates get only what they are given) and kept
    bump_generation()  # pages rendered again, as after an editor's write
    missing = []
    resolve = base.Variable._resolve_lookup

    def recording(self, context):
        try:
            return resolve(self, context)
        except base.VariableDoesNotExist:
            missing.append(self.var)
            raise

    monkeypatch.setattr(base.Variable, "_resolve_lookup", recording)
    for url in public_urls(desk):
        assert client.get(url).status_code == 200, url
    assert "query" not in missing and "preview" not in missing, missing


def test_a_search_still_shows_its_query(client):
    build_desk()
    response = client.get("/search/?q=border")
    assert 'value="border"' in response.content.decode()
    assert response.context["query"] == "border"
