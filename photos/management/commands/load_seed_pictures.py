"""Put the seed story's desk graphic in the image library and make it the story's lead image.

`make serve` runs it after `load_seeds`, so a fresh install shows a credited lead picture, a share
card and structured-data images. The pictures are what seeds/pictures/index.json says they are:
graphics the desk drew (seeds/pictures/draw_cards.py), credited to the desk, never a photograph
presented as showing real people. Running it again changes nothing.
"""
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from photos import services
from photos.intake import UploadRefused
from photos.models import LeadImage, Photo

PICTURES_DIR = Path(settings.BASE_DIR) / "seeds" / "pictures"
DESCRIBED = ("alt_text", "caption", "credit", "copyright_holder", "source", "usage_terms", "focal_x", "focal_y")


class Command(BaseCommand):
    help = "Add the seed pictures (seeds/pictures/index.json) to the library and to their stories. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be added; write nothing.")
        parser.add_argument("--pictures-dir", default=str(PICTURES_DIR), help="Folder with index.json and the files.")

    def handle(self, *args, pictures_dir, dry_run, **options):
        folder = Path(pictures_dir)
        try:
            entries = json.loads((folder / "index.json").read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {folder / 'index.json'} ({error}). Is this the project folder?") from error
        for entry in entries:
            story = Article.objects.filter(slug=entry["story"]).first()
            if story is None:
                raise CommandError(f"No story “{entry['story']}”: run `manage.py load_seeds` first.")
            if LeadImage.objects.filter(article=story).exists():
                self.stdout.write(f"“{story.headline}” has a lead image already.")
                continue
            if dry_run:
                self.stdout.write(self.style.WARNING(f"Dry run: would add {entry['file']} to “{story.headline}”."))
                continue
            with transaction.atomic():
                photo = self.picture(folder, entry)
                LeadImage.objects.create(article=story, photo=photo)
            self.stdout.write(self.style.SUCCESS(f"Added {entry['file']} as the lead image of “{story.headline}”."))

    def picture(self, folder, entry):
        """Return the library's copy of the picture (the same file is never added twice)."""
        path = folder / entry["file"]
        data = path.read_bytes()
        upload = SimpleUploadedFile(path.name, data)
        found = Photo.objects.filter(sha256=hashlib.sha256(data).hexdigest()).first()
        if found is not None:
            return found
        try:
            photo = services.photo_add(upload=upload, defaults=entry).photo
        except UploadRefused as refused:
            raise CommandError(f"{refused} (seeds/pictures/{path.name})") from refused
        for name in DESCRIBED:
            setattr(photo, name, entry.get(name, getattr(photo, name)))
        photo.save()
        if (photo.focal_x, photo.focal_y) != (0.5, 0.5):
            services.photo_recrop(photo=photo)
        return photo
