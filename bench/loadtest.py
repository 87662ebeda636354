"""`make loadtest`: readers hammer the site while an editor publishes, edits and unpublishes stories.

Readers (threads in this process) fetch home, topic, analyst and story pages over HTTP from gunicorn
(2 sync workers, production settings) for LOADTEST_SECONDS (60). A writer process works through the
ORM and the desk's own service functions: it files a story under a busy topic quoting the busiest
analyst, publishes it, edits its headline, and unpublishes it, again and again. Every headline
carries a unique marker; the writer reports the moment each change committed. Afterwards every
reader response that started after a story's unpublish committed and still showed its marker is
a leak. Requests, errors and leaks are reported; errors and leaks must be 0 (exit status 1 if not).

Environment: LOADTEST_SECONDS (60), LOADTEST_READERS (8), BENCH_STORIES (100000), BENCH_SEED (1),
DATABASE_URL (postgres:// runs on PostgreSQL in a database named newsroom_loadtest).
"""
import http.client
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402
from bench.harness import BASE_DIR, env_int, log  # noqa: E402

MARKER = re.compile(rb"LTM[0-9A-Z]{10}")
WRITER_PAUSE = (0.3, 0.8)  # seconds between an editor's actions


def new_marker():
    return "LTM" + "".join(secrets.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(10))


def writer(seconds, topic_slug, analyst_slug):
    """Publish, edit and unpublish marked stories until the time is up; print one JSON line per commit."""
    import django

    django.setup()

    from articles import services
    from articles.models import Analyst, Article, Commentary, Topic

    topic = Topic.objects.get(slug=topic_slug)
    analyst = Analyst.objects.get(slug=analyst_slug)
    rng = random.Random()
    deadline = time.monotonic() + seconds

    def emit(event, **data):
        print(json.dumps({"event": event, "t": time.time(), **data}), flush=True)

    while time.monotonic() < deadline:
        marker = new_marker()
        # The quote carries a marker of its own: it outlives the headline edit (a story page still
        # shows it, rightly), so it must count for the unpublish check only, never as a stale headline.
        quote_marker = new_marker()
        article = Article(
            headline=f"Load test {marker}: Freedonia files a fictional note",
            dek="A story the load test publishes, edits and takes down again.",
            body="<p>This fictional story exists for a few seconds during a load test.</p>",
            dateline="FREEDONIA CITY", credit="Load test desk",
        )
        article.save()
        article.topics.add(topic)
        Commentary.objects.create(article=article, analyst=analyst, text=f"Nothing to see here ({quote_marker})")
        services.articles_publish(articles=Article.objects.filter(pk=article.pk), user=None)
        emit("published", marker=marker, slug=article.slug)
        time.sleep(rng.uniform(*WRITER_PAUSE))

        edited = new_marker()
        article.refresh_from_db()
        article.headline = f"Load test {edited}: Freedonia revises a fictional note"
        article.version += 1
        article.save()
        emit("edited", marker=marker, new_marker=edited, slug=article.slug)
        time.sleep(rng.uniform(*WRITER_PAUSE))

        services.articles_unpublish(articles=Article.objects.filter(pk=article.pk), user=None)
        emit("unpublished", marker=edited, old_marker=marker, quote_marker=quote_marker, slug=article.slug)
        time.sleep(rng.uniform(*WRITER_PAUSE))


