"""Shared set-up for the workflow tests: desk roles and story-form posts like the admin's."""
import datetime
import io
import json
import re

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from ..factories import UserFactory

INLINE_PREFIXES = ("bylines", "commentary", "citations", "corrections")
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def person(role, username):
    """Return a staff account in one of the desk's roles (Reporter, Editor, Admin)."""
    if not Group.objects.filter(name=role).exists():
        call_command("setup_roles", stdout=io.StringIO())
    user = UserFactory(username=username, first_name=username.capitalize(), last_name="Testwright")
    user.groups.add(Group.objects.get(name=role))
    return user


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def add_url():
    return reverse("admin:articles_article_add")


def local_parts(value):
    """Split an aware time into the admin's date and time boxes, in the desk's zone."""
    if value is None:
        return "", ""
    local = timezone.localtime(value)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def story_post(article=None, **overrides):
    """Return what the story form posts: the story's current values (or a new draft) plus overrides."""
    if article is None:
        article = Article(
            headline="Freedonia opens a fictional border post", slug="freedonia-opens-a-fictional-border-post",
            dek="An imaginary crossing, for tests.", dateline="FREEDONIA CITY", credit="Test Desk",
            body="<p>The post opened at dawn.</p>", kind=Article.Kind.NEWS,
        )
    published_date, published_time = local_parts(article.published_at)
    revised_date, revised_time = local_parts(article.revised_at)
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "dateline": article.dateline,
        "credit": article.credit,
        "body": article.body,
        "kind": article.kind,
        "topics": ", ".join(t.name for t in article.topics.all()) if article.pk else "",
        "published_at_0": published_date,
        "published_at_1": published_time,
        "revised_at_0": revised_date,
        "revised_at_1": revised_time,
    }
    if article.pk:
        data["loaded_version"] = str(article.version)
    for prefix in INLINE_PREFIXES:
        data.update(management(prefix))
    data.update(overrides)
    return data


def in_seoul(days=0, hours=0, **kwargs):
    """Return now plus an offset, as an aware time."""
    return timezone.now() + datetime.timedelta(days=days, hours=hours, **kwargs)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def jsonld_blocks(response):
    return [json.loads(block) for block in JSONLD.findall(response.content.decode())]
