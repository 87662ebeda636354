"""Bounded database waits in web requests, and a 503 page when the database cannot answer.

A database that is slow answers within its statement timeout (PostgreSQL's `statement_timeout`,
set for the app servers' connections by the settings; SQLite's busy timeout). A database that has
stopped answering altogether (its processes hung, a network path gone quiet) cannot enforce its
own timeout, so each statement of a request also has a cut-off here, a second later: one thread
per process watches the statements in flight and, past the cut-off, closes the connection's socket
(PostgreSQL) or interrupts the statement (SQLite). The statement then fails at once, the
connection is thrown away, and the reader gets a 503 page instead of a hang until the app
server's own timeout kills the worker. Connecting is bounded by the connection's connect timeout.

Admin requests get a longer limit (an editor's search may read every story); on PostgreSQL it is
set on the connection for the request and put back after it.

A database that hangs would still hold each request for the whole limit, and with sync workers a
load balancer's probe waits behind them. So once a statement is cut off, or connecting times out,
the process knows the database is away (`outage`): every request answers 503 at once, without
touching it, while a thread of its own asks the database every quarter of a second and ends the
outage at its first answer. A database that refuses connections (restarting) fails fast by
itself, so it opens no outage and is used again the moment it accepts.
"""
import itertools
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

# After the server's own statement timeout: a server that answers cancels first, and the
# connection stays usable; only one that does not is cut off.
CUTOFF_AFTER_TIMEOUT = 0.5
# How often, during an outage, the database is asked whether it answers again; and how long that
# question may wait for an answer.
PROBE_INTERVAL = 0.25
PROBE_LIMIT = 1.0
# Seconds a client should wait before trying again (the 503's Retry-After).
RETRY_AFTER = 10


class Watchdog:
    """One thread per process that cuts off database waits past their deadline."""

    def __init__(self):
        self.condition = threading.Condition()
        self.waits = {}  # key -> (deadline, cut)
        self.keys = itertools.count()
        self.thread = None
        self.wakes_at = None  # the deadline the thread sleeps until; None: until told

    def watch(self, seconds, cut):
        """Call cut() in `seconds` unless done(key) comes first; return the key."""
        deadline = time.monotonic() + seconds
        with self.condition:
            if self.thread is None or not self.thread.is_alive():  # first use, or a forked worker
                self.thread = threading.Thread(target=self.run, name="database-cutoff", daemon=True)
                self.thread.start()
            key = next(self.keys)
            self.waits[key] = (deadline, cut)
            if self.wakes_at is None or deadline < self.wakes_at:
                self.condition.notify()
        return key

    def done(self, key):
        with self.condition:
            self.waits.pop(key, None)

    def run(self):
        with self.condition:
            while True:
                now = time.monotonic()
                for key, (deadline, cut) in list(self.waits.items()):
                    if deadline <= now:
                        del self.waits[key]
                        try:
                            cut()
                        except Exception:
                            logger.exception("Could not cut off a database wait")
                self.wakes_at = min((deadline for deadline, _ in self.waits.values()), default=None)
                self.condition.wait(None if self.wakes_at is None else self.wakes_at - now)


watchdog = Watchdog()


class Outage:
    """Whether this process has found the database not answering; a thread asks it until it does."""

    def __init__(self):
        self.lock = threading.Lock()
        self.since = None  # monotonic time the outage began; None: the database answers
        self.prober = None

    def __bool__(self):
        return self.since is not None

    def begin(self, reason):
        with self.lock:
            if self.since is not None:
                return
            self.since = time.monotonic()
            logger.error("The database is not answering (%s): answering 503 until it does.", reason)
            self.prober = threading.Thread(target=self._probe, name="database-prober", daemon=True)
            self.prober.start()

    def end(self):
        with self.lock:
            if self.since is not None:
                logger.error("The database answers again after %.1f s.", time.monotonic() - self.since)
            self.since = None

    def _probe(self):
        while self.since is not None:
            if answers():
                self.end()
                return
            time.sleep(PROBE_INTERVAL)


def answers(limit=PROBE_LIMIT):
    """Tell whether the database answers SELECT 1 within `limit` seconds, on a connection of this thread's own."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.execute_wrapper(Cutoff(limit, report=False)), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False
    finally:
        connection.close()


outage = Outage()


def _timed_out_connecting(error):
    return type(error.__cause__).__name__ == "ConnectionTimeout"  # psycopg's, when connect_timeout passed


def _cutter(connection):
    """Return what ends a wait on this Django connection now, or None if nothing can."""
    raw = connection.connection
    if raw is None:
        return None
    if connection.vendor == "sqlite":
        return raw.interrupt
    if connection.vendor == "postgresql":
        descriptor = raw.fileno()

        def shut():
            with socket.socket(fileno=os.dup(descriptor)) as sock:
                sock.shutdown(socket.SHUT_RDWR)
            logger.error("The database did not answer within its limit; its connection was cut off.")

        return shut
    return None


class Cutoff:
    """An execute wrapper (connection.execute_wrapper) that ends any statement running past `seconds`.

    A statement cut off begins an outage (unless `report` is off: the prober's own question).
    """

    def __init__(self, seconds, report=True):
        self.seconds, self.report = seconds, report

    def __call__(self, execute, sql, params, many, context):
        cut = _cutter(context["connection"])
        if cut is None:
            return execute(sql, params, many, context)
        was_cut = []

        def cut_and_tell():
            was_cut.append(True)
            cut()

        key = watchdog.watch(self.seconds, cut_and_tell)
        try:
            return execute(sql, params, many, context)
        except DatabaseError:
            if was_cut and self.report:
                outage.begin(f"no answer to a statement within {self.seconds:g} s")
            raise
        finally:
            watchdog.done(key)


def unavailable(request=None):
    """The 503 page: the database did not answer. Rendered without the database."""
    body = loader.get_template("503.html").render({"newsroom": settings.NEWSROOM})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseWaitMiddleware:
    """Bound every statement of a request; answer 503 when the database cannot answer."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.public = getattr(settings, "NEWSROOM_DB_STATEMENT_TIMEOUT", 0)
        self.admin = getattr(settings, "NEWSROOM_DB_ADMIN_STATEMENT_TIMEOUT", 0)
        self.admin_prefix = getattr(settings, "NEWSROOM_ADMIN_PREFIX", "/admin/")

    def __call__(self, request):
        if outage and request.path_info != "/healthz":
            return unavailable(request)
        is_admin = request.path_info.startswith(self.admin_prefix)
        limit = self.admin if is_admin else self.public
        if not limit:
            return self.get_response(request)
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.execute_wrapper(Cutoff(limit + CUTOFF_AFTER_TIMEOUT)):
            if not (is_admin and self.public and connection.vendor == "postgresql"):
                return self.get_response(request)
            # The connection's own statement timeout is the public one: lift it for this request only.
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(limit * 1000)}ms"])
            except (OperationalError, InterfaceError) as error:
                return self.process_exception(request, error)
            try:
                return self.get_response(request)
            finally:
                self._restore_statement_timeout(connection)

    @staticmethod
    def _restore_statement_timeout(connection):
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
        except DatabaseError:
            connection.close()  # never lend a connection without its limit to the next request

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("The database could not answer %s %s: %s", request.method, request.path, exception)
            if _timed_out_connecting(exception):
                outage.begin("no connection within the connect timeout")
            return unavailable(request)
        return None
