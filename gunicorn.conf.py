"""Gunicorn settings for the app servers; gunicorn reads ./gunicorn.conf.py from the directory it starts in.

    DJANGO_SETTINGS_MODULE=newsroom.settings.production .venv/bin/gunicorn newsroom.wsgi

Options given on the command line win over these (docs/operations.md, "Gunicorn").
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: one request at a time each, so size by cores (2-4 per core); a page is mostly CPU.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# A worker silent this long is killed and replaced. Every request is bounded well below it: a
# public page's database statements by DJANGO_DB_STATEMENT_TIMEOUT (1 s) plus half a second, an
# admin request's by DJANGO_DB_ADMIN_STATEMENT_TIMEOUT (20 s) plus half a second, Redis calls by 0.25 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On a restart or stop (SIGHUP, SIGTERM), requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Behind a proxy that keeps connections open to the app server.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# The app servers' database statements are bounded (newsroom/database.py); commands and shells,
# which do not start here, are not.
# A public page's statements take milliseconds; a second is a database in trouble. Cut off at 1.5 s,
# a hung database leaves the workers free for the load balancer's probe within its 2 s.
raw_env = [f"DJANGO_DB_STATEMENT_TIMEOUT={os.environ.get('DJANGO_DB_STATEMENT_TIMEOUT', '1')}"]
