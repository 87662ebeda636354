"""Small template helpers for the reader site."""
from django import template
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from articles.models import site_url as plain_url
from articles.models import slug_url
from articles.sanitize import clean_html
from pagecache.fragments import render_stories

from .. import formats

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """Return the query string for page `number`, keeping the other parameters (e.g. q)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    if number > 1:
        params["page"] = number
    query = urlencode(sorted(params.items()))
    return f"?{query}" if query else context["request"].path


@register.simple_tag
def site_url(name, slug=None):
    """Return the URL named `name` (with `slug=` if given), as {% url %} does, remembered per URL configuration.

    Reversing was a tenth of an uncached page's render: the shell links the same ten pages every time.
    """
    return plain_url(name) if slug is None else slug_url(name, slug)


@register.filter
def machine_time(value):
    """Format a time for machines (<time datetime>, meta tags, sitemaps): ISO 8601, whole seconds."""
    return formats.machine_time(value)


@register.filter
def sanitized(html):
    """Render story HTML through the allow-list again: fixtures load without Article.save()."""
    return mark_safe(clean_html(html))  # noqa: S308 - clean_html keeps only allow-listed markup


@register.simple_tag
def story_fragments(template_name, stories, **context):
    """Render each story with template_name, reusing fragments whose content has not changed."""
    return render_stories(template_name, stories, **context)


@register.simple_tag
def fragment(template_name, obj, **context):
    """Render one object with template_name, reused while nothing it shows has changed (pagecache/fragments.py)."""
    return render_stories(template_name, [obj], **context)
