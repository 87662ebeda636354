"""The kept counts on the desk's analyst and topic lists.

The core's lists (articles/admin.py) count nothing per row: counting every analyst's quotes or
every topic's stories on each page read millions of rows at scale. This app keeps those counts
(counts/analysts.py, counts/topics.py) and shows them there: published stories, up to the cap the
pages count to, as last kept (a count being refreshed after a change shows its previous value).
"""
from django.contrib import admin
from django.db.models import F

from articles.models import Analyst, Topic

from .queries import COUNT_CAP

# Whatever admin is registered for each (the core's, or another app's extension of it) gets the counts.
AnalystAdmin = type(admin.site.get_model_admin(Analyst))
TopicAdmin = type(admin.site.get_model_admin(Topic))


def kept(value):
    """Return a kept count as the list shows it: "—" when none is kept yet, "1,000+" past the cap."""
    if value is None:
        return "—"
    return f"{COUNT_CAP:,}+" if value > COUNT_CAP else f"{value:,}"


class AnalystCountsAdmin(AnalystAdmin):
    list_display = ["name", "title", "organization", "published_stories", "stories"]
    list_select_related = ["organization", "counts"]

    @admin.display(description="published stories quoting", ordering=F("counts__story_count").desc(nulls_last=True))
    def published_stories(self, obj):
        return kept(getattr(getattr(obj, "counts", None), "story_count", None))


class TopicCountsAdmin(TopicAdmin):
    list_display = ["name", "slug", "published_stories", "stories"]
    list_select_related = ["counts"]

    @admin.display(description="published stories", ordering=F("counts__story_count").desc(nulls_last=True))
    def published_stories(self, obj):
        return kept(getattr(getattr(obj, "counts", None), "story_count", None))


for _model, _model_admin in ((Analyst, AnalystCountsAdmin), (Topic, TopicCountsAdmin)):
    admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
