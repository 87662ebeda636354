"""The admin's lists at scale: bounded counts, index search, cheap filters and date links, role narrowing."""
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import admin_search, roles, services
from articles.admin_lists import EstimatedCountPaginator, round_estimate
from articles.models import Article

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    CitationFactory,
    CommentaryFactory,
    OrganizationFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
STORIES = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor(client):
    user = UserFactory(username="desk-list-editor", is_superuser=True)
    client.force_login(user)
    return user


def listed(response):
    return [story.headline for story in response.context["cl"].result_list]


def test_search_finds_every_word_in_text_and_quoted_analyst_names_newest_first(client, editor):
    analyst = AnalystFactory(name="Quintessa Marlowe-Fenn")
    quoted = ArticleFactory(headline="Harbour levy vote", body="<p>The pretend council voted.</p>")
    CommentaryFactory(article=quoted, analyst=analyst, text="A fictional view.")
    ArticleFactory(headline="Harbour levy delayed", body="<p>No vote on the levy.</p>")
    ArticleFactory(headline="Orchard prices", body="<p>Nothing about harbours.</p>")
    assert listed(client.get(STORIES, {"q": "harbour levy"})) == ["Harbour levy delayed", "Harbour levy vote"]
    assert listed(client.get(STORIES, {"q": "Quintessa"})) == ["Harbour levy vote"]
    assert listed(client.get(STORIES, {"q": "council"})) == ["Harbour levy vote"]


def test_search_finds_a_story_by_its_address(client, editor):
    story = ArticleFactory(headline="Canal toll rises", slug="canal-toll-rises")
    assert listed(client.get(STORIES, {"q": f"https://example.org/stories/{story.slug}/"})) == ["Canal toll rises"]


def test_search_text_is_never_an_index_operator(client, editor):
    ArticleFactory(headline="Ferry strike ends")
    for query in ['"ferry', "ferry OR", "NEAR(ferry strike)", "ferry*", "-ferry", "()", "'"]:
        assert client.get(STORIES, {"q": query}).status_code == 200


def test_search_lists_only_the_newest_matches(client, editor, settings):
    settings.NEWSROOM_ADMIN_SEARCH_LIMIT = 2
    for n in range(4):
        ArticleFactory(headline=f"Lighthouse report {n}")
    found = listed(client.get(STORIES, {"q": "lighthouse"}))
    if admin_search.matching_ids(Article, "lighthouse") is None:  # no word index: substring search
        assert len(found) == 4
    else:
        assert sorted(found) == ["Lighthouse report 2", "Lighthouse report 3"]


def test_the_admin_and_reader_search_split_the_same_scripts():
    from reader import search as reader_search

    assert admin_search.CJK_CLASS == reader_search.CJK_CLASS


def test_topic_filter_lists_its_stories_newest_added_first_and_offers_busy_topics(client, editor):
    canals, harbours = TopicFactory(name="Pretend canals"), TopicFactory(name="Pretend harbours")
    first, second = ArticleFactory(headline="Canal one"), ArticleFactory(headline="Canal two")
    for story in (first, second):
        story.topics.add(canals)
    ArticleFactory(headline="Harbour one").topics.add(harbours)
    response = client.get(STORIES, {"topic": canals.slug})
    assert listed(response) == ["Canal two", "Canal one"]
    choices = [choice["display"] for spec in response.context["cl"].filter_specs for choice in spec.choices(
        response.context["cl"]) if getattr(spec, "parameter_name", "") == "topic"]
    assert choices[1:3] == ["Pretend canals", "Pretend harbours"]  # after "All", busiest first


def test_a_topic_chosen_elsewhere_is_shown_chosen(client, editor):
    quiet = TopicFactory(name="Pretend quiet topic")  # on no recent story
    response = client.get(STORIES, {"topic": quiet.slug})
    assert response.status_code == 200 and listed(response) == []
    assert "Pretend quiet topic" in response.content.decode()


def test_analyst_filter_lists_each_quoting_story_once(client, editor):
    analyst = AnalystFactory(name="Ottilie Pretence")
    story = ArticleFactory(headline="Twice quoted")
    CommentaryFactory(article=story, analyst=analyst)
    CommentaryFactory(article=story, analyst=analyst)
    ArticleFactory(headline="Not quoted")
    assert listed(client.get(STORIES, {"analyst": analyst.slug})) == ["Twice quoted"]


