"""Developer settings: SQLite, debug on unless DJANGO_DEBUG says otherwise."""
from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# A fixed, clearly non-secret key so a fresh clone runs; production refuses to start without its own.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405

# `manage.py generate_corpus`: a synthetic desk of fictional stories to try the site at scale.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
