"""Corrections on every surface: the story, its JSON-LD, /corrections/, feeds and the sitemap."""
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Correction

from ..factories import ArticleFactory, CorrectionFactory
from .workflow_support import change_url, jsonld_blocks, management, person, story_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return person("Editor", "edmund")


@pytest.fixture
def corrected(editor):
    """A story published two days ago, corrected (and clarified) today."""
    story = ArticleFactory(
        headline="Freedonia names a fictional envoy", body="<p>The envoy arrives on Friday.</p>",
        published_at=timezone.now() - datetime.timedelta(days=2),
    )
    services.correction_add(
        article=story, user=editor, kind=Correction.Kind.CLARIFICATION,
        text="This story has been clarified to say the envoy is acting, not permanent.",
        published_at=timezone.now() - datetime.timedelta(hours=3),
    )
    services.correction_add(
        article=story, user=editor, text="An earlier version gave the envoy's arrival as Thursday.",
    )
    story.refresh_from_db()
    return story


def test_correction_add_sets_revised_at_and_keeps_the_version(editor):
    story = ArticleFactory()
    version = story.version
    correction = services.correction_add(article=story, user=editor, text="A fictional fix.")
    story.refresh_from_db()
    assert story.revised_at == correction.published_at
    assert story.last_modified == correction.published_at
    assert story.version == version
    assert correction.created_by == editor


def test_correction_add_refuses_an_unpublished_story(editor):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(ValidationError, match="published stories"):
        services.correction_add(article=story, user=editor, text="Nothing to correct yet.")


def test_revised_at_never_moves_back(editor):
    story = ArticleFactory()
    services.correction_add(article=story, user=editor, text="Newer fix.")
    story.refresh_from_db()
    newest = story.revised_at
    CorrectionFactory(article=story, published_at=newest - datetime.timedelta(days=1))
    story.refresh_from_db()
    assert story.revised_at == newest


def test_correction_added_in_the_story_form_refreshes_the_story(client, editor):
    story = ArticleFactory()
    client.force_login(editor)
    now = timezone.localtime()
    data = story_post(story)
    data.update(management("corrections", total=1))
    data.update({
        "corrections-0-kind": "correction", "corrections-0-text": "A fictional date was wrong.",
        "corrections-0-published_at_0": now.strftime("%Y-%m-%d"),
        "corrections-0-published_at_1": now.strftime("%H:%M:%S"),
    })
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.revised_at is not None
    assert abs(story.revised_at - now) < datetime.timedelta(seconds=2)


def test_correction_added_from_the_corrections_list_refreshes_the_story(client, editor):
    story = ArticleFactory()
    client.force_login(editor)
    now = timezone.localtime()
    response = client.post(reverse("admin:articles_correction_add"), {
        "article": story.pk, "kind": "update", "text": "The fictional talks resumed.",
        "published_at_0": now.strftime("%Y-%m-%d"), "published_at_1": now.strftime("%H:%M:%S"),
    })
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.revised_at is not None


def test_story_page_shows_serious_corrections_at_the_top_and_others_below(client, corrected):
    page = client.get(corrected.get_absolute_url()).content.decode()
    page = page[page.index("<main"):]
    correction = page.index("arrival as Thursday")
    clarification = page.index("acting, not permanent")
    body = page.index("The envoy arrives on Friday.")
    assert correction < body < clarification
    assert "Updated" in page


def test_story_json_ld_carries_corrections_and_date_modified(client, corrected):
    article = next(b for b in jsonld_blocks(client.get(corrected.get_absolute_url())) if b.get("headline"))
    kinds = {c["@type"] for c in article["correction"]}
    texts = [c["text"] for c in article["correction"]]
    assert kinds == {"CorrectionComment"}
    assert any("Thursday" in t for t in texts) and any("acting" in t for t in texts)
    assert datetime.datetime.fromisoformat(article["dateModified"]) == corrected.revised_at.replace(microsecond=0)


def test_corrections_log_lists_newest_first_with_links(client, corrected):
    hidden = ArticleFactory(status=Article.Status.DRAFT, published_at=None, headline="Hidden fictional draft")
    CorrectionFactory(article=hidden, text="A correction to a draft nobody can read.")
    response = client.get(reverse("articles:correction_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert page.index("arrival as Thursday") < page.index("acting, not permanent")
    assert corrected.get_absolute_url() in page
    assert "draft nobody can read" not in page and "Hidden fictional draft" not in page


def test_corrections_log_is_paginated(client):
    story = ArticleFactory()
    for n in range(25):
        CorrectionFactory(article=story, text=f"Fictional correction number {n:02d}.",
                          published_at=timezone.now() - datetime.timedelta(minutes=n))
    first = client.get(reverse("articles:correction_list")).content.decode()
    second = client.get(reverse("articles:correction_list"), {"page": 2}).content.decode()
    assert "number 00." in first and "number 24." not in first
    assert "number 24." in second and "number 00." not in second
    assert client.get(reverse("articles:correction_list"), {"page": 9}).status_code == 404


def test_future_dated_correction_waits_for_its_time(client):
    story = ArticleFactory()
    CorrectionFactory(article=story, text="Not yet public.", published_at=timezone.now() + datetime.timedelta(days=1))
    assert "Not yet public." not in client.get(reverse("articles:correction_list")).content.decode()


def test_atom_feed_updated_time_follows_the_correction(client, corrected):
    feed = client.get(reverse("articles:feed_atom")).content.decode()
    entry = feed[feed.index("<entry>"):feed.index("</entry>")]
    updated = re.search(r"<updated>([^<]+)</updated>", entry).group(1)
    assert abs(datetime.datetime.fromisoformat(updated) - corrected.revised_at) < datetime.timedelta(seconds=1)


def test_sitemap_lastmod_follows_the_correction(client, corrected):
    sitemap = client.get("/sitemap-stories.xml").content.decode()
    story_url = re.escape(corrected.get_absolute_url())
    match = re.search(rf"<loc>[^<]*{story_url}</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap)
    assert match, "story missing from the sitemap"
    lastmod = match.group(1)
    assert lastmod.startswith(corrected.revised_at.date().isoformat()) or lastmod.startswith(
        timezone.localtime(corrected.revised_at).date().isoformat()
    )
    assert corrected.revised_at > corrected.published_at


def test_a_correction_dated_ahead_shows_from_its_date_not_before(client):
    article = ArticleFactory(headline="Freedonia grain deal")
    CorrectionFactory(
        article=article, text="Dated-ahead fix to the grain tonnage.",
        published_at=timezone.now() + datetime.timedelta(days=2),
    )
    assert "Dated-ahead fix" not in client.get(article.get_absolute_url()).content.decode()


def test_a_correction_cannot_be_dated_in_the_future():
    correction = CorrectionFactory.build(
        article=ArticleFactory(), published_at=timezone.now() + datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="future"):
        correction.full_clean()
