"""The public corrections log: every correction, clarification and update on published stories."""
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.views.generic import ListView

from articles.models import Article, Correction

from .views import CappedPaginationMixin, SeoMixin


class CorrectionListView(SeoMixin, CappedPaginationMixin, ListView):
    """Corrections, clarifications and updates, newest first, each linking to its story."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    page_title = "Corrections"
    page_description = "Every correction, clarification and update we have made to a published story, newest first."

    def get_queryset(self):
        # A probe of each correction's story, newest correction first: "story IN (every published
        # story)" made SQLite list all 95,000 published ids first (28 ms with no correction at all).
        on_published_story = Exists(Article.objects.published().filter(pk=OuterRef("article_id")))
        return (
            Correction.objects.filter(on_published_story, published_at__lte=timezone.now())
            .select_related("article")
            .order_by("-published_at", "-pk")
        )

    def get_page_title(self):
        page = self.request.GET.get("page")
        return f"Corrections, page {page}" if page and page != "1" else self.page_title
