"""Admin pages for importing wire copy ("Import copy") and reviewing what it suggests."""
from django.contrib import admin, messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from articles import roles
from articles.models import Analyst, Article, Source

from . import MAX_BYTES
from .forms import ImportCopyForm, SuggestionForm
from .match import STOPWORDS, normalize_name, rank
from .models import CopyImport
from .services import copy_import, suggestion_matches, suggestions_apply

# The review screen's look-ups of the records a suggestion may be --------------------------------
#
# ingest.match finds candidates whose name contains a word of the suggestion's (icontains): on
# PostgreSQL the trigram indexes on the names serve that (articles migration 0018). SQLite has no
# such index and would read every analyst's or source's name once per suggestion, so there the
# candidates are the names that begin with one of the words (as printed, capitalized, upper case,
# or after "The "): a range of the name index each (articles migration 0019). Ranking is match.rank
# either way, on at most CANDIDATES names.
CANDIDATES = 500
TOP = "\U0010ffff"  # sorts after every character: name >= word and name < word + TOP is "begins with word"


def name_prefixes(name):
    """Return the prefixes a record of this name may begin with: each word as printed and capitalized."""
    words = {w for w in normalize_name(name).split() if len(w) >= 3 and w not in STOPWORDS}
    printed = {w.strip("\"'“”‘’()[],.") for w in (name or "").replace("-", " ").split()}
    words |= {w for w in printed if len(w) >= 3 and w.casefold() not in STOPWORDS}
    prefixes = set()
    for word in words:
        for form in {word, word.capitalize(), word.upper()}:
            prefixes |= {form, f"The {form}"}
    return sorted(prefixes)


def prefix_candidates(model, name):
    """Return (pk, name) of the model's records whose name begins with one of the name's words."""
    prefixes = name_prefixes(name)
    if not prefixes:
        return []
    query = Q()
    for prefix in prefixes:
        query |= Q(name__gte=prefix, name__lt=prefix + TOP)
    return list(model.objects.filter(query).order_by().values_list("pk", "name")[:CANDIDATES])


def review_matches(suggestion):
    """Return the records a suggestion may be (best first), as ingest.services.suggestion_matches does."""
    if connection.vendor == "postgresql":
        return suggestion_matches(suggestion)
    if suggestion["target"] == "commentary":
        return rank(suggestion["speaker"], prefix_candidates(Analyst, suggestion["speaker"]))
    name = suggestion["source_name"] or suggestion["speaker"]
    return rank(name, prefix_candidates(Source, name), subset=True)


class IngestAdminMixin(UserPassesTestMixin):
    """Asks the role table (articles/roles.py); pages look like the admin's. Wrap in admin.site.admin_view."""

    capability = roles.IMPORT_COPY
    raise_exception = True

    def test_func(self):
        return roles.can(self.request.user, self.capability)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(admin.site.each_context(self.request))
        context["opts"] = Article._meta
        return context


class ImportCopyView(IngestAdminMixin, FormView):
    template_name = "admin/articles/import_copy.html"
    form_class = ImportCopyForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = "Import copy"
        context["max_mb"] = MAX_BYTES // 1_000_000
        # Reporters see their own imports only (roles.REVIEW_COPY).
        imports = roles.narrow(self.request.user, roles.REVIEW_COPY, CopyImport.objects.all())
        context["recent"] = imports.select_related("article", "created_by")[:10]
        return context

    def form_valid(self, form):
        with transaction.atomic():
            results = [copy_import(copy=copy, user=self.request.user) for copy in form.cleaned_data["copies"]]
        for result in results:
            if result.created:
                messages.success(
                    self.request,
                    f"{result.filename}: saved as a draft story with {len(result.copy_import.suggestions)} "
                    "attributed statements to review. Nothing is published.",
                )
            elif roles.can(self.request.user, roles.REVIEW_COPY, result.copy_import):
                messages.info(
                    self.request,
                    f"{result.filename}: this copy was imported before; here is its draft. Nothing was duplicated.",
                )
            else:
                messages.info(
                    self.request,
                    f"{result.filename}: a colleague imported this copy before; ask an editor for its draft. "
                    "Nothing was duplicated.",
                )
        if len(results) == 1 and roles.can(self.request.user, roles.REVIEW_COPY, results[0].copy_import):
            return redirect("import_copy_review", pk=results[0].copy_import.pk)
        return redirect("import_copy")


class ImportCopyReviewView(IngestAdminMixin, TemplateView):
    template_name = "admin/articles/import_copy_review.html"
    capability = roles.REVIEW_COPY

    @cached_property
    def copy_import(self):
        # Someone else's import is "not found" to a reporter.
        imports = roles.narrow(self.request.user, roles.REVIEW_COPY, CopyImport.objects.all())
        return get_object_or_404(imports.select_related("article"), pk=self.kwargs["pk"])

    def get_forms(self, data=None):
        return [
            SuggestionForm(data, suggestion=suggestion, matches=review_matches(suggestion))
            for suggestion in self.copy_import.suggestions
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = kwargs.get("forms") or self.get_forms()
        article = self.copy_import.article
        statuses = [s["status"] for s in self.copy_import.suggestions]
        context.update(
            title="Review imported copy",
            copy_import=self.copy_import,
            article=article,
            article_url=reverse("admin:articles_article_change", args=[article.pk]) if article else "",
            forms=forms,
            pending=statuses.count("pending"),
            confirmed=statuses.count("confirmed"),
            rejected=statuses.count("rejected"),
        )
        return context

    def post(self, request, *args, **kwargs):
        forms = [form for form in self.get_forms(request.POST) if not form.done]
        if not all(form.is_valid() for form in forms):
            messages.error(request, "Some suggestions need fixing; see the messages next to them. Nothing was saved.")
            return self.render_to_response(self.get_context_data(forms=self.get_forms(request.POST)))
        if self.copy_import.article is None:
            messages.error(request, "The draft story for this copy was deleted; import the copy again first.")
            return redirect("import_copy_review", pk=self.copy_import.pk)
        decisions = {form.suggestion["id"]: form.decision() for form in forms}
        if "confirm_all" in request.POST:  # every statement the editor left undecided, with their edits
            for decision in decisions.values():
                if decision.get("action") == "later":
                    decision["action"] = "confirm"
        try:
            confirmed, rejected = suggestions_apply(
                copy_import=self.copy_import, decisions=decisions, user=request.user
            )
        except PermissionDenied as exc:
            messages.error(request, f"{exc} Nothing was saved.")
            return redirect("import_copy_review", pk=self.copy_import.pk)
        messages.success(
            request,
            f"{confirmed} confirmed and added to the draft, {rejected} rejected. The story is still a draft.",
        )
        return redirect("import_copy_review", pk=self.copy_import.pk)
