from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Newsroom editorial"
admin.site.site_title = "Newsroom editorial"
admin.site.index_title = "Desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]
