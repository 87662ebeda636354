"""What the benchmark and the load test share: a corpus database, a gunicorn on loopback, a load client.

The corpus is generated once per (stories, seed, generator version) and cached: a SQLite file under
BENCH_CACHE_DIR, or a PostgreSQL template database next to the work database. Each run works on a
fresh copy, so the load test's writes never leak into the next benchmark.
"""
import hashlib
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CACHE_DIR = Path(os.environ.get("BENCH_CACHE_DIR") or Path(tempfile.gettempdir()) / "newsroom-bench")
STATIC_ROOT = CACHE_DIR / "static"
TWIN_DIR = "bench-twins"  # static files the size of each page, under STATIC_ROOT
GUNICORN_WORKERS = 2


def env_int(name, default):
    return int(os.environ.get(name, default))


def generator_version():
    """Return a short hash of the generator, so a changed generator never reuses an old corpus.

    The analysts' and topics' kept counts (counts/) are part of what it generates, and the
    migrations make the tables it fills.
    """
    files = [BASE_DIR / "bench" / "corpus.py", *sorted((BASE_DIR / "counts").glob("*.py"))]
    files += sorted(BASE_DIR.glob("*/migrations/0*.py"))
    source = b"".join(path.read_bytes() for path in files)
    return hashlib.sha1(source, usedforsecurity=False).hexdigest()[:8]


def sample_story(published):
    """Return the story both benchmarks measure: a recent one with three quotes and a citation."""
    for candidate in published.order_by("-published_at", "-pk")[200:300]:
        if candidate.commentary.count() >= 3 and candidate.citations.exists():
            return candidate
    return published.order_by("-published_at", "-pk").first()


def log(message):
    print(message, file=sys.stderr, flush=True)


