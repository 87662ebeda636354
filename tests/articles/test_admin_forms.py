"""The editor's forms at scale: a story form reads its inline rows' records once, whatever their number."""
import html
import io
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import roles
from articles.admin import CommentaryInline, StoryPartForm
from articles.forms import ArticleAdminForm, QuietErrorList

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    BylineFactory,
    CitationFactory,
    CommentaryFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="desk-form-editor", is_superuser=True)
    client.force_login(user)
    return user


def story_with_parts(n):
    story = ArticleFactory(headline=f"Story with {n} parts")
    for i in range(n):
        CommentaryFactory(article=story, analyst=AnalystFactory(name=f"Pretend Analyst {n}-{i}"))
        CitationFactory(article=story, source=SourceFactory(name=f"Pretend Gazette {n}-{i}"))
        BylineFactory(article=story, author=UserFactory(first_name="Reporter", last_name=f"Number {n}-{i}"))
    return story


def form_queries(client, story):
    url = reverse("admin:articles_article_change", args=[story.pk])
    client.get(url)  # sessions, content types and the like read once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_story_form_queries_do_not_grow_with_quotes_citations_and_bylines(client, editor):
    few, _ = form_queries(client, story_with_parts(1))
    many, page = form_queries(client, story_with_parts(12))
    assert many == few
    assert many < 20
    # Every box still shows its chosen record.
    for i in range(12):
        assert f"Pretend Analyst 12-{i}" in page
        assert f"Pretend Gazette 12-{i}" in page
        assert f"Reporter Number 12-{i}" in page


def test_a_story_form_sent_back_shows_the_newly_chosen_analyst(client, editor):
    story = story_with_parts(1)
    quote = story.commentary.get()
    other = AnalystFactory(name="Pretend Newcomer Ashgrove")
    inline = CommentaryInline(type(story), admin.site)
    request = type("Request", (), {"user": editor, "GET": {}, "POST": {}})()
    form_class = inline.get_formset(request, story).form
    assert issubclass(form_class, StoryPartForm)
    data = {"commentary-0-analyst": str(other.pk), "commentary-0-text": "x"}
    html = str(form_class(data=data, instance=quote, prefix="commentary-0")["analyst"])
    assert "Pretend Newcomer Ashgrove" in html
    assert "Pretend Analyst 1-0" not in html


def test_story_history_and_changes_read_the_same_queries_with_few_or_many_revisions(client, editor):
    story = story_with_parts(1)

    def revise(times):
        for i in range(times):
            story.dek = f"Pretend revision {i}"
            story.save()

    def pages():
        latest = story.history.order_by("-history_date", "-history_id").first()
        history = reverse("admin:articles_article_history", args=[story.pk])
        diff = reverse("admin:articles_article_revision_diff", args=[story.pk, latest.history_id])
        counts = []
        for url in (history, diff):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    revise(2)
    few = pages()
    revise(15)
    assert pages() == few


def test_topic_box_asks_the_topic_search_instead_of_listing_every_topic(client):
    call_command("setup_roles", stdout=io.StringIO())
    reporter = UserFactory(username="topic-box-reporter", is_staff=True)
    reporter.groups.add(Group.objects.get(name=roles.REPORTER))
    client.force_login(reporter)
    TopicFactory(name="Imaginary river disputes")
    TopicFactory(name="Border talks")
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "Border talks" not in page  # no list of every topic in the form
    assert '<datalist id="topic-suggestions"></datalist>' in page
    box = re.search(r'<input[^>]*id="id_topics"[^>]*>', page).group()
    url = html.unescape(re.search(r'data-suggest-url="([^"]+)"', box).group(1))
    # What the box's script asks as a reporter types "river": names containing it.
    answer = client.get(f"{url}&term=river")
    assert answer.status_code == 200
    assert [r["text"] for r in answer.json()["results"]] == ["Imaginary river disputes"]


def test_story_form_error_lists_render_only_when_there_are_errors():
    assert str(QuietErrorList()) == ""
    assert 'class="errorlist"' in str(QuietErrorList(["Give the story a headline."]))
    form = ArticleAdminForm(data={"headline": ""})
    assert not form.is_valid()
    assert "This field is required." in str(form["headline"].errors)
    assert str(form["dek"].errors) == ""


def test_story_form_builds_each_add_another_row_once(client, editor, monkeypatch):
    built = []
    init = StoryPartForm.__init__

    def counting_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        built.append(self.prefix)

    monkeypatch.setattr(StoryPartForm, "__init__", counting_init)
    story = story_with_parts(1)
    response = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert response.status_code == 200
    templates = sorted(prefix for prefix in built if "__prefix__" in prefix)
    assert templates == ["bylines-__prefix__", "citations-__prefix__", "commentary-__prefix__"]
    assert 'id="commentary-empty"' in response.content.decode()  # "Add another" still has its row
