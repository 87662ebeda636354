"""Template context every page needs."""
from django.conf import settings


def site(request):
    """Expose the publication's name, tagline and language to templates."""
    return {"newsroom": settings.NEWSROOM}
