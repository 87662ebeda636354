"""The queries an uncached topic or analyst page runs (reader/queries.py)."""
import datetime

import pytest
from django.db import connection
from django.db.models import OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Topic
from counts import analysts as counts
from counts.models import AnalystCounts
from counts.queries import CappedCount, analyst_counts, topic_count
from photos.models import LeadImage, Photo
from reader import pagination, queries

from ..factories import AnalystFactory, ArticleFactory, CommentaryFactory, OrganizationFactory, TopicFactory
from ..photos.conftest import add_photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[True, False], ids=["prepared", "querysets"])
def prepared(request, settings):
    """Every behaviour holds with the page queries prepared (reader/private_api.py) and as plain querysets."""
    settings.NEWSROOM_PREPARED_QUERIES = request.param
    return request.param


@pytest.fixture
def desk():
    """Two topics and an analyst over published, draft, scheduled and archived stories."""
    now = timezone.now()
    org = OrganizationFactory(name="Pretend Institute of Graustark Studies")
    analyst = AnalystFactory(name="Zenobia Quillfeather", organization=org)
    big, small = TopicFactory(name="Pretend Freedonia border"), TopicFactory(name="Pretend Sylvanian tariffs")
    stories = []
    for n in range(7):
        story = ArticleFactory(
            headline=f"Pretend story {n}", topics=[big] if n % 2 else [big, small],
            published_at=now - datetime.timedelta(hours=n + 1),
        )
        CommentaryFactory(article=story, analyst=analyst, sort_order=1)
        if n == 3:
            CommentaryFactory(article=story, analyst=analyst, sort_order=2)  # quoted twice in one story
        stories.append(story)
    hidden = [
        ArticleFactory(topics=[big], status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(topics=[big], published_at=now + datetime.timedelta(hours=2)),  # scheduled
        ArticleFactory(topics=[big], status=Article.Status.ARCHIVED, published_at=now - datetime.timedelta(days=1)),
    ]
    for story in hidden:
        CommentaryFactory(article=story, analyst=analyst)
    return {"big": big, "small": small, "analyst": analyst, "stories": stories, "hidden": hidden, "now": now}


def test_counts_come_with_the_topic_and_analyst_match_the_querysets_count_and_stop_at_the_cap(desk):
    now, big, small, analyst = desk["now"], desk["big"], desk["small"], desk["analyst"]
    with CaptureQueriesContext(connection) as ran:
        (topic,) = queries.topic_by_slug(big.slug, now)
        (other,) = queries.topic_by_slug(small.slug, now)
        ((quoted, *_),) = analyst_counts(analyst.pk, now)
    assert len(ran) == 3  # each count inside its lookup's (or the analyst's counts') query
    assert topic.story_count == topic_count(big.pk, now).count() == 7
    assert other.story_count == 4
    # Seven stories quote the analyst, one of them twice: seven stories, eight live quotes.
    assert quoted == 7
    capped = Topic.objects.filter(slug=big.slug).annotate(story_count=CappedCount(topic_count(OuterRef("pk"), now)[:3]))
    assert capped.get().story_count == 3



def test_a_scheduled_story_appears_once_its_time_comes(desk):
    scheduled, big = desk["hidden"][1], desk["big"]
    before = queries.topic_page(big, desk["now"], 0, 50)
    assert scheduled.pk not in [story.pk for story in before]
    later = desk["now"] + datetime.timedelta(hours=3)
    after = queries.topic_page(big, later, 0, 50)
    assert [story.pk for story in after][0] == scheduled.pk
    assert queries.topic_by_slug(big.slug, later)[0].story_count == 8



def test_drafts_and_archived_stories_never_come_back(desk):
    hidden = {story.pk for story in desk["hidden"]}
    shown = queries.topic_page(desk["big"], desk["now"], 0, 50)
    shown += queries.analyst_first_page(desk["analyst"], desk["now"], 50)
    assert len(shown) == 14 and not hidden & {story.pk for story in shown}



def test_pages_carry_topics_and_the_analysts_quotes_in_order(desk):
    stories = queries.analyst_first_page(desk["analyst"], desk["now"], 5)
    assert [story.pk for story in stories] == [story.pk for story in desk["stories"][:5]]
    assert not any(hasattr(story, "analyst_quotes") for story in stories)  # loaded only to render
    stories.load_parts(stories)
    twice = stories[3]
    assert [quote.sort_order for quote in twice.analyst_quotes] == [1, 2]
    assert all(quote.article is twice for quote in twice.analyst_quotes)
    assert [t.name for t in stories[0].listed_topics] == ["Pretend Freedonia border", "Pretend Sylvanian tariffs"]
    assert [t.name for t in stories[1].listed_topics] == ["Pretend Freedonia border"]



def test_a_value_that_looks_like_sql_is_only_a_value(desk):
    assert queries.topic_by_slug("x' OR '1'='1", timezone.now()) == []
    assert Topic.objects.count() == 2



def test_an_analyst_quoted_many_times_per_story_still_gets_full_pages(client, db):
    analyst = AnalystFactory(name="Pretend Analyst Manyquotes")
    now = timezone.now()
    stories = [ArticleFactory(published_at=now - datetime.timedelta(hours=n + 1)) for n in range(22)]
    for story in stories:
        for order in range(6):  # more quotes per story than a fixed slack of link rows per story would cover
            CommentaryFactory(article=story, analyst=analyst, sort_order=order + 1)
    page = queries.analyst_first_page(analyst, now, 21)
    assert [story.pk for story in page] == [story.pk for story in stories[:21]]
    body = client.get(analyst.get_absolute_url()).content.decode()
    assert body.count('class="quotetimeline__item"') == 20 and "?before=" in body
    # Cursor pages and the feed group the quotes too.
    older = client.get(analyst.get_absolute_url(), {"before": pagination.encode(stories[0])}).content.decode()
    assert older.count('class="quotetimeline__item"') == 20 and "?before=" in older
    feed = client.get(reverse("articles:analyst_feed_rss", kwargs={"slug": analyst.slug})).content.decode()
    assert feed.count("<item>") == 22




def test_an_analyst_comes_with_the_counts_the_writes_keep(desk):
    analyst, now = desk["analyst"], desk["now"]
    counts.refresh([analyst.pk], now=now)
    kept = AnalystCounts.objects.get(analyst=analyst).topic_counts
    assert kept and queries.analyst_by_slug(analyst.slug)[0].counts.topic_counts == kept


def test_an_analyst_comes_with_organization_counts_and_portrait_in_one_query(desk):
    from photos.models import AnalystPortrait

    analyst, now = desk["analyst"], desk["now"]
    counts.refresh([analyst.pk], now=now)
    photo = add_photo(alt_text="A drawn profile of an imaginary scholar", copyright_holder="Pretend Agency")
    AnalystPortrait.objects.create(analyst=analyst, photo=photo, alt_text="Zenobia Quillfeather, drawn")
    with CaptureQueriesContext(connection) as queried:
        found = queries.analyst_by_slug(analyst.slug)[0]
        org, kept, portrait = found.organization, found.counts, found.portrait_image
    assert len(queried.captured_queries) == 1
    assert (found.pk, org.pk) == (analyst.pk, analyst.organization_id)
    assert org.name == "Pretend Institute of Graustark Studies"
    assert kept.story_count == AnalystCounts.objects.get(analyst=analyst).story_count and kept.current
    assert portrait.alt == "Zenobia Quillfeather, drawn" and portrait.src.endswith(".jpg")
    assert not [name for name in vars(found) if name.startswith("joined_")]


def test_an_analyst_without_organization_counts_or_portrait_has_none_of_them():
    lone = AnalystFactory(name="Ulrica Pembertwist", organization=None)
    found = queries.analyst_by_slug(lone.slug)[0]
    assert (found.organization, found.portrait_image) == (None, None)
    assert getattr(found, "counts", None) is None
    assert queries.analyst_by_slug("no-such-analyst") == []


def test_a_story_comes_with_its_lead_picture_as_stored_and_no_query_for_it():
    photo = add_photo(alt_text="A drawn quay in an imaginary port", copyright_holder="Pretend Agency")
    story = ArticleFactory()
    LeadImage.objects.create(article=story, photo=photo, caption="Ferries wait at a fictional quay.")
    bare = ArticleFactory()
    [loaded] = queries.story_by_slug(story.slug, timezone.now())
    with CaptureQueriesContext(connection) as captured:
        use = queries.lead_use(loaded)
    assert not captured.captured_queries
    assert (use.article_id, use.photo.pk, use.caption, use.photo.copyright_holder, use.photo.credit) == (
        story.pk, photo.pk, "Ferries wait at a fictional quay.", "Pretend Agency", photo.credit,
    )
    assert use.photo.renditions == Photo.objects.get(pk=photo.pk).renditions and use.photo.renditions
    assert queries.lead_use(queries.story_by_slug(bare.slug, timezone.now())[0]) is None


def test_only_a_published_story_is_found_by_its_address():
    draft = ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=1))
    published = ArticleFactory()
    now = timezone.now()
    assert queries.story_by_slug(draft.slug, now) == [] and queries.story_by_slug(scheduled.slug, now) == []
    assert [story.pk for story in queries.story_by_slug(published.slug, now)] == [published.pk]


