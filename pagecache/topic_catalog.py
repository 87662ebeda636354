"""Every topic's name, slug and description, kept by each process until any topic changes.

Teasers and an analyst's "Talks to us about" print topic names and links; a topic's page prints
its name and description (found by its slug here: no query of its own). Joining the topics
into those queries made PostgreSQL hash every topic for each of them: "Talks to us about" took
about 2.9 ms with the join and 1.0 ms grouping the links alone. Topics are few (hundreds) and
change rarely, and every change to one (a new topic, a rename, a merge, a deletion) replaces the
page cache's structure token (pagecache/cache.py). So each process keeps them all under the token
it read before reading them, and reads them again at the first token it has not seen: a page
rendered after a rename shows the new name, on every app server.
"""
import hashlib
import marshal
import threading
from typing import NamedTuple

from articles.models import Topic, slug_url

from . import cache


class ListedTopic(NamedTuple):
    """A topic as a teaser shows it: its name, linking to its page."""

    name: str
    slug: str

    def get_absolute_url(self):
        return slug_url("articles:topic_detail", self.slug)


_kept = {}  # database alias -> _Kept
_lock = threading.Lock()


class _Kept(NamedTuple):
    token: str  # the structure token read before the topics
    by_id: dict  # topic id -> ListedTopic
    digest: str  # of every topic's id, name and slug (not its description: teasers do not show it)
    by_slug: dict  # slug -> (id, name, description)


def _catalog(needed=(), using="default"):
    token = cache.structure_token()  # read first: a change after this is a new token, so a new read
    kept = _kept.get(using)
    if kept is None or token != kept.token or not kept.by_id.keys() >= set(needed):
        # A link to a topic created a moment ago can be read before its token: read the topics again.
        with _lock:
            rows = sorted(Topic.objects.using(using).values_list("pk", "name", "slug", "description").order_by())
            named = [(pk, name, slug) for pk, name, slug, _ in rows]
            digest = hashlib.blake2b(marshal.dumps(named, 2), digest_size=16).hexdigest()
            kept = _kept[using] = _Kept(
                token, {pk: ListedTopic(name, slug) for pk, name, slug in named}, digest,
                {slug: (pk, name, description) for pk, name, slug, description in rows},
            )
    return kept


def topics_by_id(needed=(), *, using="default"):
    """Return {topic id: ListedTopic} for every topic, read again if a topic changed or one of `needed` is unknown."""
    return _catalog(needed, using).by_id


def topic_by_slug(slug, *, using="default"):
    """Return a new Topic (id, name, slug, description) for slug, or None if this process does not know it.

    None is not "no such topic": one created a moment ago may be known only once its token is read,
    so a caller asks the database then.
    """
    found = _catalog((), using).by_slug.get(slug)
    if found is None:
        return None
    pk, name, description = found
    return Topic.from_db(using, ("id", "name", "slug", "description"), (pk, name, slug, description))


def version(*, using="default"):
    """Return a digest of every topic's id, name and slug: the same until one of them changes.

    Fragments that print topic names are keyed by it (fragments.Listing): a change to an analyst or
    a source replaces the structure token, but leaves the topics, and so those fragments, as they were.
    """
    return _catalog((), using).digest


def forget():
    """Drop every process copy (tests; a restart does the same)."""
    _kept.clear()
