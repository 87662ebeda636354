"""`make bench`: every public page at 100,000 stories, in queries, milliseconds and requests/s; then the editor pages.

For each page: SQL queries per request (every cache cleared first); in-process median and p95
latency with Django's test client in three modes: "uncached" (a page-cache miss: only the page cache
cleared before each request, as after an editor's write), "cold" (every cache cleared, as after a
restart) and "served" (caches warm); and requests/s over real HTTP from two gunicorns (2 sync
workers, production settings), one with the page cache and one with it switched off
(BENCH_PAGE_CACHE=off), next to a static file of exactly the same bytes served by the same gunicorn +
WhiteNoise in the same run. Prints one table and a check of the targets against this run's
numbers, and writes both, with the machine, into docs/performance.md. A second table measures the
editor pages (bench/editor_pages.py: the admin's lists, forms, autocompletes, the sourcing
dashboard...) in process, signed in as an editor, with its own target line.

Environment: BENCH_STORIES (100000), BENCH_SEED (1), BENCH_ITERATIONS (30 in-process requests per
page and mode), BENCH_SECONDS (10 of wrk per page and mode), BENCH_ROUNDS (3: the static twin,
the cached and the uncached page alternate in that many runs, and each ratio is the median of the
rounds' ratios), BENCH_PAGES (comma-separated page keys, e.g.
topic-big-1, or name prefixes, e.g. topic, to run; "editor" runs only the editor pages, and an editor
page key or key prefix such as editor-dashboard only those),
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

from bench import editor_pages, harness  # noqa: E402
from bench.harness import BASE_DIR, STATIC_ROOT, TWIN_DIR, env_int, log  # noqa: E402

DOC = BASE_DIR / "docs" / "performance.md"
MAX_SECONDS_IN_PROCESS = 30  # per page and mode, whatever BENCH_ITERATIONS says
# Search answers per request (PrivatePageMixin) and never goes through the page cache.
NOT_PAGE_CACHED = {"search"}
# The reader targets (docs/performance.md).
CACHED_RATIO_TARGET = 0.60
UNCACHED_RATIO_TARGET = 0.15
UNCACHED_P95_TARGET_MS = 15
PAGINATION_SLOWDOWN_TARGET = 0.20
QUERY_BUDGET = 8


def setup_django(db):
    os.environ.update(db.env())
    import django

    django.setup()


def pick_pages():
    """Return one dict (key, kind, name, url or None, note, cached) per page the benchmark covers."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from articles.models import Analyst, Article, Commentary, Topic

    published = Article.objects.published()
    story = harness.sample_story(published)
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

    def page(key, kind, name, route, query="", **kwargs):
        try:
            url, note = reverse(f"articles:{route}", kwargs=kwargs) + query, ""
        except NoReverseMatch:
            url, note = None, f"no url named articles:{route} yet"
        return {"key": key, "kind": kind, "name": name, "url": url, "note": note,
                "cached": kind not in NOT_PAGE_CACHED}

    pages = [
        page("home", "home", "home", "home"),
        page("story", "story", f"story ({story.commentary.count()} quotes)", "article_detail", slug=story.slug),
        page("topic-big-1", "topic", f"topic, big ({big.n:,} stories), page 1", "topic_detail", slug=big.slug),
        page("topic-big-50", "topic", "topic, big, page 50", "topic_detail", "?page=50", slug=big.slug),
        page("topic-small-1", "topic", f"topic, small ({small.n} stories), page 1", "topic_detail",
             slug=small.slug),
        page("analyst-1", "analyst", f"analyst ({top['n'] if top else 0:,} quotes), page 1", "analyst_detail",
             slug=analyst.slug),
        page("search-common", "search", f"search, common word ({common_word})", "search", f"?q={common_word}"),
        page("search-name", "search", f"search, analyst name ({analyst.name})", "search",
             "?q=" + analyst.name.replace(" ", "+")),
        page("feed-rss", "feed", "feed: latest, RSS", "feed_rss"),
        page("feed-atom", "feed", "feed: latest, Atom", "feed_atom"),
        page("topic-feed-rss", "feed", "feed: big topic, RSS", "topic_feed_rss", slug=big.slug),
        page("topic-feed-atom", "feed", "feed: big topic, Atom", "topic_feed_atom", slug=big.slug),
        page("analyst-feed-rss", "feed", "feed: analyst, RSS", "analyst_feed_rss", slug=analyst.slug),
        page("analyst-feed-atom", "feed", "feed: analyst, Atom", "analyst_feed_atom", slug=analyst.slug),
    ]
    wanted = [p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()]
    if wanted:
        pages = [p for p in pages if any(p["key"] == w or p["name"].startswith(w) for w in wanted)]
    return pages


