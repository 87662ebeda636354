"""The system check that lists accounts credited on bylines with no name to print."""
import pytest
from django.core import checks
from django.core.management import call_command

from people.checks import check_bylines_have_names, nameless_bylined_accounts

from ..factories import BylineFactory, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_check_lists_bylined_accounts_with_no_name_by_login():
    BylineFactory(author=UserFactory(username="ed1", first_name="", last_name=""))
    BylineFactory(author=UserFactory(username="ed2", first_name="", last_name=""))
    BylineFactory(author=UserFactory(username="named", first_name="Tobiah", last_name="Inkstone"))
    BylineFactory(author=StaffProfileFactory(user__username="profiled", user__first_name="", user__last_name="").user)
    UserFactory(username="never-bylined", first_name="", last_name="")
    assert [user.username for user in nameless_bylined_accounts()] == ["ed1", "ed2"]
    [warning] = check_bylines_have_names(databases=["default"])
    assert warning.id == "people.W001" and warning.level == checks.WARNING
    assert "2 account(s)" in warning.msg and "ed1, ed2" in warning.msg and "Staff profiles" in warning.hint


def test_the_check_is_quiet_when_every_byline_has_a_name():
    BylineFactory(author=UserFactory(first_name="Tobiah", last_name="Inkstone"))
    assert check_bylines_have_names(databases=["default"]) == []


def test_the_check_reads_the_database_only_when_asked_to():
    BylineFactory(author=UserFactory(username="ed1", first_name="", last_name=""))
    assert check_bylines_have_names(databases=None) == []
    assert any(w.id == "people.W001" for w in checks.run_checks(databases=["default"]))


def test_manage_py_check_with_a_database_shows_it(capsys):
    BylineFactory(author=UserFactory(username="ed1", first_name="", last_name=""))
    call_command("check", "--database", "default")
    assert "people.W001" in capsys.readouterr().err
