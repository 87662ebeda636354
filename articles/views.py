"""Public pages. Everything here shows published stories only."""
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Analyst, Article, Source, Topic


class HomeView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().newest_first().for_listing()


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published()


class TopicDetailView(ListView):
    template_name = "articles/topic_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return Article.objects.published().tagged(self.topic).newest_first().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


class AnalystDetailView(DetailView):
    model = Analyst
    context_object_name = "analyst"


class SourceDetailView(DetailView):
    model = Source
    context_object_name = "source"
