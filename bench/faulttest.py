"""`make faulttest`: does the site keep serving and saving when Redis or PostgreSQL falters?

The load test proves the site is right when everything works; this proves what happens when a
dependency does not. It starts its own private PostgreSQL
(initdb in a temporary directory, on a free port) and Redis (on another free port, saving into the
temporary directory), migrates, generates a corpus, creates an editor, and starts two gunicorn
instances (production settings as served on loopback: bench.settings; 2 sync workers each; a
./gunicorn.conf.py in the project, if there is one, supplies the rest). Reader threads fetch public
pages on both servers, a probe fetches /healthz on both, and one editor works through the admin over
HTTP (logs in, loads the story form, edits headlines, publishes and unpublishes). Then, in turn:

  redis-down    Redis stopped for 20 s, then restarted;
  redis-stall   Redis stalled (SIGSTOP) for 10 s;
  snapshot      a Redis snapshot is taken, a story unpublished, Redis restored from the snapshot,
                and the story's address fetched on both servers for 30 s (the editor pauses, as
                on a quiet night: no other change refreshes the pages meanwhile);
  pg-restart    PostgreSQL restarted (pg_ctl restart -m fast);
  pg-hang       PostgreSQL hung (SIGSTOP to the postmaster and its backends) for 10 s;
  worker-kill   one gunicorn worker killed (SIGKILL).

Afterwards every editor action is checked in the database: nothing the editor was told was saved
may be missing, and no story may be half-changed. One table compares the figures with the
targets; the exit status is 1 if a target is not met. Every process started here is stopped and the
temporary directory removed on exit, Ctrl-C and SIGTERM included.

Environment: FAULTTEST_STORIES (2000), FAULTTEST_SECONDS (5: normal load observed before the faults
and after each one), FAULTTEST_READERS (6 reader threads), FAULTTEST_SEED (1), FAULTTEST_PHASES
(comma-separated names from the list above; default all), FAULTTEST_KEEP=1 (keep the temporary
directory and its logs). Needs PostgreSQL server binaries (/usr/lib/postgresql/*/bin) and
redis-server; when run as root, PostgreSQL runs as the `postgres` user (runuser).
"""
import contextlib
import glob
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REDIS_DOWN_SECONDS = 20
REDIS_STALL_SECONDS = 10
SNAPSHOT_WATCH_SECONDS = 30
PG_HANG_SECONDS = 10
PAGE_503_WITHIN = 5.0  # a hung database: public pages answer (503 at worst) within this
HEALTHZ_503_WITHIN = 2.0
RECOVERY_WITHIN = 1.0  # after PostgreSQL accepts connections again
CLIENT_TIMEOUT = 25.0
WRITER_PAUSE = (0.3, 0.7)
PROBES_IN_FLIGHT = 20  # per server
PHASES = ["redis-down", "redis-stall", "snapshot", "pg-restart", "pg-hang", "worker-kill"]


# Small helpers ---------------------------------------------------------------------------------

def log(message):
    print(f"[faulttest {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def env_int(name, default):
    return int(os.environ.get(name) or default)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, *, timeout, interval=0.1, what="a condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def child_pids(parent):
    """Return the pids whose parent is `parent` (from /proc)."""
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            children.append(int(entry))
    return children


def send_signal(pids, sig):
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def stop_process(process, *, timeout=15):
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGCONT)  # a stalled process cannot act on SIGTERM
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class Config:
    stories: int
    seconds: int
    readers: int
    seed: int
    phases: list
    keep: bool

    @classmethod
    def from_env(cls):
        phases = [p.strip() for p in os.environ.get("FAULTTEST_PHASES", ",".join(PHASES)).split(",") if p.strip()]
        unknown = set(phases) - set(PHASES)
        if unknown:
            raise SystemExit(f"FAULTTEST_PHASES: unknown {sorted(unknown)}; choose from {PHASES}")
        return cls(
            stories=env_int("FAULTTEST_STORIES", 2000), seconds=env_int("FAULTTEST_SECONDS", 5),
            readers=env_int("FAULTTEST_READERS", 6), seed=env_int("FAULTTEST_SEED", 1),
            phases=phases, keep=os.environ.get("FAULTTEST_KEEP", "") not in ("", "0"),
        )


# The private services ---------------------------------------------------------------------------

class Postgres:
    """A private PostgreSQL cluster in `root`, on a free loopback port, run as `postgres` when we are root."""

    def __init__(self, root):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
        if not bins:
            raise SystemExit("No PostgreSQL server found under /usr/lib/postgresql/*/bin.")
        self.bin = Path(bins[-1]).parent
        self.home = root / "postgresql"
        self.data = self.home / "data"
        self.log = self.home / "postgresql.log"
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.stopped_pids = []

    def url(self, database="postgres"):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, tool, *args, timeout=120):
        command = [*self.as_user, str(self.bin / tool), *args]
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout)  # noqa: S603

    def options(self):
        return f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1"

    def init(self):
        self.home.mkdir()
        if self.as_user:
            shutil.chown(self.home, "postgres", "postgres")
        self.run("initdb", "-D", str(self.data), "--auth=trust", "--username=postgres", "--encoding=UTF8",
                 "--no-sync")

    def start(self):
        self.run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.log), "-o", self.options())

    def restart(self):
        self.run("pg_ctl", "restart", "-w", "-m", "fast", "-D", str(self.data), "-l", str(self.log),
                 "-o", self.options())

    def stop(self):
        self.resume()
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self.run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data), timeout=30)

    def postmaster_pid(self):
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def hang(self):
        """SIGSTOP the postmaster first (so it starts nothing new), then every backend."""
        postmaster = self.postmaster_pid()
        send_signal([postmaster], signal.SIGSTOP)
        self.stopped_pids = [postmaster, *child_pids(postmaster)]
        send_signal(self.stopped_pids[1:], signal.SIGSTOP)

    def resume(self):
        send_signal(reversed(self.stopped_pids), signal.SIGCONT)
        self.stopped_pids = []

    def accepting(self):
        import psycopg

        try:
            with psycopg.connect(self.url(), connect_timeout=1) as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False

    def create_database(self, name):
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