def test_an_unknown_topic_or_analyst_lists_no_story(client, editor):
    ArticleFactory(headline="Any story")  # no topic, no quote: the filters offer no choice at all
    for params in ({"topic": "no-such-topic"}, {"analyst": "no-such-analyst"}):
        response = client.get(STORIES, params)
        assert response.status_code == 200 and listed(response) == [], params


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "draft"}, ["Draft piece"]),
        ({"kind__exact": "opinion"}, ["Opinion piece"]),
        ({"published_at__year": "2021"}, ["Old news"]),
        ({"published_at__year": "2021", "published_at__month": "3"}, ["Old news"]),
        ({"published_at__year": "2021", "published_at__month": "3", "published_at__day": "9"}, ["Old news"]),
        ({"published_at__year": "2021", "published_at__month": "4"}, []),
    ],
)
def test_filters_and_date_links_choose_the_right_stories(client, editor, params, expected):
    ArticleFactory(headline="Draft piece", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(headline="Opinion piece", kind=Article.Kind.OPINION)
    ArticleFactory(headline="Old news", published_at=datetime.datetime(2021, 3, 9, 12, tzinfo=datetime.UTC))
    response = client.get(STORIES, params)
    assert response.status_code == 200
    assert listed(response) == expected


def test_date_links_offer_the_calendar_between_the_first_and_last_story(client, editor):
    ArticleFactory(published_at=datetime.datetime(2021, 3, 9, 12, tzinfo=datetime.UTC))
    ArticleFactory(published_at=datetime.datetime(2023, 5, 1, 12, tzinfo=datetime.UTC))
    years = client.get(STORIES).context["date_drilldown"]
    assert [c["title"] for c in years["choices"]] == ["2021", "2022", "2023"]
    months = client.get(STORIES, {"published_at__year": "2021"}).context["date_drilldown"]
    assert months["choices"][0]["title"] == "March 2021" and len(months["choices"]) == 10
    assert "published_at__month=3" in months["choices"][0]["link"]


@pytest.mark.parametrize("sort", ["1", "-1", "4", "-4"])
def test_the_offered_sorts_answer(client, editor, sort):
    ArticleFactory(headline="Beta")
    ArticleFactory(headline="Alpha")
    response = client.get(STORIES, {"o": sort})
    assert sorted(listed(response)) == ["Alpha", "Beta"]
    if sort == "1":
        assert listed(response) == ["Alpha", "Beta"]


def test_sorted_by_publication_time_ties_go_newest_added_first_either_way(client, editor):
    moment = timezone.now() - datetime.timedelta(days=1)
    ArticleFactory(headline="Earlier", published_at=moment - datetime.timedelta(hours=1))
    ArticleFactory(headline="Tie added first", published_at=moment)
    ArticleFactory(headline="Tie added second", published_at=moment)
    oldest_first = listed(client.get(STORIES, {"o": "4"}))
    newest_first = listed(client.get(STORIES, {"o": "-4"}))
    assert oldest_first == ["Earlier", "Tie added second", "Tie added first"]
    assert newest_first == ["Tie added second", "Tie added first", "Earlier"]


def test_kind_and_status_are_filters_not_sorts(client, editor):
    ArticleFactory()
    headers = client.get(STORIES).context["cl"].model_admin.sortable_by
    assert set(headers) == {"headline", "publication_time"}


def test_counts_are_exact_up_to_the_limit(client, editor, settings):
    settings.NEWSROOM_ADMIN_EXACT_COUNT = 10
    for _ in range(3):
        ArticleFactory()
    response = client.get(STORIES)
    assert response.context["cl"].paginator.count_text == "3"
    assert "3 stories" in response.content.decode()


def test_the_unfiltered_list_estimates_its_count_beyond_the_limit_and_says_so(client, editor, settings):
    settings.NEWSROOM_ADMIN_EXACT_COUNT = 3
    stories = [ArticleFactory() for _ in range(6)]
    response = client.get(STORIES)
    paginator = response.context["cl"].paginator
    if connection.vendor == "sqlite":  # the highest id handed out
        assert paginator.count == max(s.pk for s in stories)
    assert paginator.count_text.startswith(("about ", "more than "))
    assert paginator.count_text in response.content.decode()
    assert len(listed(response)) == 6


def test_a_filtered_list_says_more_than_the_limit(client, editor, settings):
    settings.NEWSROOM_ADMIN_EXACT_COUNT = 3
    for _ in range(5):
        ArticleFactory(kind=Article.Kind.ANALYSIS)
    response = client.get(STORIES, {"kind__exact": "analysis"})
    assert response.context["cl"].paginator.count_text == "more than 3"
    assert "more than 3 stories" in response.content.decode()
    assert len(listed(response)) == 5  # one page: every story is still listed


def test_estimated_pages_stop_where_rows_are_sure_to_exist():
    stories = Article.objects.none()
    paginator = EstimatedCountPaginator(stories, 10, estimate=lambda: 1_000_000)
    paginator.limit = 25
    paginator.count = 1_000_000
    paginator.exact = False
    assert paginator.num_pages == 3
    assert round_estimate(1_234_567) == 1_230_000


def test_story_list_queries_do_not_grow_with_stories(client, editor, django_assert_max_num_queries):
    topic = TopicFactory(name="Pretend tides")
    analyst = AnalystFactory()
    for _ in range(5):
        story = ArticleFactory()
        story.topics.add(topic)
        CommentaryFactory(article=story, analyst=analyst)
    views = [{}, {"q": "story"}, {"topic": topic.slug}, {"analyst": analyst.slug}, {"status__exact": "published"},
             {"published_at__year": str(timezone.now().year)}, {"o": "1"}]
    counted = {}
    for params in views:
        client.get(STORIES, params)
        with django_assert_max_num_queries(20) as captured:
            client.get(STORIES, params)
        counted[str(params)] = len(captured.captured_queries)
    for _ in range(45):
        story = ArticleFactory()
        story.topics.add(topic)
        CommentaryFactory(article=story, analyst=analyst)
    for params in views:
        client.get(STORIES, params)  # the filters' choices are counted again once a story is added
        with django_assert_max_num_queries(counted[str(params)]):
            client.get(STORIES, params)


@pytest.mark.parametrize("name", ["analyst", "source", "topic", "organization"])
def test_desk_lists_queries_do_not_grow_with_rows(client, editor, django_assert_max_num_queries, name):
    def add_rows(n):
        for _ in range(n):
            organization = OrganizationFactory()
            analyst = AnalystFactory(organization=organization)
            source = SourceFactory(organization=organization)
            story = ArticleFactory()
            story.topics.add(TopicFactory())
            CommentaryFactory(article=story, analyst=analyst)
            CitationFactory(article=story, source=source)

    url = reverse(f"admin:articles_{name}_changelist")
    add_rows(5)
    client.get(url)
    with django_assert_max_num_queries(15) as small:
        assert client.get(url).status_code == 200
    add_rows(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, {"q": "a"}).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_source_list_caps_its_citation_counts(client, editor, settings):
    from articles.admin import SourceAdmin

    source = SourceFactory(name="Pretend wire")
    for _ in range(3):
        CitationFactory(source=source)
    SourceAdmin.citation_cap, cap = 2, SourceAdmin.citation_cap
    try:
        response = client.get(reverse("admin:articles_source_changelist"))
    finally:
        SourceAdmin.citation_cap = cap
    assert "more than 2" in response.content.decode()


@pytest.fixture
def reporter(client):
    call_command("setup_roles", stdout=io.StringIO())
    user = UserFactory(username="list-reporter", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.REPORTER))
    client.force_login(user)
    return user


