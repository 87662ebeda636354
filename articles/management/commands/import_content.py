"""Restore stories and everything they refer to from a file written by `export_content`.

The whole file is checked before anything is written and the import runs in one transaction:
a broken file changes nothing and the one-line error names the file, the record and the field.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.backup import MAX_FILE_MB, BackupError, restore


class Command(BaseCommand):
    help = (
        "Import a backup written by export_content. Stories with the same address are replaced "
        "(with their bylines, topics, sources, commentary and corrections); others are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to read.")
        parser.add_argument("--dry-run", action="store_true", help="Check and import, then roll everything back.")
        parser.add_argument(
            "--max-mb", type=int, default=MAX_FILE_MB,
            help=f"Refuse files larger than this many megabytes (default {MAX_FILE_MB}).",
        )

    def handle(self, *args, file, dry_run=False, max_mb=MAX_FILE_MB, **options):
        path = Path(file)
        try:
            size = path.stat().st_size
            if size > max_mb * 2**20:
                raise CommandError(
                    f"{file}: {size / 2**20:,.0f} MB is more than the {max_mb} MB import_content reads. "
                    "Nothing was imported; if the file is a genuine backup, run again with --max-mb "
                    f"{size // 2**20 + 1}."
                )
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: cannot read the backup ({one_line(exc)}).") from exc
        try:
            with transaction.atomic():
                counts = restore(text)
                if dry_run:
                    transaction.set_rollback(True)
        except BackupError as exc:
            raise CommandError(f"{file}: {one_line(exc)}. Nothing was imported; fix the file and run again.") from exc
        summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
        verb = "Checked (dry run, nothing saved)" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {file}: {summary}."))


def one_line(error):
    return " ".join(str(error).split())
