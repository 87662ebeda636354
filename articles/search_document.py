"""The text a story is found by, kept in step with the story, its commentary and the analysts' names.

Article.search_document holds headline, dek, body text, and every quoted analyst's name and quote;
the search indexes (reader/search.py) read it.
"""
import functools
import html
import re

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import strip_tags

from .models import Analyst, Article, Commentary

# Hangul jamo and syllables, kana, CJK ideographs: scripts PostgreSQL's English text-search parser cannot
# split into words, so searches for them match substrings. The same class, in the same characters, is
# the predicate of the partial trigram index (migration 0007). The reader's search and the admin's use it.
CJK_CLASS = "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
CJK = re.compile(CJK_CLASS)

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def build_search_document(article):
    """Return the plain text a story is found by: headline, dek, body, analysts' names and quotes."""
    parts = [article.headline, article.dek, html.unescape(strip_tags(article.body.replace("<", " <")))]
    if article.pk:
        for commentary in article.commentary.select_related("analyst"):
            parts += [commentary.analyst.name, commentary.text]
    text = CONTROL_CHARS.sub(" ", "\n".join(part for part in parts if part))
    return " ".join(text.split())


def refresh_search_document(article_id):
    """Store the search document of one story without touching its history or timestamps."""
    try:
        article = Article.objects.get(pk=article_id)
    except Article.DoesNotExist:
        return
    # pages: unchanged (search results are never cached; no page shows the search text).
    Article.objects.filter(pk=article_id).update(search_document=build_search_document(article))


def _refresh_later_or_now(article_id, raw):
    # A fixture (raw save) may not have loaded the story's commentary yet: wait for the commit.
    if raw:
        transaction.on_commit(functools.partial(refresh_search_document, article_id))
    else:
        refresh_search_document(article_id)


@receiver(post_save, sender=Article, dispatch_uid="search_article_saved")
def _article_saved(sender, instance, raw=False, **kwargs):
    _refresh_later_or_now(instance.pk, raw)


@receiver(post_save, sender=Commentary, dispatch_uid="search_commentary_saved")
@receiver(post_delete, sender=Commentary, dispatch_uid="search_commentary_deleted")
def _commentary_changed(sender, instance, raw=False, **kwargs):
    _refresh_later_or_now(instance.article_id, raw)


@receiver(post_save, sender=Analyst, dispatch_uid="search_analyst_saved")
def _analyst_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    for article_id in Article.objects.filter(commentary__analyst=instance).values_list("pk", flat=True).distinct():
        refresh_search_document(article_id)


