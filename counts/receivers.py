"""Mark kept counts stale when the core says stories changed (articles/signals.py).

Inside the write's own transaction: no reader uses the old counts once it has committed.
"""
from django.db.models.signals import post_delete

from articles import signals
from articles.models import Topic

from . import analysts, topics


def stories_changed(sender=None, *, scopes=(), using=None, **kwargs):
    """Invalidate the counts of the analysts and topics whose pages list the changed stories."""
    analysts.invalidate_slugs([slug for kind, slug in scopes if kind == "analyst"], using=using)
    topics.invalidate_slugs([slug for kind, slug in scopes if kind == "topic"], using=using)


def connect():
    signals.stories_changed.connect(stories_changed, dispatch_uid="newsroom.counts.stories_changed")
    post_delete.connect(topics.forget_deleted, sender=Topic, dispatch_uid="newsroom.counts.topic.delete")
