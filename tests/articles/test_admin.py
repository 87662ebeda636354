"""The editorial admin, driven through the test client as an editor would."""
import html
import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Analyst, Article, Commentary, Topic

from ..factories import AnalystFactory, ArticleFactory, SourceFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="desk-editor", is_superuser=True)
    client.force_login(user)
    return user


def inline_management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_form_data(**overrides):
    data = {
        "headline": "Sylvania recalls its ambassador",
        "slug": "sylvania-recalls-its-ambassador",
        "dek": "The fictional state escalates a quarrel over river rights.",
        "dateline": "SYLVANIA CITY",
        "credit": "Test Desk",
        "body": "<p>Sylvania recalled its ambassador on Tuesday.</p>",
        "kind": Article.Kind.NEWS,
        "topics": "",
        "status": Article.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "revised_at_0": "",
        "revised_at_1": "",
    }
    for prefix in ("bylines", "commentary", "citations", "corrections"):
        data.update(inline_management(prefix))
    data.update(overrides)
    return data


def test_change_list_shows_is_published_and_topics(client, editor):
    ArticleFactory(headline="Live fictional story").topics.add("Freedonia")
    ArticleFactory(headline="Draft fictional story", status=Article.Status.DRAFT)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert b"Live fictional story" in response.content
    assert b"Freedonia" in response.content
    assert b'alt="True"' in response.content and b'alt="False"' in response.content


def test_change_list_shows_each_storys_topics_in_the_order_they_were_added(client, editor):
    story = ArticleFactory(headline="Tagged fictional story")
    story.topics.add("Zeta canals")
    story.topics.add("Alpha canals")
    other = ArticleFactory(headline="Other fictional story")
    other.topics.add("Alpha canals")
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert '<td class="field-topic_list">Zeta canals, Alpha canals</td>' in page
    assert '<td class="field-topic_list">Alpha canals</td>' in page


def test_change_list_query_count_does_not_grow_with_stories(client, editor, django_assert_max_num_queries):
    for i in range(3):
        ArticleFactory().topics.add(f"Topic {i}")
    url = reverse("admin:articles_article_changelist")
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    few = len(small.captured_queries)  # read now: the next request empties the connection's query log
    for i in range(30):
        ArticleFactory().topics.add(f"Topic {i}", "Shared")
    client.get(url)  # the filters' choices are counted again once a story is added
    with django_assert_max_num_queries(few):
        client.get(url)


def test_add_article_with_new_and_existing_topic_and_inlines(client, editor):
    existing = TopicFactory(name="North Imaginaria")
    analyst = AnalystFactory(name="Ottoline Quibble", title="fellow")
    source = SourceFactory()
    data = article_form_data(topics="north imaginaria, River disputes")
    data.update(inline_management("commentary", 1))
    data.update({
        "commentary-0-analyst": analyst.pk,
        "commentary-0-text": "Both sides are bluffing.",
        "commentary-0-is_direct_quote": "on",
        "commentary-0-title_as_printed": "",
        "commentary-0-affiliation_as_printed": "",
        "commentary-0-sort_order": "0",
    })
    data.update(inline_management("citations", 1))
    data.update({
        "citations-0-source": source.pk,
        "citations-0-use": "summary",
        "citations-0-taken": "The ministry confirmed the recall.",
        "citations-0-url": "",
        "citations-0-sort_order": "0",
    })
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    article = Article.objects.get(slug="sylvania-recalls-its-ambassador")
    topics = {t.name for t in article.topics.all()}
    assert topics == {"North Imaginaria", "River disputes"}
    assert Topic.objects.filter(name__iexact="north imaginaria").count() == 1
    assert existing in article.topics.all()
    commentary = Commentary.objects.get(article=article)
    assert commentary.title_as_printed == "fellow"
    assert commentary.affiliation_as_printed == analyst.organization.name
    assert article.citations.get().source == source
    assert article.created_by == editor


def test_topic_with_spaces_is_one_topic(client, editor):
    response = client.post(reverse("admin:articles_article_add"), article_form_data(topics="North Imaginaria"))
    assert response.status_code == 302
    assert [t.name for t in Article.objects.get().topics.all()] == ["North Imaginaria"]


def test_duplicate_slug_is_a_form_error(client, editor):
    ArticleFactory(slug="taken-address")
    response = client.post(reverse("admin:articles_article_add"), article_form_data(slug="taken-address"))
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1