@pytest.mark.parametrize("params", [{}, {"q": "canal"}, {"topic": "pretend-canals"}, {"status__exact": "draft"}])
def test_a_reporter_list_shows_only_their_own_and_live_stories_and_counts_nothing_else(
    client, reporter, settings, params
):
    settings.NEWSROOM_ADMIN_EXACT_COUNT = 1
    topic = TopicFactory(name="Pretend canals", slug="pretend-canals")
    own = ArticleFactory(
        headline="Own canal draft", status=Article.Status.DRAFT, published_at=None, created_by=reporter
    )
    live = ArticleFactory(headline="Live canal story")
    ArticleFactory(headline="Others' canal draft", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(headline="Scheduled canal story", published_at=timezone.now() + datetime.timedelta(days=1))
    for story in Article.objects.all():
        story.topics.add(topic)
    response = client.get(STORIES, params)
    assert response.status_code == 200
    shown = set(listed(response))
    assert shown <= {own.headline, live.headline} and shown
    body = response.content.decode()
    assert "Others&#x27; canal draft" not in body and "Scheduled canal story" not in body
    assert "about" not in response.context["cl"].paginator.count_text  # never the table's size


# Lists that count per row, the status log and the autocomplete boxes ------------------------------


def assert_queries_do_not_grow(client, url, add_rows, django_assert_max_num_queries):
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    add_rows()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_source_and_organization_lists_read_the_same_queries_with_few_or_many_rows(
    client, editor, django_assert_max_num_queries
):
    organization = OrganizationFactory(name="Pretend Institute of Canals")
    source = SourceFactory(name="Pretend Canal Gazette", organization=organization)
    CitationFactory(source=source)
    AnalystFactory(organization=organization)

    def add_rows():
        for i in range(30):
            other = OrganizationFactory(name=f"Pretend Office {i:02}")
            AnalystFactory(organization=other)
            CitationFactory(source=SourceFactory(name=f"Pretend Bulletin {i:02}", organization=other))

    for name in ("source", "organization"):
        url = reverse(f"admin:articles_{name}_changelist")
        assert_queries_do_not_grow(client, url, add_rows if name == "source" else lambda: None,
                                   django_assert_max_num_queries)


def test_organization_list_counts_analysts_up_to_a_cap(client, editor):
    from articles.admin import OrganizationAdmin

    organization = OrganizationFactory(name="Pretend Think Tank")
    for _ in range(3):
        AnalystFactory(organization=organization)
    OrganizationFactory(name="Pretend Empty Office")
    response = client.get(reverse("admin:articles_organization_changelist"))
    rows = {org.name: org.analyst_count for org in response.context["cl"].result_list}
    assert rows == {"Pretend Think Tank": 3, "Pretend Empty Office": 0}
    OrganizationAdmin.analyst_cap, cap = 2, OrganizationAdmin.analyst_cap
    try:
        response = client.get(reverse("admin:articles_organization_changelist"))
    finally:
        OrganizationAdmin.analyst_cap = cap
    assert "more than 2" in response.content.decode()


def test_status_log_lists_newest_first_with_a_query_count_independent_of_its_length(
    client, editor, django_assert_max_num_queries
):
    url = reverse("admin:articles_transition_changelist")
    first = ArticleFactory(headline="Pretend first move", status=Article.Status.DRAFT, published_at=None)
    services.article_transition(article=first, action="submit", user=editor)

    def add_rows():
        for i in range(12):
            story = ArticleFactory(headline=f"Pretend move {i:02}", status=Article.Status.DRAFT, published_at=None)
            services.article_transition(article=story, action="submit", user=editor)

    response = assert_queries_do_not_grow(client, url, add_rows, django_assert_max_num_queries)
    shown = [entry.article.headline for entry in response.context["cl"].result_list]
    assert shown == [f"Pretend move {i:02}" for i in reversed(range(12))] + ["Pretend first move"]


def autocomplete(client, model_name, field_name, term, page=1):
    url = reverse("admin:autocomplete")
    params = {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term, "page": page}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.json(), [q["sql"] for q in queries.captured_queries]


def test_autocomplete_pages_without_counting_the_matches(client, editor):
    for i in range(25):
        AnalystFactory(name=f"Pretend Marrowby {i:02}")
    AnalystFactory(name="Pretend Otherling")
    data, sql = autocomplete(client, "commentary", "analyst", "marrowby")
    assert [r["text"] for r in data["results"]] == [f"Pretend Marrowby {i:02}" for i in range(20)]
    assert data["pagination"] == {"more": True}
    assert not any("COUNT(" in statement.upper() for statement in sql)
    data, _ = autocomplete(client, "commentary", "analyst", "marrowby", page=2)
    assert [r["text"] for r in data["results"]] == [f"Pretend Marrowby {i:02}" for i in range(20, 25)]
    assert data["pagination"] == {"more": False}


@pytest.mark.parametrize(
    ("model_name", "field_name"),
    [("commentary", "analyst"), ("citation", "source"), ("analyst", "organization"), ("source", "organization")],
)
def test_autocomplete_boxes_find_names_not_titles_or_descriptions(client, editor, model_name, field_name):
    organization = OrganizationFactory(name="Pretend Quillfeather Foundation")
    AnalystFactory(name="Pretend Quillfeather", title="fellow")
    AnalystFactory(name="Pretend Someone", title="Quillfeather chair", organization=organization)
    SourceFactory(name="Pretend Quillfeather Bulletin", description="x")
    SourceFactory(name="Pretend Ledger", description="Quillfeather news", organization=organization)
    data, _ = autocomplete(client, model_name, field_name, "quillfeather")
    expected = {
        "analyst": ["Pretend Quillfeather"],
        "source": ["Pretend Quillfeather Bulletin"],
        "organization": ["Pretend Quillfeather Foundation"],
    }[field_name]
    assert [r["text"] for r in data["results"]] == expected


def test_filter_choices_are_counted_again_once_a_story_is_added(client, editor):
    first = TopicFactory(name="Pretend tides")
    ArticleFactory().topics.add(first)
    assert f"?topic={first.slug}" in client.get(STORIES).content.decode()
    later = TopicFactory(name="Pretend currents")
    ArticleFactory().topics.add(later)
    assert f"?topic={later.slug}" in client.get(STORIES).content.decode()  # the filter offers it at once


@pytest.mark.parametrize("name", ["article", "analyst", "source", "topic", "organization"])
def test_desk_lists_offer_no_facet_counts(client, editor, name):
    url = reverse(f"admin:articles_{name}_changelist")
    assert "Show counts" not in client.get(url).content.decode()
    asked = client.get(url, {"_facets": "1"}).content.decode()
    assert "Hide counts" not in asked and 'class="facet' not in asked
