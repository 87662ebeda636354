"""Portraits of analysts and staff: chosen in the admin (rights and alt text checked), shown on their pages with
srcset, size, alt text and credit (initials without one), named in structured data, fresh after any change,
and the analyst's and author's story lists with their teaser pictures within the page query budget."""
import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Analyst
from pagecache import fragments
from photos import renditions, services
from photos.models import AnalystPortrait, LeadImage, Photo, StaffPortrait

from ..articles.workflow_support import person
from ..factories import (
    AnalystFactory,
    ArticleFactory,
    BylineFactory,
    CommentaryFactory,
    StaffProfileFactory,
    TopicFactory,
)
from . import files
from .conftest import add_photo

pytestmark = pytest.mark.django_db

# The reader's budget for an uncached page's own render, the page cache's check of the change count included
# (the site's shared values, such as when the next scheduled story goes live, already worked out by another page).
COLD_BUDGET = 8


@pytest.fixture(scope="module")
def face_file():
    return files.jpeg(900, 1200, seed=4)


@pytest.fixture
def face(db, face_file):
    return add_photo("face.jpg", face_file, alt_text="A fictional analyst in a drawing of shapes",
                     credit="Imaginary Studio")


@pytest.fixture
def analyst(db):
    quoted = AnalystFactory(name="Aurelia Fictus")
    CommentaryFactory(article=ArticleFactory(), analyst=quoted)
    return quoted


@pytest.fixture
def staff(db):
    profile = StaffProfileFactory(display_name="Dana Quillfeather")
    BylineFactory(article=ArticleFactory(), author=profile.user)
    return profile


def portrait_figure(html):
    found = re.search(r'<figure class="portrait-photo[^"]*">.*?</figure>', html, re.S)
    return found.group(0) if found else None


