"""WSGI entry point; production servers set DJANGO_SETTINGS_MODULE=newsroom.settings.production."""
import gc
import itertools
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")

application = get_wsgi_application()

# An app server's objects either live for the process (modules, templates, compiled queries) or
# die with their request. Python's default collects the youngest generation every 700 new objects,
# several times a request, each pass also walking what survived; every 20,000 keeps that work off
# most requests (uncached topic and analyst pages 4-7% faster on average, measured in process).
GC_THRESHOLDS = (20_000, 20, 20)
gc.set_threshold(*GC_THRESHOLDS)
# The objects that live for the process are also frozen out of the collector's sight, so its full
# passes walk only what requests left behind: once when the app is loaded, and again after this
# many requests, by when the first requests have built the rest (templates, URL and SQL caches).
# Before this a fifth of an uncached topic page's instructions were full passes over them.
WARM_UP_REQUESTS = 100


def freeze_long_lived_objects():
    """Collect what is garbage now, then move every surviving object to the collector's permanent generation."""
    gc.collect()
    gc.freeze()


_finished = itertools.count(1)


def _freeze_after_warm_up(**kwargs):
    # Runs when a response is closed (after it was sent), so no reader waits for the collection.
    if next(_finished) >= WARM_UP_REQUESTS:
        request_finished.disconnect(_freeze_after_warm_up)
        freeze_long_lived_objects()


freeze_long_lived_objects()
request_finished.connect(_freeze_after_warm_up)
