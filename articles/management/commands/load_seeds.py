"""Load the sample content that ships in seeds/, so a fresh install has a real story to show.

The fixtures use natural keys, so loading them again updates the same rows instead of adding
copies; everything loads in one transaction, so a broken file leaves the database as it was.
"""
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


class Command(BaseCommand):
    help = "Load every JSON fixture in seeds/ in file-name order, in one transaction. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Load, report, then roll everything back.")
        parser.add_argument(
            "--seeds-dir", default=str(SEEDS_DIR), help="Folder of fixtures to load (default: seeds/)."
        )

    def handle(self, *args, seeds_dir, dry_run, verbosity, **options):
        folder = Path(seeds_dir)
        fixtures = sorted(folder.glob("*.json"))
        if not fixtures:
            raise CommandError(f"No JSON fixtures found in {folder}. Is this the project folder?")
        try:
            with transaction.atomic():
                for fixture in fixtures:
                    try:
                        call_command("loaddata", str(fixture), verbosity=0)
                    except Exception as exc:
                        raise CommandError(
                            f"{fixture.name} could not be loaded; nothing was changed. {exc}"
                        ) from exc
                    if verbosity:
                        self.stdout.write(f"Loaded {fixture.name}")
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write(self.style.WARNING(f"Dry run: {len(fixtures)} fixtures load cleanly; rolled back."))
            return
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(fixtures)} seed fixtures from {folder}."))


class _DryRun(Exception):
    """Raised inside the transaction to roll back a dry run."""