class BenchDatabase:
    """A fresh working database holding the cached corpus of `stories` stories from `seed`."""

    def __init__(self, stories, seed, *, label="bench"):
        self.stories, self.seed, self.label = stories, seed, label
        self.key = f"n{stories}_s{seed}_g{generator_version()}"
        self.generation = None  # "Took ... s; peak memory ... MB" when generated in this run
        server_url = os.environ.get("DATABASE_URL", "")
        self.vendor = "postgresql" if server_url.startswith(("postgres://", "postgresql://")) else "sqlite"
        if self.vendor == "postgresql":
            parts = urlsplit(server_url)
            # Never the database DATABASE_URL names: the bench drops and recreates its own.
            self.name = os.environ.get("BENCH_DB_NAME", f"newsroom_{label}")
            self.cache_name = f"newsroom_corpus_{self.key}"
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
            self.cache_url = urlunsplit(parts._replace(path=f"/{self.cache_name}"))
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
        else:
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            self.cache_file = CACHE_DIR / f"corpus-{self.key}.sqlite3"
            self.file = CACHE_DIR / f"{label}-{os.getpid()}.sqlite3"
            self.url = f"sqlite:///{self.file}"
            self.cache_url = f"sqlite:///{self.cache_file}.partial"

    def env(self, url=None):
        return bench_env(url or self.url)

    def manage(self, *args, url=None, capture=False):
        command = [PYTHON, "manage.py", *args]
        result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            command, cwd=BASE_DIR, env=self.env(url), check=True, text=True,
            stdout=subprocess.PIPE if capture else None,
        )
        return result.stdout

    def generate(self, url):
        log(f"Generating the {self.stories:,}-story corpus (seed {self.seed}); cached for later runs...")
        self.manage("migrate", "--noinput", "-v0", url=url)
        out = self.manage(
            "generate_corpus", "--stories", str(self.stories), "--seed", str(self.seed), url=url, capture=True,
        )
        sys.stderr.write(out)
        self.generation = next((line for line in out.splitlines() if line.startswith("Took")), None)

    def prepare(self):
        if self.vendor == "postgresql":
            self.prepare_postgresql()
        else:
            self.prepare_sqlite()
        # New migrations since the corpus was cached apply to the copy.
        self.manage("migrate", "--noinput", "-v0")
        return self

    def cache(self):
        """Generate the corpus into the cache unless it is there already; make no working copy."""
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as admin:
                self.cache_postgresql(admin)
        else:
            self.cache_sqlite()
        return self

    def cache_sqlite(self):
        if not self.cache_file.exists():
            partial = Path(f"{self.cache_file}.partial")
            partial.unlink(missing_ok=True)
            self.generate(self.cache_url)
            partial.rename(self.cache_file)

    def prepare_sqlite(self):
        self.cache_sqlite()
        shutil.copyfile(self.cache_file, self.file)
        # WAL lets readers go on while the load test's writer commits (a property of the file).
        with sqlite3.connect(self.file) as db:
            db.execute("PRAGMA journal_mode=WAL")

    def cache_postgresql(self, admin):
        cached = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.cache_name]).fetchone()
        if cached:
            return
        import psycopg

        admin.execute(f'DROP DATABASE IF EXISTS "{self.cache_name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{self.cache_name}"')
        try:
            self.generate(self.cache_url)
            with psycopg.connect(self.cache_url, autocommit=True) as cache:
                cache.execute("VACUUM ANALYZE")
        except BaseException:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.cache_name}" WITH (FORCE)')
            raise

    def prepare_postgresql(self):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            self.cache_postgresql(admin)
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.cache_name}"')

    def describe(self):
        """Return the server and version, e.g. 'SQLite 3.45.1' or 'PostgreSQL 15.6'."""
        if self.vendor == "sqlite":
            return f"SQLite {sqlite3.sqlite_version} (file in {CACHE_DIR}, WAL)"
        import psycopg

        with psycopg.connect(self.url) as db:
            version = db.execute("SHOW server_version").fetchone()[0]
        return f"PostgreSQL {version} (127.0.0.1)"

    def drop(self):
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.file}{suffix}").unlink(missing_ok=True)
        else:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def bench_env(database_url):
    """Return the environment of a production-like process on loopback against this database."""
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        # A throwaway key for this run only: never stored, never used outside the benchmark.
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "BENCH_STATIC_ROOT": str(STATIC_ROOT),
        "PYTHONPATH": str(BASE_DIR),
        # Production's page cache unless a caller asks otherwise; never inherited from the shell.
        "BENCH_PAGE_CACHE": "on",
    })
    env.setdefault("DJANGO_CONN_MAX_AGE", "600")
    return env


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn with 2 sync workers on a free loopback port, stopped (by its pid) on exit."""

    def __init__(self, env, *, workers=GUNICORN_WORKERS):
        self.env, self.workers = env, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log = CACHE_DIR / f"gunicorn-{self.port}.log"

    def __enter__(self):
        gunicorn = Path(PYTHON).with_name("gunicorn")
        command = [
            str(gunicorn), "newsroom.wsgi:application", "--workers", str(self.workers), "--worker-class", "sync",
            "--bind", f"127.0.0.1:{self.port}", "--error-logfile", str(self.log), "--timeout", "60",
        ]
        # Django's request log (a warning per 404) goes to the log file, not over the results.
        with open(self.log, "ab") as log_file:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=BASE_DIR, env=self.env, stdout=log_file, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2):  # noqa: S310 (loopback)
                    return self
            except urllib.error.HTTPError:
                return self  # it answers; the status is the page's business
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer on {self.base} within 60 s; see {self.log}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def fetch(url):
    """GET url once (loopback only) and return the status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback URL)
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_wrk(url, *, seconds, threads=2, connections=16):
    """Return {'rps', 'p50_ms', 'p99_ms', 'errors', 'tool'} for url, with wrk or a Python client."""
    wrk = shutil.which("wrk")
    if not wrk:
        return python_load(url, seconds=seconds, threads=connections)
    out = subprocess.run(  # noqa: S603 (fixed arguments, loopback URL)
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True, text=True, capture_output=True, timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {"rps": rps, "p50_ms": wrk_latency(out, "50%"), "p99_ms": wrk_latency(out, "99%"),
            "errors": errors, "tool": f"wrk -t{threads} -c{connections} -d{seconds}s"}


def wrk_latency(out, percentile):
    match = re.search(rf"^\s*{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def python_load(url, *, seconds, threads):
    """A bounded fallback when wrk is missing: `threads` clients in a loop for `seconds` seconds."""
    import http.client

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status < 400
            except OSError:
                ok = False
            with lock:
                if ok:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    errors[0] += 1

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=seconds + 15)
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
        "errors": errors[0], "tool": f"Python client, {threads} threads, {seconds}s (wrk not installed)",
    }


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def machine():
    """Describe this machine in one line: cores, memory, CPU, Python, load."""
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return {
        "cores": os.cpu_count(), "memory": memory, "cpu": cpu, "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}", "load": load,
    }
