"""The topic catalog (pagecache/topic_catalog.py): topic names by id, read again whenever a topic changes."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, TaggedArticle, Topic
from counts.queries import analyst_topic_counts, leading_topics
from pagecache import cache, topic_catalog
from reader import queries as page_queries

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory, TopicFactory

pytestmark = pytest.mark.django_db


def topic_queries(queries):
    return [q["sql"] for q in queries.captured_queries if 'FROM "articles_topic"' in q["sql"]]


def test_topics_are_read_once_while_no_topic_changes():
    TopicFactory(name="Pretend Ruritanian harvest")
    topic_catalog.topics_by_id()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            names = [t.name for t in topic_catalog.topics_by_id().values()]
    assert names == ["Pretend Ruritanian harvest"]
    assert topic_queries(queries) == []


def test_a_rename_reaches_the_next_page_at_once(client):
    topic = TopicFactory(name="Pretend Ruritanian harvest")
    story = ArticleFactory(topics=[topic], published_at=timezone.now() - datetime.timedelta(hours=1))
    assert "Pretend Ruritanian harvest" in client.get("/").content.decode()
    topic.name = "Pretend Ruritanian grain harvest"
    topic.save()
    for url in ("/", topic.get_absolute_url()):
        body = client.get(url).content.decode()
        # The teaser's own topic links (the page's heading and sidebar read the topic elsewhere).
        teaser = body[body.index(f">{story.headline}</a>"):]
        teaser = teaser[teaser.index('<ul class="taglist"'):teaser.index("</ul>")]
        assert "Pretend Ruritanian grain harvest" in teaser, url


def test_any_topic_change_on_another_app_server_means_a_new_read():
    topic = TopicFactory(name="Pretend Ruritanian harvest")
    topic_catalog.topics_by_id()
    # What another process's write leaves: the row changed (no signal here) and a new structure token.
    Topic.objects.filter(pk=topic.pk).update(name="Pretend Ruritanian grain harvest")
    assert topic_catalog.topics_by_id()[topic.pk].name == "Pretend Ruritanian harvest"  # no token change yet
    cache.content_changed()
    assert topic_catalog.topics_by_id()[topic.pk].name == "Pretend Ruritanian grain harvest"


def test_a_link_to_a_topic_it_does_not_know_reads_the_topics_again():
    story = ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    topic_catalog.topics_by_id()
    # Created without signals, as a link can be read before the new topic's token arrives.
    (fresh,) = Topic.objects.bulk_create([Topic(name="Pretend Ruritanian harvest", slug="pretend-ruritanian-harvest")])
    TaggedArticle.objects.bulk_create([TaggedArticle(tag=fresh, content_object=story)])
    (listed,) = page_queries.attach_listed_topics([story])
    assert [tuple(t) for t in listed.listed_topics] == [("Pretend Ruritanian harvest", "pretend-ruritanian-harvest")]


def test_listed_topics_are_a_to_z_and_talks_to_us_about_most_covered_first():
    analyst = AnalystFactory(name="Pretend Analyst Quillby")
    zeta, alpha, mid = (TopicFactory(name=n) for n in ("Pretend Zeta", "Pretend Alpha", "Pretend Mid"))
    now = timezone.now()
    for n, topics in enumerate([[zeta, alpha], [zeta, mid], [zeta], [mid, alpha]]):
        story = ArticleFactory(topics=topics, published_at=now - datetime.timedelta(hours=n + 1))
        CommentaryFactory(article=story, analyst=analyst)
    page = page_queries.analyst_first_page(analyst, now, 5)
    page.load_parts(page)
    first = page[0]  # the newest: Zeta and Alpha
    assert [t.name for t in first.listed_topics] == ["Pretend Alpha", "Pretend Zeta"]
    top = page_queries.rank_topics(analyst_topic_counts(analyst.pk, now, stories=200), limit=2)
    assert [t.name for t in top] == ["Pretend Zeta", "Pretend Alpha"]  # 3, then 2 and 2: A to Z


def test_a_topic_or_analyst_page_reads_the_structure_token_once(client, monkeypatch):
    analyst = AnalystFactory(name="Pretend Analyst Quillby")
    topic = TopicFactory(name="Pretend Ruritanian harvest")
    story = ArticleFactory(topics=[topic], published_at=timezone.now() - datetime.timedelta(hours=1))
    CommentaryFactory(article=story, analyst=analyst)
    reads = []
    store = cache.generation_cache()  # where the tokens live (Redis in production)
    original = store.get_many

    def counted(keys, *args, **kwargs):
        reads.append(list(keys))
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(store, "get_many", counted)
    for url in (topic.get_absolute_url(), analyst.get_absolute_url()):
        reads.clear()
        body = client.get(url).content.decode()
        assert "Pretend Ruritanian harvest" in body
        # The page key's read only: the teasers' topics and "Talks to us about" reuse it.
        assert [keys for keys in reads if cache.STRUCTURE_KEY in keys] == [reads[0]], url


def test_talks_to_us_about_ranks_as_sorting_every_topic_would():
    import random

    rng = random.Random(7)
    analyst = AnalystFactory(name="Pretend Analyst Tollybrook")
    topics = [TopicFactory(name=f"Pretend topic {n:02d}") for n in range(12)]
    now = timezone.now()
    for n in range(30):
        story = ArticleFactory(topics=rng.sample(topics, rng.randint(1, 3)),
                               published_at=now - datetime.timedelta(hours=n + 1))
        CommentaryFactory(article=story, analyst=analyst)
    counts = {}
    for link in TaggedArticle.objects.filter(content_object__commentary__analyst=analyst):
        counts[link.tag_id] = counts.get(link.tag_id, 0) + 1
    by_id = {topic.pk: topic for topic in topics}
    for limit in (1, 3, 5, 12, 20):
        expected = sorted(counts, key=lambda pk: (-counts[pk], by_id[pk].name))[:limit]
        counted = analyst_topic_counts(analyst.pk, now, stories=200)
        got = page_queries.rank_topics(counted, limit=limit)
        assert [t.slug for t in got] == [by_id[pk].slug for pk in expected], limit
        # The counts an analyst's stats keep (those that can be shown, ties at the cut) rank the same.
        kept = leading_topics(counted, limit=limit)
        assert len(kept) <= len(counted) and page_queries.rank_topics(kept, limit=limit) == got, limit
    assert len(leading_topics(counted, limit=1)) < len(counted)  # the data has a cut to make


@pytest.fixture
def uncached_pages(settings):
    """Render every page (the page cache keeps nothing), leaving tokens and fragments as they are."""
    settings.CACHES = {**settings.CACHES, "nopage": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.NEWSROOM_PAGE_CACHE = "nopage"


def test_a_topic_page_reads_its_topic_from_the_catalog_and_its_count_with_its_stories(client, uncached_pages):
    topic = TopicFactory(name="Pretend Graustark tariffs", description="Pretend duties on Graustark cheese.")
    now = timezone.now()
    for n in range(23):
        ArticleFactory(topics=[topic], published_at=now - datetime.timedelta(hours=n + 1))
    ArticleFactory(topics=[topic], status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(topics=[topic], published_at=now + datetime.timedelta(hours=3))  # scheduled
    url = topic.get_absolute_url()
    older = client.get(url).context["pager"]["older"]
    # Page-number pages (prepared), a cursor page and the oldest page (the ORM's queryset).
    for page in (url, f"{url}?page=2", older, f"{url}?page=last"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        body = response.content.decode()
        assert response.status_code == 200 and "23 stories" in body, page
        assert "Pretend Graustark tariffs" in body and "Pretend duties on Graustark cheese." in body, page
        assert topic_queries(queries) == [], page  # neither the topic nor its count on their own
        # The page cache's check of the change count, the stories (with the count), and the topics
        # and lead pictures of those whose teasers were not yet rendered.
        assert len(queries) == (2 if page == url else 4), page


def test_a_topic_this_process_does_not_know_yet_is_read_with_its_count(client, uncached_pages):
    topic = TopicFactory(name="Pretend Graustark tariffs")
    story = ArticleFactory(topics=[topic], published_at=timezone.now() - datetime.timedelta(hours=1))
    url = topic.get_absolute_url()
    assert "1 story" in client.get(url).content.decode()
    # A topic this process has not read yet (created without signals, as on another app server
    # before its token arrives) is found in the database, with its count.
    (fresh,) = Topic.objects.bulk_create([Topic(name="Pretend Sylvanian quotas", slug="pretend-sylvanian-quotas")])
    link = TaggedArticle(tag=fresh, content_object=story, story_live_at=story.published_at)
    TaggedArticle.objects.bulk_create([link])
    with CaptureQueriesContext(connection) as queries:
        body = client.get(fresh.get_absolute_url()).content.decode()
    assert "Pretend Sylvanian quotas" in body and "1 story" in body
    assert len(topic_queries(queries)) >= 1
    # Every story unpublished: the topic is known, and its page is a 404.
    story.status = Article.Status.DRAFT
    story.save()
    assert client.get(url).status_code == 404
    assert client.get("/topics/no-such-pretend-topic/").status_code == 404


def test_a_topic_description_edit_reaches_its_page_at_once(client, uncached_pages):
    topic = TopicFactory(name="Pretend Graustark tariffs", description="Pretend first description.")
    ArticleFactory(topics=[topic], published_at=timezone.now() - datetime.timedelta(hours=1))
    assert "Pretend first description." in client.get(topic.get_absolute_url()).content.decode()
    topic.description = "Pretend second description."
    topic.save()
    assert "Pretend second description." in client.get(topic.get_absolute_url()).content.decode()
