"""Each topic link, quote and citation carries its story's live-from time, so lists walk one index.

A topic or analyst page lists live stories newest first. Joined to the stories, that order lives
in another table: SQLite walked the whole archive for a small topic and PostgreSQL sorted a big
one. So TaggedArticle, Commentary and Citation keep `story_live_at`, a copy of `Article.live_from`
(the publication time while the story has published status, else empty), indexed with the topic,
the analyst or the source. `published()` stays the rule: every list still filters the stories it shows through it, so
a copy that lagged could hide a story for a moment but never show one readers may not see.

The copy is written on every route: a link's own save (admin, taggit, fixtures, import_content),
the story's save (status or time changed), and `sync_links()` after bulk writes that send no signals.
"""
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import Article, Citation, Commentary, TaggedArticle

LINKS = ((TaggedArticle, "content_object"), (Commentary, "article"), (Citation, "article"))


def live_from_subquery(story_column):
    """The live-from time of the story a link row points at, as a correlated subquery."""
    story = Article._base_manager.filter(pk=OuterRef(story_column), status=Article.Status.PUBLISHED)
    return Subquery(story.values("published_at")[:1])


def sync_links(story_ids=None, *, using="default"):
    """Copy each story's live-from time onto its links; every story's when story_ids is None."""
    for model, story_field in LINKS:
        links = model._base_manager.using(using)
        if story_ids is not None:
            links = links.filter(**{f"{story_field}_id__in": list(story_ids)})
        links.update(story_live_at=live_from_subquery(f"{story_field}_id"))


@receiver(post_save, sender=Article, dispatch_uid="newsroom.visibility.story")
def _story_saved(sender, instance, using=None, **kwargs):
    # Only rows whose copy differs are written: an ordinary edit of a live story writes none.
    for model, story_field in LINKS:
        model._base_manager.using(using).filter(**{story_field: instance.pk}).exclude(
            story_live_at=instance.live_from
        ).update(story_live_at=instance.live_from)


@receiver(pre_save, sender=TaggedArticle, dispatch_uid="newsroom.visibility.topic_link")
@receiver(pre_save, sender=Commentary, dispatch_uid="newsroom.visibility.quote")
@receiver(pre_save, sender=Citation, dispatch_uid="newsroom.visibility.citation")
def _link_saved(sender, instance, using=None, **kwargs):
    story_id = instance.content_object_id if sender is TaggedArticle else instance.article_id
    story = Article._base_manager.using(using).only("status", "published_at").filter(pk=story_id).first()
    instance.story_live_at = story.live_from if story else None
