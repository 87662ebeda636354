"""The library in the admin: uploading several files (each refused or added by name), the focal point, filters
and flags, the picker, and a story's lead image (rights and alt text checked)."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from photos import renditions
from photos.models import LeadImage, Photo

from ..articles.workflow_support import change_url, messages_of, person, story_post
from ..factories import ArticleFactory
from . import files
from .conftest import add_photo, upload

pytestmark = pytest.mark.django_db

UPLOAD = "admin:photos_photo_upload"
RIGHTS = {"credit": "Desk photographer", "copyright_holder": "Newsroom", "source": "staff"}


@pytest.fixture
def editor(client):
    user = person("Editor", "pictures-editor")
    client.force_login(user)
    return user


def test_several_files_at_once_each_added_or_refused_by_name(client, editor):
    response = client.post(reverse(UPLOAD), {
        "files": [upload("quay.jpg", files.jpeg(seed=1)), upload("notes.jpg", files.text()),
                  upload("map.svg", files.svg()), upload("crane.png", files.png(seed=2))],
        **RIGHTS,
    }, follow=True)
    said = messages_of(response)
    assert "Added “quay.jpg” to the library." in said and "Added “crane.png” to the library." in said
    assert any(m.startswith("“notes.jpg” is a text file") for m in said)
    assert any(m.startswith("“map.svg” is an SVG drawing") for m in said)
    assert sorted(Photo.objects.values_list("original_filename", flat=True)) == ["crane.png", "quay.jpg"]
    assert all(p.uploaded_by == editor and p.credit == "Desk photographer" for p in Photo.objects.all())
    assert response.redirect_chain[-1][0].startswith(reverse("admin:photos_photo_changelist") + "?id__in=")


def test_the_upload_page_answers_each_file_in_json_for_the_drop_zone(client, editor):
    url = reverse(UPLOAD)
    json = {"Accept": "application/json"}
    added = client.post(url, {"files": upload("quay.jpg", files.jpeg()), **RIGHTS}, headers=json)
    assert added.status_code == 200
    body = added.json()
    assert body["ok"] and body["name"] == "quay.jpg" and body["needs_alt"] and body["warnings"] == []
    refused = client.post(url, {"files": upload("cut.jpg", files.truncated_jpeg()), **RIGHTS}, headers=json)
    assert refused.status_code == 422 and "“cut.jpg” is cut short" in refused.json()["error"]


def test_one_file_goes_straight_to_its_form_to_write_alt_text(client, editor):
    response = client.post(reverse(UPLOAD), {"files": upload("quay.jpg", files.jpeg()), **RIGHTS})
    photo = Photo.objects.get()
    assert response["Location"] == reverse("admin:photos_photo_change", args=[photo.pk])


def test_the_add_page_leads_to_the_upload_page(client, editor):
    response = client.get(reverse("admin:photos_photo_add"))
    assert response.status_code == 302 and response["Location"] == reverse(UPLOAD)


def test_clicking_a_new_focal_point_makes_new_crops(client, editor):
    photo = add_photo(alt_text="A quay")
    url = reverse("admin:photos_photo_change", args=[photo.pk])
    page = client.get(url).content.decode()
    assert "data-focal-picker" in page and 'data-focal="x"' in page
    described = ("alt_text", "caption", "credit", "copyright_holder", "source", "usage_terms")
    data = {name: getattr(photo, name) for name in described}
    response = client.post(url, {**data, "rights_expire_on": "", "focal_x": "0.2", "focal_y": "0.7"})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.renditions["focal"] == [0.2, 0.7]
    assert all("f200700" in name for name in renditions.file_names(photo.renditions, ["share", "square"]))


def test_the_library_filters_by_rights_credit_alt_text_and_recent_use(client, editor):
    expired = add_photo("old.jpg", files.jpeg(seed=1), credit="Old Wire", rights_expire_on=datetime.date(2020, 1, 1))
    recent = add_photo("new.jpg", files.jpeg(seed=2), credit="New Wire", alt_text="A crane")
    LeadImage.objects.create(article=ArticleFactory(), photo=recent)
    listing = reverse("admin:photos_photo_changelist")
    page = client.get(listing).content.decode()
    assert "Expired 1 Jan 2020" in page and "Readers saw it in the last seven days" in page
    for query, shown, hidden in [
        ("rights=expired", "old.jpg", "new.jpg"), ("credit=New+Wire", "new.jpg", "old.jpg"),
        ("alt=missing", "old.jpg", "new.jpg"), ("ran=week", "new.jpg", "old.jpg"), ("ran=never", "old.jpg", "new.jpg"),
        ("q=old.jpg", "old.jpg", "new.jpg"),
    ]:
        ids = re.findall(r'/admin/photos/photo/(\d+)/change/', client.get(f"{listing}?{query}").content.decode())
        names = set(Photo.objects.filter(pk__in=ids).values_list("original_filename", flat=True))
        assert shown in names and hidden not in names, query
    assert expired.rights_expired()


def test_the_change_form_warns_of_a_recent_run_and_lists_where_the_picture_ran(client, editor):
    photo = add_photo(alt_text="A crane")
    story = ArticleFactory(headline="Cranes return to the fictional port")
    LeadImage.objects.create(article=story, photo=photo)
    response = client.get(reverse("admin:photos_photo_change", args=[photo.pk]))
    assert any("ran in the last seven days" in m for m in messages_of(response))
    assert "Cranes return to the fictional port" in response.content.decode()


def test_the_picker_offers_only_pictures_whose_rights_hold(client, editor):
    add_photo("usable.jpg", files.jpeg(seed=1), caption="Usable harbour")
    add_photo("expired.jpg", files.jpeg(seed=2), caption="Expired harbour", rights_expire_on=datetime.date(2020, 1, 1))
    page = client.get(reverse("admin:photos_photo_picker") + "?CKEditorFuncNum=3").content.decode()
    assert "Usable harbour" in page and "Expired harbour" not in page
    assert 'data-func-num="3"' in page and re.search(r'data-url="/media/photos/[^"]+/full-800x500\.jpg"', page)


def test_a_reporter_may_upload_and_describe_but_not_delete(client):
    reporter = person("Reporter", "pictures-reporter")
    client.force_login(reporter)
    assert client.get(reverse(UPLOAD)).status_code == 200
    client.post(reverse(UPLOAD), {"files": upload("quay.jpg", files.jpeg()), **RIGHTS})
    photo = Photo.objects.get()
    assert client.get(reverse("admin:photos_photo_change", args=[photo.pk])).status_code == 200
    assert client.post(reverse("admin:photos_photo_delete", args=[photo.pk]), {"post": "yes"}).status_code == 403
    assert Photo.objects.exists()


def test_a_picture_a_story_uses_cannot_be_deleted(client, editor):
    photo = add_photo()
    LeadImage.objects.create(article=ArticleFactory(), photo=photo)
    client.post(reverse("admin:photos_photo_delete", args=[photo.pk]), {"post": "yes"})
    assert Photo.objects.filter(pk=photo.pk).exists()


def lead_image_post(story, photo, **fields):
    return story_post(story, **{
        "lead_image-TOTAL_FORMS": "1", "lead_image-INITIAL_FORMS": "0", "lead_image-MIN_NUM_FORMS": "0",
        "lead_image-MAX_NUM_FORMS": "1", "lead_image-0-photo": str(photo.pk), "lead_image-0-caption": "",
        "lead_image-0-alt_text": "", **fields,
    })


def test_a_picture_whose_rights_ran_out_cannot_be_newly_used_as_a_lead_image(client, editor):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    expired = add_photo(alt_text="A quay", rights_expire_on=datetime.date(2020, 1, 31))
    response = client.post(change_url(story), lead_image_post(story, expired))
    assert response.status_code == 200
    assert "rights to “" in response.content.decode() and "ran out on 31 January 2020" in response.content.decode()
    assert not LeadImage.objects.exists()


def test_a_published_storys_lead_image_needs_alt_text_on_the_form(client, editor):
    story = ArticleFactory()
    photo = add_photo()
    response = client.post(change_url(story), lead_image_post(story, photo))
    assert response.status_code == 200 and "its lead image needs alt text" in response.content.decode()
    response = client.post(change_url(story), lead_image_post(story, photo, **{
        "lead_image-0-alt_text": "Two ferries at a quay"}))
    assert response.status_code == 302
    assert LeadImage.objects.get(article=story).effective_alt == "Two ferries at a quay"


def test_a_draft_may_take_a_picture_without_alt_text_and_is_warned_of_recent_runs(client, editor):
    photo = add_photo()
    LeadImage.objects.create(article=ArticleFactory(headline="It ran yesterday"), photo=photo)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    response = client.post(change_url(draft), lead_image_post(draft, photo), follow=True)
    assert LeadImage.objects.filter(article=draft, photo=photo).exists()
    assert any("ran in the last seven days" in m and "It ran yesterday" in m for m in messages_of(response))


def test_an_expired_picture_cannot_be_added_to_the_text(client, editor):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    expired = add_photo(alt_text="A quay", rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    body = f'<figure><img src="/media/x.jpg" alt="A quay" data-file="{expired.pk}"></figure>'
    response = client.post(change_url(story), story_post(story, body=body))
    assert response.status_code == 200 and "it cannot be added to the text" in response.content.decode()


def test_the_story_editor_offers_figures_from_the_library(client, editor):
    page = client.get(change_url(ArticleFactory())).content.decode()
    assert "Figure" in page and reverse("admin:photos_photo_picker") in page
