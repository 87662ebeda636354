from django.urls import path, register_converter

from . import corrections, feeds, people, preview, views
from .converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")
register_converter(people.StandardsConverter, "standards")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("stories/<uslug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("preview/<int:pk>/", preview.ArticlePreviewView.as_view(), name="article_preview"),
    path("corrections/", corrections.CorrectionListView.as_view(), name="correction_list"),
    path("topics/", views.TopicListView.as_view(), name="topic_list"),
    path("topics/<uslug:slug>/", views.TopicDetailView.as_view(), name="topic_detail"),
    path("topics/<uslug:slug>/rss/", feeds.TopicFeed(), name="topic_feed_rss"),
    path("topics/<uslug:slug>/atom/", feeds.TopicAtomFeed(), name="topic_feed_atom"),
    path("analysts/", views.AnalystListView.as_view(), name="analyst_list"),
    path("analysts/<uslug:slug>/", views.AnalystDetailView.as_view(), name="analyst_detail"),
    path("analysts/<uslug:slug>/rss/", feeds.AnalystFeed(), name="analyst_feed_rss"),
    path("analysts/<uslug:slug>/atom/", feeds.AnalystAtomFeed(), name="analyst_feed_atom"),
    path("sources/<uslug:slug>/", views.SourceDetailView.as_view(), name="source_detail"),
    path("authors/", people.AuthorListView.as_view(), name="author_list"),
    path("authors/<uslug:slug>/", people.AuthorDetailView.as_view(), name="author_detail"),
    path("authors/<uslug:slug>/rss/", feeds.AuthorFeed(), name="author_feed_rss"),
    path("authors/<uslug:slug>/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    path("about/", people.StandardsPageView.as_view(), {"slug": "about"}, name="about"),
    # Only the standards pages' own addresses: /about/voices/ and the like stay free for others.
    path("about/<standards:slug>/", people.StandardsPageView.as_view(), name="standards_page"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feeds/rss/", feeds.LatestStoriesFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.LatestStoriesAtomFeed(), name="feed_atom"),
]
