"""Writes that touch several records at once: tagging in bulk, publishing, merging topics."""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Article, TaggedArticle, Topic, Transition


def _topic_named(name):
    """Return the topic with this name, ignoring case, creating it if needed."""
    topic = Topic.objects.filter(name__iexact=name).first()
    return topic or Topic.objects.create(name=name)


@transaction.atomic
def articles_tag(*, articles, name):
    """Tag every story in articles with the topic called name; return (topic, stories newly tagged)."""
    topic = _topic_named(name.strip())
    already = set(TaggedArticle.objects.filter(tag=topic).values_list("content_object_id", flat=True))
    new = [TaggedArticle(tag=topic, content_object_id=pk) for pk in articles.values_list("pk", flat=True)
           if pk not in already]
    TaggedArticle.objects.bulk_create(new)
    return topic, len(new)


@transaction.atomic
def articles_untag(*, articles, name):
    """Remove the topic called name from every story in articles; return how many lost it."""
    deleted, _ = TaggedArticle.objects.filter(
        tag__name__iexact=name.strip(), content_object__in=articles
    ).delete()
    return deleted


def _require_publish_permission(user):
    if user is not None and not user.has_perm("articles.publish_article"):
        raise PermissionDenied("Only editors can publish or unpublish stories.")


@transaction.atomic
def articles_publish(*, articles, user, at=None):
    """Publish the stories now (or at `at`); keep an earlier publication time when re-publishing."""
    _require_publish_permission(user)
    now = timezone.now()
    count = 0
    for article in articles.select_for_update():
        previous = article.status
        article.status = Article.Status.PUBLISHED
        if at is not None:
            article.published_at = at
        elif article.published_at is None or article.published_at > now:
            article.published_at = now
        article.version += 1
        article.save()
        Transition.objects.create(article=article, from_status=previous, to_status=article.status, by=user)
        count += 1
    return count


@transaction.atomic
def articles_unpublish(*, articles, user):
    """Take the stories off the site at once."""
    _require_publish_permission(user)
    count = 0
    for article in articles.select_for_update().filter(status=Article.Status.PUBLISHED):
        article.status = Article.Status.ARCHIVED
        article.version += 1
        article.save()
        Transition.objects.create(
            article=article, from_status=Article.Status.PUBLISHED, to_status=article.status, by=user
        )
        count += 1
    return count


@transaction.atomic
def topics_merge(*, target, others):
    """Move every story from the other topics onto target, then delete the others.

    Return the number of stories that were retagged.
    """
    others = [t for t in others if t.pk != target.pk]
    on_target = TaggedArticle.objects.filter(tag=target).values_list("content_object_id", flat=True)
    moved = set(TaggedArticle.objects.filter(tag__in=others).values_list("content_object_id", flat=True))
    moved -= set(on_target)
    TaggedArticle.objects.bulk_create([TaggedArticle(tag=target, content_object_id=pk) for pk in moved])
    for topic in others:
        topic.delete()  # cascades to its remaining links
    return len(moved)
