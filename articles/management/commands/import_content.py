"""Restore stories and everything they refer to from a file written by `export_content`.

The whole file is checked before anything is written and the import runs in one transaction:
a broken file changes nothing and the error names the record to fix.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Import a backup written by export_content. Stories with the same address are replaced "
        "(with their bylines, topics, sources, commentary and corrections); others are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to read.")
        parser.add_argument("--dry-run", action="store_true", help="Check and import, then roll everything back.")

    def handle(self, *args, file, dry_run=False, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: cannot read the backup ({exc}).") from exc
        try:
            with transaction.atomic():
                counts = restore(text)
                if dry_run:
                    transaction.set_rollback(True)
        except BackupError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was imported; fix the file and run again.") from exc
        summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
        verb = "Checked (dry run, nothing saved)" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {file}: {summary}."))
