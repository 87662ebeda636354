"""The seed desk as `make serve` sets it up, over real HTTP: the seed story's credited lead picture, its share card
and structured data, and every picture address those name answering 200.

Runs `manage.py runserver` on a SQLite database and a media folder of its own, in a temporary directory.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
STORY = "/stories/kim-yo-jong-rejects-seoul-overtures/"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    """Return (status, body bytes) over real HTTP on loopback."""
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "DJANGO_DEBUG": "1",  # the development server serves the media folder only with DEBUG
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "NEWSROOM_MEDIA_ROOT": str(folder / "media"),
        "NEWSROOM_GENERATION_DIR": str(folder / "generation"),
        "NEWSROOM_SITE_URL": base,
        "PYTHONPATH": str(BASE_DIR),
    }
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["setup_roles"], ["load_seeds"], ["load_seed_pictures"]):
        subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True, timeout=300,
            capture_output=True,
        )
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"runserver exited: {(folder / 'server.log').read_text()[-2000:]}")
            try:
                get(base + "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("runserver did not answer within 60 s")
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def story(site):
    status, body = get(site + STORY)
    assert status == 200
    return body.decode()


def meta(html, key):
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def image_objects(data):
    if isinstance(data, dict):
        if data.get("@type") == "ImageObject":
            yield data
        for value in data.values():
            yield from image_objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from image_objects(value)


def test_the_seed_story_shows_its_credited_lead_picture_described_and_sized(story):
    figure = re.search(r'<figure class="photo photo--lead.*?</figure>', story, re.S).group(0)
    img = re.search(r"<img [^>]*>", figure).group(0)
    for attribute in ("alt", "width", "height", "srcset", "sizes"):
        assert re.search(rf' {attribute}="[^"]+"', img), attribute
    assert "Realist English desk graphic" in figure  # the credit, printed under it


def test_the_share_card_is_absolute_wide_enough_described_and_served(site, story):
    image = meta(story, "og:image")
    assert image.startswith(site + "/media/")
    assert int(meta(story, "og:image:width")) >= 1200
    assert meta(story, "og:image:alt")
    assert meta(story, "twitter:card") == "summary_large_image"
    status, body = get(image)
    assert status == 200 and body[:3] == b"\xff\xd8\xff"  # a JPEG


def test_every_picture_the_page_names_answers(site, story):
    named = set()
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', story, re.S):
        named |= {image["url"] for image in image_objects(json.loads(block))}
    assert len(named) >= 3  # the lead picture in Google's three shapes, and the publisher's logo
    for srcset in re.findall(r'srcset="([^"]+)"', story):
        named |= {site + item.split()[0] for item in srcset.split(", ")}
    for url in sorted(named):
        assert get(url)[0] == 200, url
