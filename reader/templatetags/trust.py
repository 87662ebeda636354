"""Template helpers for the story page's trust panels (sources in this story)."""
from django import template

register = template.Library()


@register.filter
def first_per_analyst(commentary):
    """Return the story's quotes, one per analyst (the first, as printed), in the story's order."""
    seen, first = set(), []
    for item in commentary:
        if item.analyst_id not in seen:
            seen.add(item.analyst_id)
            first.append(item)
    return first
