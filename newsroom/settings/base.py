"""Settings shared by every environment.

Everything that differs between machines comes from the environment (twelve-factor);
the defaults serve a developer on SQLite.
"""
import datetime
import hashlib
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "adminsortable2",
    "simple_history",
    "axes",
    "csp",
    "django_prose_editor",
    "articles",
    "reader",
    "pagecache",
    "counts",
    "ingest",
    "sourcing",
    "photos",
    "people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Bounds every statement of a request and answers 503 when the database cannot (newsroom/database.py).
    "newsroom.database.DatabaseWaitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "newsroom.security.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reader.context_processors.site",
            ],
        },
    },
]

# The admin's messages ("The story was saved") live in the editor's session. Django's default
# tries a signed cookie first, which built a cookie signer on every request, readers' included:
# a twentieth of a cached page's time.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# SQLite by default; DATABASE_URL (postgres://...) switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# Django's PostgreSQL backend, its health check sending no query while the connection is quiet
# (newsroom/postgresql/base.py): a round trip less per request on a persistent connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "newsroom.postgresql"
# PostgreSQL: parameters bound on the server, and a statement run a few times on a connection
# prepared there, so its plan is reused. Django's default (client-side binding, never prepared)
# plans every query again: uncached topic and analyst pages took a fifth longer in process.
# DJANGO_DB_SERVER_SIDE_BINDING=0 turns it off behind a pooler in transaction mode (PgBouncer),
# which cannot keep a connection's prepared statements.
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool("DJANGO_DB_SERVER_SIDE_BINDING", True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=int(os.environ.get("DJANGO_DB_PREPARE_THRESHOLD", "5")),
    )
# Bounded waits (docs/operations.md, "PostgreSQL"; newsroom/database.py). Connecting gives up after
# DJANGO_DB_CONNECT_TIMEOUT seconds. In a web request one statement may take
# DJANGO_DB_STATEMENT_TIMEOUT seconds (an admin request DJANGO_DB_ADMIN_STATEMENT_TIMEOUT) before the
# request answers 503; 0 is no limit, the default here: gunicorn.conf.py sets it for the app servers,
# so commands and shells (a migration, an import) are never cut short.
NEWSROOM_DB_STATEMENT_TIMEOUT = float(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT", "0"))
NEWSROOM_DB_ADMIN_STATEMENT_TIMEOUT = float(os.environ.get("DJANGO_DB_ADMIN_STATEMENT_TIMEOUT", "20"))
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "2")
    )
    if NEWSROOM_DB_STATEMENT_TIMEOUT:
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={int(NEWSROOM_DB_STATEMENT_TIMEOUT * 1000)}"
        )
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # How long a statement waits for another process's write lock (Python's default is 5 s).
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = NEWSROOM_DB_STATEMENT_TIMEOUT or 5
# Lets parallel test runs (and helpers) share one PostgreSQL server without colliding.
if os.environ.get("DJANGO_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DB_NAME"]}

REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_caches(url):
    """Return CACHES on the Redis at url: pages and their tokens ("default"), and story fragments.

    Redis only accelerates (pagecache/backends.py): each call gives up after NEWSROOM_REDIS_TIMEOUT
    seconds and answers as a miss; after a failure each process leaves Redis alone for
    NEWSROOM_REDIS_BREAKER_SECONDS, so a dead Redis costs one timeout per that time, not one a call.
    """
    timeout = float(os.environ.get("NEWSROOM_REDIS_TIMEOUT", "0.25"))
    options = {
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
        "BREAKER_SECONDS": float(os.environ.get("NEWSROOM_REDIS_BREAKER_SECONDS", "5")),
    }
    cache = {"BACKEND": "pagecache.backends.RedisCache", "LOCATION": url, "KEY_PREFIX": "newsroom", "OPTIONS": options}
    # Story fragments (pagecache/fragments.py), keyed by their content: never stale, only evicted.
    return {"default": cache, "fragments": {**cache}}


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    _database = DATABASES["default"]
    _database_id = hashlib.sha256(
        f"{_database['ENGINE']}|{_database.get('HOST')}|{_database.get('PORT')}|{_database['NAME']}".encode()
    ).hexdigest()[:16]
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Story fragments (pagecache/fragments.py), keyed by their content: never stale, only evicted.
        # About 1 kB each: 20,000 is a few hundred list pages' worth per process.
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-fragments",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        # Pages stay in each process's memory, but the content generation (pagecache/cache.py) must
        # be shared by every process on the machine (gunicorn workers, the shell, commands): one
        # small file per database. With REDIS_URL, Redis holds both.
        "generation": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("NEWSROOM_GENERATION_DIR")
            or str(Path(tempfile.gettempdir()) / f"newsroom-generation-{_database_id}"),
        },
    }
# Where the content generation lives (pagecache/cache.py); pages live in "default".
NEWSROOM_GENERATION_CACHE = "default" if REDIS_URL else "generation"
# Without Redis the page tokens live in one memory-mapped file every process on this machine
# shares (pagecache/tokens.py), next to the generation cache's directory.
NEWSROOM_TOKEN_FILE = None if REDIS_URL else Path(CACHES["generation"]["LOCATION"]) / "page-tokens"
# Shared caches (a CDN) may keep a public page this long; browsers always revalidate (ETag).
NEWSROOM_CDN_MAX_AGE = int(os.environ.get("NEWSROOM_CDN_MAX_AGE", "60"))
NEWSROOM_CDN_STALE_WHILE_REVALIDATE = int(os.environ.get("NEWSROOM_CDN_STALE_WHILE_REVALIDATE", "30"))
# Upper bound on a cached page's life even when nothing changes.
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "600"))
# Uncached topic and analyst pages run their fixed-shape queries compiled once per connection
# (reader/private_api.py); off runs the plain querysets (`make bench` measures both).
NEWSROOM_PREPARED_QUERIES = env_bool("NEWSROOM_PREPARED_QUERIES", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
# Stored in UTC; shown to readers and editors in the desk's time zone.
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "Asia/Seoul")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "newsroom.storage.StaticFilesStorage"},
}

