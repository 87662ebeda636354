"""The public corrections log: every correction, clarification and update on published stories."""
from django.utils import timezone
from django.views.generic import ListView

from .models import Correction
from .views import CappedPaginationMixin, SeoMixin, published_ids


class CorrectionListView(SeoMixin, CappedPaginationMixin, ListView):
    """Corrections, clarifications and updates, newest first, each linking to its story."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    page_title = "Corrections"
    page_description = "Every correction, clarification and update we have made to a published story, newest first."

    def get_queryset(self):
        return (
            Correction.objects.filter(article__in=published_ids(), published_at__lte=timezone.now())
            .select_related("article")
            .order_by("-published_at", "-pk")
        )

    def get_page_title(self):
        page = self.request.GET.get("page")
        return f"Corrections, page {page}" if page and page != "1" else self.page_title
