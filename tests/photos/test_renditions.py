"""Renditions: the right sizes and shapes, around the focal point, and never a byte of metadata."""
import io
import mimetypes

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from photos import renditions, services
from photos.renditions import crop_box

from . import files
from .conftest import add_photo, stored_files

pytestmark = pytest.mark.django_db

FORMAT_OF = {"image/jpeg": "JPEG", "image/webp": "WEBP", "image/png": "PNG"}


def opened(name):
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    return Image.open(io.BytesIO(data)), data


def test_crop_box_is_centred_on_the_focal_point_and_stays_inside_the_picture():
    assert crop_box(1600, 1000, 1, 0.5, 0.5) == (300, 0, 1300, 1000)
    assert crop_box(1600, 1000, 1, 0.9, 0.5) == (600, 0, 1600, 1000)  # pushed back inside at the right
    assert crop_box(1600, 1000, 1, 0.05, 0.5) == (0, 0, 1000, 1000)
    left, top, right, bottom = crop_box(1000, 1600, 16 / 9, 0.5, 0.2)
    assert (right - left, bottom - top) == (1000, 562) and top == 39


def test_every_rendition_is_the_type_its_name_says_with_no_metadata():
    photo = add_photo(data=files.jpeg(2400, 1600, gps=True, exif={0x013B: "Pat Photog"}, iptc={(2, 120): "Hi"}))
    names = renditions.file_names(photo.renditions) + [photo.file.name]
    assert len(names) > 15
    for name in names:
        image, data = opened(name)
        assert image.format == FORMAT_OF[mimetypes.guess_type(name)[0]], name
        assert not image.getexif(), name
        assert not {"exif", "xmp", "icc_profile", "photoshop", "XML:com.adobe.xmp"} & set(image.info), name
        assert b"Pat Photog" not in data and b"GPS" not in data, name


def test_sizes_and_shapes_are_what_pages_and_platforms_ask_for():
    photo = add_photo(data=files.jpeg(2400, 1600))
    made = photo.renditions
    assert [w for w, *_ in made["full"]["webp"]] == [480, 800, 1200, 1600]
    assert [w for w, *_ in made["full"]["jpeg"]] == [480, 800, 1200, 1600]
    assert made["share"]["jpeg"][0][:2] == [1200, 630]
    assert made["wide"]["jpeg"][0][:2] == [1200, 675]
    assert made["standard"]["jpeg"][0][:2] == [1200, 900]
    assert made["square"]["jpeg"][0][:2] == [1200, 1200]
    assert [size[:2] for size in made["teaser"]["webp"]] == [[240, 160], [480, 320], [960, 640]]
    for spec in ("full", "teaser", "share", "wide", "standard", "square"):
        for width, height, name, size in made[spec]["jpeg"]:
            image, data = opened(name)
            assert image.size == (width, height) and len(data) == size


def test_a_small_picture_is_not_enlarged_for_readers_but_crops_for_platforms_reach_1200_px():
    photo = add_photo(data=files.jpeg(700, 500))
    assert [size[:2] for size in photo.renditions["full"]["jpeg"]] == [[480, 343], [700, 500]]
    assert max(w for w, *_ in photo.renditions["full"]["jpeg"]) <= 700
    assert photo.renditions["share"]["jpeg"][-1][:2] == [1200, 630]
    assert photo.renditions["square"]["jpeg"][-1][:2] == [1200, 1200]


def test_moving_the_focal_point_makes_new_crops_and_deletes_the_old_ones(django_capture_on_commit_callbacks):
    photo = add_photo(data=files.jpeg(2400, 1600))
    old_crops = set(renditions.file_names(photo.renditions, ["share", "teaser", "wide", "standard", "square"]))
    full = renditions.file_names(photo.renditions, ["full"])
    photo.focal_x, photo.focal_y = 0.8, 0.3
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_recrop(photo=photo)
    photo.refresh_from_db()
    new_crops = set(renditions.file_names(photo.renditions, ["share", "teaser", "wide", "standard", "square"]))
    assert not old_crops & new_crops
    assert all("f800300" in name for name in new_crops)
    assert set(renditions.file_names(photo.renditions, ["full"])) == set(full)  # the picture as taken does not change
    assert not old_crops & stored_files() and new_crops <= stored_files()
    assert photo.renditions["focal"] == [0.8, 0.3]


def test_deleting_a_picture_deletes_its_files(django_capture_on_commit_callbacks):
    photo = add_photo()
    names = set(renditions.file_names(photo.renditions)) | {photo.file.name}
    assert names <= stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not names & stored_files()


def test_file_names_say_nothing_but_a_random_key_and_the_rendition():
    photo = add_photo(name="secret-draft-kim-yo-jong-leak.jpg")
    for name in renditions.file_names(photo.renditions) + [photo.file.name]:
        assert "secret" not in name and "kim" not in name
        assert name.startswith(f"photos/{photo.token[:2]}/{photo.token}/")


def test_make_renditions_remakes_only_out_of_date_pictures(django_capture_on_commit_callbacks):
    import io as text_io

    from django.core.management import call_command

    current, old = add_photo("a.jpg", files.jpeg(seed=1)), add_photo("b.jpg", files.jpeg(seed=2))
    old.renditions = {key: value for key, value in old.renditions.items() if key != "square"} | {"v": 0}
    old.save()
    out = text_io.StringIO()
    call_command("make_renditions", "--dry-run", stdout=out)
    assert "1 pictures would get new renditions" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", stdout=out)
    old.refresh_from_db()
    assert old.renditions["v"] == renditions.VERSION and "square" in old.renditions
    assert set(renditions.file_names(old.renditions)) <= stored_files()
    before = current.renditions
    current.refresh_from_db()
    assert current.renditions == before
