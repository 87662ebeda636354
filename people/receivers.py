"""What the people app does when the desk writes: give a new account, or one first credited on a
byline, its profile; refuse a byline that would print no name; and tell the page cache when a
profile or a standards page changes (the core's content_changed)."""
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_delete, post_save

from articles import signals
from articles.changes import content_changed
from articles.models import Byline

from .models import StaffProfile, StandardsPage
from .names import BYLINE_AUTHOR, display_name


def nameless_byline_authors(article):
    """Return the accounts on the story's byline that have no name to print, in printed order."""
    bylines = Byline.objects.filter(article=article).select_related(BYLINE_AUTHOR).order_by("sort_order", "pk")
    return [byline.author for byline in bylines if not display_name(byline.author)]


def refuse_nameless_bylines(sender, article, **kwargs):
    """Refuse to publish or schedule a story whose byline would print no name (readers never see a login)."""
    nameless = nameless_byline_authors(article)
    if not nameless:
        return
    logins = " and ".join(f"“{user.get_username()}”" for user in nameless)
    who = f"The account {logins} has" if len(nameless) == 1 else f"The accounts {logins} have"
    raise ValidationError(
        f"{who} no display name, so the byline would print no name. Add a staff profile with a display "
        "name under People and standards → Staff profiles (or take the account off the byline), then try again."
    )


def give_new_account_a_profile(sender, user, display_name, **kwargs):
    """Give an account create_editor made its staff profile, under the name the operator typed."""
    StaffProfile.objects.get_or_create(user=user, defaults={"display_name": display_name})


def profile_new_byline_author(sender, instance, created=False, raw=False, using=None, **kwargs):
    """Give an account credited on a byline for the first time a profile under its full name.

    Every author a story credits then has a page (bylines link to it, structured data names it);
    an account with no name gets none, and its story cannot be published (refuse_nameless_bylines).
    """
    if not created or raw:
        return
    author = instance.author
    name = " ".join(author.get_full_name().split())
    if name and not StaffProfile.objects.using(using).filter(user=author).exists():
        StaffProfile.objects.using(using).get_or_create(user=author, defaults={"display_name": name})


def _changed(sender, using=None, **kwargs):
    # A profile shows on bylines, author pages and the masthead; a standards page in the footer's links.
    content_changed(using=using)


def _expertise_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_"):
        content_changed(using=using)


def connect():
    signals.publishing.connect(refuse_nameless_bylines, dispatch_uid="newsroom.people.refuse_nameless_bylines")
    signals.account_created.connect(give_new_account_a_profile, dispatch_uid="newsroom.people.account_created")
    post_save.connect(profile_new_byline_author, sender=Byline, dispatch_uid="newsroom.people.byline_author")
    for model in (StaffProfile, StandardsPage):
        uid = f"newsroom.people.{model._meta.model_name}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(
        _expertise_changed, sender=StaffProfile.expertise.through, dispatch_uid="newsroom.people.expertise"
    )
