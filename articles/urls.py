from django.urls import path, register_converter

from . import views
from .converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("stories/<uslug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("topics/<uslug:slug>/", views.TopicDetailView.as_view(), name="topic_detail"),
    path("analysts/<uslug:slug>/", views.AnalystDetailView.as_view(), name="analyst_detail"),
    path("sources/<uslug:slug>/", views.SourceDetailView.as_view(), name="source_detail"),
]
