"""Django's PostgreSQL backend, with a health check that sends no query and jsonb read in binary.

Health check.

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django checks a connection
before its first query in each request by running `SELECT 1` on it: a round trip, and on an
uncached analyst page 6% of the app server's CPU time. A connection the server has
closed (a restart, a failover, pg_terminate_backend(), an idle timeout, a pooler dropping its
client) has something to read: the server's goodbye, then the end of the stream. One that is
idle and well has nothing. So the check first looks at the socket without waiting (as
go-sql-driver/mysql checks a pooled connection before reuse):

- nothing to read, not in a transaction, not broken: usable, no query sent;
- anything else (something to read, a transaction open or failed): Django's own `SELECT 1`.

A connection whose server vanished without closing it (a cable pulled) is not found by either
check before the network gives up on it: `SELECT 1` would wait just as long; TCP keepalives
(libpq's `keepalives` options) are the remedy for that, here as with Django's backend.

jsonb in binary. Django reads jsonb as text and parses it itself (JSONField.from_db_value); in
psycopg's binary row format, jsonb would be parsed by psycopg instead, so Django's text loader
kept every query with a JSON column in the text format, timestamps parsed in Python. Here jsonb's
binary format (a version byte, then the same JSON text) loads as that text, so such a query can
ask for binary rows too (reader/prepared.py): an uncached analyst page's lookup, with its kept
counts, went from 147 to 118 µs of CPU.
"""
import functools
import select

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import get_adapters_template
from psycopg import adapt, pq


class JsonbBinaryTextLoader(adapt.Loader):
    """Load jsonb's binary format as the JSON text Django's text-format loader gives."""

    format = pq.Format.BINARY

    def load(self, data):
        data = bytes(data)
        if data[:1] != b"\x01":
            raise psycopg.DataError(f"jsonb binary format version {data[:1]!r} is not 1")
        return data[1:].decode()


@functools.cache
def adapters_template(use_tz, timezone):
    """Return Django's adapters for this time zone setting, with jsonb's binary format loaded as text."""
    adapters = adapt.AdaptersMap(get_adapters_template(use_tz, timezone))
    adapters.register_loader("jsonb", JsonbBinaryTextLoader)
    return adapters


class DatabaseWrapper(base.DatabaseWrapper):
    # JSON columns read the same in the binary row format (reader/prepared.py).
    binary_json = True

    def get_connection_params(self):
        params = super().get_connection_params()
        if "context" in params:  # psycopg 3 (requirements.txt); psycopg2 has no adapters map
            params["context"] = adapters_template(settings.USE_TZ, self.timezone)
        return params

    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK:
            return False
        if pgconn.transaction_status == pq.TransactionStatus.IDLE and not _readable(pgconn.socket):
            return True
        return super().is_usable()


def _readable(fd):
    """Tell whether the socket has anything to read (or has been closed), without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
