"""/healthz for load balancers and uptime checks: 200 when the database (and Redis) answer, else 503.

The body never says what failed; the reason goes to the server log.
"""
import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# A health check must answer fast even when a dependency hangs.
TIMEOUT_SECONDS = 2


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def redis_answers():
    if not settings.REDIS_URL:
        return True
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        return client.ping()
    finally:
        client.close()


CHECKS = [database_answers, redis_answers]


@never_cache
@require_safe
def healthz(request):
    """Answer 200 "ok" when every dependency answers, 503 "unavailable" otherwise."""
    for check in CHECKS:
        try:
            healthy = check()
        except Exception:
            logger.exception("Health check %s failed", check.__name__)
            healthy = False
        if not healthy:
            return HttpResponse("unavailable\n", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
