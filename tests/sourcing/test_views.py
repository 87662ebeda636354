"""The sourcing dashboard in the admin: who may see it, its CSV downloads, the self-described setting."""
import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from sourcing.views import csv_safe
from tests.factories import AnalystFactory, ArticleFactory, CommentaryFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/articles/sourcing/"


def staff(username, *codenames):
    user = UserFactory(username=username)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
    return user


@pytest.fixture
def editor(client):
    user = staff("desk-editor", "publish_article", "view_article", "change_article")
    client.force_login(user)
    return user


@pytest.fixture
def reporter():
    return staff("desk-reporter", "view_article", "change_article", "add_article")


@pytest.fixture
def quoted():
    topic = TopicFactory(name="Imaginary canals")
    analyst = AnalystFactory(name="=HYPERLINK(\"http://evil.test\")", self_described_gender="woman")
    story = ArticleFactory(topics=[topic])
    CommentaryFactory(article=story, analyst=analyst)
    return analyst


def rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_url_is_under_the_admin():
    assert reverse("sourcing_dashboard") == URL


def test_editor_sees_the_dashboard(client, editor, quoted):
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Most-quoted analysts" in content
    assert "<svg" in content
    assert "Analysts not quoted for a year" in content


def test_reporter_is_refused(client, reporter):
    client.force_login(reporter)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv", "table": "analysts"}).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_superuser_sees_the_dashboard(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(URL).status_code == 200


def test_filters_narrow_the_period_and_topic(client, editor, quoted):
    other = TopicFactory(name="Imaginary tunnels")
    response = client.get(URL, {"topic": other.slug})
    assert response.context["totals"]["stories"] == 0
    today = datetime.date.today()
    response = client.get(URL, {"start": today - datetime.timedelta(days=3), "end": today + datetime.timedelta(days=1)})
    assert response.context["totals"]["stories"] == 1


def test_reversed_dates_show_an_error(client, editor):
    response = client.get(URL, {"start": "2026-05-02", "end": "2026-05-01"})
    assert response.status_code == 200
    assert "must be on or before" in response.content.decode()
    assert client.get(URL, {"start": "2026-05-02", "end": "2026-05-01", "format": "csv", "table": "analysts"}
                      ).status_code == 400


def test_csv_download_of_one_table(client, editor, quoted):
    response = client.get(URL, {"format": "csv", "table": "analysts"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "sourcing-analysts-" in response["Content-Disposition"]
    table = rows(response)
    assert table[0] == ["Analyst", "Current affiliation", "Quotes", "Direct quotes", "Stories"]
    assert table[1][0] == "'=HYPERLINK(\"http://evil.test\")"
    assert table[1][2:] == ["1", "1", "1"]


def test_every_table_downloads(client, editor, quoted):
    for name in ["analysts", "concentration", "affiliations", "organizations", "quote_kinds", "quote_countries",
                 "official_only", "citation_kinds", "citation_countries", "cited_organizations", "dormant"]:
        response = client.get(URL, {"format": "csv", "table": name})
        assert response.status_code == 200, name
        assert len(rows(response)) >= 1


def test_unknown_table_is_404(client, editor):
    assert client.get(URL, {"format": "csv", "table": "passwords"}).status_code == 404


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+2", "'=1+2"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("Institute", "Institute"), (3, 3), ("", ""),
])
def test_csv_cells_cannot_start_a_formula(value, expected):
    assert csv_safe(value) == expected


def test_self_described_counts_hidden_when_setting_off(client, editor, quoted, settings):
    settings.NEWSROOM_SOURCING_SELF_DESCRIBED = False
    response = client.get(URL)
    assert "self-described" not in response.content.decode()
    assert client.get(URL, {"format": "csv", "table": "self_described"}).status_code == 404


def test_self_described_counts_shown_in_aggregate_when_setting_on(client, editor, quoted, settings):
    settings.NEWSROOM_SOURCING_SELF_DESCRIBED = True
    content = client.get(URL).content.decode()
    assert "Quoted analysts by self-described gender" in content
    # One analyst is a group smaller than five: folded and withheld, never shown as "woman".
    table = rows(client.get(URL, {"format": "csv", "table": "self_described"}))
    assert table == [["As described", "Analysts", "Quotes"], ["Groups of fewer than 5 (combined)", "–", "–"]]


def test_self_described_never_in_per_person_exports(client, editor, quoted, settings):
    settings.NEWSROOM_SOURCING_SELF_DESCRIBED = True
    for name in ["analysts", "dormant", "concentration"]:
        body = b"".join(client.get(URL, {"format": "csv", "table": name}).streaming_content).decode()
        assert "woman" not in body


@pytest.mark.parametrize(("enabled", "shown"), [(False, False), (True, True)])
def test_analyst_form_shows_self_described_field_only_when_enabled(client, settings, enabled, shown):
    settings.NEWSROOM_SOURCING_SELF_DESCRIBED = enabled
    client.force_login(UserFactory(username="root", is_superuser=True))
    analyst = AnalystFactory()
    content = client.get(reverse("admin:articles_analyst_change", args=[analyst.pk])).content.decode()
    assert ('name="self_described_gender"' in content) is shown
    assert client.get(reverse("admin:articles_analyst_add")).status_code == 200


def test_hidden_field_is_not_wiped_by_saving_the_form(client, settings):
    settings.NEWSROOM_SOURCING_SELF_DESCRIBED = False
    client.force_login(UserFactory(username="root", is_superuser=True))
    analyst = AnalystFactory(self_described_gender="woman")
    response = client.post(reverse("admin:articles_analyst_change", args=[analyst.pk]), {
        "name": analyst.name, "title": "fellow", "organization": analyst.organization_id, "bio": "",
        "website": "", "profile_url": "", "slug": analyst.slug,
    })
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.title == "fellow"
    assert analyst.self_described_gender == "woman"
