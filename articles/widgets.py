"""Admin widgets."""
from taggit.forms import TagWidget


class TopicAutocompleteWidget(TagWidget):
    """A comma-separated topic box that suggests existing topics as the editor types.

    The suggestions are asked for as the editor types (`suggest_url`: the admin's topic search,
    names containing what follows the last comma) and complete only that topic, keeping the ones
    before it. The form does not carry every topic's name: at 2,000 topics listing them was a tenth
    of the story form's time. New names create new topics.
    """

    template_name = "admin/articles/widgets/topic_autocomplete.html"

    class Media:
        js = ["articles/js/topic_autocomplete.js"]
        css = {"all": ["articles/css/admin.css"]}

    def __init__(self, attrs=None, suggest_url=""):
        super().__init__(attrs)
        self.suggest_url = suggest_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = "topic-suggestions"
        widget_attrs["autocomplete"] = "off"
        widget_attrs.setdefault("class", "vTextField topic-input")
        if self.suggest_url:
            widget_attrs["data-suggest-url"] = self.suggest_url
        return context
