"""Fill an empty database with a synthetic, clearly fictional corpus for benchmarks and load tests.

A page that is fast with the ten stories of a developer database can still collapse at 100,000:
this command builds a corpus at a real desk's proportions (a long tail of topics, thousands of
analysts, three quotes and two citations per story, a few drafts and scheduled stories to test
for leaks) in under two minutes, reproducibly from --seed. Generated rows skip save() and
simple-history: no history rows are written for them. See bench/corpus.py and docs/performance.md.
"""
import resource
import sys
import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from articles.models import Article

from ...corpus import CorpusGenerator, CorpusSpec


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError("must be at least 1")
    return number


def non_negative(value):
    number = int(value)
    if number < 0:
        raise ValueError("must be 0 or more")
    return number


def aware_datetime(value):
    moment = datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic, clearly fictional corpus (default 100,000 stories) "
        "for benchmarks and load tests. Counts not given follow a desk's proportions at 100,000 stories: "
        "500 topics, 5,000 analysts, 3 quotes and 2 citations per story. Same --seed and --now, same corpus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=positive, default=100_000, help="Number of stories (default 100000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same corpus.")
        parser.add_argument("--topics", type=positive, help="Number of topics (default: 500 per 100,000 stories).")
        parser.add_argument("--analysts", type=positive, help="Number of analysts (default: 5,000 per 100,000).")
        parser.add_argument(
            "--organizations", type=positive,
            help="Number of organizations (default: 250 per 100,000; at least 168).",
        )
        parser.add_argument("--sources", type=positive, help="Number of sources (default: 1,000 per 100,000).")
        parser.add_argument("--commentary", type=non_negative, help="Total commentary rows (default: 3 per story).")
        parser.add_argument("--citations", type=non_negative, help="Total citations (default: 2 per story).")
        parser.add_argument("--topics-per-story", type=positive, default=3, help="Topics on each story (default 3).")
        parser.add_argument(
            "--now", type=aware_datetime,
            help="ISO time the archive ends at; scheduled stories come after it (default: this hour).",
        )
        parser.add_argument("--batch-size", type=positive, default=1_000, help="Stories per bulk insert.")
        parser.add_argument(
            "--append", action="store_true",
            help="Add to a database that already has stories (reusing topics, analysts and sources by name).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default 'default').")

    def handle(self, *args, **options):
        if options["database"] != DEFAULT_DB_ALIAS:
            raise CommandError("Only the default database is supported; point DATABASE_URL at the one to fill.")
        existing = Article.objects.count()
        if existing and not options["append"]:
            raise CommandError(
                f"This database already has {existing} stories, and generate_corpus fills an empty one. "
                "Point DATABASE_URL at a fresh database (then run `manage.py migrate`), "
                "or pass --append to add the synthetic stories to these."
            )
        spec = CorpusSpec(
            stories=options["stories"], seed=options["seed"], topics=options["topics"],
            analysts=options["analysts"], organizations=options["organizations"], sources=options["sources"],
            commentary=options["commentary"], citations=options["citations"],
            topics_per_story=options["topics_per_story"], now=options["now"], batch_size=options["batch_size"],
        )
        vendor = connections[DEFAULT_DB_ALIAS].vendor
        self.stdout.write(
            f"Generating {spec.stories:,} stories (seed {spec.seed}, {spec.topics:,} topics, "
            f"{spec.analysts:,} analysts, archive ending {spec.now:%Y-%m-%d %H:%M} UTC) on {vendor}..."
        )
        started = time.perf_counter()
        progress = self.progress_bar(spec.stories, quiet=options["verbosity"] == 0)
        try:
            with transaction.atomic():
                counts = CorpusGenerator(spec, progress=progress.update).run()
        finally:
            progress.close()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"Generated {counts['stories']:,} stories ({counts['published']:,} published, {counts['draft']:,} drafts, "
            f"{counts['in_review']:,} in review, {counts['scheduled']:,} scheduled, {counts['archived']:,} archived), "
            f"{counts['topics']:,} topics, {counts['analysts']:,} analysts, {counts['organizations']:,} organizations, "
            f"{counts['sources']:,} sources, {counts['commentary']:,} commentary, {counts['citations']:,} citations, "
            f"{counts['tagged']:,} topic links, {counts['bylines']:,} bylines."
        ))
        self.stdout.write(f"Took {elapsed:.1f} s; peak memory {peak_rss_mb():.0f} MB.")

    def progress_bar(self, total, *, quiet):
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm is a runtime dependency; this keeps a stripped install working.
            return _NoProgress()
        return tqdm(total=total, unit=" stories", file=sys.stderr, disable=quiet, mininterval=0.5)


class _NoProgress:
    def update(self, n):
        pass

    def close(self):
        pass


def peak_rss_mb():
    """Return this process's peak resident memory in MB (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
