"""The one rule for the name a byline prints: the staff profile's display name, else the account's
full name, never the login name.

Callers load bylines with `select_related("author__staff_profile")` (BYLINE_AUTHOR), so naming a
story's authors costs no query.
"""
from typing import NamedTuple

from django.core.exceptions import ObjectDoesNotExist

# What a byline query selects so that naming its author reads no more rows.
BYLINE_AUTHOR = "author__staff_profile"


class Author(NamedTuple):
    """A credited author as readers see them: the name printed, and their profile (None: no author page)."""

    name: str
    profile: object

    @property
    def url(self):
        return self.profile.get_absolute_url() if self.profile is not None else ""


def profile_of(user):
    """Return the user's staff profile, or None."""
    try:
        return user.staff_profile
    except ObjectDoesNotExist:
        return None


def display_name(user):
    """Return the name bylines print for this account: its profile's display name, else its full name, else ""."""
    profile = profile_of(user)
    if profile is not None and profile.display_name.strip():
        return profile.display_name.strip()
    return user.get_full_name().strip()


def credited(bylines):
    """Return the Authors of a story's bylines, in printed order; a byline with no name to print is left out."""
    authors = []
    for byline in bylines:
        name = display_name(byline.author)
        if name:
            authors.append(Author(name, profile_of(byline.author)))
    return authors