def test_the_latest_page_lists_published_stories_newest_first_with_their_pictures():
    older = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=2))
    newer = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=1))
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=1))
    page = queries.latest_page(timezone.now(), 10)
    assert [story.pk for story in page] == [newer.pk, older.pk]
    page.load_parts(page)
    assert all(story.teaser_image is None and hasattr(story, "listed_topics") for story in page)


def brute_related(story, now):
    """The related stories by their definition, scored over every published story of the window in Python."""
    topics = set(story.topics.values_list("pk", flat=True))
    analysts = set(story.commentary.values_list("analyst_id", flat=True))
    start, end = story.published_at - queries.RELATED_WINDOW, story.published_at + queries.RELATED_WINDOW
    sharing = []
    for other in Article.objects.published(at=now).filter(published_at__range=(start, end)).exclude(pk=story.pk):
        shared_topics = topics & set(other.topics.values_list("pk", flat=True))
        shared_analysts = analysts & set(other.commentary.values_list("analyst_id", flat=True))
        if shared_topics or shared_analysts:
            sharing.append((other.published_at, other.pk, len(shared_topics) + 2 * len(shared_analysts)))
    newest = sorted(sharing, reverse=True)[: queries.RELATED_CANDIDATES]
    return [pk for _, pk, _ in sorted(newest, key=lambda c: (-c[2], -c[0].timestamp(), -c[1]))[:4]]


