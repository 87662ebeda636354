"""The sourcing dashboard's filters: a period and, optionally, one topic."""
import datetime

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.models import Topic

from .report import Period

DEFAULT_DAYS = 90


class TopicSelect(forms.Select):
    """The topic filter's select, its options written in one pass: Django's Select renders each of the
    hundreds of topics through the option template, a quarter of the dashboard's time. The markup is
    the same (a test compares them)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n\n  ", '<option value="{}"{}>{}</option>',
            ((option["value"], " selected" if option["selected"] else "", option["label"])
             for _, group, _ in widget["optgroups"] for option in group),
        )
        # As django/forms/widgets/attrs.html writes them, in their order.
        attrs = format_html_join(
            "", ' {}{}', ((key, "" if value is True else format_html('="{}"', value))
                          for key, value in widget["attrs"].items() if value is not False),
        )
        return format_html('<select name="{}"{}>\n  {}\n\n</select>', widget["name"], attrs, options)


class SourcingFilterForm(forms.Form):
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="First day counted (desk time). Empty: 90 days before “To”.",
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Last day counted, included. Empty: today.",
    )
    topic = forms.ModelChoiceField(
        label="Topic", required=False, queryset=Topic.objects.order_by("name"), to_field_name="slug",
        empty_label="All topics", help_text="Count only stories with this topic.", widget=TopicSelect,
    )

    def clean(self):
        data = super().clean()
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError("“From” must be on or before “To”.")
        data["start"], data["end"] = start, end
        return data

    def period(self):
        """Return the Period the valid form describes."""
        return Period(start=self.cleaned_data["start"], end=self.cleaned_data["end"], topic=self.cleaned_data["topic"])
