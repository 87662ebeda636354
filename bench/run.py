"""`make bench`: every public page at 100,000 stories, in queries, milliseconds and requests/s.

For each page: SQL queries per request (cache cleared first), in-process median and p95 latency with
Django's test client (cache cleared before each request, then as served), and requests/s over real
HTTP from gunicorn (2 sync workers, production settings) next to a static file of exactly the same
bytes served by the same gunicorn + WhiteNoise in the same run. Prints one table and writes it,
with the machine, into docs/performance.md.

Environment: BENCH_STORIES (100000), BENCH_SEED (1), BENCH_ITERATIONS (30 in-process requests per
page and mode), BENCH_SECONDS (10 per wrk run), BENCH_PAGES (comma-separated page names to run),
DATABASE_URL (a postgres:// URL runs on PostgreSQL, in a database named newsroom_bench on that
server; the database the URL names is never touched), DJANGO_CONN_MAX_AGE (600).
"""
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402
from bench.harness import BASE_DIR, STATIC_ROOT, TWIN_DIR, env_int, log  # noqa: E402

DOC = BASE_DIR / "docs" / "performance.md"
MAX_SECONDS_IN_PROCESS = 30  # per page and mode, whatever BENCH_ITERATIONS says


def setup_django(db):
    os.environ.update(db.env())
    import django

    django.setup()


def pick_pages():
    """Return [(name, url or None, note)] for every page the benchmark covers, from the live urls."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from articles.models import Analyst, Article, Commentary, Topic

    published = Article.objects.published()
    story = None
    for candidate in published.order_by("-published_at", "-pk")[200:300]:
        if candidate.commentary.count() >= 3 and candidate.citations.exists():
            story = candidate
            break
    story = story or published.order_by("-published_at", "-pk").first()
    topics = Topic.objects.filter(tagged_articles__content_object__in=published).annotate(
        n=Count("tagged_articles")
    )
    big = topics.order_by("-n", "pk").first()
    small = topics.order_by("n", "pk").first()
    top = (
        Commentary.objects.filter(article__in=published).values("analyst").annotate(n=Count("id")).order_by("-n")
        .first()
    )
    analyst = Analyst.objects.get(pk=top["analyst"]) if top else Analyst.objects.first()
    common_word = big.name.split()[0] if big else "Freedonia"

    def url(name, query="", **kwargs):
        try:
            return reverse(f"articles:{name}", kwargs=kwargs) + query, ""
        except NoReverseMatch:
            return None, f"no url named articles:{name} yet"

    pages = [
        ("home", *url("home")),
        (f"story ({story.commentary.count()} quotes)", *url("article_detail", slug=story.slug)),
        (f"topic, big ({big.n:,} stories), page 1", *url("topic_detail", slug=big.slug)),
        ("topic, big, page 50", *url("topic_detail", "?page=50", slug=big.slug)),
        (f"topic, small ({small.n} stories), page 1", *url("topic_detail", slug=small.slug)),
        (f"analyst ({top['n'] if top else 0:,} quotes), page 1", *url("analyst_detail", slug=analyst.slug)),
        (f"search, common word ({common_word})", *url("search", f"?q={common_word}")),
        (f"search, analyst name ({analyst.name})", *url("search", "?q=" + analyst.name.replace(" ", "+"))),
        ("feed: latest, RSS", *url("feed_rss")),
        ("feed: latest, Atom", *url("feed_atom")),
        ("feed: big topic, RSS", *url("topic_feed_rss", slug=big.slug)),
        ("feed: big topic, Atom", *url("topic_feed_atom", slug=big.slug)),
        ("feed: analyst, RSS", *url("analyst_feed_rss", slug=analyst.slug)),
        ("feed: analyst, Atom", *url("analyst_feed_atom", slug=analyst.slug)),
    ]
    wanted = [p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()]
    if wanted:
        pages = [p for p in pages if any(p[0].startswith(w) for w in wanted)]
    return pages


def measure_in_process(url, iterations):
    """Return queries, status, body, and (median, p95) ms uncached and as served."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    result = {"status": response.status_code, "queries": len(queries), "body": body}
    for mode, clear in (("uncached", True), ("served", False)):
        timings, deadline = [], time.monotonic() + MAX_SECONDS_IN_PROCESS
        client.get(url)  # warm templates and connections
        for _ in range(iterations):
            if clear:
                cache.clear()
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if time.monotonic() > deadline:
                break
        timings.sort()
        result[mode] = (statistics.median(timings), harness.percentile(timings, 95))
    return result


def write_twins(rows):
    """Write, for every page, a static file with the page's exact bytes (same size, same compressibility)."""
    twins = STATIC_ROOT / TWIN_DIR
    twins.mkdir(parents=True, exist_ok=True)
    for n, row in enumerate(rows):
        if row.get("body"):
            (twins / f"page-{n}.html").write_bytes(row["body"])
            row["twin"] = f"/static/{TWIN_DIR}/page-{n}.html"


def fmt(value, spec=".1f"):
    return "—" if value is None else format(value, spec)