def test_related_stories_are_the_best_scored_of_the_newest_sharing_stories(monkeypatch):
    monkeypatch.setattr(queries, "RELATED_CANDIDATES", 6)  # so the candidates' cut is exercised
    now = timezone.now()
    topics = [TopicFactory(name=f"Pretend related topic {n}") for n in range(4)]
    analysts = [AnalystFactory(name=f"Pretend Related Analyst {n}") for n in range(3)]
    stories = []
    for n in range(24):
        story = ArticleFactory(
            published_at=now - datetime.timedelta(days=n * 13 % 250, hours=n),
            topics=[topics[n % 4], topics[n * 3 % 4]] if n % 5 else [],
        )
        for k in range(n % 3):
            CommentaryFactory(article=story, analyst=analysts[(n + k) % 3], sort_order=k)
        stories.append(story)
    ArticleFactory(status=Article.Status.DRAFT, topics=topics)  # never a candidate
    ArticleFactory(published_at=now + datetime.timedelta(days=2), topics=topics)  # scheduled: not yet
    checked = 0
    for story in stories:
        story_topics = list(story.topics.values_list("pk", flat=True))
        story_analysts = sorted(set(story.commentary.values_list("analyst_id", flat=True)))
        found = [s.pk for s in queries.related_stories(story, story_topics, story_analysts, now)]
        assert found == brute_related(story, now), story.pk
        checked += bool(found)
    assert checked > 10  # most stories have related ones: the comparison is not of empty lists