def test_bulk_add_and_remove_topic(client, editor):
    a, b, c = ArticleFactory(), ArticleFactory(), ArticleFactory()
    url = reverse("admin:articles_article_changelist")
    response = client.post(
        url, {"action": "add_topic", "_selected_action": [a.pk, b.pk], "topic": "Border talks"}, follow=True
    )
    assert "Tagged 2 stories" in response.content.decode()
    assert set(Article.objects.filter(topics__name="Border talks")) == {a, b}
    assert not c.topics.exists()

    client.post(url, {"action": "remove_topic", "_selected_action": [a.pk], "topic": "border talks"})
    assert set(Article.objects.filter(topics__name="Border talks")) == {b}


def test_bulk_topic_action_without_a_topic_says_what_to_do(client, editor):
    a = ArticleFactory()
    url = reverse("admin:articles_article_changelist")
    response = client.post(url, {"action": "add_topic", "_selected_action": [a.pk], "topic": ""}, follow=True)
    assert "Type a topic name" in response.content.decode()
    assert not a.topics.exists()


def test_the_action_bars_topic_box_suggests_topics_as_the_story_forms_does(client, editor):
    ArticleFactory()
    TopicFactory(name="Imaginary canal tolls")
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert '<datalist id="topic-suggestions"></datalist>' in page and "articles/js/topic_autocomplete" in page
    box = re.search(r'<input[^>]*name="topic"[^>]*>', page).group()
    assert 'list="topic-suggestions"' in box and 'placeholder="Topic for tagging actions"' in box
    url = html.unescape(re.search(r'data-suggest-url="([^"]+)"', box).group(1))
    answer = client.get(f"{url}&term=canal")
    assert [r["text"] for r in answer.json()["results"]] == ["Imaginary canal tolls"]


def test_merge_topics_moves_stories_and_deletes_duplicates(client, editor):
    keep, dup = TopicFactory(name="DPRK-Sylvania ties"), TopicFactory(name="Sylvania-DPRK ties")
    both, only_dup, only_keep = ArticleFactory(), ArticleFactory(), ArticleFactory()
    both.topics.add(keep, dup)
    only_dup.topics.add(dup)
    only_keep.topics.add(keep)
    url = reverse("admin:articles_topic_changelist")

    confirm_page = client.post(url, {"action": "merge_topics", "_selected_action": [keep.pk, dup.pk]})
    assert confirm_page.status_code == 200
    assert "Keep which topic?" in confirm_page.content.decode()

    client.post(
        url,
        {"action": "merge_topics", "_selected_action": [keep.pk, dup.pk], "confirm": "yes", "target": keep.pk},
    )
    assert not Topic.objects.filter(pk=dup.pk).exists()
    assert set(Article.objects.filter(topics=keep)) == {both, only_dup, only_keep}
    assert both.topics.count() == 1


def test_merge_needs_the_merge_permission(client):
    user = UserFactory(username="no-merge")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_topic", "change_topic"]))
    client.force_login(user)
    a, b = TopicFactory(), TopicFactory()
    client.post(
        reverse("admin:articles_topic_changelist"),
        {"action": "merge_topics", "_selected_action": [a.pk, b.pk], "confirm": "yes", "target": a.pk},
    )
    assert Topic.objects.filter(pk=b.pk).exists()


@pytest.mark.parametrize("name", ["analyst", "organization", "source", "topic", "correction", "article"])
def test_admin_lists_and_add_forms_answer(client, editor, name):
    ArticleFactory()
    assert client.get(reverse(f"admin:articles_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:articles_{name}_add")).status_code == 200


def test_analyst_list_links_to_the_stories_quoting_them(client, editor):
    analyst = AnalystFactory(name="Perpetua Nonesuch")
    response = client.get(reverse("admin:articles_analyst_changelist"))
    assert f"?analyst={analyst.slug}" in response.content.decode()


def test_change_form_has_view_on_site_link(client, editor):
    article = ArticleFactory()
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert reverse("admin:view_on_site", args=[response.context["content_type_id"], article.pk]) in (
        response.content.decode()
    )


