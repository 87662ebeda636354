"""Score the copy extractor against hand-annotated stories, per story and per house style.

The import's rules are tuned on annotated copy and judged on copy they were not tuned on; this
command prints the numbers both are judged by (precision, recall, routing to commentary or a
citation, titles and affiliations as printed) so a change to the rules can be measured before it
is committed. It reads files and writes nothing.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...evaluate import evaluate


class Command(BaseCommand):
    help = (
        "Score the copy extractor on evaluation sets: directories holding .txt stories and an expected.json "
        "that annotates them (e.g. tests/ingest/eval/dev). Prints precision, recall and routing per story, "
        "per house style and overall. Saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directories", nargs="+", metavar="DIR", help="Evaluation set directories.")
        parser.add_argument(
            "--details", action="store_true",
            help="Also list every wrong, missed and misrouted suggestion and every title or affiliation "
            "that differs from the annotation.",
        )

    def handle(self, *args, directories, details, **options):
        for name in directories:
            directory = Path(name)
            if not (directory / "expected.json").is_file():
                raise CommandError(f"{name}: no expected.json there. Give a directory holding an evaluation set.")
            report = evaluate(directory)
            self.stdout.write(self.style.MIGRATE_HEADING(f"{name}"))
            if options.get("verbosity", 1) > 1:
                for style, score in report.stories:
                    self.stdout.write(f"  {self.line(score.label, score)}  [{style}]")
            for style, score in report.styles.items():
                self.stdout.write("  " + self.line(style, score))
            self.stdout.write(self.style.SUCCESS("  " + self.line("all", report.overall)))
            overall = report.overall
            self.stdout.write(
                f"  titles as printed {overall.title_accuracy:.2f}, affiliations as printed "
                f"{overall.affiliation_accuracy:.2f}, speaker names carrying a title or honorific: {len(overall.glued)}"
            )
            if overall.refused:
                self.stdout.write(self.style.ERROR(
                    f"  refused by the import, every statement counted missed: {len(overall.refused)} "
                    f"stor{'y' if len(overall.refused) == 1 else 'ies'}"
                ))
            if details:
                self.details(overall)

    def line(self, label, score):
        return (
            f"{label:<28} {score.stories:>3} stories {score.expected:>4} statements  "
            f"precision {score.precision:.2f}  recall {score.recall:.2f}  routing {score.routing:.2f} "
            f"({score.routed}/{score.speakers})"
        )

    def details(self, score):
        for _story, error in score.refused:
            self.stdout.write(self.style.ERROR(f"  refused {error}"))  # the error names the story
        for story, speaker, text, rule in score.wrong:
            self.stdout.write(self.style.WARNING(f"  wrong   {story}: {speaker} ({rule}): {text[:100]}"))
        for story, speaker, words in score.missed:
            self.stdout.write(self.style.WARNING(f"  missed  {story}: {speaker}: {words}"))
        for story, speaker, found, annotated in score.misrouted:
            self.stdout.write(self.style.WARNING(f"  routed  {story}: {speaker} to {found}, not {annotated}"))
        for story, speaker, key, found, annotated in score.misdescribed:
            self.stdout.write(f"  {key:<7} {story}: {speaker}: “{found}”, annotated “{annotated}”")
        for story, name in score.glued:
            self.stdout.write(self.style.ERROR(f"  glued   {story}: {name}"))
