"""Who we are and how we work: author pages, the staff list and the standards pages.

An author page lists only published stories (Article.objects.published()), newest first, in keyset
pages like a topic's; a former member of staff keeps theirs while a published story carries their
byline. No page here prints a login name: staff appear by their profile's display name.
"""
from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from articles.models import Article, Byline, Topic, slug_url
from pagecache.cache import CachedPageMixin
from people.models import StaffProfile, StandardsPage
from photos.pictures import STAFF_PORTRAIT, attach_staff_portraits

from . import jsonld
from .formats import absolute_url
from .pagination import KeysetPaginationMixin
from .views import SeoMixin, stories_label


class StandardsConverter:
    """A standards page's address part: one of the page kinds (About is /about/ itself)."""

    regex = "|".join(kind for kind in StandardsPage.Kind.values if kind != StandardsPage.Kind.ABOUT)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def bylines_of(profile):
    """Return the byline rows crediting this member of staff."""
    return Byline.objects.filter(author_id=profile.user_id)


def stories_by(profile):
    """Return the published stories whose byline credits this member of staff (a semi-join, not a join)."""
    return Article.objects.published().filter(pk__in=bylines_of(profile).values("article_id"))


def credited_in_published(user_column="user"):
    """Return the bylines in published stories of the account in the outer query's `user_column`."""
    return Byline.objects.filter(author=OuterRef(user_column), article__in=Article.objects.published())


def with_story_counts(profiles):
    """Give each profile `story_count`: the published stories that carry its byline."""
    counted = credited_in_published().order_by().values("author").annotate(n=Count("*")).values("n")
    return profiles.annotate(story_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))


def public_profiles():
    """Return the profiles whose page answers: current staff, and former staff with a published story."""
    return StaffProfile.objects.filter(Q(is_current=True) | Exists(credited_in_published()))


class AuthorListView(CachedPageMixin, SeoMixin, ListView):
    """Current staff, A to Z, and the former staff whose stories are still published."""

    template_name = "people/author_list.html"
    context_object_name = "authors"
    page_title = "Our staff"
    page_description = "The reporters and editors who write our stories, with what each of them covers."

    def get_queryset(self):
        # Each profile's portrait comes with it (photos/pictures.py): no query of its own.
        return with_story_counts(public_profiles()).select_related(STAFF_PORTRAIT).order_by("display_name", "pk")

    def get_context_data(self, **kwargs):
        profiles = attach_staff_portraits(list(self.object_list))
        for profile in profiles:
            profile.stories_label = stories_label(profile.story_count)
        current = [profile for profile in profiles if profile.is_current]
        former = [profile for profile in profiles if not profile.is_current]
        return super().get_context_data(object_list=current, former=former, **kwargs)

    def get_structured_data(self, context):
        return jsonld.collection(
            self.request, name=self.page_title, description=self.page_description, items=context["authors"],
        )


class AuthorDetailView(CachedPageMixin, KeysetPaginationMixin, SeoMixin, ListView):
    """One member of staff: who they are, and their published stories, newest first."""

    template_name = "people/author_detail.html"
    context_object_name = "articles"
    og_type = "profile"

    def get_queryset(self):
        expertise = Prefetch("expertise", queryset=Topic.objects.order_by("name").only("name", "slug"))
        profiles = StaffProfile.objects.select_related(STAFF_PORTRAIT).prefetch_related(expertise)
        self.profile = profiles.filter(slug=self.kwargs["slug"]).first()
        if self.profile is None:
            raise Http404("No such author.")
        attach_staff_portraits([self.profile])
        return stories_by(self.profile).for_teasers()

    def get_page_title(self):
        return self.profile.display_name

    def get_page_description(self):
        lead = ", ".join(filter(None, [self.profile.display_name, self.profile.job_title]))
        return f"{lead}: who they are and every story they have written for {settings.NEWSROOM['NAME']}."

    def get_feeds(self):
        slug = self.profile.slug
        return [(
            f"Stories by {self.profile.display_name}",
            slug_url("articles:author_feed_rss", slug),
            slug_url("articles:author_feed_atom", slug),
        )]

    def get_context_data(self, **kwargs):
        languages = [name.strip() for name in self.profile.languages.split(",") if name.strip()]
        context = super().get_context_data(
            author=self.profile, expertise=list(self.profile.expertise.all()), languages=languages, **kwargs,
        )
        if not context["page_obj"].object_list and not self.profile.is_current:
            # A former member of staff's page lives on with their published work, and only with it.
            raise Http404("No published stories by this former member of staff.")
        return context

    def get_structured_data(self, context):
        return jsonld.author_page(self.profile, expertise=context["expertise"])


class StandardsPageView(CachedPageMixin, SeoMixin, DetailView):
    """One of the pages on how the desk works; About lists them all, the masthead lists current staff."""

    template_name = "people/standards_page.html"
    context_object_name = "standards"

    def get_object(self, queryset=None):
        return get_object_or_404(StandardsPage, kind=self.kwargs["slug"])

    def get_page_title(self):
        return self.object.title

    def get_page_description(self):
        return self.object.summary or settings.NEWSROOM["TAGLINE"]

    def get_canonical_url(self):
        return absolute_url(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        kind = self.object.kind
        if kind == StandardsPage.Kind.ABOUT:
            kwargs["policies"] = StandardsPage.objects.exclude(kind=kind).only("kind", "title", "summary")
        elif kind == StandardsPage.Kind.MASTHEAD:
            kwargs["staff"] = StaffProfile.objects.filter(is_current=True).only(
                "display_name", "slug", "job_title"
            ).order_by("display_name", "pk")
        return super().get_context_data(**kwargs)

    def get_structured_data(self, context):
        return jsonld.standards_page(self.object)

