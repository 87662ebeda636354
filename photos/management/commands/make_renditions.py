"""Make the library's renditions again from each picture's kept copy.

Renditions are made when a picture arrives and when its focal point moves; readers' requests never
make one. After the sizes change (photos/renditions.py SPECS and VERSION), or after restoring the
kept copies without their renditions, this command brings every picture up to date.
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from photos import renditions, services
from photos.models import Photo


def out_of_date(photo):
    made = photo.renditions or {}
    return made.get("v") != renditions.VERSION or any(name not in made for name in renditions.SPECS)


class Command(BaseCommand):
    help = "Make renditions again for pictures whose renditions are missing or older than the current sizes."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="every", help="Every picture, not only out-of-date.")
        parser.add_argument("--dry-run", action="store_true", help="Say how many would be made; write nothing.")

    def handle(self, *args, every=False, dry_run=False, **options):
        photos = [p for p in Photo.objects.order_by("pk").iterator() if every or out_of_date(p)]
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run: {len(photos)} pictures would get new renditions."))
            return
        for photo in photos:
            try:
                with transaction.atomic():
                    services.photo_remake(photo=photo)
            except OSError as error:
                raise CommandError(
                    f"The kept copy of picture {photo.pk} (“{photo.original_filename}”, {photo.file.name}) "
                    f"could not be read: {error}. Restore the media files, then run this again."
                ) from error
        self.stdout.write(self.style.SUCCESS(f"Made renditions for {len(photos)} pictures."))
