"""Production settings: refuse to start without a secret, secure by default."""
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` and export it."
    )

# The public address: NEWSROOM_SITE_URL, else https:// and the first allowed host.
if "NEWSROOM_SITE_URL" not in os.environ:
    if not ALLOWED_HOSTS or ALLOWED_HOSTS[0].startswith(".") or ALLOWED_HOSTS[0] == "*":  # noqa: F405
        raise ImproperlyConfigured(
            "NEWSROOM_SITE_URL is not set. Export the site's public address, e.g. "
            "NEWSROOM_SITE_URL=https://news.example.org: canonical links, feeds and sitemaps use it."
        )
    NEWSROOM_SITE_URL = f"https://{ALLOWED_HOSTS[0]}"  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Reuse database connections across requests; health checks drop dead ones.
DATABASES["default"]["CONN_MAX_AGE"] = int(  # noqa: F405
    os.environ.get("DJANGO_CONN_MAX_AGE", "600")
)
# Or, on PostgreSQL, psycopg's connection pool (DJANGO_DB_POOL=1; sizes from DJANGO_DB_POOL_MIN/MAX).
# With CONN_HEALTH_CHECKS Django has the pool check a connection before lending it; Django refuses
# a pool with persistent connections, so CONN_MAX_AGE goes back to 0.
if env_bool("DJANGO_DB_POOL") and DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": int(os.environ.get("DJANGO_DB_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DJANGO_DB_POOL_MAX", "4")),
        "timeout": 10,
    }
# Browsers fetch any stray http:// resource over HTTPS instead.
CONTENT_SECURITY_POLICY = {  # noqa: F405
    **CONTENT_SECURITY_POLICY,  # noqa: F405
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True},  # noqa: F405
}
# Load balancers probe /healthz over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
