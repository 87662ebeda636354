"""/healthz for load balancers and uptime checks: 200 when the database answers within 2 seconds, else 503.

The check runs on a thread of its own, so a database that hangs (rather than refusing) cannot
hold the answer: after DEADLINE_SECONDS the probe gets 503 while the stuck check finishes, or not,
on its own, and the process begins an outage (newsroom/database.py): until the database answers
again, probes and pages get 503 at once.
Redis is not checked: the site serves without it (pagecache/backends.py logs when it does not
answer), so an app server must stay in the pool while Redis is away.
The body never says what failed; the reason goes to the server log.
"""
import logging
import threading

from django.db import connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .database import outage

logger = logging.getLogger(__name__)

# Load balancers commonly allow 2 s; the answer leaves before that.
DEADLINE_SECONDS = 1.5


def database_answers():
    """Run SELECT 1 on a connection of this thread's own, closed afterwards."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    finally:
        connections.close_all()


class Check:
    """One database check at a time per process, on its own thread; a probe waits for it up to its deadline.

    Probes arriving while a check is under way wait for that one and share its answer.
    """

    def __init__(self, probe):
        self.probe = probe
        self.lock = threading.Lock()
        self.thread, self.outcome = None, {}

    def __call__(self, deadline):
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.outcome = {}
                self.thread = threading.Thread(target=self._run, args=(self.outcome,), name="healthz", daemon=True)
                self.thread.start()
            thread, outcome = self.thread, self.outcome
        thread.join(deadline)
        if "healthy" not in outcome:
            outage.begin(f"no answer to the health check within {deadline:g} s")
            return False
        return outcome["healthy"]

    def _run(self, outcome):
        try:
            outcome["healthy"] = self.probe()
        except Exception:
            logger.exception("Health check %s failed", getattr(self.probe, "__name__", "database"))
            outcome["healthy"] = False


database_check = Check(database_answers)


@never_cache
@require_safe
def healthz(request):
    """Answer 200 "ok" when the database answers in time, 503 "unavailable" otherwise."""
    # During an outage this process already knows (newsroom/database.py): answer at once.
    if outage or not database_check(DEADLINE_SECONDS):
        return HttpResponse("unavailable\n", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
