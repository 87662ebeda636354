"""Caption, credit, copyright and alt text read from a file's IPTC, XMP or EXIF, to prefill the form."""
import io

import pytest
from PIL import Image

from photos.metadata import copyright_holder_from_notice, read_metadata

from . import files


def metadata(data):
    return read_metadata(Image.open(io.BytesIO(data)))


def test_iptc_gives_caption_byline_with_agency_and_copyright_holder():
    found = metadata(files.jpeg(iptc={
        (2, 120): "Officials of two fictional states meet at a border village.",
        (2, 80): "Pat Photog", (2, 110): "Imaginary Wire", (2, 116): "© 2025 Imaginary Wire Agency",
    }))
    assert found == {
        "caption": "Officials of two fictional states meet at a border village.",
        "credit": "Pat Photog/Imaginary Wire",
        "copyright_holder": "Imaginary Wire Agency",
    }


def test_xmp_fills_what_iptc_leaves_out_including_alt_text():
    found = metadata(files.jpeg(
        iptc={(2, 120): "From IPTC"},
        xmp={"credit": "Freedonia Pictures", "rights": "Copyright Freedonia Pictures Ltd",
             "description": "From XMP", "alt": "A harbour crane against a grey sky"},
    ))
    assert found["caption"] == "From IPTC"  # IPTC first
    assert found["credit"] == "Freedonia Pictures"
    assert found["copyright_holder"] == "Freedonia Pictures Ltd"
    assert found["alt_text"] == "A harbour crane against a grey sky"


def test_exif_is_the_last_resort_and_camera_placeholders_are_ignored():
    found = metadata(files.jpeg(exif={0x010E: "OLYMPUS DIGITAL CAMERA", 0x013B: "Pat Photog", 0x8298: "Pat Photog"}))
    assert found == {"credit": "Pat Photog", "copyright_holder": "Pat Photog"}


def test_a_file_without_metadata_prefills_nothing():
    assert metadata(files.png()) == {}


def test_broken_xmp_is_ignored_not_fatal():
    data = files.jpeg(xmp={"credit": "<<not xml"})
    assert "credit" not in metadata(data)


@pytest.mark.parametrize(("notice", "holder"), [
    ("© 2024 Yonhap News Agency", "Yonhap News Agency"),
    ("(c) 2019-2024 Imaginary Wire", "Imaginary Wire"),
    ("Copyright 2023, Freedonia Pictures", "Freedonia Pictures"),
    ("Freedonia Pictures", "Freedonia Pictures"),
])
def test_copyright_notices_name_their_holder(notice, holder):
    assert copyright_holder_from_notice(notice) == holder
