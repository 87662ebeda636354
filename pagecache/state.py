"""What each process keeps beside the shared caches, forgotten in one place.

A process keeps recent fragments, the topic catalog, the next scheduled time per generation and
its handle on the token file. Tests start each case from nothing; the app forgets them when the
cache settings change (override_settings in tests, a reconfigured shell).
"""
from django.core.signals import setting_changed
from django.dispatch import receiver

from . import cache, fragments, topic_catalog

CACHE_SETTINGS = frozenset(("CACHES", "NEWSROOM_PAGE_CACHE", "NEWSROOM_GENERATION_CACHE", "NEWSROOM_FRAGMENT_CACHE",
                            "NEWSROOM_TOKEN_FILE", "TEMPLATES", "TIME_ZONE"))


def forget_process_state():
    """Forget everything this process keeps of pages, fragments and topics (as a restart would)."""
    fragments.forget_recent()
    fragments.forget_versions()
    topic_catalog.forget()
    cache.forget_process_state()


@receiver(setting_changed)
def _cache_setting_changed(sender, setting, **kwargs):
    if setting in CACHE_SETTINGS:
        forget_process_state()