def render_table(rows):
    header = (
        "| page | status | bytes | queries | uncached median / p95 ms | served median / p95 ms "
        "| HTTP req/s | static twin req/s | ratio | HTTP p99 ms |"
    )
    lines = [header, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        if row.get("note"):
            lines.append(f"| {row['name']} | skipped: {row['note']} | | | | | | | | |")
            continue
        http, static = row.get("http") or {}, row.get("static") or {}
        ratio = http["rps"] / static["rps"] if http.get("rps") and static.get("rps") else None
        errors = f" ({http['errors']})" if http.get("errors") else ""
        lines.append(
            f"| {row['name']} | {row['status']} | {len(row['body']):,} | {row['queries']} "
            f"| {fmt(row['uncached'][0])} / {fmt(row['uncached'][1])} "
            f"| {fmt(row['served'][0])} / {fmt(row['served'][1])} "
            f"| {fmt(http.get('rps'), ',.0f')}{errors} | {fmt(static.get('rps'), ',.0f')} "
            f"| {fmt(ratio * 100 if ratio else None, '.0f')}{'%' if ratio else ''} | {fmt(http.get('p99_ms'))} |"
        )
    return "\n".join(lines)


def update_doc(vendor, text):
    """Replace this database's results section in docs/performance.md, keeping everything else."""
    start, end = f"<!-- bench:{vendor}:start -->", f"<!-- bench:{vendor}:end -->"
    doc = DOC.read_text() if DOC.exists() else "# Performance\n"
    block = f"{start}\n{text}\n{end}"
    if start in doc and end in doc:
        doc = doc[: doc.index(start)] + block + doc[doc.index(end) + len(end):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(doc)


def main():
    stories, seed = env_int("BENCH_STORIES", 100_000), env_int("BENCH_SEED", 1)
    iterations, seconds = env_int("BENCH_ITERATIONS", 30), max(2, env_int("BENCH_SECONDS", 10))
    started = time.monotonic()
    box = harness.machine()
    db = harness.BenchDatabase(stories, seed).prepare()
    try:
        log("Collecting static files (production storage)...")
        db.manage("collectstatic", "--noinput", "-v0")
        setup_django(db)
        from django.conf import settings

        conn_max_age = settings.DATABASES["default"].get("CONN_MAX_AGE")
        pool = "pool" in settings.DATABASES["default"].get("OPTIONS", {})
        cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]

        rows = []
        for name, url, note in pick_pages():
            if url is None:
                rows.append({"name": name, "note": note})
                continue
            log(f"In process: {name} {url}")
            row = {"name": name, "url": url, **measure_in_process(url, iterations)}
            log(f"  {row['status']}, {row['queries']} queries, uncached {row['uncached'][0]:.1f}/"
                f"{row['uncached'][1]:.1f} ms, served {row['served'][0]:.1f}/{row['served'][1]:.1f} ms")
            if row["status"] != 200:
                row["note"] = f"answered {row['status']} ({url})"
            rows.append(row)

        live = [r for r in rows if not r.get("note")]
        write_twins(live)
        with harness.Gunicorn(db.env()) as server:
            for row in live:
                log(f"HTTP: {row['name']}")
                try:
                    for _ in range(2 * harness.GUNICORN_WORKERS):  # warm every worker on this page
                        harness.fetch(server.base + row["url"])
                    row["http"] = harness.run_wrk(server.base + row["url"], seconds=seconds)
                    row["static"] = harness.run_wrk(server.base + row["twin"], seconds=seconds)
                except (OSError, subprocess.SubprocessError, AttributeError) as error:
                    # One page too slow to answer (or a crashed worker) must not lose the whole run.
                    row["http"] = {"rps": None, "errors": f"failed: {error!r}"[:80]}
        tool = live[0]["http"]["tool"] if live else "—"
        table = render_table(rows)
        summary = "\n".join([
            f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}, {stories:,} stories (seed {seed}), "
            f"{time.monotonic() - started:.0f} s in all.",
            "",
            f"- Machine: {box['cores']} cores ({box['cpu']}), {box['memory']}, {box['os']}, "
            f"Python {box['python']}; load average at start {box['load']} (the machine is shared).",
            f"- Database: {db.describe()}; CONN_MAX_AGE={conn_max_age}"
            f"{', psycopg pool' if pool else ''}; cache: {cache_backend} (cleared before each "
            "uncached request; gunicorn workers keep their own).",
            f"- HTTP: gunicorn, {harness.GUNICORN_WORKERS} sync workers, settings bench.settings "
            f"(production: DEBUG off, WhiteNoise, no HTTPS redirect on loopback); {tool}. The static "
            "twin is a file with the page's exact bytes under STATIC_ROOT, served by the same process.",
            f"- In process: Django test client, {iterations} requests per mode after one warm-up.",
            f"- Corpus: {db.generation or 'reused from the cache (generated in an earlier run)'}.",
            "",
            table,
        ])
        print(table)
        update_doc(db.vendor, summary)
        log(f"Wrote the {db.vendor} results into {DOC.relative_to(BASE_DIR)}.")
    finally:
        from django.db import connections

        connections.close_all()
        db.drop()


if __name__ == "__main__":
    main()
