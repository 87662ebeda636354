"""Django's PostgreSQL backend, with a health check that sends no query while the connection is quiet.

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
"""
import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
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
