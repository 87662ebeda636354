"""Page-cache tokens shared by every process on one machine, in one small memory-mapped file.

Without Redis the page cache's tokens (pagecache/cache.py) must still be shared by the gunicorn
workers, management commands and the shell. Django's file-based cache keeps one file per token: a
cached topic page opened and read two files on every request. Here every token is eight bytes of
one shared mapping, read with one stat of the file and no read of it.

Keys hash to SLOTS slots. Two keys sharing a slot only make each other's pages stale more often,
never less. A new file is filled with random tokens and put in place whole (a hard link, which
fails if another process got there first), never grown from zeros: if the file is replaced
(deleted by a temporary-files cleaner, a new machine image), no token of the old file comes back,
so no page cached under one can be served again. Every process maps the new file at its next
read: each read checks the file's identity first (one stat), so no process goes on reading
tokens nobody writes any more.
"""
import contextlib
import functools
import hashlib
import mmap
import os
import secrets
import tempfile
import threading

SLOTS = 1 << 16
WIDTH = 8  # bytes per token
SIZE = SLOTS * WIDTH


class SharedTokens:
    """Tokens in a memory-mapped file at path, shared by every process that opens the same path."""

    def __init__(self, path):
        self.path = os.fspath(path)
        self._map, self._identity = None, None
        self._lock = threading.Lock()

    def _mapping(self):
        try:
            status = os.stat(self.path)
            identity = (status.st_dev, status.st_ino)
        except FileNotFoundError:
            identity = None
        if self._map is None or identity != self._identity:
            with self._lock:
                self._open()
        return self._map

    def _create(self):
        """Put a file of random tokens at path unless one is there; two processes racing agree on one."""
        directory = os.path.dirname(self.path) or "."
        os.makedirs(directory, exist_ok=True)
        descriptor, draft = tempfile.mkstemp(dir=directory, prefix=".page-tokens-")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(SIZE))
            # If another process linked its file first, that one is the file every process uses.
            with contextlib.suppress(FileExistsError):
                os.link(draft, self.path)
        finally:
            os.unlink(draft)

    def _open(self):
        try:
            descriptor = os.open(self.path, os.O_RDWR)
        except FileNotFoundError:
            self._create()
            descriptor = os.open(self.path, os.O_RDWR)
        try:
            status = os.fstat(descriptor)
            if status.st_size != SIZE:
                raise ValueError(f"{self.path} is not a page-token file ({SIZE:,} bytes); delete it to start anew.")
            # The old mapping, if any, is left to the garbage collector: another thread may still read it.
            self._map = mmap.mmap(descriptor, SIZE)
            self._identity = (status.st_dev, status.st_ino)
        finally:
            os.close(descriptor)

    @staticmethod
    @functools.lru_cache(maxsize=16384)  # the same keys come back on every request
    def _offset(key):
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") % SLOTS * WIDTH

    def get_many(self, keys):
        """Return the current token under each key, as hex, in order."""
        mapping = self._mapping()
        return [mapping[offset : offset + WIDTH].hex() for offset in map(self._offset, keys)]

    def bump(self, keys):
        """Give each key a new random token: pages keyed by the old one are stale in every process."""
        mapping = self._mapping()
        for key in keys:
            offset = self._offset(key)
            mapping[offset : offset + WIDTH] = secrets.token_bytes(WIDTH)

    def close(self):
        if self._map is not None:
            self._map.close()
            self._map, self._identity = None, None