class Readers:
    def __init__(self, base, urls, seconds, count):
        self.base, self.urls, self.seconds, self.count = base, urls, seconds, count
        self.host, self.port = base.removeprefix("http://").split(":")
        self.lock = threading.Lock()
        self.latencies, self.errors, self.seen = [], [], []  # seen: (started, url, markers)
        self.writer_slugs = []  # stories the writer touched, so readers fetch them too

    def fetch(self, path):
        started = time.time()
        t0 = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(self.host, int(self.port), timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            conn.close()
        except OSError as error:
            with self.lock:
                self.errors.append(f"{path}: {error!r}")
            return
        elapsed = (time.perf_counter() - t0) * 1000
        expected = (200, 404) if path.startswith("/stories/") and self.is_writer_path(path) else (200,)
        with self.lock:
            self.latencies.append(elapsed)
            if response.status not in expected:
                self.errors.append(f"{path}: HTTP {response.status}")
            markers = set(MARKER.findall(body))
            if markers:
                self.seen.append((started, path, markers))

    def is_writer_path(self, path):
        return any(path == f"/stories/{slug}/" for slug in self.writer_slugs[-50:])

    def run(self):
        deadline = time.monotonic() + self.seconds

        def loop(n):
            rng = random.Random(n)
            while time.monotonic() < deadline:
                writer_stories = self.writer_slugs[-5:]
                if writer_stories and rng.random() < 0.25:
                    self.fetch(f"/stories/{rng.choice(writer_stories)}/")
                else:
                    self.fetch(rng.choice(self.urls))

        threads = [threading.Thread(target=loop, args=(n,)) for n in range(self.count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=self.seconds + 60)


def pick_urls():
    from django.db.models import Count

    from articles.models import Article, Commentary, Topic

    published = Article.objects.published()
    topics = list(
        Topic.objects.filter(tagged_articles__content_object__in=published)
        .annotate(n=Count("tagged_articles")).order_by("-n")[:5]
    )
    top = (
        Commentary.objects.filter(article__in=published).values("analyst__slug").annotate(n=Count("id"))
        .order_by("-n")[:3]
    )
    stories = published.order_by("-published_at", "-pk").values_list("slug", flat=True)[:20]
    urls = ["/"] * 4
    urls += [t.get_absolute_url() for t in topics] + [topics[0].get_absolute_url()] * 3
    urls += [f"/analysts/{a['analyst__slug']}/" for a in top] + [f"/analysts/{top[0]['analyst__slug']}/"] * 3
    urls += [f"/stories/{slug}/" for slug in stories]
    return urls, topics[0].slug, top[0]["analyst__slug"]


def main():
    seconds, readers = env_int("LOADTEST_SECONDS", 60), env_int("LOADTEST_READERS", 8)
    stories, seed = env_int("BENCH_STORIES", 100_000), env_int("BENCH_SEED", 1)
    db = harness.BenchDatabase(stories, seed, label="loadtest").prepare()
    writer_process = None
    try:
        db.manage("collectstatic", "--noinput", "-v0")
        env = db.env()
        os.environ.update(env)
        import django

        django.setup()
        urls, topic_slug, analyst_slug = pick_urls()
        events = []
        with harness.Gunicorn(env) as server:
            crowd = Readers(server.base, urls, seconds, readers)
            for url in set(urls):  # warm both workers
                crowd.fetch(url)
            crowd.latencies.clear()
            writer_process = subprocess.Popen(  # noqa: S603 (this file, fixed arguments)
                [sys.executable, "-m", "bench.loadtest", "--writer", str(seconds), topic_slug, analyst_slug],
                cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True,
            )

            def follow():
                for line in writer_process.stdout:
                    event = json.loads(line)
                    events.append(event)
                    if event["event"] == "published":
                        crowd.writer_slugs.append(event["slug"])

            follower = threading.Thread(target=follow, daemon=True)
            follower.start()
            log(f"{readers} readers for {seconds} s against {server.base}, one writer...")
            started = time.monotonic()
            crowd.run()
            elapsed = time.monotonic() - started
            writer_process.wait(timeout=60)
            follower.join(timeout=10)
        report(crowd, events, elapsed, db, readers, writer_process.returncode)
        if crowd.errors or leaks(crowd, events) or writer_process.returncode:
            sys.exit(1)
    finally:
        if writer_process and writer_process.poll() is None:
            writer_process.terminate()
            writer_process.wait(timeout=20)
        from django.db import connections

        connections.close_all()
        db.drop()


def leaks(crowd, events, kind="unpublished"):
    """Return reader responses that showed a marker after the writer's change to it had committed."""
    gone = {}
    for event in events:
        if event["event"] == kind:
            gone[event["marker"]] = event["t"]
            if kind == "unpublished":  # the pre-edit headline and the story's quote must be gone too
                gone[event["old_marker"]] = event["t"]
                gone[event["quote_marker"]] = event["t"]
    return [
        (started, path, marker)
        for started, path, markers in crowd.seen
        for marker in (m.decode() for m in markers)
        if marker in gone and started > gone[marker]
    ]


def report(crowd, events, elapsed, db, readers, writer_status):
    latencies = sorted(crowd.latencies)
    counts = {kind: sum(e["event"] == kind for e in events) for kind in ("published", "edited", "unpublished")}
    leaked, stale = leaks(crowd, events), leaks(crowd, events, kind="edited")
    lines = [
        f"Load test: {elapsed:.0f} s, {readers} readers, gunicorn {harness.GUNICORN_WORKERS} sync workers, "
        f"{db.describe()}, {db.stories:,}-story corpus",
        f"Requests: {len(latencies):,} ({len(latencies) / elapsed:,.1f}/s); errors: {len(crowd.errors)}",
        "Latency ms: " + ", ".join(
            f"p{p} {harness.percentile(latencies, p):.1f}" for p in (50, 90, 95, 99)
        ) + f", max {latencies[-1]:.1f}" if latencies else "Latency: no responses",
        f"Writer: {counts['published']} published, {counts['edited']} edited, {counts['unpublished']} unpublished"
        f" (exit status {writer_status})",
        f"Responses that showed an unpublished story after the unpublish committed: {len(leaked)}",
        f"Responses that showed a pre-edit headline after the edit committed: {len(stale)}",
    ]
    for error in crowd.errors[:10]:
        lines.append(f"  error: {error}")
    for started, path, marker in leaked[:10]:
        lines.append(f"  leak: {path} showed {marker} at {started:.3f}")
    for started, path, marker in stale[:10]:
        lines.append(f"  stale: {path} showed pre-edit headline {marker} at {started:.3f}")
    print("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--writer"]:
        writer(float(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        main()
