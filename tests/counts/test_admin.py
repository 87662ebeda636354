"""The kept counts on the desk's analyst and topic lists."""
import pytest
from django.urls import reverse

from counts import analysts, topics
from counts.queries import COUNT_CAP

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="counts-editor", is_superuser=True)
    client.force_login(user)
    return user


def column(response, obj, name):
    admin = response.context["cl"].model_admin
    return getattr(admin, name)(next(row for row in response.context["cl"].result_list if row.pk == obj.pk))


def test_analyst_list_shows_the_kept_count_of_published_stories_quoting_them(client, editor):
    analyst = AnalystFactory(name="Perpetua Nonesuch")
    for story in (ArticleFactory(), ArticleFactory()):
        CommentaryFactory(article=story, analyst=analyst)
    CommentaryFactory(article=ArticleFactory(status="draft", published_at=None), analyst=analyst)
    analysts.refresh([analyst.pk], force=True)
    response = client.get(reverse("admin:articles_analyst_changelist"))
    assert column(response, analyst, "published_stories") == "2"
    assert client.get(reverse("admin:articles_analyst_changelist"), {"o": "4"}).status_code == 200


def test_topic_list_shows_the_kept_count_and_a_dash_before_one_is_kept(client, editor):
    counted, uncounted = TopicFactory(name="Pretend tides"), TopicFactory(name="Pretend winds")
    ArticleFactory().topics.add(counted)
    topics.refresh([counted.pk], force=True)
    response = client.get(reverse("admin:articles_topic_changelist"))
    assert column(response, counted, "published_stories") == "1"
    assert column(response, uncounted, "published_stories") == "—"
    assert client.get(reverse("admin:articles_topic_changelist"), {"o": "-3"}).status_code == 200


def test_a_count_past_the_cap_says_so():
    from counts.admin import kept

    assert kept(COUNT_CAP + 1) == f"{COUNT_CAP:,}+"
    assert kept(12) == "12"