def structured(html):
    return [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def person_of(html):
    return next(d for d in structured(html) if d.get("@type") == "ProfilePage")["mainEntity"]


# Reader pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["analyst", "staff"])
def test_page_shows_the_portrait_with_srcset_sizes_size_alt_and_credit(client, face, analyst, staff, who):
    if who == "analyst":
        AnalystPortrait.objects.create(analyst=analyst, photo=face, alt_text="Aurelia Fictus, drawn")
        url, alt = analyst.get_absolute_url(), "Aurelia Fictus, drawn"
    else:
        StaffPortrait.objects.create(user=staff.user, photo=face)
        url, alt = staff.get_absolute_url(), face.alt_text
    html = client.get(url).content.decode()
    figure = portrait_figure(html)
    img = re.search(r"<img [^>]*>", figure).group(0)
    for attribute in ("src", "srcset", "sizes", "width", "height", "alt"):
        assert f' {attribute}="' in img, attribute
    assert f'alt="{alt}"' in img and 'width="192" height="192"' in img
    assert '<source type="image/webp"' in figure
    assert "Imaginary Studio" in figure  # the credit, printed
    assert 'class="portrait portrait--large"' not in html  # no initials beside it
    for url_in_srcset in re.findall(r"(/media/\S+) \d+w", figure):
        assert default_storage.exists(url_in_srcset.removeprefix("/media/")), url_in_srcset
    image = person_of(html)["image"]
    assert image["url"].startswith("https://news.example.org/media/photos/")
    assert image["creditText"] == "Imaginary Studio"
    assert (image["width"], image["height"]) == (384, 384)


def test_without_a_portrait_staff_get_their_initials_and_no_image_in_structured_data(client, staff, analyst):
    html = client.get(staff.get_absolute_url()).content.decode()
    assert portrait_figure(html) is None
    assert '<span class="portrait portrait--large" aria-hidden="true">DQ</span>' in html
    assert "image" not in person_of(html)
    analyst_html = client.get(analyst.get_absolute_url()).content.decode()
    assert portrait_figure(analyst_html) is None and "image" not in person_of(analyst_html)


def test_the_staff_list_shows_portraits_and_initials(client, face, staff):
    other = StaffProfileFactory(display_name="Orrin Vantablack")
    StaffPortrait.objects.create(user=staff.user, photo=face)
    html = client.get(reverse("articles:author_list")).content.decode()
    assert 'class="portrait-photo"' in html and 'alt="A fictional analyst in a drawing of shapes"' in html
    assert "Portrait: Imaginary Studio" in html  # the credit, beside the small picture
    assert ">OV</span>" in html and other.display_name in html


def test_a_portrait_is_cropped_square_around_the_focal_point(face):
    face.focal_x, face.focal_y = 0.5, 0.2
    services.photo_recrop(photo=face)
    crops = face.renditions["portrait"]["jpeg"]
    assert [size[:2] for size in crops] == [[96, 96], [192, 192], [384, 384]]
    assert all("f500200" in name for name in renditions.file_names(face.renditions, ["portrait"]))


def test_an_older_picture_gets_its_portrait_crops_when_chosen(client, face, analyst):
    face.renditions = {key: value for key, value in face.renditions.items() if key != "portrait"}
    face.save()
    AnalystPortrait.objects.create(analyst=analyst, photo=face)
    # Without its crops the page keeps the initials' place empty rather than make one on a reader's request.
    assert portrait_figure(client.get(analyst.get_absolute_url()).content.decode()) is None
    services.photo_prepare_portrait(photo=face)
    face.refresh_from_db()
    assert [size[:2] for size in face.renditions["portrait"]["webp"]] == [[96, 96], [192, 192], [384, 384]]
    assert portrait_figure(client.get(analyst.get_absolute_url()).content.decode()) is not None


@pytest.mark.parametrize("who", ["analyst", "staff"])
def test_setting_changing_and_removing_a_portrait_refreshes_cached_pages(client, face, analyst, staff, who):
    url = analyst.get_absolute_url() if who == "analyst" else staff.get_absolute_url()
    assert portrait_figure(client.get(url).content.decode()) is None  # now cached without one
    if who == "analyst":
        use = AnalystPortrait.objects.create(analyst=analyst, photo=face)
    else:
        use = StaffPortrait.objects.create(user=staff.user, photo=face)
    assert "Imaginary Studio" in portrait_figure(client.get(url).content.decode())
    use.alt_text = "A new description of the portrait"
    use.save()
    assert 'alt="A new description of the portrait"' in client.get(url).content.decode()
    face.credit = "Renamed Imaginary Studio"
    face.save()  # a change in the library reaches the pages that show the picture as a portrait
    assert "Renamed Imaginary Studio" in portrait_figure(client.get(url).content.decode())
    use.delete()
    assert portrait_figure(client.get(url).content.decode()) is None


def test_what_a_portrait_says_is_escaped(client, analyst):
    photo = add_photo("odd.jpg", files.jpeg(600, 600, seed=7), alt_text='"><script>alert(1)</script>',
                      credit="<b>Studio</b>")
    AnalystPortrait.objects.create(analyst=analyst, photo=photo)
    html = client.get(analyst.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "<b>Studio</b>" not in html


# Teaser pictures on the analyst's and author's story lists, in budget ------------------------------


def dressed_lists(face_file, stories=22):
    """An analyst and a member of staff with portraits, quoted in and credited on `stories` pictured stories."""
    pictures = [add_photo(f"lead{n}.jpg", files.jpeg(1200, 800, seed=n), alt_text=f"Lead picture {n}")
                for n in range(3)]
    face = add_photo("face.jpg", face_file, alt_text="A fictional face", credit="Imaginary Studio")
    analyst, profile = AnalystFactory(), StaffProfileFactory()
    AnalystPortrait.objects.create(analyst=analyst, photo=face)
    StaffPortrait.objects.create(user=profile.user, photo=face)
    start = timezone.now() - datetime.timedelta(days=1)
    for n in range(stories):
        story = ArticleFactory(published_at=start + datetime.timedelta(minutes=n),
                               topics=[TopicFactory(name=f"Pictured pretend topic {n % 4}")])
        CommentaryFactory(article=story, analyst=analyst)
        BylineFactory(article=story, author=profile.user)
        LeadImage.objects.create(article=story, photo=pictures[n % 3])
    return analyst.get_absolute_url(), profile.get_absolute_url()


def cold():
    """Forget every rendered page and fragment, as after a restart with an empty cache."""
    cache.clear()
    fragments.fragment_cache().clear()
    fragments.forget_recent()


def cold_queries(client, url):
    cold()
    client.get("/about/ownership/")  # the shared tokens exist again: only the page's own render is counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("page", ["analyst", "author"])
def test_story_lists_show_teaser_pictures_within_the_query_budget(client, face_file, page):
    url = dict(zip(("analyst", "author"), dressed_lists(face_file), strict=True))[page]
    html, queries = cold_queries(client, url)
    assert queries <= COLD_BUDGET, f"{page}: {queries} queries"
    assert html.count('class="teaser__picture"') == 20  # a page of stories, each with its picture
    assert 'alt="Lead picture 0"' in html and portrait_figure(html) is not None


@pytest.mark.parametrize("page", ["analyst", "author"])
def test_pictures_add_no_query_to_the_analyst_and_author_pages(client, face_file, page):
    """The same page with and without any picture costs the same queries: lead pictures and the portrait are joined."""
    url = dict(zip(("analyst", "author"), dressed_lists(face_file), strict=True))[page]
    with_pictures = cold_queries(client, url)[1]
    LeadImage.objects.all().delete()
    AnalystPortrait.objects.all().delete()
    StaffPortrait.objects.all().delete()
    html, without = cold_queries(client, url)
    assert 'class="teaser__picture"' not in html
    assert with_pictures == without


# The admin ----------------------------------------------------------------------------------------


def posted(response):
    """Return what the admin's change form would post back unchanged: its fields and its inline formsets."""
    data = {}

    def add(form):
        for name in form.fields:
            if name in getattr(form, "_meta_readonly", ()):
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()})
        for form in formset.forms:
            add(form)
    return data


