"""Two app servers (two gunicorns) sharing one PostgreSQL and one Redis: a change shows through both at once.

Needs PostgreSQL and Redis on loopback (DATABASE_URL's server, or postgres@127.0.0.1:5432; REDIS_URL's
server, or 127.0.0.1:6379). Skips where either is absent, except in CI, where it fails. Creates and
drops its own database and uses a Redis database number nobody else is using.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"
HEADLINE = "Grand Fenwick names a pretend ambassador to Freedonia"
EDITED = "Grand Fenwick withdraws its pretend ambassador nomination"

pytestmark = pytest.mark.postgres


def unavailable(reason):
    if IN_CI:
        pytest.fail(f"{reason} (CI must run this test: .ci/run starts PostgreSQL and Redis)")
    pytest.skip(reason)


def server_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database():
    psycopg = pytest.importorskip("psycopg")
    admin_url = urlunsplit(urlsplit(server_url())._replace(path="/postgres"))
    name = f"newsroom_multi_server_{os.getpid()}"
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        unavailable(f"needs PostgreSQL at {admin_url}: {error}")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url():
    redis = pytest.importorskip("redis")
    base = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    for number in (13, 12, 11, 10, 9):
        url = urlunsplit(base._replace(path=f"/{number}"))
        try:
            client = redis.Redis.from_url(url, socket_timeout=3)
            if client.dbsize() == 0:
                break
        except redis.RedisError as error:
            unavailable(f"needs Redis at {url}: {error}")
    else:
        unavailable("no empty Redis database among 9-13")
    try:
        yield url
    finally:
        client.flushdb()


@pytest.fixture
def env(database, redis_url):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "DJANGO_CONN_MAX_AGE": "60",
        "PYTHONPATH": str(BASE_DIR),
    }
    environment.pop("DJANGO_TEST_DB_NAME", None)
    manage(environment, "migrate", "--noinput", "-v0")
    return environment


def manage(env, *args):
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, timeout=180,
        capture_output=True,
    )


def orm(env, code):
    """Write through the ORM in another process, as an editor's server would (signals, services)."""
    manage(env, "shell", "-c", "from articles import services\nfrom articles.models import *\n" + code)


class Server:
    def __init__(self, env, tmp_path, label):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"gunicorn-{label}.log"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [str(gunicorn), "newsroom.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--timeout", "30"],
            cwd=BASE_DIR, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )

    def wait(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            try:
                self.get("/healthz")
                return self
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"gunicorn on {self.base} did not answer within 60 s")

    def get(self, path):
        """Return (status, body, headers) over real HTTP on loopback."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=15) as response:  # noqa: S310 - loopback
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def servers(env, tmp_path):
    started = []
    try:
        for label in ("a", "b"):
            started.append(Server(env, tmp_path, label))
        yield [server.wait() for server in started]
    finally:
        for server in started:
            server.stop()


def test_a_change_through_one_server_shows_through_the_other_at_once(env, servers):
    a, b = servers
    orm(env, (
        "topic = Topic.objects.create(name='Multi-server pretend topic')\n"
        "analyst = Analyst.objects.create(name='Perpetua Fauxley')\n"
        "story = Article.objects.create(headline='An earlier fictional story', status='published',"
        " published_at=__import__('django.utils.timezone').utils.timezone.now())\n"
        "story.topics.add(topic)\n"
        "Commentary.objects.create(article=story, analyst=analyst, text='It was expected.')\n"
    ))
    pages = ["/", "/topics/multi-server-pretend-topic/", "/analysts/perpetua-fauxley/", "/feeds/rss/"]
    for server in (a, b):  # warm both servers' view of the shared cache
        for path in pages:
            first = server.get(path)
            assert first[0] == 200, (server.base, path)
            assert server.get(path)[2]["ETag"] == first[2]["ETag"]

    orm(env, (
        f"story = Article.objects.create(headline={HEADLINE!r}, slug='pretend-ambassador', status='draft')\n"
        "story.topics.add(Topic.objects.get(name='Multi-server pretend topic'))\n"
        "Commentary.objects.create(article=story, analyst=Analyst.objects.get(), text='A bold choice.')\n"
        "services.article_transition(article=story, action='publish', user=None)\n"
    ))
    for server in (b, a):
        for path in pages:
            assert HEADLINE in server.get(path)[1], (server.base, path)
        assert server.get("/stories/pretend-ambassador/")[0] == 200

    orm(env, (
        "story = Article.objects.get(slug='pretend-ambassador')\n"
        f"story.headline = {EDITED!r}\n"
        "story.save()\n"
    ))
    for server in (b, a):
        for path in pages + ["/stories/pretend-ambassador/"]:
            status, body, _ = server.get(path)
            assert EDITED in body and HEADLINE not in body, (server.base, path)

    orm(env, (
        "services.article_transition(article=Article.objects.get(slug='pretend-ambassador'),"
        " action='unpublish', user=None)\n"
    ))
    for server in (b, a):
        assert server.get("/stories/pretend-ambassador/")[0] == 404
        for path in pages:
            status, body, _ = server.get(path)
            assert status == 200 and EDITED not in body and "pretend-ambassador" not in body, (server.base, path)
