"""The synthetic corpus gives its stories synthetic pictures (drawn shapes), so the benchmark covers picture teasers."""
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from bench.corpus import PICTURE_PREFIX, draw_picture
from photos.models import LeadImage, Photo

pytestmark = pytest.mark.django_db


def test_about_seven_in_ten_stories_get_one_of_a_few_drawn_pictures(client):
    call_command("generate_corpus", stories=200, verbosity=0, stdout=StringIO(), stderr=StringIO())
    pool = Photo.objects.filter(original_filename__startswith=PICTURE_PREFIX)
    assert pool.count() == 4
    assert all(p.credit == "Corpus generator" and "synthetic" in p.alt_text for p in pool)
    pictured = LeadImage.objects.count()
    assert 0.6 * 200 < pictured < 0.8 * 200
    assert set(LeadImage.objects.values_list("photo", flat=True)) <= set(pool.values_list("pk", flat=True))
    story = Article.objects.published().filter(lead_image__isnull=False).first()
    assert "teaser__picture" in client.get("/").content.decode()
    assert "photo--lead" in client.get(story.get_absolute_url()).content.decode()


def test_appending_reuses_the_pictures():
    call_command("generate_corpus", stories=100, verbosity=0, stdout=StringIO(), stderr=StringIO())
    before = set(Photo.objects.values_list("pk", flat=True))
    call_command("generate_corpus", stories=100, append=True, verbosity=0, stdout=StringIO(), stderr=StringIO())
    assert set(Photo.objects.values_list("pk", flat=True)) == before


def test_the_same_picture_is_drawn_for_the_same_number_and_seed():
    assert draw_picture(3) == draw_picture(3) != draw_picture(4)
