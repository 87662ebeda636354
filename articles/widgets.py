"""Admin widgets."""
from taggit.forms import TagWidget

from .models import Topic


class TopicAutocompleteWidget(TagWidget):
    """A comma-separated topic box that suggests existing topics as the editor types.

    Without JavaScript the browser's datalist still suggests whole names; with it, the suggestion
    completes only the topic being typed after the last comma. New names create new topics.
    """

    template_name = "admin/articles/widgets/topic_autocomplete.html"

    class Media:
        js = ["articles/js/topic_autocomplete.js"]
        css = {"all": ["articles/css/admin.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = "topic-suggestions"
        context["widget"]["attrs"]["autocomplete"] = "off"
        context["widget"]["attrs"].setdefault("class", "vTextField topic-input")
        context["topic_names"] = list(Topic.objects.order_by("name").values_list("name", flat=True)[:2000])
        return context
