"""Every topic's name and slug by id, kept by each process until any topic changes.

Teasers and an analyst's "Talks to us about" print topic names and links. Joining the topics
into those queries made PostgreSQL hash every topic for each of them: "Talks to us about" took
about 2.9 ms with the join and 1.0 ms grouping the links alone. Topics are few (hundreds) and
change rarely, and every change to one (a new topic, a rename, a merge, a deletion) replaces the
page cache's structure token (articles/cache.py). So each process keeps them all under the token
it read before reading them, and reads them again at the first token it has not seen: a page
rendered after a rename shows the new name, on every app server.
"""
import hashlib
import marshal
import threading

from . import cache
from .querysets import ListedTopic

_kept = {}  # database alias -> (structure token, {topic id: ListedTopic}, digest)
_lock = threading.Lock()


def _catalog(needed=(), using="default"):
    token = cache.structure_token()  # read first: a change after this is a new token, so a new read
    kept = _kept.get(using)
    if kept is None or token != kept[0] or not kept[1].keys() >= set(needed):
        # A link to a topic created a moment ago can be read before its token: read the topics again.
        from .models import Topic

        with _lock:
            rows = sorted(Topic.objects.using(using).values_list("pk", "name", "slug").order_by())
            digest = hashlib.blake2b(marshal.dumps(rows, 2), digest_size=16).hexdigest()
            kept = _kept[using] = (token, {pk: ListedTopic(name, slug) for pk, name, slug in rows}, digest)
    return kept


def topics_by_id(needed=(), *, using="default"):
    """Return {topic id: ListedTopic} for every topic, read again if a topic changed or one of `needed` is unknown."""
    return _catalog(needed, using)[1]


def version(*, using="default"):
    """Return a digest of every topic's id, name and slug: the same until one of them changes.

    Fragments that print topic names are keyed by it (fragments.Listing): a change to an analyst or
    a source replaces the structure token, but leaves the topics, and so those fragments, as they were.
    """
    return _catalog((), using)[2]


def forget():
    """Drop every process copy (tests; a restart does the same)."""
    _kept.clear()