def clear_page_cache():
    """Empty the page cache only: the state of every page right after an editor's write."""
    from django.conf import settings
    from django.core.cache import caches

    caches[getattr(settings, "NEWSROOM_PAGE_CACHE", "default")].clear()


def clear_every_cache():
    """Empty every cache (page, generation, any other), the process's fragments and its topic catalog: the first
    render after a restart."""
    from django.core.cache import caches

    from pagecache.state import forget_process_state

    for store in caches.all():
        store.clear()
    forget_process_state()


# In-process modes, and what is emptied before each of their requests.
MODES = {"uncached": clear_page_cache, "cold": clear_every_cache, "served": None}


def measure_in_process(url, iterations):
    """Return queries (cold render), status, body, and (median, p95) ms in every mode of MODES."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    clear_every_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    result = {"status": response.status_code, "queries": len(queries), "body": body}
    for mode, clear in MODES.items():
        timings, deadline = [], time.monotonic() + MAX_SECONDS_IN_PROCESS
        client.get(url)  # warm templates, connections and every cache
        for _ in range(iterations):
            if clear:
                clear()
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if time.monotonic() > deadline:
                break
        timings.sort()
        result[mode] = (statistics.median(timings), harness.percentile(timings, 95))
    return result


def measure_interleaved(urls, iterations):
    """Return the page-cache-miss median ms of each URL, their requests alternating (A B B A ...).

    On a shared machine whose speed drifts over seconds, two pages measured one after the other can
    differ by a third with identical code; alternating them puts every stretch under both.
    """
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    timings = {url: [] for url in urls}
    for url in urls:
        client.get(url)  # warm
    for n in range(iterations):
        for url in urls if n % 2 == 0 else reversed(urls):
            clear_page_cache()
            started = time.perf_counter()
            client.get(url)
            timings[url].append((time.perf_counter() - started) * 1000)
    return {url: statistics.median(times) for url, times in timings.items()}


def write_twins(rows):
    """Write, for every page, a static file with the page's exact bytes (same size, same compressibility)."""
    twins = STATIC_ROOT / TWIN_DIR
    twins.mkdir(parents=True, exist_ok=True)
    for n, row in enumerate(rows):
        if row.get("body"):
            (twins / f"page-{n}.html").write_bytes(row["body"])
            row["twin"] = f"/static/{TWIN_DIR}/page-{n}.html"


def measure_http(server, url, seconds):
    """Return wrk's numbers for url on server, every worker warmed on it first."""
    try:
        for _ in range(2 * harness.GUNICORN_WORKERS):
            harness.fetch(server.base + url)
        return harness.run_wrk(server.base + url, seconds=seconds)
    except (OSError, subprocess.SubprocessError, AttributeError) as error:
        # One page too slow to answer (or a crashed worker) must not lose the whole run.
        return {"rps": None, "errors": f"failed: {error!r}"[:80]}


def ratio(http, static):
    return http["rps"] / static["rps"] if http and static and http.get("rps") and static.get("rps") else None


