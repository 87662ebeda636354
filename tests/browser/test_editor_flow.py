"""An editor in a real Chromium: write, source, tag, preview and publish a story; a reader finds it."""
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.models import Article

from ..factories import AnalystFactory, OrganizationFactory, SourceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def desk():
    call_command("setup_roles", stdout=io.StringIO())
    editor = UserFactory(username="ines", first_name="Ines", last_name="Quillfeather")
    editor.groups.add(Group.objects.get(name="Editor"))
    analyst = AnalystFactory(
        name="Odalys Penwright", title="senior fellow",
        organization=OrganizationFactory(name="Institute for Pretend Strategy"),
    )
    source = SourceFactory(name="Sylvanian foreign ministry statement")
    return {"editor": editor, "analyst": analyst, "source": source}


def pick(page, container, text):
    """Choose `text` in the select2 autocomplete inside `container`."""
    container.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(text.split()[0])
    page.locator(".select2-results__option", has_text=text).click()


def test_editor_writes_previews_and_publishes_and_a_reader_finds_it(browser, page, live_server, desk):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "ines")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")

    page.goto(live_server.url + "/admin/articles/article/add/")
    page.fill("#id_headline", "Sylvania proposes fictional river talks")
    page.fill("#id_dek", "The imaginary kingdom offers to meet Freedonia at the border.")
    page.fill("#id_dateline", "SEOUL")
    page.locator("[contenteditable=true].ProseMirror").click()
    page.keyboard.type("Sylvania proposed talks on Tuesday. Freedonia has not replied.")
    page.fill("#id_topics", "Imaginary river disputes")

    page.click("text=Add another Expert commentary")
    commentary = page.locator("#commentary-0")
    pick(page, commentary.locator(".field-analyst"), "Odalys Penwright")
    commentary.locator("textarea[name='commentary-0-text']").fill("Both capitals want the photo, not the deal.")

    page.click("text=Add another Citation")
    citation = page.locator("#citations-0")
    pick(page, citation.locator(".field-source"), "Sylvanian foreign ministry statement")
    citation.locator("textarea[name='citations-0-taken']").fill("The ministry proposed talks at the border.")

    page.locator("input[name=_continue]").first.click()
    page.wait_for_selector("text=Workflow")
    story = Article.objects.get(headline="Sylvania proposes fictional river talks")
    assert story.status == Article.Status.DRAFT
    assert story.created_by == desk["editor"]
    assert [t.name for t in story.topics.all()] == ["Imaginary river disputes"]

    with page.context.expect_page() as opened:
        page.click("a.previewlink")
    preview = opened.value
    preview.wait_for_load_state()
    assert "Preview — not published" in preview.text_content(".preview-banner")
    assert preview.inner_text("h1") == "Sylvania proposes fictional river talks"
    assert "Both capitals want the photo" in preview.content()
    assert "Sylvanian foreign ministry statement" in preview.content()
    preview.close()

    page.locator("button[name=_transition][value=publish]").first.click()
    page.wait_for_selector("text=Published: readers see it now.")
    story.refresh_from_db()
    assert story.is_published()

    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    try:
        reader.goto(live_server.url + "/topics/")
        reader.click("text=Imaginary river disputes")
        reader.click("text=Sylvania proposes fictional river talks")
        assert reader.inner_text("h1") == "Sylvania proposes fictional river talks"
        assert reader.locator(".preview-banner").count() == 0
        reader.goto(live_server.url + desk["analyst"].get_absolute_url())
        assert reader.locator("a", has_text="Sylvania proposes fictional river talks").count() == 1
        assert re.search(r"Both capitals want the photo, not the deal", reader.content())
    finally:
        reader.context.close()
