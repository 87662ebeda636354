"""The bad-input table: every file the library refuses gets a message naming it, and nothing is half-saved."""
import io

import pytest
from PIL import Image

from photos import services
from photos.intake import MAX_PIXELS, UploadRefused, hash_distance, perceptual_hash, take_in
from photos.models import Photo

from . import files
from .conftest import stored_files, upload

BAD_INPUT = [
    # (file name, contents, words the message must have)
    ("notes.jpg", files.text(), ["“notes.jpg”", "text file", "JPEG, PNG or WebP"]),
    ("map.svg", files.svg(), ["“map.svg”", "SVG", "refuses", "PNG"]),
    ("diagram.png", files.svg(), ["“diagram.png”", "SVG"]),  # an SVG under a picture's name
    ("bomb.png", files.png_bomb(30_000, 30_000), ["“bomb.png”", "megapixels"]),
    ("big-claim.png", files.png_bomb(8_000, 8_000), ["“big-claim.png”", "8,000 × 8,000", "64 megapixels"]),
    ("cut.jpg", files.truncated_jpeg(), ["“cut.jpg”", "cut short"]),
    ("renamed.jpg", files.png(), ["“renamed.jpg”", "PNG picture", "name says otherwise", ".png"]),
    ("photo.png", files.jpeg(), ["“photo.png”", "JPEG picture", ".jpg"]),
    ("empty.jpg", b"", ["“empty.jpg”", "empty"]),
    ("old.gif", files.gif(), ["“old.gif”", "GIF image", "JPEG, PNG or WebP"]),
    ("moving.webp", files.animated_webp(), ["“moving.webp”", "animated", "3 frames"]),
    ("report.jpg", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", ["“report.jpg”", "PDF document"]),
    ("iphone.jpg", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, ["“iphone.jpg”", "HEIC"]),
    ("noise.jpg", bytes(range(256)) * 40, ["“noise.jpg”", "not a picture the library can read"]),
]


@pytest.mark.parametrize(("name", "data", "words"), BAD_INPUT, ids=[row[0] for row in BAD_INPUT])
def test_bad_file_is_refused_with_a_message_naming_it(name, data, words):
    with pytest.raises(UploadRefused) as refused:
        take_in(upload(name, data))
    for word in words:
        assert word in str(refused.value), (word, str(refused.value))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "words"), BAD_INPUT, ids=[row[0] for row in BAD_INPUT])
def test_a_refused_upload_saves_nothing(name, data, words):
    before = stored_files()
    with pytest.raises(UploadRefused):
        services.photo_add(upload=upload(name, data), defaults={"credit": "X", "copyright_holder": "Y"})
    assert not Photo.objects.exists()
    assert stored_files() == before


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.PHOTOS_MAX_UPLOAD_BYTES = 100_000
    big = files.jpeg(3000, 2000, quality=98)
    assert len(big) > 100_000
    with pytest.raises(UploadRefused) as refused:
        take_in(upload("huge.jpg", big))
    assert "“huge.jpg”" in str(refused.value) and "up to 97.7\xa0KB" in str(refused.value)


@pytest.mark.django_db
def test_a_file_failing_while_its_renditions_are_written_leaves_no_file_and_no_row(monkeypatch):
    from photos import renditions

    real = renditions._encode
    calls = []

    def failing(image, fmt):
        calls.append(fmt)
        if len(calls) == 5:
            raise OSError("disk full")
        return real(image, fmt)

    monkeypatch.setattr(renditions, "_encode", failing)
    before = stored_files()
    with pytest.raises(OSError, match="disk full"):
        services.photo_add(upload=upload("harbour.jpg", files.jpeg()),
                           defaults={"credit": "X", "copyright_holder": "Y"})
    assert not Photo.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize(("name", "data", "file_format"), [
    ("harbour.jpg", files.jpeg(), "JPEG"),
    ("HARBOUR.JPEG", files.jpeg(), "JPEG"),
    ("chart.png", files.png(), "PNG"),
    ("cutout.png", files.png(mode="RGBA"), "PNG"),
    ("grey.png", files.png(mode="L"), "PNG"),
    ("modern.webp", files.webp(), "WEBP"),
])
def test_good_pictures_are_taken_in(name, data, file_format):
    taken = take_in(upload(name, data))
    assert taken.file_format == file_format
    assert taken.image.mode in ("RGB", "RGBA")
    reopened = Image.open(io.BytesIO(taken.master))
    assert reopened.format == file_format


def test_a_picture_taken_on_its_side_is_stood_upright():
    taken = take_in(upload("portrait.jpg", files.jpeg(1200, 800, orientation=6)))
    assert (taken.width, taken.height) == (800, 1200)
    assert taken.image.size == (800, 1200)


def test_the_kept_copy_carries_no_metadata_at_all():
    data = files.jpeg(gps=True, exif={0x013B: "Pat Photog", 0xA431: "SERIAL-12345"},
                      iptc={(2, 120): "A caption"}, xmp={"credit": "Agency"})
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the upload has a position
    kept = Image.open(io.BytesIO(take_in(upload("gps.jpg", data)).master))
    assert not kept.getexif()
    assert not {"exif", "xmp", "icc_profile", "photoshop", "comment"} & set(kept.info)
    assert b"Pat Photog" not in take_in(upload("gps.jpg", data)).master


def test_the_pixel_limit_is_what_the_message_says():
    assert MAX_PIXELS == 50_000_000


def test_the_same_picture_resized_hashes_close_and_a_different_one_far():
    original = Image.open(io.BytesIO(files.jpeg(1600, 1000, seed=1)))
    smaller = original.resize((800, 500))
    other = Image.open(io.BytesIO(files.jpeg(1600, 1000, seed=5)))
    assert hash_distance(perceptual_hash(original), perceptual_hash(smaller)) <= 4
    assert hash_distance(perceptual_hash(original), perceptual_hash(other)) > 10
