"""Import plain-text wire copy as draft stories with suggested quotes, for an editor to review.

Desks receive copy as plain text; retyping its structure into the admin is slow and error-prone.
This command does the first pass (dateline, outlet, headline, dek, paragraphs, who said what) and
saves a draft. Nothing is published and nothing becomes commentary or a citation until an editor
confirms each suggestion on the review screen (Stories > Import copy in the admin). Every file is
checked before anything is saved: one bad file means nothing is imported. Importing the same copy
again finds the earlier draft.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from ... import MAX_BYTES
from ...match import best
from ...services import CopyBatchError, copies_import, suggestion_matches, suggestions_from


class Command(BaseCommand):
    help = (
        "Import plain-text wire stories (UTF-8, or UTF-16 with a byte-order mark; at most "
        f"{MAX_BYTES // 1_000_000} MB each, opening with a dateline such as “SEOUL (Realist English).”) "
        "as draft stories with suggested commentary and citations to review in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Plain-text story files.")
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Show what would be imported, with the matches found, and save nothing.",
        )
        parser.add_argument(
            "--publish-as-draft", action="store_true",
            help="Say it explicitly in scripts: the story is saved as a draft. Imports are always drafts; "
            "nothing is ever published by an import.",
        )

    def handle(self, *args, files, dry_run, publish_as_draft, verbosity, **options):
        pairs = []
        problems = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                problems.append(f"{name}: no such file. Check the path.")
                continue
            size = path.stat().st_size
            if size > MAX_BYTES:
                problems.append(
                    f"{name}: the file is {size / 1_000_000:.1f} MB; the limit is "
                    f"{MAX_BYTES // 1_000_000} MB for one story. Check you picked the right file."
                )
                continue
            pairs.append((name, path.read_bytes()))
        try:
            results = copies_import(files=pairs, dry_run=dry_run) if not problems else None
        except CopyBatchError as exc:
            problems.extend(str(error) for error in exc.errors)
        if problems:
            raise CommandError(
                "Nothing was imported. Fix these files and run the command again:\n  " + "\n  ".join(problems)
            )
        for result in results:
            self.report(result, dry_run=dry_run, verbosity=verbosity)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))

    def report(self, result, *, dry_run, verbosity):
        ex = result.extraction
        if not result.created:
            where = self.review_url(result)
            self.stdout.write(self.style.NOTICE(
                f"{result.filename}: already imported as draft story #{result.article.pk} "
                f"“{result.article.headline}”; nothing changed.{where}"
            ))
            return
        verb = "Would import" if dry_run else "Imported"
        suggestions = suggestions_from(ex)
        commentary = sum(1 for s in suggestions if s["target"] == "commentary")
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {result.filename}"
            + (f" as draft story #{result.article.pk}" if result.article else " as a draft story")
            + f": “{ex.headline}”, {ex.dateline}"
            + (f" ({ex.outlet})" if ex.outlet else "")
            + f", {len(ex.paragraphs)} paragraphs, {len(suggestions)} attributed statements "
            f"({commentary} expert commentary, {len(suggestions) - commentary} citations) to review."
            + ("" if dry_run else self.review_url(result))
        ))
        if verbosity < 1:
            return
        for suggestion in suggestions:
            found = best(suggestion_matches(suggestion))
            match = f"existing: {found.name}" if found else "new"
            kind = "quote" if suggestion["direct"] else "reported"
            self.stdout.write(
                f"  {suggestion['id']:>2}. {suggestion['speaker']} [{suggestion['target']}, {kind}, {match}]: "
                f"{suggestion['text'][:90]}"
            )
        for note in ex.notes:
            self.stdout.write(self.style.WARNING(f"  Note: {note}"))

    def review_url(self, result):
        if not result.copy_import:
            return ""
        return f" Review: {reverse('import_copy_review', args=[result.copy_import.pk])}"