def combined(runs):
    """Return one wrk result for the rounds of one page and mode: mean req/s, worst p99, every error."""
    done = [run for run in runs if run.get("rps")]
    if len(done) < len(runs):
        return next(run for run in runs if not run.get("rps"))  # a failed round: report its error
    p50 = [run["p50_ms"] for run in done if run.get("p50_ms") is not None]
    p99 = [run["p99_ms"] for run in done if run.get("p99_ms") is not None]
    errors = [run.get("errors", 0) for run in done]
    return {
        "rps": statistics.fmean(run["rps"] for run in done),
        "p50_ms": statistics.median(p50) if p50 else None,
        "p99_ms": max(p99) if p99 else None,
        "errors": sum(errors) if all(isinstance(e, int) for e in errors) else "; ".join(map(str, errors)),
        "tool": f"{done[0].get('tool')}, {len(done)} rounds",
    }


def round_ratios(runs, statics):
    """Return each round's ratio to the static twin measured just before it (None if one failed)."""
    ratios = [ratio(run, static) for run, static in zip(runs, statics, strict=True)]
    return None if None in ratios or not ratios else ratios


def median_of(ratios):
    """Return the median of a page's round ratios (round_ratios), or None without them."""
    return None if ratios is None else statistics.median(ratios)


def measure_over_http(rows, env, seconds, rounds):
    """Fill in each row's req/s with the page cache on, off, and for its static twin.

    The three alternate in `rounds` short runs, and each ratio is the median of the rounds' ratios:
    on a shared machine a burst of other work lasting seconds lands on one round, not on all of one
    mode, and moves a median little.
    """
    each = max(2, round(seconds / rounds))
    off = {**env, "BENCH_PAGE_CACHE": "off"}
    with (harness.Gunicorn(env) as cached, harness.Gunicorn(off) as uncached,
          harness.Gunicorn({**off, "NEWSROOM_PREPARED_QUERIES": "off"}) as plain):
        for row in rows:
            log(f"HTTP: {row['name']}")
            runs = {"http": [], "static": [], "http_uncached": [], "http_plain": []}
            for _ in range(rounds):
                # Back to back, so other jobs' load on the shared machine weighs about the same on all of them.
                runs["static"].append(measure_http(cached, row["twin"], each))
                if row["cached"]:
                    runs["http"].append(measure_http(cached, row["url"], each))
                runs["http_uncached"].append(measure_http(uncached, row["url"], each))
                if is_prepared_page(row):  # the same page with its queries built and compiled per request
                    runs["http_plain"].append(measure_http(plain, row["url"], each))
            if is_prepared_page(row):
                row["http_plain"] = combined(runs["http_plain"])
                row["plain_ratio"] = median_of(round_ratios(runs["http_plain"], runs["static"]))
            row["http"] = combined(runs["http"]) if row["cached"] else None
            row["ratio_rounds"] = round_ratios(runs["http"], runs["static"]) if row["cached"] else None
            row["ratio"] = median_of(row["ratio_rounds"])
            row["static"] = combined(runs["static"])
            row["http_uncached"] = combined(runs["http_uncached"])
            row["uncached_ratio_rounds"] = round_ratios(runs["http_uncached"], runs["static"])
            row["uncached_ratio"] = median_of(row["uncached_ratio_rounds"])
            log(f"  cached {rps(row.get('http'), row['cached'])}, uncached {rps(row['http_uncached'])}, "
                f"static twin {rps(row['static'])} req/s")


def is_prepared_page(row):
    """Tell whether the page runs prepared queries when uncached (reader/private_api.py): topics and analysts."""
    return row["kind"] in {"topic", "analyst"}


def prepared_comparison(rows):
    """Return Markdown lines: each prepared page uncached, with and without prepared queries, in this run."""
    lines = ["Prepared queries (reader/private_api.py), uncached over HTTP in this run, with and without:", ""]
    for row in rows:
        if not is_prepared_page(row) or not row.get("http_plain"):
            continue
        with_rps, without_rps = row["http_uncached"]["rps"], row["http_plain"]["rps"]
        gain = f"{with_rps / without_rps - 1:+.0%}" if without_rps else "—"
        lines.append(
            f"- {row['name']}: {rps(row['http_uncached'])} req/s with ({pct(row.get('uncached_ratio'))} of the "
            f"twin), {rps(row['http_plain'])} without ({pct(row.get('plain_ratio'))}): {gain}."
        )
    return lines


def fmt(value, spec=".1f"):
    return "—" if value is None else format(value, spec)


