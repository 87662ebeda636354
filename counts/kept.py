"""How kept page counts stay true: the rules analysts' and topics' counts share.

A page's counts (counts/analysts.py, counts/topics.py) are kept in one row per
analyst or topic with a random `version` and a `current` flag, the way topic links and quotes keep
their story's live-from time (articles/visibility.py):

- A write that changes them marks the rows stale inside its own transaction (a new version,
  `current` off): no reader uses the old counts once it has committed. After the commit they are
  counted again (refresh()).
- refresh() keeps what it counted only under the version it read before counting: a write that
  committed meanwhile replaced the version (on PostgreSQL the update waits for a write still in
  progress, then finds the version gone), and that write's own refresh counts again.
- A row also says until when its counts hold (`valid_until`: a scheduled story going live
  changes them). Pages use a row only while it is current and before that time, else count live.
"""
import logging
import secrets

from django.db import transaction

logger = logging.getLogger(__name__)


def new_version():
    return secrets.randbits(62)


def mark_stale(model, ids, *, using, refresh):
    """Mark these owners' rows stale now (in the caller's transaction); refresh(ids, using=) after it commits."""
    ids = sorted({pk for pk in ids if pk is not None})
    if not ids:
        return
    owner = model._meta.pk
    model.objects.using(using).bulk_create(
        [model(**{owner.attname: pk}, version=new_version(), current=False) for pk in ids],
        update_conflicts=True, unique_fields=[owner.name], update_fields=["version", "current"],
    )
    transaction.on_commit(lambda: refresh_after_commit(model, ids, using=using, refresh=refresh), using=using)


def refresh_after_commit(model, ids, *, using, refresh):
    """Count again once the write has committed. A failure is logged and goes no further: the write
    is saved, and its editor told so; the rows stay stale, so pages count live (never wrong) until
    the next write or the refresh command counts them again."""
    try:
        refresh(ids, using=using)
    except Exception:
        command = {"AnalystCounts": "refresh_analyst_counts", "TopicCounts": "refresh_topic_counts"}.get(
            model.__name__, "refresh_*_counts")
        logger.exception(
            "Could not count %s %s again after a change; pages count them live until the next change "
            "or `manage.py %s`.", model._meta.verbose_name_plural, ids, command,
        )


def refresh(model, ids, *, using, now, force, count):
    """Count again the owners whose rows are stale or past their time (every one with force).

    count(pk) returns the row's new field values. Return how many counts were kept.
    """
    stats, attname = model.objects.using(using), model._meta.pk.attname
    ids = sorted(set(ids))
    kept = 0
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        # Rows first: the version a count is kept under must exist before the counting starts.
        stats.bulk_create([model(**{attname: pk}, version=new_version()) for pk in batch], ignore_conflicts=True)
        rows = stats.filter(pk__in=batch).values_list("pk", "version", "current", "valid_until")
        for pk, version, current, valid_until in rows:
            if current and not force and (valid_until is None or now < valid_until):
                continue  # counted since it was marked (another refresh, the same write twice)
            kept += stats.filter(pk=pk, version=version).update(current=True, computed_at=now, **count(pk))
    return kept
