"""Writes that touch several records at once: tagging, the publishing workflow, corrections, merging topics."""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import format_lazy

from . import signals
from .changes import content_changed, stories_changed
from .models import Article, Correction, SlugRedirect, TaggedArticle, Topic, Transition
from .revisions import desk_zone_label
from .roles import can_edit_article, can_publish
from .visibility import sync_links


def _topic_named(name):
    """Return the topic with this name, ignoring case, creating it if needed."""
    topic = Topic.objects.filter(name__iexact=name).first()
    return topic or Topic.objects.create(name=name)


def _require_may_edit(user, articles):
    """Refuse the whole write if the user may not edit one of the stories (tagging is editing)."""
    if user is None:
        return  # commands and the system act with the desk's full rights
    refused = [a.headline for a in articles.order_by("pk") if not can_edit_article(user, a)]
    if refused:
        raise PermissionDenied(f"You may not change: {', '.join(refused)}.")


@transaction.atomic
def articles_tag(*, articles, name, user=None):
    """Tag every story in articles with the topic called name; return (topic, ids of stories newly tagged)."""
    _require_may_edit(user, articles)
    topic = _topic_named(name.strip())
    already = set(TaggedArticle.objects.filter(tag=topic).values_list("content_object_id", flat=True))
    new = [TaggedArticle(tag=topic, content_object_id=pk) for pk in articles.values_list("pk", flat=True)
           if pk not in already]
    TaggedArticle.objects.bulk_create(new)
    # bulk_create sends no signals: copy the stories' live-from times and make pages stale here
    # (only if a reader can see one of the stories).
    tagged = [link.content_object_id for link in new]
    sync_links(tagged)
    stories_changed(tagged)
    return topic, tagged


@transaction.atomic
def articles_untag(*, articles, name, user=None):
    """Remove the topic called name from every story in articles; return the ids of the stories that lost it."""
    _require_may_edit(user, articles)
    links = TaggedArticle.objects.filter(tag__name__iexact=name.strip(), content_object__in=articles)
    untagged = sorted(set(links.values_list("content_object_id", flat=True)))
    links.delete()
    return untagged


def _require_publish_permission(user):
    if user is not None and not can_publish(user):
        raise PermissionDenied("Only editors can publish or unpublish stories.")


def _articles_move(*, articles, action, user):
    """Apply one workflow move to every story it applies to; return how many moved."""
    _require_publish_permission(user)
    count = 0
    for article in articles.order_by("pk"):
        try:
            article_transition(article=article, action=action, user=user)
        except ValidationError:
            continue  # e.g. already live: nothing to do, and no bogus entry in the status log
        count += 1
    return count


@transaction.atomic
def articles_publish(*, articles, user):
    """Publish the stories now; a re-published story keeps its first publication time."""
    return _articles_move(articles=articles, action="publish", user=user)


@transaction.atomic
def articles_unpublish(*, articles, user):
    """Take the stories off the site at once (and cancel any schedule)."""
    return _articles_move(articles=articles, action="unpublish", user=user)


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
    # bulk_create sends no signals: copy the stories' live-from times and make pages stale here.
    sync_links(moved)
    # The target's page lists the moved stories (and counts them); the others' pages go with them.
    stories_changed(moved, scopes={("topic", target.slug)})
    content_changed()
    for topic in others:
        topic.delete()  # cascades to its remaining links
    return len(moved)


# Workflow ---------------------------------------------------------------------------------------
# A story moves between statuses only through article_transition(); the admin's status field is
# read-only. Each move is recorded as a Transition row (who, when, from, to).


@dataclass(frozen=True)
class Move:
    """One workflow action: from which statuses, to which, and whether it takes publishing rights."""

    action: str
    label: str
    sources: frozenset
    target: str
    publishes: bool
    help: str = ""


_S = Article.Status
MOVES = {
    move.action: move
    for move in [
        Move("submit", "Submit for review", frozenset({_S.DRAFT}), _S.IN_REVIEW, False,
             "Hand the story to an editor. You can no longer edit it until it is sent back."),
        Move("return", "Send back to draft", frozenset({_S.IN_REVIEW}), _S.DRAFT, True,
             "Return the story to its reporter for more work."),
        Move("publish", "Publish now", frozenset({_S.DRAFT, _S.IN_REVIEW, _S.ARCHIVED, _S.PUBLISHED}),
             _S.PUBLISHED, True, "Readers see it at once."),
        Move("schedule", "Schedule", frozenset({_S.DRAFT, _S.IN_REVIEW, _S.ARCHIVED, _S.PUBLISHED}),
             _S.PUBLISHED, True, format_lazy("Readers see it at the publication time you set ({}).", desk_zone_label)),
        Move("unpublish", "Unpublish", frozenset({_S.PUBLISHED}), _S.ARCHIVED, True,
             "Take it off the site (or cancel its schedule). It stays here, unpublished."),
        Move("reopen", "Reopen as draft", frozenset({_S.ARCHIVED}), _S.DRAFT, True,
             "Make an unpublished story a draft again."),
    ]
}


