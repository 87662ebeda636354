from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.admin import view_on_site
from ingest import views as ingest_views
from reader.sitemaps import SITEMAPS, news_sitemap, sitemap, sitemap_index
from reader.views import robots_txt
from sourcing.public import voices_page
from sourcing.views import sourcing_dashboard

from .health import healthz

admin.site.site_header = "Newsroom editorial"
admin.site.site_title = "Newsroom editorial"
admin.site.index_title = "Desk"

handler404 = "reader.views.page_not_found"
handler500 = "reader.views.server_error"

urlpatterns = [
    # The reader pages first: a request is matched against the patterns in order, and readers are
    # most of them (none of these patterns takes an address the ones below answer).
    path("", include("reader.urls")),
    # Whom the desk quotes, in aggregate: the sourcing desk's measures, linked from the diversity policy.
    path("about/voices/", voices_page, name="diverse_voices"),
    path(
        "admin/articles/import-copy/",
        admin.site.admin_view(ingest_views.ImportCopyView.as_view()),
        name="import_copy",
    ),
    path(
        "admin/articles/import-copy/<int:pk>/",
        admin.site.admin_view(ingest_views.ImportCopyReviewView.as_view()),
        name="import_copy_review",
    ),
    path("admin/articles/sourcing/", sourcing_dashboard, name="sourcing_dashboard"),
    # Before the admin's own: its "View on site" would send anyone to any story's address.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS}, name="sitemap_index"),
    # Before the sections' pattern, which would take "news" for a section's name.
    path("sitemap-news.xml", news_sitemap, name="sitemap_news"),
    # The name the index looks each section's sitemap up by.
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

# Uploaded pictures, in development only (DEBUG): in production the web server or a CDN serves
# MEDIA_ROOT (docs/operations.md, "Media"). static() adds nothing otherwise.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
