"""Production settings as served on loopback by the benchmark: plain HTTP, static files under /tmp.

Everything else (DEBUG off, WhiteNoise with the compressed manifest storage, persistent database
connections, the cache) is exactly production's, so the numbers mean what they say.
"""
import os
import tempfile
from pathlib import Path

from newsroom.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False  # loopback has no TLS terminator in front
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT") or Path(tempfile.gettempdir()) / "newsroom-bench" / "static")