def _move_applies(move, article, now):
    if article.status not in move.sources:
        return False
    if article.status == _S.PUBLISHED and move.action in {"publish", "schedule"}:
        # A live story cannot be "published" again or pushed back into the future; a scheduled one can.
        return article.published_at is not None and article.published_at > now
    return True


def _may_move(move, article, user):
    if user is None:  # system jobs (imports, fixtures)
        return True
    if move.publishes:
        return can_publish(user)
    return can_edit_article(user, article)


def article_moves(*, article, user, at=None):
    """Return the workflow moves this user may make on this story now, in display order."""
    now = at or timezone.now()
    return [m for m in MOVES.values() if _move_applies(m, article, now) and _may_move(m, article, user)]


@transaction.atomic
def article_transition(*, article, action, user, at=None, note=""):
    """Move the story through the workflow; record who did it. Return the updated story.

    `at` is the publication time for "schedule" (it must be in the future). Raise PermissionDenied
    when the user may not make the move, ValidationError when the story is not in a state for it.
    """
    move = MOVES.get(action)
    if move is None:
        raise ValidationError(f"Unknown workflow action “{action}”.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    now = timezone.now()
    if not _move_applies(move, article, now):
        raise ValidationError(
            f"“{move.label}” is not possible: the story is {article.get_status_display().lower()}"
            + (" and already live." if article.is_published(at=now) else ".")
        )
    if not _may_move(move, article, user):
        if move.publishes:
            raise PermissionDenied("Only editors can publish, schedule, unpublish or send back stories.")
        raise PermissionDenied("You can only submit your own drafts.")

    if move.action in {"publish", "schedule"}:
        # Other apps may refuse a story that is not ready to go out (articles/signals.py).
        signals.publishing.send(sender=Article, article=article, user=user, action=move.action)
    previous = article.status
    if move.action == "schedule":
        if at is None or at <= now:
            raise ValidationError(
                f"To schedule, set a publication time in the future ({desk_zone_label}), save, then press Schedule."
            )
        article.published_at = at
    elif move.action == "publish" and (article.published_at is None or article.published_at > now):
        # Re-publishing keeps the first publication time; a scheduled story goes live now.
        article.published_at = now
    article.status = move.target
    article.version += 1
    article._history_user = user
    article.save()
    Transition.objects.create(article=article, from_status=previous, to_status=article.status, by=user, note=note)
    return article


# Slug changes -----------------------------------------------------------------------------------


def article_slug_changed(*, article, old_slug):
    """Keep a story's old address answering (with a permanent redirect) once readers may have seen it."""
    if not old_slug or old_slug == article.slug:
        return None
    # Moving back to an address the story once had: that address is live again, not a redirect.
    SlugRedirect.objects.filter(old_slug=article.slug).delete()
    was_public = article.published_at is not None and article.status in {_S.PUBLISHED, _S.ARCHIVED}
    if not was_public:
        return None
    redirect, _ = SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})
    return redirect


# Corrections ------------------------------------------------------------------------------------


def article_mark_revised(*, article_id, at):
    """Move the story's "Updated" time forward to `at` (never back); feeds and sitemaps follow it.

    An UPDATE, not save(): it must not bump the version an editor's open form was loaded with.
    """
    moved = (
        Article.objects.filter(pk=article_id, status=_S.PUBLISHED)
        .filter(Q(revised_at__isnull=True) | Q(revised_at__lt=at))
        .update(revised_at=at)
    )
    if moved:
        stories_changed([article_id], visible=True)  # an UPDATE sends no model signal
    return moved


@transaction.atomic
def correction_add(*, article, text, user, kind=Correction.Kind.CORRECTION, published_at=None):
    """Append a correction, clarification or update to a published story and refresh its updated time."""
    if not article.is_published():
        raise ValidationError("Corrections go on published stories. Edit the draft instead.")
    correction = Correction.objects.create(
        article=article, kind=kind, text=text, created_by=user, published_at=published_at or timezone.now(),
    )
    article.refresh_from_db(fields=["revised_at"])
    return correction


@receiver(post_save, sender=Correction, dispatch_uid="articles.correction_refreshes_story")
def _correction_saved(sender, instance, raw=False, **kwargs):
    # Every route (admin inline, correction list, shell, correction_add) refreshes the story;
    # fixtures (raw) carry their own revised_at.
    if not raw:
        article_mark_revised(article_id=instance.article_id, at=instance.published_at)