def test_editor_logs_in_through_the_login_form(client):
    UserFactory(username="desk-login", is_superuser=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "desk-login", "password": "correct-horse-battery", "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert "Stories" in client.get(reverse("admin:index")).content.decode()


def test_wrong_password_does_not_log_in(client):
    UserFactory(username="desk-login-wrong", is_superuser=True)
    response = client.post(reverse("admin:login"), {"username": "desk-login-wrong", "password": "nope"})
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_bulk_publish_skips_live_stories_and_logs_only_real_moves(client, editor):
    live = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [live.pk, draft.pk]},
        follow=True,
    )
    assert "Published 1 story." in response.content.decode()
    live_before = live.version
    live.refresh_from_db()
    draft.refresh_from_db()
    assert live.version == live_before and not live.transitions.exists()
    assert draft.is_published()
    assert list(draft.transitions.values_list("from_status", "to_status")) == [("draft", "published")]


# Adding an analyst who is already on file --------------------------------------------------------


def analyst_form(**overrides):
    data = {"name": "", "slug": "", "title": "", "organization": "", "bio": "", "website": "", "profile_url": ""}
    data.update(overrides)
    return data


def popup_add_url():
    return reverse("admin:articles_analyst_add") + "?_to_field=id&_popup=1"


def test_adding_an_analyst_on_file_from_the_plus_button_names_and_offers_them(client, editor):
    on_file = AnalystFactory(name="Aurelia Quibble", slug="aurelia-quibble", title="senior fellow")
    response = client.post(
        popup_add_url(), analyst_form(name="aurelia quibble", slug="aurelia-quibble", _popup="1", _to_field="id")
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["name"]
    message = form.errors["name"][0]
    assert "“Aurelia Quibble” (senior fellow, Institute of Imaginary Studies" in message
    pick = reverse("admin:articles_analyst_pick", args=[on_file.pk]) + "?_popup=1"
    assert f'href="{pick}"' in message
    page = response.content.decode()
    assert "already exists" not in page  # no bare slug error under the folded "Advanced" part
    assert 'name="another_person"' in page
    assert Analyst.objects.count() == 1


def test_use_this_analyst_answers_the_story_form_as_if_just_added(client, editor):
    on_file = AnalystFactory(name="Aurelia Quibble")
    response = client.get(reverse("admin:articles_analyst_pick", args=[on_file.pk]) + "?_popup=1")
    assert response.status_code == 200
    assert "admin/popup_response.html" in [t.name for t in response.templates]
    assert json.loads(response.context["popup_response_data"]) == {"value": str(on_file.pk), "obj": "Aurelia Quibble"}
    outside_a_popup = client.get(reverse("admin:articles_analyst_pick", args=[on_file.pk]))
    assert outside_a_popup["Location"] == reverse("admin:articles_analyst_change", args=[on_file.pk])


def test_a_name_that_makes_an_address_on_file_is_caught_at_the_name(client, editor):
    AnalystFactory(name="Kim Pretend-ho", slug="kim-pretend-ho")
    data = analyst_form(name="Kim Pretend ho", slug="kim-pretend-ho")
    response = client.post(reverse("admin:articles_analyst_add"), data)
    form = response.context["adminform"].form
    assert list(form.errors) == ["name"] and "“Kim Pretend-ho”" in form.errors["name"][0]
    assert "Open their page" in form.errors["name"][0]  # outside the popup there is nothing to pick into


def test_a_different_person_with_the_same_name_gets_an_address_of_their_own(client, editor):
    AnalystFactory(name="Aurelia Quibble", slug="aurelia-quibble")
    data = analyst_form(name="Aurelia Quibble", slug="aurelia-quibble", title="economist", another_person="on")
    assert client.post(reverse("admin:articles_analyst_add"), data).status_code == 302
    assert sorted(Analyst.objects.values_list("slug", flat=True)) == ["aurelia-quibble", "aurelia-quibble-2"]


def test_an_analyst_without_an_address_gets_one_from_the_name(client, editor):
    response = client.post(reverse("admin:articles_analyst_add"), analyst_form(name="Ottoline Pretend"))
    assert response.status_code == 302
    assert Analyst.objects.get().slug == "ottoline-pretend"


def test_editing_an_analyst_that_shares_a_name_is_not_stopped(client, editor):
    AnalystFactory(name="Aurelia Quibble", slug="aurelia-quibble")
    twin = AnalystFactory(name="Aurelia Quibble", slug="aurelia-quibble-2")
    data = analyst_form(name=twin.name, slug=twin.slug, title="historian", organization=twin.organization_id)
    assert client.post(reverse("admin:articles_analyst_change", args=[twin.pk]), data).status_code == 302
    twin.refresh_from_db()
    assert twin.title == "historian"
