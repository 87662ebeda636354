"""The admin's "Import copy" page and review screen, through the test client."""
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Citation, Commentary
from ingest.models import CopyImport
from tests.factories import AnalystFactory, SourceFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "kim-yo-jong-rejects-seoul-overtures.txt"
COPY = Path(__file__).resolve().parent / "copy"

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="desk-editor")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=["add_article", "change_article", "view_article"]
        )
    )
    client.force_login(user)
    return user


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_import_page_looks_like_the_admin(client, editor):
    response = client.get(reverse("import_copy"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and "Import copy" in html
    assert 'id="site-name"' in html  # admin/base_site.html header
    assert 'enctype="multipart/form-data"' in html


def test_anonymous_users_are_sent_to_the_admin_login(client):
    response = client.get(reverse("import_copy"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_add_story_permission_are_refused(client):
    client.force_login(UserFactory(username="intern"))
    assert client.get(reverse("import_copy")).status_code == 403
    assert client.post(reverse("import_copy"), {"text": SEED.read_text()}).status_code == 403
    assert CopyImport.objects.count() == 0


def test_non_staff_are_refused_even_with_the_permission(client):
    user = UserFactory(username="reader", is_staff=False)
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    client.force_login(user)
    assert client.get(reverse("import_copy")).status_code == 302


def test_upload_creates_a_draft_and_opens_the_review_screen(client, editor):
    response = client.post(reverse("import_copy"), {"files": upload("kim.txt", SEED.read_bytes())})
    record = CopyImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import_copy_review", args=[record.pk])
    assert record.created_by == editor and record.filename == "kim.txt"
    article = record.article
    assert article.status == Article.Status.DRAFT and article.created_by == editor

    review = client.get(response["Location"])
    html = review.content.decode()
    assert review.status_code == 200
    assert html.count("<h1") == 1
    assert "Leif-Eric Easley" in html and "Ewha Womans University" in html
    assert "Koo Byoungsam" in html and "the copy says “Kim”, read as Kim Yo Jong" in html
    assert reverse("admin:articles_article_change", args=[article.pk]) in html


def test_pasted_copy_is_imported(client, editor):
    text = (COPY / "01-harbor-talks.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    response = client.post(reverse("import_copy"), {"text": text, "label": "harbor"})
    assert response.status_code == 302
    assert CopyImport.objects.get().filename == "harbor"


def test_copy_without_a_dateline_is_imported_and_the_review_asks_for_the_place(client, editor):
    text = (
        "ASHGROVE FORUM | ANALYSIS\n\nBy Mara Quell\n\n"
        "“Nobody wins a water war,” said Oskar Tenn, a hydrologist at Varnland University."
    )
    response = client.post(reverse("import_copy"), {"text": text, "label": "commentary"}, follow=True)
    article = Article.objects.get()
    assert (article.dateline, article.credit, article.body.count("<p>")) == ("", "", 1)
    html = response.content.decode()
    assert "None found in the copy" in html and "add the place and the desk credit" in html
    assert "Oskar Tenn" in html


def test_importing_the_same_copy_again_opens_the_earlier_draft(client, editor):
    first = client.post(reverse("import_copy"), {"files": upload("kim.txt", SEED.read_bytes())})
    again = client.post(reverse("import_copy"), {"text": SEED.read_text(encoding="utf-8")}, follow=True)
    assert again.redirect_chain[-1][0] == first["Location"]
    assert "imported before" in again.content.decode()
    assert Article.objects.count() == CopyImport.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"%PDF-1.4 \x00", "bad.txt: this is a PDF"),
        ("SEOUL (W). Caf\u00e9.".encode("latin-1"), "bad.txt: the file is not valid UTF-8"),
        (b"SEOUL (W). A line.\n" * 401, "bad.txt: more than 400 paragraphs"),
        (b"a" * 5_000_000, "bad.txt: the file is 5.0 MB; the limit is 1 MB"),
    ],
    ids=["empty", "pdf", "latin-1", "too-many-paragraphs", "5mb"],
)
def test_bad_upload_shows_a_message_naming_the_file_and_saves_nothing(client, editor, data, message):
    response = client.post(reverse("import_copy"), {"files": upload("bad.txt", data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Article.objects.count() == CopyImport.objects.count() == 0


def test_one_bad_file_among_several_uploads_imports_none(client, editor):
    files = [upload("good.txt", SEED.read_bytes()), upload("bad.txt", b"%PDF-1.4 \x00")]
    response = client.post(reverse("import_copy"), {"files": files})
    html = response.content.decode()
    assert "bad.txt: this is a PDF" in html and "Nothing was saved" in html
    assert Article.objects.count() == 0


def test_nothing_given_asks_for_copy(client, editor):
    response = client.post(reverse("import_copy"), {})
    assert "Upload a .txt file or paste the story text." in response.content.decode()


def review_post(record, decisions):
    """Build the review form's POST: every pending suggestion as initially shown, with decisions applied."""
    data = {}
    for s in record.suggestions:
        prefix = f"s{s['id']}-"
        data.update({
            prefix + "action": "later", prefix + "target": s["target"], prefix + "speaker": s["speaker"],
            prefix + "title": s["title"], prefix + "affiliation": s["affiliation"],
            prefix + "source_name": s["source_name"], prefix + "record": "", prefix + "text": s["text"],
        })
        if s["direct"]:
            data[prefix + "direct"] = "on"
    for sid, fields in decisions.items():
        data.update({f"s{sid}-{key}": value for key, value in fields.items()})
    return data


def test_review_confirm_edit_and_reject(client, editor):
    existing = AnalystFactory(name="Kwak Gil Sup")
    client.post(reverse("import_copy"), {"files": upload("kim.txt", SEED.read_bytes())})
    record = CopyImport.objects.get()
    ids = {}
    for s in record.suggestions:
        ids.setdefault(s["speaker"], []).append(s["id"])
    url = reverse("import_copy_review", args=[record.pk])
    page = client.get(url).content.decode()
    # The existing analyst is preselected for Kwak's statements.
    assert f'<option value="{existing.pk}" selected>Kwak Gil Sup (same name)</option>' in page

    decisions = {
        ids["Kwak Gil Sup"][1]: {"action": "confirm", "record": str(existing.pk)},
        ids["Leif-Eric Easley"][0]: {"action": "confirm", "text": "She is reinforcing national pride."},
        ids["Koo Byoungsam"][0]: {"action": "reject"},
    }
    response = client.post(url, review_post(record, decisions), follow=True)
    assert "2 confirmed and added to the draft, 1 rejected" in response.content.decode()
    assert Commentary.objects.filter(analyst=existing).count() == 1
    easley = Commentary.objects.get(analyst__name="Leif-Eric Easley")
    assert easley.text == "She is reinforcing national pride."
    assert Citation.objects.count() == 0
    assert Article.objects.get().status == Article.Status.DRAFT
    assert "confirmed: commentary (Kwak Gil Sup)" in response.content.decode()


def test_review_with_an_invalid_form_saves_nothing(client, editor):
    client.post(reverse("import_copy"), {"files": upload("kim.txt", SEED.read_bytes())})
    record = CopyImport.objects.get()
    first = record.suggestions[0]["id"]
    data = review_post(record, {first: {"action": "confirm", "text": ""}})
    response = client.post(reverse("import_copy_review", args=[record.pk]), data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert Citation.objects.count() == Commentary.objects.count() == 0


def test_story_list_has_an_import_copy_link(client, editor):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert reverse("import_copy") in response.content.decode()


def test_a_reporter_cannot_add_suggestions_to_a_story_that_is_no_longer_their_draft(client, editor):
    client.post(reverse("import_copy"), {"files": upload("kim.txt", SEED.read_bytes())})
    record = CopyImport.objects.get()
    Article.objects.filter(pk=record.article_id).update(status=Article.Status.PUBLISHED)
    first = record.suggestions[0]["id"]
    response = client.post(
        reverse("import_copy_review", args=[record.pk]), review_post(record, {first: {"action": "confirm"}}),
        follow=True,
    )
    assert "ask an editor" in response.content.decode()
    assert not Commentary.objects.exists() and not Citation.objects.exists()
    record.refresh_from_db()
    assert record.suggestions[0]["status"] != "confirmed"


def test_confirm_all_confirms_what_was_left_undecided_and_keeps_rejections(client, editor):
    client.post(reverse("import_copy"), {"files": upload("kim.txt", SEED.read_bytes())})
    record = CopyImport.objects.get()
    rejected = [s["id"] for s in record.suggestions if s["speaker"] == "Koo Byoungsam"]
    data = review_post(record, {sid: {"action": "reject"} for sid in rejected})
    data["confirm_all"] = "Confirm all I have not rejected"
    response = client.post(reverse("import_copy_review", args=[record.pk]), data, follow=True)
    total = len(record.suggestions)
    assert f"{total - 1} confirmed and added to the draft, 1 rejected" in response.content.decode()
    statuses = [s["status"] for s in CopyImport.objects.get().suggestions]
    assert statuses.count("confirmed") == total - 1 and statuses.count("rejected") == 1
    assert Commentary.objects.count() + Citation.objects.count() == total - 1


def test_review_shows_what_was_said_apart_from_the_printed_sentence(client, editor):
    client.post(reverse("import_copy"), {"files": upload("kim.txt", SEED.read_bytes())})
    record = CopyImport.objects.get()
    html = client.get(reverse("import_copy_review", args=[record.pk])).content.decode()
    assert "Ministry spokesperson Koo Byoungsam said Pyongyang’s statement proves" in html
    assert "The citation takes: “Pyongyang’s statement proves" in html
    assert "Cited as “South Korean Unification Ministry” (spokesperson Koo Byoungsam)" in html
    assert 'name="confirm_all"' in html


def review_page(client, record):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("import_copy_review", args=[record.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_review_offers_records_on_file_with_queries_independent_of_how_many_there_are(client, editor):
    easley = AnalystFactory(name="Leif Eric Easley")  # the copy prints "Leif-Eric Easley"
    client.post(reverse("import_copy"), {"files": upload("kim.txt", SEED.read_bytes())})
    record = CopyImport.objects.get()
    client.get(reverse("import_copy_review", args=[record.pk]))
    page, few = review_page(client, record)
    for i in range(40):
        AnalystFactory(name=f"Pretend Easleyan {i:02}")
        SourceFactory(name=f"Pretend Ewha Bulletin {i:02}")
    page_after, many = review_page(client, record)
    assert many == few
    for html in (page, page_after):
        assert f'<option value="{easley.pk}" selected>Leif Eric Easley (same name)</option>' in html
