"""How many published stories each topic's page counts, kept by the writes that change it.

A topic page heads with its published stories' count, up to COUNT_CAP ("1,000+ stories"). Counted
on every render, a big topic's count read a thousand index entries: on PostgreSQL 80 µs of the
server's time per request, two fifths of all it did for the page. TopicCounts keeps the count, by the
rules analysts' counts follow (counts/kept.py): marked stale inside the transaction of
every write that changes it (cache.stories_changed: publishing, unpublishing, editing a live story
or its topics, from any route that sends signals; a topic merge), counted again after its commit,
used only until a scheduled story on the topic goes live. The page reads the kept count in the
same query as its stories and counts live when there is none it may use
(reader/queries.py, with_topic_count): a stale or missing count is never shown. Writes that send no
signals (QuerySet.update(), raw SQL) must call cache.stories_changed() or `manage.py refresh_topic_counts`.
"""
from django.db import DEFAULT_DB_ALIAS
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from articles.models import TaggedArticle, Topic

from . import kept as kept_counts
from .models import TopicCounts
from .queries import CappedCount, topic_count


def count(topic_id, now, *, using=DEFAULT_DB_ALIAS):
    """Return the topic's published stories at `now` (up to COUNT_CAP + 1) and when a scheduled one goes live."""
    links = TaggedArticle.objects.filter(tag=OuterRef("pk"))
    row = (
        Topic.objects.using(using).filter(pk=topic_id)
        .annotate(counted=CappedCount(topic_count(OuterRef("pk"), now)),
                  next_live=Subquery(links.next_live_time(at=now)))
        .values_list("counted", "next_live").first()
    )
    return row or (0, None)


def invalidate(topic_ids, *, using=DEFAULT_DB_ALIAS):
    """Mark these topics' counts stale now (in the caller's transaction) and count them again after it commits."""
    kept_counts.mark_stale(TopicCounts, topic_ids, using=using or DEFAULT_DB_ALIAS, refresh=refresh)


def invalidate_slugs(slugs, *, using=DEFAULT_DB_ALIAS):
    """Invalidate the counts of the topics with these slugs (cache.stories_changed names those a write touched)."""
    using = using or DEFAULT_DB_ALIAS  # signals pass None for the default database
    if slugs:
        invalidate(Topic._base_manager.using(using).filter(slug__in=list(slugs)).values_list("pk", flat=True),
                   using=using)


def forget_deleted(sender, instance, using=None, **kwargs):
    """Drop a deleted topic's count (post_delete): deleting its links marked it stale just before."""
    TopicCounts.objects.using(using or DEFAULT_DB_ALIAS).filter(topic_id=instance.pk).delete()


def refresh(topic_ids=None, *, using=DEFAULT_DB_ALIAS, now=None, force=False):
    """Count again the topics whose counts are stale or past their time (every topic when topic_ids is None).

    With force, count every one of them. Return how many were counted and kept.
    """
    now, using = now or timezone.now(), using or DEFAULT_DB_ALIAS
    topics = Topic._base_manager.using(using).values_list("pk", flat=True)
    # Those that still exist: a write may have deleted a topic after marking its count.
    topic_ids = topics if topic_ids is None else topics.filter(pk__in=list(topic_ids))

    def fields(pk):
        story_count, valid_until = count(pk, now, using=using)
        return {"story_count": story_count, "valid_until": valid_until}

    return kept_counts.refresh(TopicCounts, topic_ids, using=using, now=now, force=force, count=fields)
