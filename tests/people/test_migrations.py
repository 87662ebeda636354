"""The people app's data migration: existing bylines get profiles under the names they already printed."""
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from people.models import StaffProfile, StandardsPage

from ..factories import BylineFactory, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

starting = importlib.import_module("people.migrations.0002_starting_texts")
editor = SimpleNamespace(connection=connection)


def test_accounts_on_bylines_get_a_profile_under_their_full_name():
    named = UserFactory(username="named", first_name="Tobiah", last_name="Inkstone")
    twin = UserFactory(username="twin", first_name="Tobiah", last_name="Inkstone")
    nameless = UserFactory(username="nameless", first_name="", last_name="")
    profiled = StaffProfileFactory(display_name="Kept As Is").user
    UserFactory(username="never-bylined", first_name="Idle", last_name="Hands")
    for user in (named, twin, nameless, profiled):
        BylineFactory(author=user)
    starting.profile_bylined_accounts(apps, editor)
    profiles = {p.user.username: (p.display_name, p.slug) for p in StaffProfile.objects.select_related("user")}
    assert profiles == {
        "named": ("Tobiah Inkstone", "tobiah-inkstone"),
        "twin": ("Tobiah Inkstone", "tobiah-inkstone-2"),
        profiled.username: ("Kept As Is", "kept-as-is"),
    }


def test_starting_texts_are_added_once_and_removed_only_while_untouched():
    StandardsPage.objects.filter(kind="ethics").update(starting_text=False, body="<p>Our own words.</p>")
    StandardsPage.objects.filter(kind="ownership").delete()
    starting.add_starting_texts(apps, editor)
    assert StandardsPage.objects.count() == len(StandardsPage.Kind)
    assert StandardsPage.objects.get(kind="ethics").body == "<p>Our own words.</p>"
    starting.remove_starting_texts(apps, editor)
    assert list(StandardsPage.objects.values_list("kind", flat=True)) == ["ethics"]
