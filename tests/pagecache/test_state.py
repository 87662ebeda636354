"""What a process keeps beside the shared caches is forgotten in one place (pagecache/state.py)."""
from unittest import mock

import pytest

from articles.models import Topic
from pagecache import fragments, state, topic_catalog

from ..factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_forgetting_the_process_state_reads_the_topics_again():
    topic = TopicFactory(name="Pretend lighthouse quarrel")
    assert topic_catalog.topics_by_id()[topic.pk].name == "Pretend lighthouse quarrel"
    Topic.objects.filter(pk=topic.pk).update(name="Pretend lighthouse truce")  # no signal: still kept
    assert topic_catalog.topics_by_id()[topic.pk].name == "Pretend lighthouse quarrel"
    state.forget_process_state()
    assert topic_catalog.topics_by_id()[topic.pk].name == "Pretend lighthouse truce"


def test_changing_a_cache_setting_makes_the_templates_versioned_again(settings):
    with mock.patch.object(fragments, "get_template", wraps=fragments.get_template) as loads:
        fragments.template_version("includes/analyst_profile.html")
        first = loads.call_count
        fragments.template_version("includes/analyst_profile.html")
        assert loads.call_count == first  # kept
        settings.NEWSROOM_FRAGMENT_CACHE = "default"
        fragments.template_version("includes/analyst_profile.html")
        assert loads.call_count == 2 * first and first > 0
