"""How the library follows the editorial core: it refuses stories whose pictures are not ready, keeps each
story's figures in step with its text, and tells the core when what readers see of a picture or a portrait
changes."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from articles import changes, signals
from articles.models import Article

from .checks import story_image_problems
from .figures import figures_in
from .models import AnalystPortrait, BodyFigure, LeadImage, Photo, StaffPortrait


def refuse_unready_images(sender, article, **kwargs):
    problems = story_image_problems(article)
    if problems:
        raise ValidationError(problems)


def sync_figures(sender, instance, using=None, **kwargs):
    """Record which library pictures the story's text shows (the library's "where used")."""
    figures = figures_in(instance.body)
    existing = set(Photo.objects.using(using).filter(pk__in=[pk for pk, _ in figures]).values_list("pk", flat=True))
    wanted = [(pk, alt) for pk, alt in figures if pk in existing]
    kept = BodyFigure.objects.using(using).filter(article_id=instance.pk)
    have = {figure.photo_id: figure for figure in kept}
    if [(f.photo_id, f.alt_text, f.sort_order) for f in sorted(have.values(), key=lambda f: f.sort_order)] == [
        (pk, alt, n) for n, (pk, alt) in enumerate(wanted)
    ]:
        return
    kept.delete()
    BodyFigure.objects.using(using).bulk_create([
        BodyFigure(article_id=instance.pk, photo_id=pk, alt_text=alt, sort_order=n)
        for n, (pk, alt) in enumerate(wanted)
    ])


def photo_changed(sender, instance, using=None, **kwargs):
    """Pages that show the picture are stale: its words, its crops or its rights changed."""
    stories = set(LeadImage.objects.using(using).filter(photo=instance).values_list("article_id", flat=True))
    stories |= set(BodyFigure.objects.using(using).filter(photo=instance).values_list("article_id", flat=True))
    if stories:
        changes.stories_changed(sorted(stories), using=using)
    if any(model.objects.using(using).filter(photo=instance).exists() for model in (AnalystPortrait, StaffPortrait)):
        changes.content_changed(using=using)


def photo_deleted(sender, instance, using=None, **kwargs):
    from .services import delete_files_of

    transaction.on_commit(lambda: delete_files_of(instance), using=using)


def lead_image_changed(sender, instance, using=None, **kwargs):
    changes.stories_changed([instance.article_id], using=using)


def portrait_changed(sender, using=None, **kwargs):
    # A portrait shows on an analyst's or an author's page and the staff list: pages the core's
    # content_changed makes stale (as a change to the analyst or the profile itself would).
    changes.content_changed(using=using)


def connect():
    signals.publishing.connect(refuse_unready_images, dispatch_uid="photos.refuse_unready_images")
    post_save.connect(sync_figures, sender=Article, dispatch_uid="photos.sync_figures")
    post_save.connect(photo_changed, sender=Photo, dispatch_uid="photos.photo_changed")
    post_delete.connect(photo_deleted, sender=Photo, dispatch_uid="photos.photo_deleted")
    post_save.connect(lead_image_changed, sender=LeadImage, dispatch_uid="photos.lead_image_saved")
    post_delete.connect(lead_image_changed, sender=LeadImage, dispatch_uid="photos.lead_image_deleted")
    for model in (AnalystPortrait, StaffPortrait):
        uid = f"photos.{model._meta.model_name}"
        post_save.connect(portrait_changed, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(portrait_changed, sender=model, dispatch_uid=f"{uid}.deleted")
