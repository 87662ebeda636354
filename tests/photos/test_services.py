"""Adding pictures: what the file says prefills the record, the batch fills the rest, and editors are warned."""
import datetime
import io

import pytest
from django.utils import timezone

from photos import services
from photos.intake import UploadRefused
from photos.models import BodyFigure, LeadImage, Photo

from ..factories import ArticleFactory
from . import files
from .conftest import add_photo, upload

pytestmark = pytest.mark.django_db


def test_the_files_own_words_win_and_the_batch_fills_the_rest():
    data = files.jpeg(iptc={(2, 120): "A fictional ferry leaves port.", (2, 110): "Imaginary Wire"})
    added = services.photo_add(upload=upload("ferry.jpg", data), defaults={
        "credit": "Batch credit", "copyright_holder": "Batch Holder", "source": Photo.Source.HANDOUT,
        "usage_terms": "Editorial use only", "rights_expire_on": datetime.date(2031, 1, 1),
    })
    photo = added.photo
    assert (photo.caption, photo.credit, photo.copyright_holder) == (
        "A fictional ferry leaves port.", "Imaginary Wire", "Batch Holder")
    assert (photo.source, photo.usage_terms, photo.rights_expire_on) == (
        Photo.Source.HANDOUT, "Editorial use only", datetime.date(2031, 1, 1))
    assert added.prefilled == ["caption", "credit"]
    assert (photo.original_filename, photo.width, photo.height, photo.file_format) == ("ferry.jpg", 1600, 1000, "JPEG")


def test_a_picture_with_no_credit_anywhere_is_refused_by_name():
    with pytest.raises(UploadRefused, match="“anon.jpg” does not say its credit or its copyright holder"):
        services.photo_add(upload=upload("anon.jpg", files.jpeg()), defaults={})
    assert not Photo.objects.exists()


def test_the_same_picture_again_is_added_with_a_warning():
    first = add_photo("harbour.jpg", files.jpeg(seed=2), caption="The harbour at dawn")
    again = services.photo_add(upload=upload("harbour-copy.jpg", files.jpeg(seed=2)),
                               defaults={"credit": "X", "copyright_holder": "Y"})
    assert len(again.warnings) == 1
    assert "“harbour-copy.jpg” is the same picture as “The harbour at dawn”" in again.warnings[0]
    assert Photo.objects.count() == 2 and first.pk != again.photo.pk


def test_a_resized_copy_is_recognised_by_its_perceptual_hash():
    add_photo("harbour.jpg", files.jpeg(2400, 1500, seed=3), caption="The harbour at dawn")
    smaller = io.BytesIO()
    files.drawing(2400, 1500, seed=3).resize((1600, 1000)).save(smaller, "JPEG", quality=70)
    resized = services.photo_add(upload=upload("harbour-small.jpg", smaller.getvalue()),
                                 defaults={"credit": "X", "copyright_holder": "Y"})
    assert any("looks like “The harbour at dawn”" in w or "same picture" in w for w in resized.warnings)
    different = services.photo_add(upload=upload("other.jpg", files.jpeg(seed=9)),
                                   defaults={"credit": "X", "copyright_holder": "Y"})
    assert not any("harbour" in w for w in different.warnings)


def test_a_narrow_picture_is_added_with_a_warning_about_share_cards():
    added = services.photo_add(upload=upload("small.jpg", files.jpeg(800, 600)),
                               defaults={"credit": "X", "copyright_holder": "Y"})
    assert any("“small.jpg” is 800 px wide" in w for w in added.warnings)


def test_a_picture_that_ran_in_the_last_seven_days_is_named_with_the_stories(photo):
    now = timezone.now()
    recent = ArticleFactory(headline="Ferries return", published_at=now - datetime.timedelta(days=2))
    old = ArticleFactory(headline="Ferries leave", published_at=now - datetime.timedelta(days=9))
    LeadImage.objects.create(article=recent, photo=photo)
    LeadImage.objects.create(article=old, photo=photo)
    editing = ArticleFactory(status="draft", published_at=None)
    warning = services.recent_run_warning(photo, excluding=editing.pk)
    assert "ran in the last seven days" in warning and "“Ferries return”" in warning
    assert "Ferries leave" not in warning
    assert services.recent_run_warning(photo, excluding=recent.pk) == ""
    assert Photo.objects.with_last_run().get(pk=photo.pk).last_ran == recent.published_at


def test_saving_a_story_records_the_library_pictures_in_its_text(photo):
    other = add_photo("b.jpg", files.jpeg(seed=4))
    story = ArticleFactory(body=(
        f'<p>One.</p><figure><img src="/media/x.jpg" alt="First" data-file="{photo.pk}"><figcaption>A</figcaption>'
        f'</figure><figure><img src="/media/y.jpg" alt="" data-file="{other.pk}"></figure>'
        '<figure><img src="/media/z.jpg" data-file="999999"></figure>'
    ))
    assert list(BodyFigure.objects.filter(article=story).values_list("photo_id", "alt_text", "sort_order")) == [
        (photo.pk, "First", 0), (other.pk, "", 1)]
    assert list(services.stories_using(photo)) == [story]
    story.body = "<p>No pictures now.</p>"
    story.save()
    assert not BodyFigure.objects.filter(article=story).exists()
