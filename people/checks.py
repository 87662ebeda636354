"""A system check: accounts credited on a byline that have no name to print.

Run by `manage.py check --database default` and by `migrate` (a check that reads the database
runs only when a database is named, as Django's own do).
"""
from django.contrib.auth import get_user_model
from django.core.checks import Tags, Warning, register
from django.db import connections
from django.db.models import Q

from .models import StaffProfile


def nameless_bylined_accounts(using="default"):
    """Return the accounts that appear on a byline and have neither a profile display name nor a full name."""
    User = get_user_model()
    named_profile = Q(staff_profile__isnull=False) & ~Q(staff_profile__display_name="")
    full_name = ~Q(first_name="") | ~Q(last_name="")
    return list(
        User._default_manager.using(using)
        .filter(bylines__isnull=False).exclude(named_profile | full_name)
        .distinct().order_by(User.USERNAME_FIELD)
    )


@register(Tags.database)
def check_bylines_have_names(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    warnings = []
    for alias in sorted(databases):
        # migrate runs the checks before it migrates: on a new database there is nothing to read yet.
        if StaffProfile._meta.db_table not in connections[alias].introspection.table_names():
            continue
        accounts = nameless_bylined_accounts(alias)
        if accounts:
            logins = ", ".join(user.get_username() for user in accounts)
            warnings.append(Warning(
                f"{len(accounts)} account(s) credited on bylines have no display name: {logins}. "
                "Their bylines print no name, and their stories cannot be published again until they have one.",
                hint="Add a staff profile with a display name for each, in the admin under People and standards → "
                "Staff profiles.",
                id="people.W001",
            ))
    return warnings
