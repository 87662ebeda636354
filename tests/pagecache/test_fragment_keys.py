"""Every fragment template reads only what its cache key covers (pagecache/fragments.py).

A fragment is rendered from its object and the values given to its tag alone (render_to_string,
no request, no context processors), and both are in its key. So what can go stale is what the
template reads of the object: each fragment the site renders on its list and analyst pages is
rendered again with its object watched, and every attribute the template reads must be one of the
object's loaded fields (the key fingerprints them), a part PARTS names for the template, or a
method; no query may run (a field the key does not cover would be loaded from the database).
"""
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Model
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pagecache import fragments
from reader.queries import story_by_slug
from reader.templatetags import reader as reader_tags

from ..factories import ArticleFactory
from ..reader.desk import build_desk

pytestmark = pytest.mark.django_db


class Watched:
    """Stand in for an object in a template and note every attribute the template reads."""

    def __init__(self, target, seen):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_seen", seen)

    def __getattr__(self, name):
        self._seen.add(name)
        return getattr(self._target, name)

    def __getitem__(self, key):  # templates look a name up as a key first (a dict of page values)
        self._seen.add(key)
        return self._target[key]


def covered(obj, template_name):
    """Return the attribute names the fragment key covers for obj in this template."""
    names = set(fragments.PARTS.get(template_name, ()))
    if isinstance(obj, Model):
        fields = obj._meta.concrete_fields
        loaded = {f.attname for f in fields if f.attname in obj.__dict__}
        names |= loaded | {f.name for f in fields if f.attname in loaded} | {"pk"}
        # Methods and properties read the object's own fields (or parts), watched by the no-query check.
        names |= {name for name in dir(type(obj))
                  if callable(getattr(type(obj), name, None)) or isinstance(getattr(type(obj), name, None), property)}
    elif isinstance(obj, dict):
        names |= set(obj)  # a dict's keys and values are fingerprinted whole
    else:
        names |= set(dir(obj))
    return names


@pytest.fixture
def rendered_fragments(client):
    """Render the site's list and analyst pages and return every (template, objects, context) a fragment tag got."""
    desk = build_desk()
    calls = []
    real = reader_tags.render_stories

    def capture(template_name, objects, **context):
        objects = list(objects) if not isinstance(objects, fragments.Listing) else objects
        calls.append((template_name, objects, context))
        return real(template_name, objects, **context)

    with mock.patch.object(reader_tags, "render_stories", side_effect=capture):
        for url in ("/", desk.topic.get_absolute_url(), desk.analyst.get_absolute_url()):
            assert client.get(url).status_code == 200, url
    return calls


def test_every_fragment_reads_only_what_its_key_covers(rendered_fragments):
    seen_templates = set()
    for template_name, objects, context in rendered_fragments:
        name = fragments.NAMES.get(template_name, "article")
        if isinstance(objects, fragments.Listing) and objects:
            objects.load_parts(list(objects))  # what the page loads for the fragments it renders
        for obj in objects:
            seen = set()
            with CaptureQueriesContext(connection) as queries:
                render_to_string(template_name, {**context, name: Watched(obj, seen)})
            assert not queries.captured_queries, f"{template_name} loaded data its key does not cover"
            uncovered = seen - covered(obj, template_name)
            assert not uncovered, f"{template_name} reads {sorted(uncovered)}, which its key does not cover"
            seen_templates.add(template_name)
    assert {"includes/story_teaser.html", "includes/analyst_story.html", "includes/analyst_profile.html",
            "includes/page_head.html", "includes/site_header.html", "includes/site_footer.html"} <= seen_templates


def test_the_check_catches_a_field_the_key_does_not_cover(rendered_fragments):
    template_name, objects, _ = next(call for call in rendered_fragments if call[0] == "includes/story_teaser.html")
    story = list(objects)[0]
    allowed, seen = covered(story, template_name), set()
    assert "body" not in story.__dict__, "teasers load only what a teaser shows"
    with CaptureQueriesContext(connection) as queries:
        Watched(story, seen).body  # noqa: B018 - a field a teaser never loads
    assert seen - allowed == {"body"} and len(queries) == 1


def test_a_story_pages_pieces_read_only_what_their_key_covers(client):
    """The story page's head and article are kept under the story's loaded fields and its tokens
    (reader/views.py): they may read only those fields and the parts STORY_PARTS names."""
    from reader.views import ArticleDetailView

    desk = build_desk()
    assert client.get(desk.story.get_absolute_url()).status_code == 200
    story = story_by_slug(desk.story.slug, timezone.now())[0]  # loaded as the page loads it
    ArticleDetailView.load_story_parts(story)
    for template_name in ("includes/story_head.html", "includes/story_article.html"):
        assert fragments.PARTS[template_name] == fragments.STORY_PARTS
        seen = set()
        with CaptureQueriesContext(connection) as queries:
            render_to_string(template_name, {"article": Watched(story, seen), "preview": None})
        assert not queries.captured_queries, f"{template_name} loaded data its key does not cover"
        uncovered = seen - covered(story, template_name)
        assert not uncovered, f"{template_name} reads {sorted(uncovered)}, which its key does not cover"
        assert "page_topics" in seen  # the check saw the template's reads


def test_a_story_pages_related_stories_read_only_their_loaded_fields(client):
    from reader.views import ArticleDetailView

    desk = build_desk()
    other = ArticleFactory(headline="A pretend neighbour's story", topics=[desk.topic])
    view = ArticleDetailView()
    view.object = desk.story
    related = list(view.related_articles([desk.topic.pk], [desk.analyst.pk]))
    assert [story.pk for story in related] == [other.pk]
    seen = set()
    with CaptureQueriesContext(connection) as queries:
        render_to_string("includes/story_related.html", {"related": [Watched(story, seen) for story in related]})
    assert not queries.captured_queries, "the related stories loaded data their key does not cover"
    assert "headline" in seen and not seen - covered(related[0], "includes/story_related.html")
