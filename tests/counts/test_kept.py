"""Kept counts after a write: counted again once it commits; a failure there never fails the write."""
import io
import logging

import pytest
from django.core.management import call_command

from articles.models import Article
from counts import topics
from counts.models import TopicCounts

from ..factories import ArticleFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # work after the commit runs after a real commit


def test_a_count_that_fails_after_the_commit_is_logged_and_the_editor_is_told_the_change_was_saved(
    client, monkeypatch, caplog,
):
    topic = TopicFactory(name="Pretend river quarrel")
    stories = [ArticleFactory(topics=[topic]) for _ in range(3)]
    call_command("refresh_topic_counts", "--all", stdout=io.StringIO())
    client.force_login(UserFactory(username="desk-editor", is_superuser=True, is_staff=True))

    def fails(ids, *, using):
        raise RuntimeError("the count fell over after the commit")

    monkeypatch.setattr(topics, "refresh", fails)
    story = stories[0]
    with caplog.at_level(logging.ERROR, logger="counts.kept"):
        response = client.post(f"/admin/articles/article/{story.pk}/transition/unpublish/", {"version": story.version})
    assert response.status_code == 302
    told = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any(text.startswith("Unpublished") for text in told), told
    story.refresh_from_db()
    assert story.status == Article.Status.ARCHIVED
    assert "refresh_topic_counts" in caplog.text and "the count fell over" in caplog.text
    assert not TopicCounts.objects.get(topic=topic).current  # stale, so the page counts live
    assert "2 stories" in client.get(topic.get_absolute_url()).content.decode()
    monkeypatch.undo()
    call_command("refresh_topic_counts", stdout=io.StringIO())  # what the cron job does: healed
    kept = TopicCounts.objects.get(topic=topic)
    assert kept.current and kept.story_count == 2
