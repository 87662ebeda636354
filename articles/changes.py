"""What a write changed for readers, announced on the core's signals (articles/signals.py).

Every route that writes (the admin, services, the shell, fixtures, imports) goes through Django's
model signals; the receivers here work out which stories and which topic, analyst, source and story
pages a write touched, and send stories_changed or content_changed. Writes that send no model
signals (bulk_create, QuerySet.update()) call stories_changed() here themselves.
"""
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from . import signals
from .models import (
    Analyst,
    Article,
    Byline,
    Citation,
    Commentary,
    Correction,
    Organization,
    SlugRedirect,
    Source,
    TaggedArticle,
    Topic,
)


def content_changed(*, using=None):
    """Announce a write readers may see anywhere (a topic, an analyst, a source, a staff name)."""
    signals.content_changed.send(sender=None, using=using)


def story_scopes(story_ids, *, using=None):
    """Return the (kind, slug) scopes of these stories' own pages and of the topic, analyst and
    source pages that list them."""
    ids = list(story_ids)
    links = (
        ("topic", TaggedArticle, "content_object_id", "tag__slug"),
        ("analyst", Commentary, "article_id", "analyst__slug"),
        ("source", Citation, "article_id", "source__slug"),
    )
    scopes = {
        (kind, slug)
        for kind, model, story_column, slug_field in links
        for slug in model._base_manager.using(using).filter(**{f"{story_column}__in": ids})
        .values_list(slug_field, flat=True).distinct()
    }
    stories = Article._base_manager.using(using).filter(pk__in=ids).values_list("slug", flat=True)
    return scopes | {("story", slug) for slug in stories}


def stories_changed(story_ids, *, using=None, scopes=(), visible=None):
    """Call after a write to these stories or their parts: pages change only if a reader can see one of them.

    Stale are the pages of the whole desk (home, lists, feeds, story pages: the generation) and the
    pages of the topics, analysts and sources these stories are linked to, plus `scopes` (links
    the write removed). Every other topic's, analyst's and source's pages stay cached. Published
    status includes scheduled stories (pages record when those go live); `visible` skips that check.
    """
    story_ids = [pk for pk in story_ids if pk is not None]
    if visible is None:
        visible = Article._base_manager.using(using).filter(
            pk__in=story_ids, status=Article.Status.PUBLISHED
        ).exists()
    if visible:
        touched = {*story_scopes(story_ids, using=using), *scopes}
        signals.stories_changed.send(sender=Article, story_ids=story_ids, scopes=frozenset(touched), using=using)



def _changed(sender, using=None, **kwargs):
    content_changed(using=using)


def _story_status_before(sender, instance, using=None, **kwargs):
    # Read from the database, not the instance: an instance can be older than the row it saves over.
    instance._status_before = (
        sender._base_manager.using(using).filter(pk=instance.pk).values_list("status", flat=True).first()
        if instance.pk else None
    )


def _story_changed(sender, instance, using=None, **kwargs):
    # A story readers could not see before this write and cannot see after it changes no public
    # page (published status includes scheduled): draft edits and autosaves keep every cached page.
    published = sender.Status.PUBLISHED
    if published in (instance.status, getattr(instance, "_status_before", published)):
        stories_changed([instance.pk], using=using, visible=True)


def _part_columns(model):
    """Return (story column, (scope kind, column of what it links)) of a story part; the second may be None."""
    if model is TaggedArticle:
        return "content_object_id", ("topic", "tag_id")
    if model is Commentary:
        return "article_id", ("analyst", "analyst_id")
    if model is Citation:
        return "article_id", ("source", "source_id")
    return "article_id", None  # corrections and bylines: the story's own pages


def _scopes_of(kind, ids, using):
    """Return the (kind, slug) scopes of these topics, analysts or sources."""
    model = {"topic": Topic, "analyst": Analyst, "source": Source}[kind]
    ids = [pk for pk in ids if pk is not None]
    return {(kind, slug) for slug in model._base_manager.using(using).filter(pk__in=ids).values_list("slug", flat=True)}


def _story_part_before(sender, instance, using=None, **kwargs):
    # What the row linked before this save: moving a quote to another analyst changes both pages.
    story_column, linked = _part_columns(sender)
    columns = [story_column, *([linked[1]] if linked else [])]
    instance._links_before = (
        sender._base_manager.using(using).filter(pk=instance.pk).values_list(*columns).first() if instance.pk else None
    )


def _story_part_changed(sender, instance, using=None, **kwargs):
    """A topic link, quote, citation, byline or correction changes public pages only on a published story."""
    story_column, linked = _part_columns(sender)
    before = getattr(instance, "_links_before", None) or ()
    stories = {getattr(instance, story_column), *before[:1]}
    scopes = set()
    if linked:
        scopes = _scopes_of(linked[0], {getattr(instance, linked[1]), *before[1:]}, using)
    stories_changed(stories, using=using, scopes=scopes)


def _m2m_changed(sender, instance, action, model=None, pk_set=None, using=None, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Article):
        kind = {Topic: "topic", Analyst: "analyst", Source: "source"}.get(model)
        scopes = _scopes_of(kind, pk_set, using) if kind and pk_set else set()
        stories_changed([instance.pk], using=using, scopes=scopes)  # a story's topics
    else:
        content_changed(using=using)


def _user_saved(sender, update_fields=None, using=None, **kwargs):
    # Bylines print staff names; a login only touches last_login.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    content_changed(using=using)


def connect():
    """Replace the generation on every write to what public pages show, from any route."""
    for model in (Topic, Analyst, Organization, Source, SlugRedirect):
        uid = f"newsroom.changes.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
    pre_save.connect(_story_status_before, sender=Article, dispatch_uid="newsroom.changes.article.before_save")
    pre_delete.connect(_story_status_before, sender=Article, dispatch_uid="newsroom.changes.article.before_delete")
    post_save.connect(_story_changed, sender=Article, dispatch_uid="newsroom.changes.article.save")
    post_delete.connect(_story_changed, sender=Article, dispatch_uid="newsroom.changes.article.delete")
    for model in (TaggedArticle, Commentary, Citation, Correction, Byline):
        uid = f"newsroom.changes.{model._meta.label_lower}"
        pre_save.connect(_story_part_before, sender=model, dispatch_uid=f"{uid}.before_save")
        post_save.connect(_story_part_changed, sender=model, dispatch_uid=f"{uid}.save")
        # Deleting a story deletes its parts first, while it still exists: its own delete is counted above.
        post_delete.connect(_story_part_changed, sender=model, dispatch_uid=f"{uid}.delete")
    for through in (TaggedArticle, Commentary, Citation):
        uid = f"newsroom.changes.m2m.{through._meta.model_name}"
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=uid)
    user = get_user_model()
    post_save.connect(_user_saved, sender=user, dispatch_uid="newsroom.changes.user.save")
    post_delete.connect(_changed, sender=user, dispatch_uid="newsroom.changes.user.delete")
