"""Every public page runs a small, constant number of queries whatever the archive's size, with no N+1."""
import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_context

from articles.models import Article
from pagecache import topic_catalog
from reader.queries import attach_listed_topics

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    BylineFactory,
    CitationFactory,
    CommentaryFactory,
    CorrectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The page cache's check of the change count (pagecache/cache.py) is one of them.
BUDGET = 9


def build(stories):
    """An archive of `stories` stories that share a topic, an analyst and a source, each fully dressed."""
    topic, analyst, source = TopicFactory(name="Budgeted pretend topic"), AnalystFactory(), SourceFactory()
    start = timezone.now() - datetime.timedelta(days=1)
    for i in range(stories):
        article = ArticleFactory(
            published_at=start + datetime.timedelta(minutes=i),
            topics=[topic, TopicFactory(name=f"Side pretend topic {i % 7}")],
        )
        for n in range(2):
            BylineFactory(article=article, author=UserFactory(username=f"budget{i}-{n}"), sort_order=n)
            CommentaryFactory(article=article, analyst=analyst if n == 0 else AnalystFactory(), sort_order=n)
            CitationFactory(article=article, source=source if n == 0 else SourceFactory(), sort_order=n)
        CorrectionFactory(article=article)
    return article, topic, analyst, source


def urls(article, topic, analyst, source):
    return {
        "home": "/",
        "home, page 2": "/?page=2",
        "story": article.get_absolute_url(),
        "topics": reverse("articles:topic_list"),
        "topic": topic.get_absolute_url(),
        "topic, page 2": topic.get_absolute_url() + "?page=2",
        "analysts": reverse("articles:analyst_list"),
        "analyst": analyst.get_absolute_url(),
        "source": source.get_absolute_url(),
        "search": "/search/?q=Freedonia",
        "corrections": reverse("articles:correction_list"),
        "feed": reverse("articles:feed_rss"),
        "atom": reverse("articles:feed_atom"),
        "topic feed": reverse("articles:topic_feed_rss", kwargs={"slug": topic.slug}),
        "analyst feed": reverse("articles:analyst_feed_atom", kwargs={"slug": analyst.slug}),
        "sitemap index": "/sitemap.xml",
        "sitemap, stories": "/sitemap-stories.xml",
        "sitemap, topics": "/sitemap-topics.xml",
        "sitemap, analysts": "/sitemap-analysts.xml",
        "news sitemap": "/sitemap-news.xml",
    }


def count_queries(client, url):
    cache.clear()  # uncached: the render is what is measured
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(queries)


@pytest.mark.parametrize("size", [3, 45])
def test_every_public_page_stays_within_the_budget(client, size, django_assert_max_num_queries):
    pages = urls(*build(size))
    for name, url in pages.items():
        if name.endswith("page 2") and size <= 20:
            continue
        cache.clear()
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url).status_code == 200, name


def test_query_count_does_not_grow_with_the_archive(client):
    small = {name: count_queries(client, url) for name, url in urls(*build(21)).items()}
    # Triple the archive; the topic is the same (and three times bigger), the other pages new and alike.
    large = {name: count_queries(client, url) for name, url in urls(*build(42)).items()}
    for name in small:
        assert small[name][0] == large[name][0] == 200, name
        assert large[name][1] == small[name][1], f"{name}: {small[name][1]} queries, then {large[name][1]}"


def test_no_n_plus_one_on_any_public_page(client):
    pages = urls(*build(23))
    for name, url in pages.items():
        cache.clear()
        with zeal_context():  # one request per context, as zeal's middleware does
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, name


def test_attach_listed_topics_loads_every_storys_topics_in_one_query(django_assert_num_queries):
    first, second, bare = ArticleFactory(), ArticleFactory(), ArticleFactory()
    first.topics.add("Sylvania", "Freedonia")
    second.topics.add("Graustark")
    topic_catalog.topics_by_id()  # names come from the catalog, read once per topic change
    with django_assert_num_queries(2):  # the stories, then every topic link for all of them
        stories = {story.pk: story for story in attach_listed_topics(list(Article.objects.for_teasers()))}
        listed = {pk: [(t.name, t.get_absolute_url()) for t in story.listed_topics] for pk, story in stories.items()}
    assert listed[first.pk] == [("Freedonia", "/topics/freedonia/"), ("Sylvania", "/topics/sylvania/")]
    assert listed[second.pk] == [("Graustark", "/topics/graustark/")]
    assert listed[bare.pk] == []


def test_listed_topics_match_the_storys_own_topics():
    story = ArticleFactory()
    story.topics.add("Sylvania", "Freedonia")
    listed = attach_listed_topics([Article.objects.for_teasers().get(pk=story.pk)])[0].listed_topics
    assert [(t.name, t.slug) for t in listed] == [(t.name, t.slug) for t in story.listed_topics]