@pytest.fixture
def desk_editor(client):
    user = person("Editor", "portrait-editor")
    client.force_login(user)
    return user


def analyst_change(analyst):
    return reverse("admin:articles_analyst_change", args=[analyst.pk])


def test_an_editor_sets_an_analysts_portrait_on_the_analyst_form(client, desk_editor, analyst, face):
    url = analyst_change(analyst)
    data = posted(client.get(url))
    data.update({"portrait-0-photo": str(face.pk), "portrait-0-alt_text": "Aurelia Fictus, drawn in shapes"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    use = AnalystPortrait.objects.get(analyst=analyst)
    assert use.photo == face and use.alt_text == "Aurelia Fictus, drawn in shapes"
    form_html = client.get(url).content.decode()
    assert "Credit: Imaginary Studio" in form_html and "Cropped square" in form_html


def test_the_analyst_form_refuses_an_expired_picture_and_one_without_alt_text(client, desk_editor, analyst):
    expired = add_photo("old.jpg", files.jpeg(600, 600, seed=2), alt_text="An old drawing",
                        rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    wordless = add_photo("plain.jpg", files.jpeg(600, 600, seed=3))
    url = analyst_change(analyst)
    data = posted(client.get(url))
    refused = client.post(url, {**data, "portrait-0-photo": str(expired.pk)})
    assert refused.status_code == 200 and "ran out on" in refused.content.decode()
    refused = client.post(url, {**data, "portrait-0-photo": str(wordless.pk)})
    assert refused.status_code == 200 and "A portrait needs alt text" in refused.content.decode()
    assert not AnalystPortrait.objects.exists()
    kept = client.post(url, {**data, "portrait-0-photo": str(wordless.pk), "portrait-0-alt_text": "A plain drawing"})
    assert kept.status_code == 302 and AnalystPortrait.objects.get().effective_alt == "A plain drawing"


def test_an_existing_portrait_whose_rights_ran_out_stays_until_replaced(client, desk_editor, analyst, face):
    AnalystPortrait.objects.create(analyst=analyst, photo=face)
    Photo.objects.filter(pk=face.pk).update(rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    url = analyst_change(analyst)
    page = client.get(url)
    assert "Rights expired on" in page.content.decode()
    data = posted(page)
    assert client.post(url, {**data, "name": "Aurelia Fictus"}).status_code == 302  # saving the rest still works


def staff_change(profile):
    return reverse("admin:people_staffprofile_change", args=[profile.pk])


def test_a_member_of_staff_sets_their_own_portrait_on_their_profile(client, face):
    reporter = person("Reporter", "portrait-reporter")
    profile = reporter.staff_profile if hasattr(reporter, "staff_profile") else StaffProfileFactory(user=reporter)
    client.force_login(reporter)
    url = staff_change(profile)
    page = client.get(url)
    assert 'name="portrait"' in page.content.decode()
    data = posted(page)
    response = client.post(url, {**data, "portrait": str(face.pk), "portrait_alt_text": "Their own portrait"})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    use = StaffPortrait.objects.get(user=reporter)
    assert use.photo == face and use.alt_text == "Their own portrait"
    html = client.get(profile.get_absolute_url()).content.decode()
    assert 'alt="Their own portrait"' in html
    # Emptying the box takes the portrait away: initials again.
    assert client.post(url, {**posted(client.get(url)), "portrait": ""}).status_code == 302
    assert not StaffPortrait.objects.exists()


def test_the_profile_form_refuses_an_expired_picture_and_one_without_alt_text(client, desk_editor, staff):
    expired = add_photo("old.jpg", files.jpeg(600, 600, seed=2), alt_text="An old drawing",
                        rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    wordless = add_photo("plain.jpg", files.jpeg(600, 600, seed=3))
    admin_user = person("Admin", "portrait-admin")
    client.force_login(admin_user)
    url = staff_change(staff)
    data = posted(client.get(url))
    refused = client.post(url, {**data, "portrait": str(expired.pk)})
    assert refused.status_code == 200 and "ran out on" in refused.content.decode()
    refused = client.post(url, {**data, "portrait": str(wordless.pk)})
    assert refused.status_code == 200 and "A portrait needs alt text" in refused.content.decode()
    assert not StaffPortrait.objects.exists()


def test_the_portrait_picker_offers_only_pictures_whose_rights_hold(client, desk_editor, face):
    add_photo("old.jpg", files.jpeg(600, 600, seed=2), alt_text="An old drawing",
              rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    for model_name, field in (("analystportrait", "photo"), ("staffportrait", "photo")):
        found = client.get(reverse("admin:autocomplete"), {
            "app_label": "photos", "model_name": model_name, "field_name": field, "term": "",
        }).json()["results"]
        assert [int(item["id"]) for item in found] == [face.pk], model_name


def test_a_picture_used_as_a_portrait_cannot_be_deleted(face, analyst):
    AnalystPortrait.objects.create(analyst=analyst, photo=face)

    with pytest.raises(ProtectedError):
        face.delete()
    assert Analyst.objects.filter(pk=analyst.pk).exists() and Photo.objects.filter(pk=face.pk).exists()


def test_a_post_without_the_portrait_box_keeps_the_portrait(client, desk_editor, analyst, face):
    # Other apps' forms and scripts post the analyst without the box: they change nothing of it.
    AnalystPortrait.objects.create(analyst=analyst, photo=face, alt_text="Aurelia Fictus, drawn")
    data = {k: v for k, v in posted(client.get(analyst_change(analyst))).items() if not k.startswith("portrait-")}
    data["title"] = "senior fellow"
    assert client.post(analyst_change(analyst), data).status_code == 302
    analyst.refresh_from_db()
    assert analyst.title == "senior fellow"
    assert AnalystPortrait.objects.get(analyst=analyst).alt_text == "Aurelia Fictus, drawn"
