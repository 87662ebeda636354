"""The private preview: a draft or scheduled story exactly as readers will see it, for the desk only."""
from django.http import Http404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView

from articles.models import Article
from articles.roles import can_read_article

from .views import ArticleDetailView


class ArticlePreviewView(ArticleDetailView):
    """The public story page, for any status, behind login; never cached, never indexed."""

    noindex = True
    cache_scope, cache_learns = None, False  # addressed by id, and never kept (no-store)

    def dispatch(self, request, *args, **kwargs):
        # Anonymous visitors learn nothing, not even that the address exists.
        if not (request.user.is_authenticated and request.user.is_staff):
            raise Http404("No story here.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        # Skip the reader view's old-address redirect: previews are addressed by id.
        response = DetailView.get(self, request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_queryset(self):
        # The reader page's parts, without its published() filter.
        return self.with_story_parts(Article.objects.all())

    def get_object(self, queryset=None):
        # Any status, by id: the reader page's own lookup (published stories by slug) is not for previews.
        article = DetailView.get_object(self, queryset)
        if not can_read_article(self.request.user, article):
            raise Http404("No story here.")
        self.is_scheduled = article.is_scheduled()
        if article.published_at is None or not (article.is_published() or self.is_scheduled):
            # Shown as if published now; nothing is saved.
            article.published_at = timezone.now()
        return article

    def get_canonical_url(self):
        return ""  # a preview has no public address to point search engines at

    def get_preview(self):
        return {
            "status": "Scheduled" if self.is_scheduled else self.object.get_status_display(),
            "scheduled_for": self.object.published_at if self.is_scheduled else None,
            "live": self.object.is_published(),
        }