# Uploaded pictures (photos/) go through Django's storage API: files under MEDIA_ROOT by default,
# served by the development server under DEBUG and by the web server or a CDN in production. With
# NEWSROOM_MEDIA_S3_BUCKET they go to an S3-compatible bucket instead (django-storages, installed
# separately; credentials from the usual AWS_* variables): the choice for several app servers.
# docs/operations.md, "Media".
MEDIA_URL = os.environ.get("NEWSROOM_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT", BASE_DIR / "media"))
if os.environ.get("NEWSROOM_MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["NEWSROOM_MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("NEWSROOM_MEDIA_S3_ENDPOINT") or None,
            "region_name": os.environ.get("NEWSROOM_MEDIA_S3_REGION") or None,
            "custom_domain": os.environ.get("NEWSROOM_MEDIA_S3_DOMAIN") or None,
            # Public, permanent addresses: rendition names change whenever their content does.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# The largest file one upload may be (photos/intake.py refuses bigger ones by name).
PHOTOS_MAX_UPLOAD_BYTES = int(os.environ.get("NEWSROOM_PHOTOS_MAX_UPLOAD_MB", "30")) * 1024 * 1024

# Topics are matched regardless of case: "North Korea" and "north korea" are one topic.
TAGGIT_CASE_INSENSITIVE = True

# The publication, as readers, feeds, sitemaps and structured data name it.
NEWSROOM = {
    "NAME": os.environ.get("NEWSROOM_NAME", "Newsroom"),
    "TAGLINE": "Analysis of Korea and the geopolitics around it",
    "LANGUAGE": "en",
}
# The site's public address (scheme and host, no path): canonical links, feeds, sitemaps and
# structured data name it, never the request's Host header (any allowed host, any port).
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://localhost:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's loggers write through the root's handler only, at the same level: Django's default
        # configuration gives "django" a console handler of its own as well, so under DEBUG (the
        # development server) each of its lines came out twice.
        "django": {"handlers": [], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"), "propagate": True},
        # The development server's request lines, as Django's default configuration writes them.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# Widget templates (admin/articles/widgets/...) live in templates/ like every other template.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# Editors type "example.org"; store it as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

# Topics are typed comma-separated; a name with spaces is one topic.
TAGGIT_TAGS_FROM_STRING = "articles.topic_strings.parse_topics"
TAGGIT_STRING_FROM_TAGS = "articles.topic_strings.join_topics"

# Security (README, "Security"). Production adds HTTPS-only cookies, HSTS and the SSL redirect.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: the admin and adminsortable2 take the token from the form.
CSRF_COOKIE_HTTPONLY = True


def _media_origins():
    """Return the origin of the media host when pictures are served from another one ([] when from this site)."""
    domain = os.environ.get("NEWSROOM_MEDIA_S3_DOMAIN")
    if domain:
        return [f"https://{domain}"]
    if MEDIA_URL.startswith(("https://", "http://")):
        scheme, _, rest = MEDIA_URL.partition("://")
        return [f"{scheme}://{rest.split('/', 1)[0]}"]
    return []


# No inline script anywhere: scripts come from our own static files. The admin's one inline
# script, django-prose-editor's import map, is allowed by its hash (newsroom/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The Django admin and the editor set style attributes; styles cannot run code.
        "style-src": [SELF, "'unsafe-inline'"],
        # Pictures come from this site, or from the media host when MEDIA_URL names one (a CDN, a bucket).
        "img-src": [SELF, "data:", *_media_origins()],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from
# one address, that pair is locked out for the cool-off time and sees templates/axes/lockout.html.
AUTHENTICATION_BACKENDS = [
    "newsroom.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout_response"


def client_address_settings(proxies):
    """Return (AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT) for this many trusted proxies.

    django-axes reads the client's address through django-ipware. Without a proxy it is the
    connection's (REMOTE_ADDR) and X-Forwarded-For is ignored: anyone can send one. Behind N
    proxies, each appending the address it was reached from, it is the N-th entry from the right of
    X-Forwarded-For; entries a client wrote to the left of it are ignored. ipware counts the
    proxies the header lists, which is one fewer: the last proxy is the connection itself.
    """
    if proxies <= 0:
        return ("REMOTE_ADDR",), None
    return ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"), proxies - 1


# DJANGO_PROXY_COUNT: the reverse proxies (load balancer, nginx) between readers and gunicorn.
NEWSROOM_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = client_address_settings(NEWSROOM_PROXY_COUNT)
AXES_IPWARE_PROXY_ORDER = "left-most"
# A header longer than the proxies make it (a client's own X-Forwarded-For in front) still gives
# the address the first trusted proxy saw; ipware's strict mode would fall back to the proxy's.
IPWARE_STRICT = False

# Sourcing desk (README, "Sourcing desk"): count analysts' self-described gender on the sourcing
# dashboard, in aggregate only. Off by default; when off the field is hidden from the analyst form.
NEWSROOM_SOURCING_SELF_DESCRIBED = env_bool("NEWSROOM_SOURCING_SELF_DESCRIBED", False)
