"""The public page of whom the desk quotes: the sourcing desk's own counts, in aggregate, published stories only."""
import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article, Organization, Source
from sourcing.public import (
    COUNTRY_MIN_QUOTES,
    NO_COUNTRY,
    OTHER_COUNTRIES,
    counted_voices,
    voices_key,
    voices_period,
)

from ..factories import (
    AnalystFactory,
    ArticleFactory,
    CitationFactory,
    CommentaryFactory,
    OrganizationFactory,
    SourceFactory,
)
from ..reader.test_views import parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _counted_afresh():
    """Each test counts its own stories: the hour's counts of another test (a shared Redis) are dropped."""
    cache.delete(voices_key(voices_period()))


@pytest.fixture
def quoted():
    """Four quotes from a Freedonian think tank, one from a Sylvanian university, one from a lone Ruritanian
    ministry analyst, and a draft's quotes that must never count."""
    tank = OrganizationFactory(name="Freedonia Policy Lab", kind=Organization.Kind.THINK_TANK, country="Freedonia")
    uni = OrganizationFactory(name="Sylvania University", kind=Organization.Kind.UNIVERSITY, country="Sylvania")
    lone = OrganizationFactory(name="Ruritania Ministry", kind=Organization.Kind.GOVERNMENT, country="Ruritania")
    wonk, don, official = (AnalystFactory(name="Wanda Wonkish", organization=tank),
                           AnalystFactory(name="Donald Donnish", organization=uni),
                           AnalystFactory(name="Otto Officious", organization=lone))
    now = timezone.now()
    story = ArticleFactory(published_at=now - datetime.timedelta(days=3))
    for n in range(4):
        CommentaryFactory(article=story, analyst=wonk, sort_order=n)
    CommentaryFactory(article=story, analyst=don, sort_order=5)
    CommentaryFactory(article=ArticleFactory(published_at=now - datetime.timedelta(days=2)), analyst=official)
    nowhere = AnalystFactory(name="Nadia Nowhere", organization=OrganizationFactory(country=""))
    CommentaryFactory(article=ArticleFactory(published_at=now - datetime.timedelta(days=1)), analyst=nowhere)
    dispatch = SourceFactory(kind=Source.Kind.STATE_MEDIA, organization=None)
    CitationFactory(article=story, source=dispatch)
    CitationFactory(article=story, source=SourceFactory(
        organization=OrganizationFactory(name="Official Thought Institute", state_controlled=True)))
    CitationFactory(article=story)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    for n in range(10):
        CommentaryFactory(article=draft, analyst=official, sort_order=n)
    return wonk, don, official, nowhere


def test_shares_by_kind_and_country_count_published_stories_only(quoted):
    _, counts = counted_voices()
    assert counts["quotes"] == 7 and counts["stories"] == 3 and counts["analysts"] == 4
    by_kind = {label: (n, round(share, 3)) for label, n, share in counts["quotes_by_kind"]}
    assert by_kind == {"Think tank": (5, 0.714), "University": (1, 0.143), "Government or ministry": (1, 0.143)}
    # Countries with fewer than COUNTRY_MIN_QUOTES quotes are counted together; no country stays apart.
    assert COUNTRY_MIN_QUOTES == 3
    assert [(label, n) for label, n, _ in counts["quotes_by_country"]] == [
        ("Freedonia", 4), (OTHER_COUNTRIES, 2), (NO_COUNTRY, 1),
    ]
    # State-media dispatches and what state-controlled organizations issue count as state media.
    by_source = {label: n for label, n, _ in counts["citations_by_kind"]}
    assert by_source == {"State media": 2, "Government or ministry": 1}


def test_the_page_shows_totals_and_never_names_an_analyst(client, quoted):
    response = client.get("/about/voices/")
    assert response.status_code == 200 and parse(response).h1 == 1
    body = response.content.decode()
    assert "Think tank" in body and "71%" in body and "Freedonia" in body and "State media" in body
    for analyst in quoted:
        assert analyst.name not in body
    assert 'href="/about/diversity/"' in body
    assert "public" in response["Cache-Control"]


def test_the_counts_are_kept_for_an_hour(quoted, django_assert_num_queries):
    counted_voices()
    with django_assert_num_queries(0):
        counted_voices()


def test_an_empty_year_says_so(client):
    body = client.get("/about/voices/").content.decode()
    assert "No published story in the last twelve months quotes or cites anyone yet." in body
