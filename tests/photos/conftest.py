"""Pictures for the photo desk's tests: made through the library's own upload path, stored in memory."""
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from photos import services

from . import files


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def add_photo(name="harbour.jpg", data=None, *, alt_text="", caption="", **defaults):
    """Add a picture to the library as an upload would, then describe it; return the Photo."""
    defaults = {"credit": "Test Desk", "copyright_holder": "Newsroom", **defaults}
    photo = services.photo_add(upload=upload(name, data or files.jpeg()), defaults=defaults).photo
    if alt_text or caption:
        photo.alt_text, photo.caption = alt_text or photo.alt_text, caption or photo.caption
        photo.save()
    return photo


@pytest.fixture
def photo(db):
    return add_photo(alt_text="Two fictional ferries at a quay in a drawing of shapes")


def stored_files(folder="photos"):
    """Return the names of every file under folder in the default storage."""
    if not default_storage.exists(folder):
        return set()
    directories, names = default_storage.listdir(folder)
    found = {f"{folder}/{name}" for name in names}
    for directory in directories:
        found |= stored_files(f"{folder}/{directory}")
    return found