class Redis:
    """A private redis-server on a free loopback port; it saves only when asked (BGSAVE) into `root`."""

    def __init__(self, root):
        self.dir = root / "redis"
        self.dir.mkdir()
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_connect_timeout=2, socket_timeout=5)

    def start(self):
        command = [
            shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--dir", str(self.dir), "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no",
            "--logfile", str(self.dir / "redis.log"), "--daemonize", "no",
        ]
        self.process = subprocess.Popen(command, start_new_session=True)  # noqa: S603
        wait_until(self.answers, timeout=15, what="Redis")

    def answers(self):
        try:
            with contextlib.closing(self.client()) as client:
                return client.ping()
        except Exception:  # noqa: BLE001 (any failure means: not yet)
            return False

    def stop(self):
        stop_process(self.process)
        self.process = None

    def stall(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        if self.process:
            os.kill(self.process.pid, signal.SIGCONT)

    def snapshot(self, destination):
        """BGSAVE, wait for it, and copy dump.rdb to `destination`."""
        with contextlib.closing(self.client()) as client:
            before = client.lastsave()
            client.bgsave()
            wait_until(lambda: client.lastsave() != before and
                       not client.info("persistence")["rdb_bgsave_in_progress"], timeout=30, what="BGSAVE")
            keys = client.dbsize()
        shutil.copyfile(self.dir / "dump.rdb", destination)
        return keys

    def restore(self, snapshot):
        """Stop Redis, put the snapshot back as its dump.rdb, start it: it loads the old data."""
        self.stop()
        shutil.copyfile(snapshot, self.dir / "dump.rdb")
        self.start()


class AppServer:
    """gunicorn with 2 sync workers on a free loopback port."""

    def __init__(self, name, env, logs):
        self.name, self.env = name, env
        self.port = free_port()
        self.log = logs / f"gunicorn-{name}.log"
        self.process = None

    def start(self):
        command = [
            str(Path(PYTHON).with_name("gunicorn")), "newsroom.wsgi:application", "--workers", "2",
            "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}", "--error-logfile", str(self.log),
        ]
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        wait_until(self.answers, timeout=60, interval=0.3, what=f"gunicorn {self.name} (see {self.log})")

    def answers(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn {self.name} exited with {self.process.returncode}; see {self.log}")
        try:
            request(self.port, "GET", "/healthz", timeout=5)
            return True
        except (OSError, http.client.HTTPException):
            return False

    def worker_pids(self):
        return sorted(child_pids(self.process.pid))

    def kill_worker(self):
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self):
        stop_process(self.process, timeout=30)


# HTTP ---------------------------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def request(port, method, path, *, body=None, headers=None, timeout=CLIENT_TIMEOUT):
    """One HTTP request on a new connection; raises OSError/HTTPException when no answer came."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


class FormReader(HTMLParser):
    """The fields a browser would submit from the form with this id (no submit buttons)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = self.option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside or "disabled" in attrs:
            return
        elif tag == "input":
            self.add_input(attrs)
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = (attrs["name"], [])
        elif tag == "select" and attrs.get("name"):
            self.select = (attrs["name"], "multiple" in attrs, [])
        elif tag == "option" and self.select:
            self.close_option()
            self.option = (attrs, [])

    def add_input(self, attrs):
        kind, name = attrs.get("type", "text").lower(), attrs.get("name")
        if not name or kind in {"submit", "button", "image", "reset", "file"}:
            return
        if kind in {"checkbox", "radio"} and "checked" not in attrs:
            return
        self.fields.append((name, attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")))

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1].append(data)
        elif self.option:
            self.option[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            name, chunks = self.textarea
            self.fields.append((name, "".join(chunks).removeprefix("\n")))  # HTML drops the first newline
            self.textarea = None
        elif tag == "option":
            self.close_option()
        elif tag == "select" and self.select:
            self.close_option()
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            self.fields.extend((name, value) for value in chosen)
            self.select = None

    def close_option(self):
        if self.option and self.select:
            attrs, chunks = self.option
            self.select[2].append((attrs.get("value", "".join(chunks).strip()), "selected" in attrs))
        self.option = None


def form_fields(html, form_id):
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.fields


def admin_messages(html):
    """Return [(level, text)] of the admin's message list."""
    return [(level, re.sub(r"<[^>]+>", "", text).strip())
            for level, text in re.findall(r'<li class="(success|error|warning|info)">(.*?)</li>', html, re.S)]


class Editor:
    """An editor in a browser: a session cookie, CSRF tokens from the pages, forms posted whole."""

    def __init__(self, username, password):
        self.username, self.password = username, password
        self.admin_prefix = None  # the stories' list in the admin, e.g. /admin/articles/article/
        self.cookies = {}

    def send(self, port, method, path, fields=None):
        headers = {"Host": f"127.0.0.1:{port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        reply = request(port, method, path, body=body, headers=headers)
        for header in reply.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return reply

    def login(self, port):
        page = self.send(port, "GET", "/admin/login/?next=/admin/")
        fields = dict(form_fields(page.text, "login-form"))
        fields.update(username=self.username, password=self.password, next="/admin/")
        reply = self.send(port, "POST", "/admin/login/?next=/admin/", fields)
        if reply.status != 302:
            raise RuntimeError(f"editor login failed: HTTP {reply.status}")
        index = self.send(port, "GET", "/admin/").text
        lists = re.findall(r'href="(/admin/[a-z_]+/article/)"', index)
        if not lists:
            raise RuntimeError("the admin's index links to no list of stories (…/article/)")
        self.admin_prefix = lists[0]

    def change_path(self, story_id):
        return f"{self.admin_prefix}{story_id}/change/"

    def open_story(self, port, story_id):
        """GET the story's change page; return its HTML."""
        page = self.send(port, "GET", self.change_path(story_id))
        if page.status != 200:
            raise EditorError(f"story page: HTTP {page.status}")
        return page.text

    def edit_headline(self, port, story_id, html, headline):
        """Change the headline in the story form and save it whole; return what the editor was told."""
        fields = [(k, v) for k, v in form_fields(html, "article_form") if k != "headline"]
        fields += [("headline", headline), ("_save", "Save")]
        reply = self.send(port, "POST", self.change_path(story_id), fields)
        if reply.status != 302:
            errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', reply.text, re.S)
            raise EditorError(f"save: HTTP {reply.status} {re.sub(r'<[^>]+>', ' ', ' '.join(errors))[:120]}")
        self.follow(port, reply, "save")
        return "saved"

    def follow(self, port, reply, what):
        """Follow the redirect after a POST, as a browser does; return the messages the page shows."""
        page = self.send(port, "GET", urlsplit(reply.headers["Location"]).path)
        if page.status != 200:
            raise EditorError(f"{what}: HTTP 302, then the next page answered {page.status}")
        return admin_messages(page.text)

    def transition(self, port, story_id, html, move):
        """Press the workflow button (publish/unpublish) on the story page; return the message shown."""
        fields = dict(form_fields(html, "article_form"))
        posted = {"csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
                  "version": fields.get("loaded_version", "")}
        reply = self.send(port, "POST", f"{self.admin_prefix}{story_id}/transition/{move}/", posted)
        if reply.status != 302:
            raise EditorError(f"{move}: HTTP {reply.status}")
        told = self.follow(port, reply, move)
        # The page may also show messages left over from an earlier request that failed; this move's
        # is the success message it announces, and no error may follow it.
        done = [n for n, (level, text) in enumerate(told) if level == "success" and text.startswith(MOVE_DONE[move])]
        if not done or any(level == "error" for level, _ in told[done[-1]:]):
            raise EditorError(f"{move}: {[text[:80] for _, text in told] or 'no message'}")
        return told[done[-1]][1]


def offered_move(html):
    """The status move the story page offers: unpublish a live story, publish one that is not."""
    offered = re.findall(r'name="_transition" value="([a-z_]+)"', html)
    for move in ("unpublish", "publish"):
        if move in offered:
            return move
    raise EditorError(f"the story page offers neither publish nor unpublish ({offered})")


MOVE_DONE = {"publish": ("Published", "Scheduled"), "unpublish": ("Unpublished",)}  # the admin's messages


class EditorError(Exception):
    """The editor was not told that the change was saved."""


# Load ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sample:
    kind: str  # "page" (public pages) or "healthz"
    server: int
    path: str
    start: float
    end: float
    status: int | None  # None: no answer (connection error or timeout)
    error: str = ""

    @property
    def latency(self):
        return self.end - self.start


@dataclass
class WriteAction:
    kind: str  # edit, publish, unpublish
    story_id: int
    server: int
    start: float
    end: float = 0.0
    ok: bool = False
    detail: str = ""
    headline: str = ""


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples, self.actions = [], []

    def add(self, sample):
        with self.lock:
            self.samples.append(sample)

    def add_action(self, action):
        with self.lock:
            self.actions.append(action)

    def samples_between(self, t0, t1, kind="page"):
        with self.lock:
            return [s for s in self.samples if s.kind == kind and t0 <= s.start < t1]

    def actions_between(self, t0, t1):
        with self.lock:
            return [a for a in self.actions if t0 <= a.start < t1]


def timed_get(recorder, kind, server, port, path):
    start = time.time()
    try:
        reply = request(port, "GET", path, headers={"Host": f"127.0.0.1:{port}"})
        recorder.add(Sample(kind, server, path, start, time.time(), reply.status))
        return reply
    except (OSError, http.client.HTTPException) as error:
        recorder.add(Sample(kind, server, path, start, time.time(), None, type(error).__name__))
        return None


class Load:
    """Reader threads, a /healthz probe and the editor, all running until stop()."""

    def __init__(self, ports, paths, recorder, editor, writer_stories, readers):
        self.ports, self.paths, self.recorder = ports, paths, recorder
        self.editor, self.writer_stories, self.readers = editor, writer_stories, readers
        self.stopping, self.writing, self.busy = threading.Event(), threading.Event(), threading.Lock()
        self.writing.set()
        self.in_flight = [threading.BoundedSemaphore(PROBES_IN_FLIGHT) for _ in ports]
        self.threads = []

    def start(self):
        targets = [(self.read, n) for n in range(self.readers)] + [(self.probe, 0), (self.write, 0)]
        for target, n in targets:
            thread = threading.Thread(target=target, args=(n,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self):
        self.stopping.set()
        deadline = time.monotonic() + CLIENT_TIMEOUT + 5
        for thread in self.threads:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))

    def read(self, n):
        rng = random.Random(n)
        while not self.stopping.is_set():
            server = rng.randrange(len(self.ports))
            timed_get(self.recorder, "page", server, self.ports[server], rng.choice(self.paths))

    def probe(self, _):
        """/healthz on each server every 0.25 s, each on its own thread: one slow answer hides no others."""
        while not self.stopping.is_set():
            for server, port in enumerate(self.ports):
                if self.in_flight[server].acquire(blocking=False):
                    threading.Thread(target=self.probe_once, args=(server, port), daemon=True).start()
            self.stopping.wait(0.25)

    def probe_once(self, server, port):
        try:
            timed_get(self.recorder, "healthz", server, port, "/healthz")
        finally:
            self.in_flight[server].release()

    def write(self, _):
        """Each story in turn: edit its headline, then unpublish or publish it (as offered), twice."""
        rng = random.Random()
        cycle = ["edit", "toggle", "toggle"]
        turn = 0
        while not self.stopping.is_set():
            with self.busy:
                if self.writing.is_set():
                    story_id = self.writer_stories[turn % len(self.writer_stories)]
                    kind = cycle[(turn // len(self.writer_stories)) % len(cycle)]
                    self.recorder.add_action(perform(self.editor, kind, story_id, turn % len(self.ports), self.ports))
                    turn += 1
            self.stopping.wait(rng.uniform(*WRITER_PAUSE))

    def pause_writer(self):
        """Stop the editor after the action under way (if any) has finished."""
        self.writing.clear()
        with self.busy:
            pass

    def resume_writer(self):
        self.writing.set()


def perform(editor, kind, story_id, server, ports):
    """Do one editor action through the admin (edit, unpublish, or toggle: the move the page offers)."""
    action = WriteAction(kind, story_id, server, time.time())
    try:
        html = editor.open_story(ports[server], story_id)
        if kind == "edit":
            action.headline = f"Fault test FT{secrets.token_hex(5).upper()}: Freedonia issues a fictional note"
            action.detail = editor.edit_headline(ports[server], story_id, html, action.headline)
        else:
            action.kind = offered_move(html) if kind == "toggle" else kind
            action.detail = editor.transition(ports[server], story_id, html, action.kind)
        action.ok = True
    except EditorError as error:
        action.detail = str(error)
    except (OSError, http.client.HTTPException) as error:
        action.detail = f"no answer: {type(error).__name__}"
    action.end = time.time()
    return action


# Phase figures -------------------------------------------------------------------------------------

@dataclass
class Traffic:
    """Public page requests, and the editor's saves, that started in one window."""

    samples: list
    actions: list

    @property
    def requests(self):
        return len(self.samples)

    @property
    def server_errors(self):
        return sum(1 for s in self.samples if s.status is not None and s.status >= 500)

    @property
    def other_failures(self):
        return sum(1 for s in self.samples if s.status is None or 400 <= s.status < 500)

    @property
    def max_latency(self):
        return max((s.latency for s in self.samples), default=0.0)

    @property
    def failed_saves(self):
        return sum(1 for a in self.actions if not a.ok)

    def statuses(self):
        return status_counts(self.samples)


def status_counts(samples):
    counts = Counter(str(s.status) if s.status is not None else (s.error or "no answer") for s in samples)
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))


@dataclass
class PhaseResult:
    name: str
    traffic: Traffic
    key_figure: str
    target: str
    checks: list = field(default_factory=list)  # [(description, met)]
    details: list = field(default_factory=list)

    @property
    def met(self):
        return all(ok for _, ok in self.checks) if self.checks else None


def traffic(recorder, t0, t1):
    return Traffic(recorder.samples_between(t0, t1), recorder.actions_between(t0, t1))


def healthz_between(recorder, t0, t1):
    return recorder.samples_between(t0, t1, kind="healthz")


# Phases ------------------------------------------------------------------------------------------

@dataclass
class Context:
    config: Config
    root: Path
    postgres: Postgres
    redis: Redis
    servers: list
    recorder: Recorder
    desk: Editor  # the same editor in a second browser (its own session), for the phases' own changes
    load: "Load"
    snapshot_story: tuple  # (id, path)

    @property
    def ports(self):
        return [s.port for s in self.servers]

    def settle(self):
        time.sleep(self.config.seconds)


def phase_baseline(ctx):
    t0 = time.time()
    ctx.settle()
    seen = traffic(ctx.recorder, t0, time.time())
    return PhaseResult(f"Normal load {ctx.config.seconds} s", seen, f"{seen.requests / ctx.config.seconds:.0f} req/s",
                       "(reference)", details=[f"statuses: {seen.statuses()}"])


def redis_target(seen):
    return [("0 5xx on public pages", seen.server_errors == 0), ("0 failed editor saves", seen.failed_saves == 0)]


def phase_redis_down(ctx):
    t0 = time.time()
    ctx.redis.stop()
    time.sleep(REDIS_DOWN_SECONDS)
    ctx.redis.start()
    ctx.settle()
    seen = traffic(ctx.recorder, t0, time.time())
    return PhaseResult(
        f"Redis down {REDIS_DOWN_SECONDS} s", seen, f"{seen.server_errors}/{seen.requests} 5xx",
        "0 5xx, 0 failed saves", redis_target(seen), details=failure_details(seen),
    )


def phase_redis_stall(ctx):
    t0 = time.time()
    ctx.redis.stall()
    try:
        time.sleep(REDIS_STALL_SECONDS)
    finally:
        ctx.redis.resume()
    ctx.settle()
    seen = traffic(ctx.recorder, t0, time.time())
    return PhaseResult(
        f"Redis stalled {REDIS_STALL_SECONDS} s", seen, f"{seen.server_errors}/{seen.requests} 5xx",
        "0 5xx, 0 failed saves", redis_target(seen), details=failure_details(seen),
    )


def story_statuses(ctx, path):
    statuses = []
    for port in ctx.ports:
        try:
            statuses.append(request(port, "GET", path, headers={"Host": f"127.0.0.1:{port}"}).status)
        except (OSError, http.client.HTTPException):
            statuses.append(None)
    return statuses


def phase_old_snapshot(ctx):
    story_id, path = ctx.snapshot_story
    for _ in range(2):  # the page is in the cache on both servers before the snapshot
        story_statuses(ctx, path)
    t0 = time.time()
    ctx.load.pause_writer()  # a quiet desk: no other change refreshes the pages while we watch
    try:
        keys = ctx.redis.snapshot(ctx.root / "before-unpublish.rdb")
        action = perform(ctx.desk, "unpublish", story_id, 0, ctx.ports)
        ctx.recorder.add_action(action)
        right_after = story_statuses(ctx, path)
        ctx.redis.restore(ctx.root / "before-unpublish.rdb")
        served, probes = watch_story(ctx, path)
    finally:
        ctx.load.resume_writer()
    seen = traffic(ctx.recorder, t0, time.time())
    checks = [("unpublish saved", action.ok), ("0 unpublished stories served", served == 0)]
    return PhaseResult(
        "Old Redis snapshot", seen, f"{served}/{probes} 200s for unpublished story", "0 served", checks,
        details=[
            f"snapshot: {keys} keys; unpublish {path}: {'saved' if action.ok else action.detail}",
            f"right after the unpublish (before restore): {right_after}",
            f"after restoring the snapshot, {SNAPSHOT_WATCH_SECONDS} s on both servers: {served} of {probes} "
            f"answers were 200",
        ] + failure_details(seen),
    )


def watch_story(ctx, path):
    served = probes = 0
    deadline = time.monotonic() + SNAPSHOT_WATCH_SECONDS
    while time.monotonic() < deadline:
        statuses = story_statuses(ctx, path)
        probes += len(statuses)
        served += statuses.count(200)
        time.sleep(0.5)
    return served, probes


class AcceptProbe:
    """Connects to PostgreSQL every 50 ms; finds when it stopped and started accepting connections."""

    def __init__(self, postgres):
        self.postgres, self.results = postgres, []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stopping.is_set():
            self.results.append((time.time(), self.postgres.accepting()))
            self.stopping.wait(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=10)

    def down_and_up(self):
        down = next((t for t, ok in self.results if not ok), None)
        up = next((t for t, ok in self.results if ok and down is not None and t > down), None)
        return down, up


def phase_pg_restart(ctx):
    t0 = time.time()
    with AcceptProbe(ctx.postgres) as probe:
        ctx.postgres.restart()
        ctx.settle()
    t1 = time.time()
    seen = traffic(ctx.recorder, t0, t1)
    down, up = probe.down_and_up()
    if down is None or up is None:
        return PhaseResult("PostgreSQL restart", seen, "restart not observed", "-", [("restart observed", False)])
    late = [s for s in seen.samples if s.start >= up and (s.status is None or s.status >= 500)]
    late_saves = [a for a in seen.actions if a.start >= up and not a.ok]
    recovery = recovery_time(ctx.recorder, seen, up, t1)
    checks = [("errors only while down", not late and not late_saves),
              (f"recovery within {RECOVERY_WITHIN:.0f} s", recovery <= RECOVERY_WITHIN)]
    return PhaseResult(
        "PostgreSQL restart", seen, f"down {up - down:.1f} s, recovery {recovery:.2f} s",
        "errors only while down, recovery <= 1 s", checks,
        details=[f"not accepting connections for {up - down:.2f} s; started after it accepted again: "
                 f"{len(late)} failed public requests ({status_counts(late)}), {len(late_saves)} failed saves"]
        + failure_details(seen),
    )


def recovery_time(recorder, seen, up, t1):
    """Seconds from `up` until every server answers /healthz 200 and no public request fails any more."""
    healthz = healthz_between(recorder, up, t1)
    first_good = [min((s.end for s in healthz if s.server == n and s.status == 200), default=t1)
                  for n in {s.server for s in healthz} or {0}]
    last_bad = [s.end for s in seen.samples if s.start >= up and (s.status is None or s.status >= 500)]
    return max([*first_good, *last_bad]) - up


def phase_pg_hang(ctx):
    t0 = time.time()
    ctx.postgres.hang()
    try:
        time.sleep(PG_HANG_SECONDS)
    finally:
        ctx.postgres.resume()
    resumed = time.time()
    ctx.settle()
    seen = traffic(ctx.recorder, t0, time.time())
    during = [s for s in seen.samples if s.start < resumed]
    health = healthz_between(ctx.recorder, t0, resumed)
    slow_pages = [s for s in during if not answered_in_time(s, PAGE_503_WITHIN, resumed)]
    slow_health = [s for s in health if not answered_in_time(s, HEALTHZ_503_WITHIN, resumed)]
    max_page = max((s.latency for s in during), default=0)
    max_health = max((s.latency for s in health), default=0)
    checks = [(f"pages: 200 or 503 within {PAGE_503_WITHIN:.0f} s", not slow_pages),
              (f"/healthz 503 within {HEALTHZ_503_WITHIN:.0f} s", not slow_health)]
    return PhaseResult(
        f"PostgreSQL hung {PG_HANG_SECONDS} s", seen, f"pages max {max_page:.1f} s, healthz max {max_health:.1f} s",
        "503 <= 5 s, healthz 503 <= 2 s", checks,
        details=[
            f"public requests started during the hang: {len(during)} ({status_counts(during)}); "
            f"{len(slow_pages)} not answered 200/503 within {PAGE_503_WITHIN:.0f} s",
            f"/healthz started during the hang: {len(health)} ({status_counts(health)}); "
            f"{len(slow_health)} not answered 503 within {HEALTHZ_503_WITHIN:.0f} s",
        ] + failure_details(seen),
    )


def answered_in_time(sample, limit, resumed):
    """A good answer to a request made while the database hung: fast, and 503 unless it ended after the resume."""
    if sample.status is None or sample.latency > limit:
        return False
    if sample.kind == "healthz":
        return sample.status == 503 or (sample.status == 200 and sample.end >= resumed)
    return sample.status in (200, 503)


def phase_worker_kill(ctx):
    t0 = time.time()
    time.sleep(1)
    server = ctx.servers[0]
    before = server.worker_pids()
    killed = server.kill_worker()
    ctx.settle()
    t1 = time.time()
    seen = traffic(ctx.recorder, t0, t1)
    everything = seen.samples + healthz_between(ctx.recorder, t0, t1)
    dropped = [s.error for s in everything if s.status is None]
    dropped += [a.detail for a in seen.actions if a.detail.startswith("no answer")]  # the editor's requests
    after = server.worker_pids()
    return PhaseResult(
        "Worker killed", seen, f"{len(dropped)} dropped connections", "<= 1 dropped",
        [("at most one dropped connection", len(dropped) <= 1)],
        details=[f"killed worker {killed} of {before}; workers afterwards {after}; dropped: "
                 f"{', '.join(dropped) or 'none'}"] + failure_details(seen),
    )


def failure_details(seen):
    lines = []
    failed = [s for s in seen.samples if s.status is None or s.status >= 400]
    if failed:
        lines.append(f"public page failures: {status_counts(failed)}")
    refused = [a for a in seen.actions if not a.ok]
    if refused:
        lines.append(f"editor saves failed: {len(refused)} of {len(seen.actions)}, e.g. "
                     + "; ".join(f"{a.kind}: {a.detail}" for a in refused[:3]))
    return lines


PHASE_RUNNERS = {
    "redis-down": phase_redis_down, "redis-stall": phase_redis_stall, "snapshot": phase_old_snapshot,
    "pg-restart": phase_pg_restart, "pg-hang": phase_pg_hang, "worker-kill": phase_worker_kill,
}


# Write verification ----------------------------------------------------------------------------

@dataclass
class WriteCheck:
    attempts: int
    told_saved: int
    lost: list
    half_applied: list
    saved_but_reported_failed: int

    @property
    def ok(self):
        return not self.lost and not self.half_applied


def model_tables(conn, *models):
    """Return {model: table}: <app>_<model> for the app the content types name, else any *_<model> table.

    Models may move between apps; a moved model may keep its old table.
    """
    apps = dict(conn.execute("SELECT model, app_label FROM django_content_type WHERE model = ANY(%s)", [list(models)]))
    tables = {name for (name,) in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
    found = {}
    for model in models:
        candidates = [f"{apps.get(model)}_{model}", *sorted(t for t in tables if t.endswith(f"_{model}"))]
        found[model] = next((t for t in candidates if t in tables), None)
        if found[model] is None:
            raise RuntimeError(f"no table found for the model {model!r}")
    return found


def verify_writes(database_url, actions, since):
    """Compare every editor action with the database: told saved means there; every story whole."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        tables = model_tables(conn, "article", "historicalarticle", "transition")
        applied = {id(a): action_applied(conn, tables, a) for a in actions}
        stories = sorted({a.story_id for a in actions})
        half = [problem for story_id in stories for problem in story_problems(conn, tables, story_id, actions, since)]
    lost = [f"{a.kind} of story {a.story_id} at {time.strftime('%H:%M:%S', time.localtime(a.start))}"
            for a in actions if a.ok and not applied[id(a)]]
    return WriteCheck(
        attempts=len(actions), told_saved=sum(a.ok for a in actions), lost=lost, half_applied=half,
        saved_but_reported_failed=sum(1 for a in actions if not a.ok and applied[id(a)]),
    )


def action_applied(conn, tables, action):
    if action.kind == "edit":
        row = conn.execute(f"SELECT 1 FROM {tables['historicalarticle']} WHERE id = %s AND headline = %s",  # noqa: S608
                           [action.story_id, action.headline]).fetchone()
    else:  # "toggle": the page never said which move it offered
        statuses = {"unpublish": ["archived"], "publish": ["published"]}.get(action.kind, ["archived", "published"])
        row = conn.execute(
            f"SELECT 1 FROM {tables['transition']} WHERE article_id = %s AND to_status = ANY(%s) "  # noqa: S608
            "AND at BETWEEN to_timestamp(%s) AND to_timestamp(%s)",
            [action.story_id, statuses, action.start - 1, (action.end or time.time()) + 1],
        ).fetchone()
    return row is not None


def story_problems(conn, tables, story_id, actions, since):
    """A story is whole when its row, its last history record and its last status change agree."""
    article, history, transition = tables["article"], tables["historicalarticle"], tables["transition"]
    headline, status, published_at = conn.execute(
        f"SELECT headline, status, published_at FROM {article} WHERE id = %s", [story_id]).fetchone()  # noqa: S608
    last = conn.execute(f"SELECT headline, status FROM {history} WHERE id = %s "  # noqa: S608
                        "ORDER BY history_date DESC, history_id DESC LIMIT 1", [story_id]).fetchone()
    moved = conn.execute(f"SELECT to_status FROM {transition} WHERE article_id = %s AND at >= to_timestamp(%s) "  # noqa: S608
                         "ORDER BY at DESC, id DESC LIMIT 1", [story_id, since]).fetchone()
    edits = [a.headline for a in actions if a.story_id == story_id and a.kind == "edit"]
    problems = []
    if last is None or last != (headline, status):
        problems.append(f"story {story_id}: row ({headline!r}, {status}) differs from its last history {last}")
    if moved and moved[0] != status:
        problems.append(f"story {story_id}: status {status} but its last status change went to {moved[0]}")
    if status == "published" and published_at is None:
        problems.append(f"story {story_id}: published without a publication time")
    if edits and headline not in edits and not headline_predates(conn, history, story_id, since):
        problems.append(f"story {story_id}: headline {headline!r} is none the editor wrote")
    return problems


def headline_predates(conn, history, story_id, since):
    """True when no headline change of this story was recorded during the run."""
    row = conn.execute(f"SELECT count(DISTINCT headline) FROM {history} WHERE id = %s "  # noqa: S608
                       "AND history_date >= to_timestamp(%s)", [story_id, since]).fetchone()
    return row[0] <= 1


# Setup -----------------------------------------------------------------------------------------

def app_env(postgres_url, redis_url, static_root):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BENCH_", "NEWSROOM_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings",  # production's settings, over plain HTTP on loopback
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # this run's only
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BENCH_STATIC_ROOT": str(static_root),
        "BENCH_PAGE_CACHE": "on",
        "PYTHONPATH": str(BASE_DIR),
    })
    return env


def manage(env, *args):
    result = subprocess.run(  # noqa: S603 (our manage.py, fixed arguments)
        [PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=900,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare_database(env, config):
    log("migrate...")
    manage(env, "migrate", "--noinput", "-v0")
    log(f"generate_corpus --stories {config.stories}...")
    manage(env, "generate_corpus", "--stories", str(config.stories), "--seed", str(config.seed))
    out = manage(env, "create_editor", "faulttest", "--name", "Fault Test Editor", "--role", "editor")
    password = re.search(r"Password[^:]*:\s*(\S+)", out).group(1)
    log("collectstatic...")
    manage(env, "collectstatic", "--noinput", "-v0")
    return password


def links(html, prefix):
    found = re.findall(rf'href="({re.escape(prefix)}[^"/?#]+/)"', html)
    return list(dict.fromkeys(quote(path, safe="/%") for path in found))


def discover_site(port):
    """Public addresses to read, from the pages themselves: stories, topics, analysts and their feeds."""
    def page(path):
        reply = request(port, "GET", path, headers={"Host": f"127.0.0.1:{port}"})
        if reply.status != 200:
            raise RuntimeError(f"{path} answered {reply.status} before any fault")
        return reply.text

    home, topic_list, analyst_list = page("/"), page("/topics/"), page("/analysts/")
    topics, analysts = links(topic_list, "/topics/")[:5], links(analyst_list, "/analysts/")[:5]
    stories = links(home, "/stories/")
    for topic in topics:
        stories += [s for s in links(page(topic), "/stories/") if s not in stories]
    if len(stories) < 10 or not topics or not analysts:
        raise RuntimeError(f"too few public pages found: {len(stories)} stories, {len(topics)} topics")
    return stories, topics, analysts


def reader_paths(stories, topics, analysts):
    return (["/"] * 4 + stories + topics * 2 + analysts * 2 + ["/topics/", "/analysts/", "/feeds/rss/",
            "/feeds/atom/", f"{topics[0]}rss/", f"{topics[0]}atom/", f"{analysts[0]}rss/", f"{analysts[0]}atom/"])


def story_ids(database_url, paths):
    """Map story addresses to ids (the admin addresses them by id)."""
    from urllib.parse import unquote

    import psycopg

    slugs = [unquote(p.removeprefix("/stories/").rstrip("/")) for p in paths]
    with psycopg.connect(database_url) as conn:
        table = model_tables(conn, "article")["article"]
        rows = dict(conn.execute(f"SELECT slug, id FROM {table} WHERE slug = ANY(%s)", [slugs]))  # noqa: S608
    return [rows[s] for s in slugs]


# Report --------------------------------------------------------------------------------------------

def print_report(results, writes, config, elapsed):
    header = ["Phase", "Requests", "5xx", "Other fail", "Max lat s", "Saves fail/try", "Key figure", "Target", "Met"]
    rows = [header]
    for r in results:
        t = r.traffic
        rows.append([r.name, str(t.requests), str(t.server_errors), str(t.other_failures), f"{t.max_latency:.2f}",
                     f"{t.failed_saves}/{len(t.actions)}", r.key_figure, r.target, verdict(r.met)])
    rows.append(["Writes (whole run)", "", "", "", "", f"{writes.attempts - writes.told_saved}/{writes.attempts}",
                 f"{len(writes.lost)} lost, {len(writes.half_applied)} half-applied", "0 lost, 0 half",
                 verdict(writes.ok)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print(f"\nFault test: {config.stories:,} stories, {config.readers} readers, 2 gunicorn x 2 sync workers, "
          f"{elapsed:.0f} s in all")
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for r in results:
        for description, ok in r.checks:
            print(f"{r.name}: {description}: {verdict(ok)}")
        for line in r.details:
            print(f"  {line}")
    print(f"Writes: {writes.told_saved} of {writes.attempts} reported saved; {writes.saved_but_reported_failed} "
          "saved although the editor was told otherwise")
    for line in (writes.lost + writes.half_applied)[:10]:
        print(f"  {line}")


def verdict(met):
    return "-" if met is None else "met" if met else "NOT met"


# Main ------------------------------------------------------------------------------------------

def raise_on_sigterm():
    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)


def start_services(stack, config, root):
    postgres = Postgres(root)
    stack.callback(postgres.stop)
    postgres.init()
    postgres.start()
    postgres.create_database("newsroom")
    redis = Redis(root)
    stack.callback(redis.stop)
    redis.start()
    log(f"PostgreSQL on port {postgres.port}, Redis on port {redis.port}, in {root}")
    return postgres, redis


def start_servers(stack, env, logs):
    servers = []
    for name in ("a", "b"):
        server = AppServer(name, env, logs)
        stack.callback(server.stop)
        server.start()
        servers.append(server)
    log(f"gunicorn on ports {[s.port for s in servers]}")
    return servers


def run(config, stack, root):
    postgres, redis = start_services(stack, config, root)
    (root / "logs").mkdir()
    database_url = postgres.url("newsroom")
    env = app_env(database_url, redis.url, root / "static")
    password = prepare_database(env, config)
    servers = start_servers(stack, env, root / "logs")
    stories, topics, analysts = discover_site(servers[0].port)
    ids = story_ids(database_url, stories[:4])
    editor, desk = Editor("faulttest", password), Editor("faulttest", password)
    editor.login(servers[0].port)
    desk.login(servers[1].port)
    recorder = Recorder()
    since = time.time()
    load = Load([s.port for s in servers], reader_paths(stories[4:24], topics, analysts), recorder, editor,
                ids[1:4], config.readers)
    load.start()
    stack.callback(load.stop)
    ctx = Context(config, root, postgres, redis, servers, recorder, desk, load, (ids[0], stories[0]))
    results = [phase_baseline(ctx)]
    for name in config.phases:
        log(f"phase {name}...")
        results.append(PHASE_RUNNERS[name](ctx))
    load.stop()
    writes = verify_writes(database_url, recorder.actions, since)
    return results, writes


def main():
    config = Config.from_env()
    raise_on_sigterm()
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="newsroom-faulttest-"))
    root.chmod(0o755)  # PostgreSQL's user must reach its directory inside
    with contextlib.ExitStack() as stack:
        if config.keep:
            stack.callback(log, f"kept {root}")
        else:
            stack.callback(shutil.rmtree, root, ignore_errors=True)
        try:
            results, writes = run(config, stack, root)
        except KeyboardInterrupt as interrupt:
            log(f"interrupted ({interrupt or 'Ctrl-C'}); stopping everything started here...")
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
            stack.close()
            sys.exit(130)
    print_report(results, writes, config, time.monotonic() - started)
    failed = [r for r in results if r.met is False] + ([] if writes.ok else ["writes"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
