"""Teaser and lead pictures stay within the reader's query budget: none more on home and story pages, at
most one more (all of a list's pictures at once) elsewhere, the same whatever the archive's size, no N+1."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from zeal import zeal_context

from articles.models import Article
from photos.models import LeadImage

from ..reader.test_query_budget import build, urls
from . import files
from .conftest import add_photo

pytestmark = pytest.mark.django_db

# Pages that load their stories' pictures with the stories themselves.
NO_EXTRA = {"home", "home, page 2", "story"}


@pytest.fixture(scope="module")
def pictures():
    """Three pictures, made once for the module (renditions take a second each)."""
    return [files.jpeg(1600, 1000, seed=n) for n in range(3)]


def dress(pictures):
    photos = [add_photo(f"p{n}.jpg", data, alt_text=f"Picture {n}") for n, data in enumerate(pictures)]
    for n, story in enumerate(Article.objects.order_by("pk")):
        LeadImage.objects.get_or_create(article=story, defaults={"photo": photos[n % len(photos)]})


def picture_queries(client, url):
    """Return (status, how many queries of its own the page spends on the image library), rendered uncached.

    A story query that joins its lead picture (LEFT OUTER JOIN "photos_...") costs nothing more.
    """
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, sum('FROM "photos_' in query["sql"] for query in queries.captured_queries)


def test_pictures_cost_no_query_on_home_and_story_pages_and_at_most_one_elsewhere(client, pictures):
    pages = urls(*build(25))
    dress(pictures)
    for name, url in pages.items():
        status, reads = picture_queries(client, url)
        assert status == 200, name
        assert reads == 0 if name in NO_EXTRA else reads <= 1, f"{name}: {reads} queries of the library"
    assert "teaser__picture" in client.get(pages["home"]).content.decode()
    assert "photo--lead" in client.get(pages["story"]).content.decode()


def test_picture_queries_do_not_grow_with_the_archive(client, pictures):
    small = urls(*build(21))
    dress(pictures)
    small_counts = {name: picture_queries(client, url) for name, url in small.items()}
    large = urls(*build(42))
    dress(pictures)
    for name, url in large.items():
        assert picture_queries(client, url) == small_counts[name], name


def test_no_n_plus_one_with_pictures(client, pictures):
    pages = urls(*build(23))
    dress(pictures)
    for name, url in pages.items():
        cache.clear()
        with zeal_context():
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, name
