"""The seed story's desk graphic: in the library, credited to the desk, its lead image; loading twice adds nothing."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from photos.models import LeadImage, Photo

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    call_command("load_seeds", verbosity=0)
    call_command("load_seed_pictures", stdout=out)
    return out.getvalue()


def test_the_seed_story_gets_its_credited_desk_graphic_once(client):
    assert "Added kim-yo-jong-no-interest-card.png" in load()
    story = Article.objects.get(slug="kim-yo-jong-rejects-seoul-overtures")
    photo = LeadImage.objects.get(article=story).photo
    assert (photo.credit, photo.copyright_holder, photo.source) == (
        "Realist English desk graphic", "Realist English", Photo.Source.STAFF)
    assert "desk graphic" in photo.alt_text.lower() and "shows no one" in photo.caption
    assert (photo.width, photo.height) == (2400, 1350)
    assert photo.renditions["focal"] == [0.5, 0.45]
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Realist English desk graphic" in html and 'property="og:image:alt"' in html
    assert "has a lead image already" in load()
    assert Photo.objects.count() == 1 and LeadImage.objects.count() == 1


def test_a_dry_run_writes_nothing():
    call_command("load_seeds", verbosity=0)
    out = io.StringIO()
    call_command("load_seed_pictures", "--dry-run", stdout=out)
    assert "Dry run: would add" in out.getvalue() and not Photo.objects.exists()


def test_without_the_seed_story_it_says_what_to_run_first():
    with pytest.raises(CommandError, match="run `manage.py load_seeds` first"):
        call_command("load_seed_pictures", stdout=io.StringIO())
