"""Every topic's name and slug by id, kept by each process until any topic changes.

Teasers and an analyst's "Talks to us about" print topic names and links. Joining the topics
into those queries made PostgreSQL hash every topic for each of them: "Talks to us about" took
about 2.9 ms with the join and 1.0 ms grouping the links alone. Topics are few (hundreds) and
change rarely, and every change to one (a new topic, a rename, a merge, a deletion) replaces the
page cache's structure token (articles/cache.py). So each process keeps them all under the token
it read before reading them, and reads them again at the first token it has not seen: a page
rendered after a rename shows the new name, on every app server.
"""
import threading

from . import cache
from .querysets import ListedTopic

_kept = {}  # database alias -> (structure token, {topic id: ListedTopic})
_lock = threading.Lock()


def topics_by_id(needed=(), *, using="default"):
    """Return {topic id: ListedTopic} for every topic, read again if a topic changed or one of `needed` is unknown."""
    token = cache.structure_token()  # read first: a change after this is a new token, so a new read
    kept_token, topics = _kept.get(using, (None, {}))
    if token != kept_token or not topics.keys() >= set(needed):
        # A link to a topic created a moment ago can be read before its token: read the topics again.
        from .models import Topic

        with _lock:
            topics = {
                pk: ListedTopic(name, slug)
                for pk, name, slug in Topic.objects.using(using).values_list("pk", "name", "slug").order_by()
            }
            _kept[using] = (token, topics)
    return topics


def forget():
    """Drop every process copy (tests; a restart does the same)."""
    _kept.clear()
