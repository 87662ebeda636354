"""State control: one rule in the core for organizations and sources, the same in Python and in SQL."""
import io

import pytest
from django.core.management import call_command

from articles.models import Organization, Source, state_controlled_q, state_controlled_source_q

from ..factories import OrganizationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_state_media_are_always_state_controlled_however_they_are_written():
    broadcaster = OrganizationFactory(kind=Organization.Kind.STATE_MEDIA, state_controlled=False)
    assert broadcaster.state_controlled  # ticked on save
    Organization.objects.bulk_create([Organization(name="Bulk state radio", slug="bulk-state-radio",
                                                   kind=Organization.Kind.STATE_MEDIA)])
    bulk = Organization.objects.get(slug="bulk-state-radio")
    assert not bulk.state_controlled and bulk.is_state_controlled  # written without save(): the rule still holds


def test_a_fixture_ticks_state_media_too(tmp_path):
    fixture = tmp_path / "org.json"
    fixture.write_text('[{"model": "articles.organization", "fields": {"name": "Fixture state TV", '
                       '"slug": "fixture-state-tv", "kind": "state_media"}}]')
    call_command("loaddata", str(fixture), stdout=io.StringIO())
    assert Organization.objects.get(slug="fixture-state-tv").state_controlled


def test_the_rule_agrees_between_python_and_queries():
    organizations = [
        OrganizationFactory(kind=Organization.Kind.THINK_TANK),
        OrganizationFactory(kind=Organization.Kind.THINK_TANK, state_controlled=True),
        OrganizationFactory(kind=Organization.Kind.GOVERNMENT),
        OrganizationFactory(kind=Organization.Kind.STATE_MEDIA),
    ]
    flagged = set(Organization.objects.filter(state_controlled_q()).values_list("pk", flat=True))
    assert {o.pk for o in organizations if o.is_state_controlled} == flagged == {o.pk for o in organizations[1::2]}
    sources = [SourceFactory(organization=o) for o in organizations] + [
        SourceFactory(kind=Source.Kind.STATE_MEDIA, organization=None),
        SourceFactory(kind=Source.Kind.STATEMENT, organization=None),
    ]
    flagged = set(Source.objects.filter(state_controlled_source_q()).values_list("pk", flat=True))
    assert {s.pk for s in sources if s.is_state_controlled} == flagged
    assert len(flagged) == 3
