"""The admin's scripts run under the Content-Security-Policy in a real Chromium."""
import pytest

from tests.factories import ArticleFactory, CommentaryFactory, TopicFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_story_form_runs_the_prose_editor_with_no_csp_violation(page, live_server):
    UserFactory(username="hedda.browser", is_superuser=True)
    story = ArticleFactory(headline="Freedonia browser check", body="<p>Hello <strong>world</strong></p>")
    CommentaryFactory(article=story)
    problems = []
    # CSP violations are reported as console errors; failed loads are checked by URL below.
    def on_console(message):
        if message.type == "error" and "Failed to load" not in message.text:
            problems.append(message.text)

    def on_response(response):
        if response.status >= 400 and "favicon" not in response.url:
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "hedda.browser")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    for path in [f"/admin/articles/article/{story.pk}/change/", "/admin/articles/article/add/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator(".prose-editor .prose-menubar").count() == 1, path
    # The admin's own external scripts run too: the slug fills from the headline.
    page.locator("#id_headline").press_sequentially("Sylvania answers")
    assert page.input_value("#id_slug") == "sylvania-answers"
    assert not problems, problems


def test_topic_box_suggests_topics_from_the_topic_search(page, live_server):
    UserFactory(username="tomas.browser", is_superuser=True)
    TopicFactory(name="Imaginary river disputes")
    TopicFactory(name="Border talks")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "tomas.browser")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_topics").press_sequentially("Border talks, rive")
    # The suggestion completes the topic after the last comma and keeps the one before it.
    option = page.locator('#topic-suggestions option[value="Border talks, Imaginary river disputes"]')
    option.wait_for(state="attached")
    assert page.locator("#topic-suggestions option").count() == 1
