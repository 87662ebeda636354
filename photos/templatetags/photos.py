"""Template helpers for library pictures on reader pages."""
from django import template

from ..figures import render_figures

register = template.Library()


@register.filter
def with_figures(body_html, pictures):
    """Draw the body's library figures from their renditions (photos/figures.py); `pictures` is a StoryPictures."""
    return render_figures(body_html, getattr(pictures, "figures", None) or {})