def pct(value):
    return "—" if value is None else f"{value * 100:.0f}%"


def rps(http, applies=True):
    if not applies:
        return "n/a"
    http = http or {}
    errors = f" ({http['errors']})" if http.get("errors") else ""
    return f"{fmt(http.get('rps'), ',.0f')}{errors}"


def render_table(rows):
    header = (
        "| page | status | bytes | queries | uncached (page-cache miss) median / p95 ms | cold median / p95 ms "
        "| served median / p95 ms | static twin req/s | HTTP req/s cached | ratio | HTTP req/s uncached "
        "| uncached ratio | HTTP p99 ms cached / uncached |"
    )
    lines = [header, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        if row.get("note"):
            lines.append(f"| {row['name']} | skipped: {row['note']} |" + " |" * 11)
            continue
        http, uncached = row.get("http") or {}, row.get("http_uncached") or {}
        cached_p99 = fmt(http.get("p99_ms")) if row["cached"] else "n/a"
        lines.append(
            f"| {row['name']} | {row['status']} | {len(row['body']):,} | {row['queries']} "
            + "".join(f"| {fmt(row[mode][0])} / {fmt(row[mode][1])} " for mode in MODES)
            + f"| {rps(row.get('static'))} | {rps(http, row['cached'])} "
            f"| {pct(row.get('ratio')) if row['cached'] else 'n/a'} | {rps(uncached)} "
            f"| {pct(row.get('uncached_ratio'))} | {cached_p99} / {fmt(uncached.get('p99_ms'))} |"
        )
    return "\n".join(lines)


def check_line(target, ok, detail):
    """Return one Markdown line: met, not met, or not measured (ok is None), then the numbers."""
    state = "not measured" if ok is None else "met" if ok else "not met"
    return f"- **{state}**: {target}. {detail}"


def meets_ratio(row, key, target):
    http = row.get("http" if key == "ratio" else "http_uncached") or {}
    return row.get(key) is not None and row[key] >= target and not http.get("errors")


def ratio_figure(row, key):
    http = row.get("http" if key == "ratio" else "http_uncached") or {}
    if row.get(key) is None:
        return f"{row['name']}: no number ({http.get('errors') or 'not measured'})"
    errors = f", {http['errors']} errors" if http.get("errors") else ""
    rounds = row.get(f"{key}_rounds") or []
    each = f"median of {', '.join(map(pct, rounds))}; " if len(rounds) > 1 else ""
    figures = f"{each}means {fmt(http['rps'], ',.0f')} vs {fmt(row['static']['rps'], ',.0f')} req/s{errors}"
    return f"{row['name']} {pct(row[key])} ({figures})"


def check_cached_ratio(rows):
    target = f"cached pages ≥ {CACHED_RATIO_TARGET:.0%} of their static twin's req/s"
    cached = [r for r in rows if r["cached"]]
    below = [r for r in cached if not meets_ratio(r, "ratio", CACHED_RATIO_TARGET)]
    if not cached:
        return check_line(target, None, "No page-cached page in this run.")
    if below:
        return check_line(target, False, f"{len(cached) - len(below)} of {len(cached)} page-cached pages at or "
                          "above; below: " + "; ".join(ratio_figure(r, "ratio") for r in below) + ".")
    lowest = min(cached, key=lambda r: r["ratio"])
    return check_line(target, True, f"Every page-cached page ({len(cached)}); lowest {ratio_figure(lowest, 'ratio')}.")


def listing_pages(rows):
    return [r for r in rows if r["kind"] in ("topic", "analyst")]


def check_uncached_ratio(rows):
    target = f"uncached topic and analyst pages ≥ {UNCACHED_RATIO_TARGET:.0%} of their static twin's req/s"
    pages = listing_pages(rows)
    if not pages:
        return check_line(target, None, "No topic or analyst page in this run.")
    ok = all(meets_ratio(r, "uncached_ratio", UNCACHED_RATIO_TARGET) for r in pages)
    return check_line(target, ok, "Page cache switched off: "
                      + "; ".join(ratio_figure(r, "uncached_ratio") for r in pages) + ".")


def check_uncached_p95(rows):
    target = f"uncached topic and analyst p95 in process < {UNCACHED_P95_TARGET_MS} ms"
    pages = listing_pages(rows)
    if not pages:
        return check_line(target, None, "No topic or analyst page in this run.")
    ok = all(r["uncached"][1] < UNCACHED_P95_TARGET_MS for r in pages)
    figures = "; ".join(f"{r['name']} {fmt(r['uncached'][1])} / {fmt(r['cold'][1])} ms" for r in pages)
    return check_line(target, ok, (
        "Judged on the page-cache miss (only the page cache cleared before each request, other caches warm), "
        f"not on the cold render (every cache cleared). p95 page-cache miss / cold: {figures}."
    ))


def check_pagination(rows):
    target = f"topic page 50 median no more than {PAGINATION_SLOWDOWN_TARGET:.0%} slower than page 1 (uncached)"
    first, fiftieth = (next((r for r in rows if r["key"] == key), None) for key in ("topic-big-1", "topic-big-50"))
    if not (first and fiftieth):
        return check_line(target, None, "Both pages of the big topic are needed; this run lacks one.")
    sequential = (
        f"measured one after the other, as in the table: page 50 {fmt(fiftieth['uncached'][0])} vs page 1 "
        f"{fmt(first['uncached'][0])} ms (p95 {fmt(fiftieth['uncached'][1])} vs {fmt(first['uncached'][1])} ms)"
    )
    pair = first.get("interleaved")
    if pair is None:
        slower = fiftieth["uncached"][0] / first["uncached"][0] - 1
        return check_line(target, slower <= PAGINATION_SLOWDOWN_TARGET, (
            f"Page-cache miss, big topic, {sequential}: {abs(slower):.0%} {'slower' if slower > 0 else 'faster'}."
        ))
    slower = pair[1] / pair[0] - 1
    return check_line(target, slower <= PAGINATION_SLOWDOWN_TARGET, (
        f"Page-cache miss, big topic, the two pages' requests alternating: page 50 {fmt(pair[1])} ms vs page 1 "
        f"{fmt(pair[0])} ms median ({abs(slower):.0%} {'slower' if slower > 0 else 'faster'}); {sequential}."
    ))


def check_queries(rows):
    target = f"at most {QUERY_BUDGET} queries on every public page"
    if not rows:
        return check_line(target, None, "No page in this run.")
    fewest, most = min(r["queries"] for r in rows), max(r["queries"] for r in rows)
    over = [f"{r['name']} {r['queries']}" for r in rows if r["queries"] > QUERY_BUDGET]
    return check_line(target, not over, (
        f"{fewest if fewest == most else f'{fewest}–{most}'} queries per page on a cold render (every cache cleared)"
        + (f"; over: {'; '.join(over)}" if over else "") + "."
    ))


def check_targets(rows):
    """Return the targets judged on this run's rows, one Markdown line each."""
    checks = (check_cached_ratio, check_uncached_ratio, check_uncached_p95, check_pagination, check_queries)
    return [check(rows) for check in checks]


def describe_caches(settings):
    """Return every cache alias with its backend, and which one holds pages."""
    page_alias = getattr(settings, "NEWSROOM_PAGE_CACHE", "default")
    backends = {alias: conf["BACKEND"].rsplit(".", 1)[-1] for alias, conf in settings.CACHES.items()}
    described = ", ".join(f"{alias} ({backend})" for alias, backend in backends.items())
    per_worker = " (each gunicorn worker keeps its own)" if backends.get(page_alias) == "LocMemCache" else ""
    return f"{described}; pages in {page_alias!r}{per_worker}"


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
    rounds = max(1, env_int("BENCH_ROUNDS", 3))
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

        rows = []
        for page in pick_pages():
            if page["url"] is None:
                rows.append(page)
                continue
            log(f"In process: {page['name']} {page['url']}")
            row = {**page, **measure_in_process(page["url"], iterations)}
            log(f"  {row['status']}, {row['queries']} queries, "
                + ", ".join(f"{mode} {row[mode][0]:.1f}/{row[mode][1]:.1f} ms" for mode in MODES))
            if row["status"] != 200:
                row["note"] = f"answered {row['status']} ({row['url']})"
            rows.append(row)

        live = [r for r in rows if not r.get("note")]
        first, fiftieth = (next((r for r in live if r["key"] == key), None) for key in ("topic-big-1", "topic-big-50"))
        if first and fiftieth:
            log("In process, alternating: big topic page 1 and page 50")
            medians = measure_interleaved([first["url"], fiftieth["url"]], iterations)
            first["interleaved"] = (medians[first["url"]], medians[fiftieth["url"]])
        if live:
            write_twins(live)
            measure_over_http(live, db.env(), seconds, rounds)
        tool = next((r["static"]["tool"] for r in live if r["static"].get("tool")), "—")
        # Last: picking the editor pages writes (an editor account, two revisions, one import).
        editor_rows, editor_table, editor_check = [], "", editor_pages.check_target([])
        if editor_pages.wanted_any():
            editor_rows, editor_table, editor_check = editor_pages.run(iterations)
        table = render_table(rows) if rows else "No reader page in this run (BENCH_PAGES)."
        checks = "\n".join([
            "The targets, checked against this run's numbers"
            + (f" (BENCH_PAGES: only the {len(live)} pages above)" if os.environ.get("BENCH_PAGES") else "")
            + ":",
            "",
            *check_targets(live),
            "",
            *prepared_comparison(live),
            "",
            *([editor_table, ""] if editor_rows else []),
            "The editor target, checked against this run's numbers:",
            "",
            editor_check,
        ])
        summary = "\n".join([
            f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}, {stories:,} stories (seed {seed}), "
            f"{time.monotonic() - started:.0f} s in all.",
            "",
            f"- Machine: {box['cores']} cores ({box['cpu']}), {box['memory']}, {box['os']}, "
            f"Python {box['python']}; load average at start {box['load']} (the machine is shared).",
            f"- Database: {db.describe()}; CONN_MAX_AGE={conn_max_age}{', psycopg pool' if pool else ''}.",
            f"- Caches: {describe_caches(settings)}.",
            f"- In process: Django test client, {iterations} requests per mode after one warm-up. \"uncached\" is "
            "a page-cache miss: only the page cache is cleared before each request and every other cache stays "
            "warm, as right after an editor's write; \"cold\" clears every cache before each request, as the "
            "first render after a restart; \"served\" is the warm cache. Queries are counted on a cold render.",
            f"- HTTP: three gunicorns, {harness.GUNICORN_WORKERS} sync workers each, settings bench.settings "
            "(production: DEBUG off, WhiteNoise, no HTTPS redirect on loopback): \"cached\" as in production, "
            "\"uncached\" with BENCH_PAGE_CACHE=off (the page cache swapped for a DummyCache, everything else "
            "identical), and for topic and analyst pages the same with NEWSROOM_PREPARED_QUERIES=off; "
            f"{tool} per page and mode, every worker warmed on the page first. The static twin (a "
            "file with the page's exact bytes under STATIC_ROOT, served by the cached gunicorn), the cached and "
            f"the uncached page alternate in {rounds} rounds; req/s are the rounds' mean, p99 the worst round's, "
            "and each ratio is the median of the rounds' ratios to the twin measured just before. Search is "
            "never page-cached: its one HTTP number is under \"uncached\".",
            f"- Editor pages: in process, signed in as a user in the Editor group, {iterations} requests per page "
            "after one warm-up (at most 30 s a page), no cache cleared; queries counted on one request "
            "(bench/editor_pages.py).",
            f"- Corpus: {(db.generation or 'reused from the cache (generated in an earlier run)').rstrip('.')}.",
            "",
            table,
            "",
            checks,
        ])
        print(table)
        print()
        print(checks)
        update_doc(db.vendor, summary)
        log(f"Wrote the {db.vendor} results into {DOC.relative_to(BASE_DIR)}.")
    finally:
        from django.db import connections

        connections.close_all()
        db.drop()


if __name__ == "__main__":
    main()
