"""The story form's sourcing checks: a panel on the form and a warning after each save.

The sourcing app extends the editorial admin's story form; the core knows nothing of it.
"""
from django.contrib import admin, messages

from articles.admin import ArticleAdmin
from articles.models import Article

from .checks import run_checks
from .views import can_view_sourcing


class SourcedArticleAdmin(ArticleAdmin):
    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The sourcing-checks panel (templates/admin/articles/article/sourcing_checks.html).
        obj = self.get_object(request, admin.utils.unquote(object_id)) if request.method == "GET" else None
        if obj is not None:
            extra_context = {
                **(extra_context or {}),
                "sourcing_warnings": run_checks(obj),
                "sourcing_checked": True,
                "sourcing_dashboard": can_view_sourcing(request.user),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Sourcing checks warn; they never stop a save.
        for warning in run_checks(form.instance):
            self.message_user(request, f"Sourcing: {warning.message} {warning.fix}".strip(), messages.WARNING)


admin.site.unregister(Article)
admin.site.register(Article, SourcedArticleAdmin)
