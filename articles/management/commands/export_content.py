"""Write every story, and everything stories refer to, to a JSON backup file.

Exists so the desk can move its content between databases (SQLite and PostgreSQL) and keep
copies that survive a lost database; `import_content` reads the file back.
"""
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.backup import dumps, export_data


class Command(BaseCommand):
    help = "Export stories, topics, analysts, organizations, sources and their links to a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. backups/2025-07-28.json ('-' for stdout).")

    def handle(self, *args, file, **options):
        data = export_data()
        text = dumps(data)
        if file == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(file)
        try:
            # Write next to the target and rename, so a failed export never leaves half a file.
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent or ".", delete=False) as tmp:
                tmp.write(text)
            os.replace(tmp.name, path)
        except OSError as exc:
            raise CommandError(f"{file}: cannot write the backup ({exc.strerror}). Check the folder exists.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {len(data['stories'])} stories, {len(data['topics'])} topics, "
                f"{len(data['analysts'])} analysts and {len(data['sources'])} sources to {file}."
            )
        )
