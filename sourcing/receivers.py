"""Mark the sourcing summary's buckets stale when what it counts changes (sourcing/summary.py).

Inside the write's own transaction, counted again after it commits. The core's ``stories_changed``
names the stories a write touched (their quotes, citations, status, time); a story's save also
names the day it was live from before the write (unpublishing, moving its time). Its analysts'
organization and the organizations' kind, country and state control change which group a quote or
citation counts under: those writes send no ``stories_changed``, so model signals here mark the days
of the stories they reach.
"""
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from articles import signals
from articles.models import Analyst, Article, Organization, Source

from . import summary

PUBLISHED = Article.Status.PUBLISHED


def _using(using):
    return using or DEFAULT_DB_ALIAS


def _live_times(stories, using):
    return stories.using(_using(using)).filter(status=PUBLISHED).values_list("published_at", flat=True).distinct()


def stories_changed(sender=None, *, story_ids=(), using=None, **kwargs):
    """Mark stale the buckets of the stories the write touched, as they are now."""
    ids = [pk for pk in story_ids if pk is not None]
    if ids:
        summary.mark_stale_at(_live_times(Article._base_manager.filter(pk__in=ids), using), using=_using(using))


def _story_before(sender, instance, using=None, raw=False, **kwargs):
    # Read from the database: the day the story counted under before this write.
    instance._sourcing_live_before = (
        _live_times(Article._base_manager.filter(pk=instance.pk), using).first() if instance.pk else None
    )


def _story_after(sender, instance, using=None, **kwargs):
    summary.mark_stale_at([getattr(instance, "_sourcing_live_before", None), instance.live_from], using=_using(using))


def _quoting(analysts, using):
    return _live_times(Article._base_manager.filter(commentary__analyst__in=analysts), using)


def _citing(sources, using):
    return _live_times(Article._base_manager.filter(citations__source__in=sources), using)


def _analyst_after(sender, instance, created=False, using=None, **kwargs):
    if not created and getattr(instance, "_sourcing_before", None) != (instance.organization_id,):
        summary.mark_stale_at(_quoting([instance.pk], using), using=_using(using))


ORGANIZATION_FIELDS = ("kind", "country", "state_controlled")
SOURCE_FIELDS = ("organization_id", "kind")


def _fields_before(model, fields):
    def before(sender, instance, using=None, raw=False, **kwargs):
        instance._sourcing_before = (
            model._base_manager.using(_using(using)).filter(pk=instance.pk).values_list(*fields).first()
            if instance.pk else None
        )
    return before


def _organization_after(sender, instance, created=False, using=None, **kwargs):
    now = tuple(getattr(instance, name) for name in ORGANIZATION_FIELDS)
    if not created and getattr(instance, "_sourcing_before", None) != now:
        _mark_organization(instance.pk, using)


def _mark_organization(pk, using):
    analysts = Analyst._base_manager.filter(organization=pk).values("pk")
    sources = Source._base_manager.filter(organization=pk).values("pk")
    summary.mark_stale_at({*_quoting(analysts, using), *_citing(sources, using)}, using=_using(using))


def _organization_deleting(sender, instance, using=None, **kwargs):
    # Its analysts and sources lose it by an UPDATE (SET_NULL) that sends no signal: mark their days now,
    # inside the delete's transaction, counted after it commits.
    _mark_organization(instance.pk, using)


def _source_after(sender, instance, created=False, using=None, **kwargs):
    now = tuple(getattr(instance, name) for name in SOURCE_FIELDS)
    if not created and getattr(instance, "_sourcing_before", None) != now:
        summary.mark_stale_at(_citing([instance.pk], using), using=_using(using))


def connect():
    uid = "newsroom.sourcing.summary"
    signals.stories_changed.connect(stories_changed, dispatch_uid=f"{uid}.stories_changed")
    pre_save.connect(_story_before, sender=Article, dispatch_uid=f"{uid}.story.before_save")
    post_save.connect(_story_after, sender=Article, dispatch_uid=f"{uid}.story.save")
    pre_delete.connect(_story_before, sender=Article, dispatch_uid=f"{uid}.story.before_delete")
    post_delete.connect(_story_after, sender=Article, dispatch_uid=f"{uid}.story.delete")
    pre_save.connect(_fields_before(Analyst, ("organization_id",)), sender=Analyst, weak=False,
                     dispatch_uid=f"{uid}.analyst.before_save")
    post_save.connect(_analyst_after, sender=Analyst, dispatch_uid=f"{uid}.analyst.save")
    pre_save.connect(_fields_before(Organization, ORGANIZATION_FIELDS), sender=Organization, weak=False,
                     dispatch_uid=f"{uid}.organization.before_save")
    post_save.connect(_organization_after, sender=Organization, dispatch_uid=f"{uid}.organization.save")
    pre_delete.connect(_organization_deleting, sender=Organization, dispatch_uid=f"{uid}.organization.delete")
    pre_save.connect(_fields_before(Source, SOURCE_FIELDS), sender=Source, weak=False,
                     dispatch_uid=f"{uid}.source.before_save")
    post_save.connect(_source_after, sender=Source, dispatch_uid=f"{uid}.source.save")
