"""Redis accelerates and is never a dependency; no Redis, however old its data, shows what is not published.

Each test points the caches at a Redis of its own (a private redis-server, a port that refuses, a
port that never answers) through the settings the site builds for REDIS_URL.
"""
import logging
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from newsroom.settings.base import redis_caches
from pagecache import backends, cache

from ..factories import ArticleFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def use_redis(settings, monkeypatch):
    """Point the caches at a Redis, as REDIS_URL does; return a function taking its URL."""

    def point_at(url, breaker_seconds=5):
        monkeypatch.setenv("NEWSROOM_REDIS_BREAKER_SECONDS", str(breaker_seconds))
        monkeypatch.setattr(backends, "_breakers", {})
        settings.CACHES = redis_caches(url)
        settings.NEWSROOM_GENERATION_CACHE = "default"
        settings.NEWSROOM_TOKEN_FILE = None

    return point_at


@pytest.fixture
def story():
    topic = TopicFactory(name="Pretend river quarrel")
    return ArticleFactory(headline="Freedonia recalls its imaginary envoy", topics=[topic])


def public_pages(story):
    topic = story.topics.get()
    return [
        "/", story.get_absolute_url(), topic.get_absolute_url(), reverse("articles:topic_list"),
        reverse("articles:feed_rss"), "/sitemap-stories.xml",
    ]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def desk(client):
    client.force_login(UserFactory(username="desk-editor", is_superuser=True, is_staff=True))
    return client


def move(client, story, action):
    """Press a workflow button on the story's admin page; return the messages the next page shows."""
    story.refresh_from_db()
    response = client.post(f"/admin/articles/article/{story.pk}/transition/{action}/", {"version": story.version})
    assert response.status_code == 302, response.content[:500]
    return [str(message) for message in client.get(response["Location"]).context["messages"]]


# Redis down or stalled -----------------------------------------------------------------------------

def test_with_redis_refusing_connections_every_public_page_answers_200(client, story, use_redis, closed_port):
    use_redis(f"redis://127.0.0.1:{closed_port}/0")
    for url in public_pages(story):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert story.slug.encode() in body(response) or url == reverse("articles:topic_list"), url
            assert response["ETag"] and "public" in response["Cache-Control"], url  # a CDN still helps


def test_with_redis_stalled_pages_wait_one_timeout_per_breaker_window(client, story, use_redis, stalled_port):
    use_redis(f"redis://127.0.0.1:{stalled_port}/0")
    started = time.monotonic()
    for url in public_pages(story) * 3:
        assert client.get(url).status_code == 200, url
    # Eighteen pages, each of which asks Redis several times: one read timeout (0.25 s) in all.
    assert time.monotonic() - started < 3.0


def test_with_redis_down_an_editor_unpublishes_and_publishes_and_readers_see_it(
    client, desk, story, use_redis, closed_port,
):
    use_redis(f"redis://127.0.0.1:{closed_port}/0")
    assert client.get(story.get_absolute_url()).status_code == 200
    assert any(text.startswith("Unpublished") for text in move(desk, story, "unpublish"))
    story.refresh_from_db()
    assert story.status == Article.Status.ARCHIVED
    assert client.get(story.get_absolute_url()).status_code == 404
    assert story.slug.encode() not in body(client.get("/"))
    assert any(text.startswith(("Published", "Scheduled")) for text in move(desk, story, "publish"))
    assert client.get(story.get_absolute_url()).status_code == 200


def test_with_redis_down_create_editor_creates_the_account(use_redis, closed_port, capsys):
    from django.contrib.auth import get_user_model

    use_redis(f"redis://127.0.0.1:{closed_port}/0")
    call_command("create_editor", "pat-desk", name="Pat Desk", role="editor")
    assert get_user_model().objects.filter(username="pat-desk", is_staff=True).exists()


# A Redis that missed a change, or came back from an old snapshot -------------------------------------

def snapshot(redis_server):
    """Every key's serialized value and time to live, as a snapshot (an RDB file) holds them."""
    with redis_server.client() as client:
        return [(key, client.pttl(key), client.dump(key)) for key in client.keys("*")]


def restore(redis_server, keys):
    """Replace everything in Redis with the snapshot, as restarting it on an old dump.rdb does."""
    with redis_server.client() as client:
        client.flushdb()
        for key, ttl, value in keys:
            client.restore(key, max(ttl, 0), value)


def test_a_redis_restored_from_a_snapshot_taken_before_an_unpublish_never_serves_the_story(
    client, story, use_redis, redis_server,
):
    use_redis(redis_server.url)
    pages = public_pages(story)
    for url in pages * 2:
        assert client.get(url).status_code == 200, url
    old = snapshot(redis_server)
    story.status = Article.Status.ARCHIVED
    story.save()
    assert client.get(story.get_absolute_url()).status_code == 404
    restore(redis_server, old)
    assert client.get(story.get_absolute_url()).status_code == 404
    for url in pages:
        assert story.slug.encode() not in body(client.get(url)), url


def test_a_change_redis_missed_while_it_stalled_is_not_hidden_by_its_old_pages(
    client, story, use_redis, redis_server,
):
    use_redis(redis_server.url, breaker_seconds=0.2)
    for url in public_pages(story) * 2:
        assert client.get(url).status_code == 200, url
    with redis_server.client() as admin:
        admin.client_pause(1500)  # every client waits: the app's calls time out
    story.status = Article.Status.ARCHIVED
    story.save()  # saved; its tokens never reached Redis
    assert client.get(story.get_absolute_url()).status_code == 404  # rendered without Redis
    time.sleep(1.8)  # Redis answers again, with the pages as they were before the change
    assert client.get(story.get_absolute_url()).status_code == 404
    assert story.slug.encode() not in body(client.get("/"))


def test_while_a_change_is_being_committed_pages_are_rendered_and_not_kept(client, story, use_redis, redis_server):
    use_redis(redis_server.url)
    url = story.get_absolute_url()
    for _ in range(2):
        client.get(url)
    assert not client.get(url).context  # served from the cache: nothing rendered
    store = cache.generation_cache()
    # A change has marked the store and not committed yet (another app server's transaction).
    store.set(cache.SEEN_KEY, (cache.committed_changes() + 1, time.time()), None)
    assert client.get(url).context and client.get(url).context  # rendered each time, kept never
    # Past WRITING_SECONDS the change rolled back: the store gets a new epoch and is used again.
    store.set(cache.SEEN_KEY, (cache.committed_changes() + 1, time.time() - cache.WRITING_SECONDS - 1), None)
    for _ in range(2):
        client.get(url)
    assert not client.get(url).context


# Work after the commit ---------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_commit_leaves_the_change_saved_and_reported_as_saved(
    client, desk, story, monkeypatch, caplog,
):
    def fails(*args, **kwargs):
        raise RuntimeError("the cache fell over after the commit")

    monkeypatch.setattr(cache, "_after_commit", fails)
    assert client.get(story.get_absolute_url()).status_code == 200
    with caplog.at_level(logging.ERROR):
        told = move(desk, story, "unpublish")
    assert any(text.startswith("Unpublished") for text in told)
    story.refresh_from_db()
    assert story.status == Article.Status.ARCHIVED
    assert "the cache fell over after the commit" in caplog.text  # logged for the operator
    assert client.get(story.get_absolute_url()).status_code == 404  # made stale before the commit
