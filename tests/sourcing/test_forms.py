"""The dashboard's filter form: the topic select is Django's markup, written in one pass."""
import pytest
from django import forms

from sourcing.forms import SourcingFilterForm, TopicSelect
from tests.factories import TopicFactory


@pytest.mark.parametrize("value", ["", "canals-and-tolls", "missing"])
def test_topic_select_writes_djangos_markup(value):
    choices = [("", "All topics"), ("canals-and-tolls", "Canals & tolls"), ("quills", "Quills <and> ink")]
    attrs = {"id": "id_topic", "data-x": "1 & \"2\"", "required": True, "disabled": False}
    assert TopicSelect(choices=choices).render("topic", value, attrs) == forms.Select(choices=choices).render(
        "topic", value, attrs)


@pytest.mark.django_db
def test_topic_filter_renders_every_topic():
    TopicFactory(name="Imaginary canals")
    TopicFactory(name="Imaginary tolls")
    html = str(SourcingFilterForm()["topic"])
    assert html.count("<option") == 3 and "Imaginary tolls" in html
