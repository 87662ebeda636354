"""The desk's roles (Reporter, Editor, Admin) and what each may do: one table that every check reads.

CAPABILITIES is the table: each capability names the Django permissions it takes and, for each
role that has it, the rule saying on which objects (every story, only the reporter's own drafts,
...). Admin views and actions, the custom admin pages (transitions, history, diffs, restores,
previews, the copy import, the sourcing dashboard) and the services all ask `can()`; lists ask
`narrow()`, the same rule as a queryset filter. The role groups `manage.py setup_roles` writes hold
exactly the permissions the table gives each role, so Django's own permission checks agree with it.

A person's role is read from what they hold: superusers and holders of `auth.change_group` are
Admins, holders of `articles.publish_article` Editors, other active staff Reporters. Commands run
by an operator on the server act with the desk's full rights (services take `user=None`).
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils import timezone

from .models import Article, Byline

REPORTER, EDITOR, ADMIN = "Reporter", "Editor", "Admin"
ROLE_ORDER = (REPORTER, EDITOR, ADMIN)
ROLE_CHOICES = {"reporter": REPORTER, "editor": EDITOR, "admin": ADMIN}


def role_of(user):
    """Return the user's role, or None for anonymous, inactive and non-staff users."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if user.is_superuser or user.has_perm("auth.change_group"):
        return ADMIN
    if user.has_perm("articles.publish_article"):
        return EDITOR
    return REPORTER


# Per-object rules ----------------------------------------------------------------------------


def is_own_story(user, article):
    """Return whether the user created the story or is in its byline (an editor's assignment)."""
    if article.pk is None:
        return True
    return article.created_by_id == user.pk or article.bylines.filter(author_id=user.pk).exists()


def _own_stories(user):
    return Q(created_by=user.pk) | Q(pk__in=Byline.objects.filter(author=user.pk).values("article_id"))


def _live_stories():
    return Q(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


@dataclass(frozen=True)
class Rule:
    """Which objects a role may act on: a test for one object, and the same test as a queryset filter."""

    name: str
    description: str
    allows: Callable  # (user, obj) -> bool
    narrow: Callable  # (user, queryset) -> queryset


EVERY = Rule("every", "every one", lambda user, obj: True, lambda user, queryset: queryset)
OWN_DRAFT = Rule(
    "own draft",
    "their own drafts (stories they created or are in the byline of, still in draft)",
    lambda user, story: story.status == Article.Status.DRAFT and is_own_story(user, story),
    lambda user, stories: stories.filter(_own_stories(user), status=Article.Status.DRAFT),
)
OWN_OR_LIVE = Rule(
    "own or live",
    "their own stories (created by them or with them in the byline) and live ones; not others' drafts, "
    "stories in review, scheduled or unpublished",
    lambda user, story: story.is_published() or is_own_story(user, story),
    lambda user, stories: stories.filter(_live_stories() | _own_stories(user)),
)
OF_READABLE_STORY = Rule(
    "of a story they may read",
    "those of stories they may read",
    lambda user, part: OWN_OR_LIVE.allows(user, part.article),
    lambda user, parts: parts.filter(article__in=OWN_OR_LIVE.narrow(user, Article.objects.all())),
)
OWN_PROFILE = Rule(
    "own profile",
    "their own staff profile (the name their bylines print, their author page)",
    lambda user, profile: profile.user_id == user.pk,
    lambda user, profiles: profiles.filter(user=user.pk),
)
OWN_RECORD = Rule(
    "own record",
    "those they made themselves",
    lambda user, record: record.created_by_id == user.pk,
    lambda user, records: records.filter(created_by=user.pk),
)


# The table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capability:
    """Something a person may do: the permissions it takes, and per role on which objects."""

    name: str
    description: str
    rules: dict  # role -> Rule; a role not named here may not
    permissions: tuple = ()  # Django permissions can() checks, e.g. "articles.change_article"
    # Further permissions the role's group gets for it: the admin's screens check them per model
    # (a story's inlines, each of the desk's lists).
    grants: tuple = ()

    def __str__(self):
        return self.name


def _crud(model, *verbs, app="articles"):
    return tuple(f"{app}.{verb}_{model}" for verb in verbs)


ALL_ROLES = {REPORTER: EVERY, EDITOR: EVERY, ADMIN: EVERY}
DESK_EDITORS = {EDITOR: EVERY, ADMIN: EVERY}
STORY_PARTS = ("byline", "commentary", "citation")
DESK_LISTS = ("analyst", "source", "organization", "topic")

ADD_STORY = Capability("add story", "Create a story (it starts as a draft)", ALL_ROLES, ("articles.add_article",))
READ_STORY = Capability(
    "read story", "Open a story in the admin: its form (read-only if they may not edit it), history, "
    "differences between revisions and private preview",
    {REPORTER: OWN_OR_LIVE, EDITOR: EVERY, ADMIN: EVERY}, ("articles.view_article",),
)
EDIT_STORY = Capability(
    "edit story", "Change a story with its bylines, commentary, citations and topics (on the form or with "
    "the list's topic actions), submit it for review, restore an old revision",
    {REPORTER: OWN_DRAFT, EDITOR: EVERY, ADMIN: EVERY}, ("articles.change_article",),
    grants=tuple(p for part in STORY_PARTS for p in _crud(part, "add", "change", "delete", "view")),
)
PUBLISH_STORY = Capability(
    "publish story", "Publish, schedule, unpublish, send back to draft and reopen stories; set the "
    "publication and update times", DESK_EDITORS, ("articles.publish_article",),
)
DELETE_STORY = Capability("delete story", "Delete a story", DESK_EDITORS, ("articles.delete_article",))
# The desk's lists: the admin checks each list's own permission (a person may hold some lists only).
EDIT_LISTS = Capability(
    "edit desk lists", "See, add and fix analysts, organizations, sources and topics", ALL_ROLES,
    grants=tuple(p for name in DESK_LISTS for p in _crud(name, "view", "add", "change")),
)
DELETE_LISTS = Capability(
    "delete from desk lists", "Delete analysts, organizations, sources and topics", DESK_EDITORS,
    grants=tuple(p for name in DESK_LISTS for p in _crud(name, "delete")),
)
MERGE_TOPICS = Capability("merge topics", "Merge duplicate topics", DESK_EDITORS, ("articles.merge_topics",))
READ_CORRECTIONS = Capability(
    "read corrections", "See corrections, clarifications and updates",
    {REPORTER: OF_READABLE_STORY, EDITOR: EVERY, ADMIN: EVERY}, _crud("correction", "view"),
)
WRITE_CORRECTIONS = Capability(
    "write corrections", "Add, change and delete corrections, clarifications and updates", DESK_EDITORS,
    _crud("correction", "add", "change", "delete"),
)
READ_STATUS_LOG = Capability(
    "read status log", "See the status changes (who moved a story, when)",
    {REPORTER: OF_READABLE_STORY, EDITOR: EVERY, ADMIN: EVERY}, _crud("transition", "view"),
)
MANAGE_OLD_ADDRESSES = Capability(
    "manage old addresses", "See and change old story addresses (redirects)", DESK_EDITORS,
    _crud("slugredirect", "view", "add", "change", "delete"),
)
IMPORT_COPY = Capability("import copy", "Import wire copy as a draft", ALL_ROLES, ("articles.add_article",))
REVIEW_COPY = Capability(
    "review imported copy", "Open imported copy and its suggestions (adding them also takes editing the draft)",
    {REPORTER: OWN_RECORD, EDITOR: EVERY, ADMIN: EVERY}, ("articles.add_article",),
)
SOURCING_DASHBOARD = Capability(
    "sourcing dashboard", "Open the sourcing dashboard and download its tables", DESK_EDITORS,
    ("articles.publish_article",),
)
PICK_PEOPLE = Capability(
    "pick colleagues", "Find a colleague for a byline by user name or full name (never their e-mail address)",
    ALL_ROLES, ("articles.add_byline",),  # whoever may put a byline on a story; not an account in no role
)
MANAGE_ACCOUNTS = Capability(
    "manage accounts", "See and manage user accounts (with e-mail addresses), roles and sign-in records",
    {ADMIN: EVERY}, ("auth.view_user", "auth.change_group"),
)
# The people app's admin: staff profiles and the standards pages.
EDIT_PROFILE = Capability(
    "edit staff profile", "See and change staff profiles (the name bylines print, the author page): their own; "
    "admins everyone's, with the account and whether they are current staff",
    {REPORTER: OWN_PROFILE, EDITOR: OWN_PROFILE, ADMIN: EVERY}, _crud("staffprofile", "change", app="people"),
    grants=_crud("staffprofile", "view", app="people"),
)
ADD_PROFILE = Capability(
    "add staff profile", "Give an account its staff profile (create_editor does it for new accounts)", {ADMIN: EVERY},
    _crud("staffprofile", "add", app="people"),
)
DELETE_PROFILE = Capability(
    "delete staff profile", "Delete a staff profile (a former member of staff is marked as such instead)",
    {ADMIN: EVERY}, _crud("staffprofile", "delete", app="people"),
)
EDIT_STANDARDS = Capability(
    "edit standards pages", "Change the standards pages (About, masthead, ethics, corrections policy...)",
    DESK_EDITORS, _crud("standardspage", "view", "change", app="people"),
)
# The photo desk (photos/admin.py): its image library, and the lead image on the story form (which
# also takes editing the story).
USE_PHOTOS = Capability(
    "use image library", "Upload pictures; see, describe and re-crop them (alt text, caption, credit, rights, "
    "focal point); put them in stories", ALL_ROLES, _crud("photo", "view", "add", "change", app="photos"),
    grants=_crud("leadimage", "view", "add", "change", "delete", app="photos"),
)
DELETE_PHOTOS = Capability(
    "delete pictures", "Delete a picture from the library (never one a story uses)", DESK_EDITORS,
    _crud("photo", "delete", app="photos"),
)
CAPABILITIES = [
    ADD_STORY, READ_STORY, EDIT_STORY, PUBLISH_STORY, DELETE_STORY, EDIT_LISTS, DELETE_LISTS, MERGE_TOPICS,
    READ_CORRECTIONS, WRITE_CORRECTIONS, READ_STATUS_LOG, MANAGE_OLD_ADDRESSES, IMPORT_COPY, REVIEW_COPY,
    SOURCING_DASHBOARD, PICK_PEOPLE, MANAGE_ACCOUNTS, EDIT_PROFILE, ADD_PROFILE, DELETE_PROFILE, EDIT_STANDARDS,
    USE_PHOTOS, DELETE_PHOTOS,
]


def can(user, capability, obj=None):
    """Return whether the user may do this, to this object if one is given (else to some object)."""
    rule = capability.rules.get(role_of(user))
    if rule is None or not user.has_perms(capability.permissions):
        return False
    return obj is None or rule.allows(user, obj)


def can_all(user, capability):
    """Return whether the user may do this to every object (their role's rule is EVERY)."""
    return can(user, capability) and capability.rules[role_of(user)] is EVERY


def narrow(user, capability, queryset):
    """Return the objects of queryset the user may do this to."""
    if not can(user, capability):
        return queryset.none()
    return capability.rules[role_of(user)].narrow(user, queryset)


def granted(role):
    """Return the Django permissions (app.codename) a role's group holds, or None for all of them."""
    if role == ADMIN:
        return None  # every permission, including managing accounts and roles
    return sorted({p for c in CAPABILITIES if role in c.rules for p in (*c.permissions, *c.grants)})


REPORTER_PERMISSIONS = granted(REPORTER)
EDITOR_PERMISSIONS = granted(EDITOR)
ROLES = {role: granted(role) for role in ROLE_ORDER}


# Shorthands the admin and the services call -------------------------------------------------


def can_publish(user):
    return can(user, PUBLISH_STORY)


def can_edit_article(user, article):
    """Return whether the user may change this story: editors any story, reporters their own drafts."""
    return can(user, EDIT_STORY, article)


def can_read_article(user, article):
    """Return whether the user may read this story in the admin (and its preview, history and diffs)."""
    return can(user, READ_STORY, article)



# The role groups -----------------------------------------------------------------------------


def role_permissions(role):
    """Return the Permission rows a role grants."""
    names = ROLES[role]
    if names is None:
        return Permission.objects.all()
    pairs = {tuple(name.split(".", 1)) for name in names}
    permissions = list(
        Permission.objects.filter(content_type__app_label__in={app for app, _ in pairs}).select_related("content_type")
    )
    found = [p for p in permissions if (p.content_type.app_label, p.codename) in pairs]
    missing = pairs - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"Unknown permissions {sorted(missing)}: run `manage.py migrate` first.")
    return found


def roles_sync(*, dry_run=False):
    """Create or update the role groups so each holds exactly its permissions.

    Return a list of (role, created, added, removed) with permission counts.
    """
    report = []
    for role in ROLES:
        wanted = {p.pk for p in role_permissions(role)}
        group = Group.objects.filter(name=role).first()
        created = group is None
        have = set() if created else set(group.permissions.values_list("pk", flat=True))
        report.append((role, created, len(wanted - have), len(have - wanted)))
        if dry_run:
            continue
        if created:
            group = Group.objects.create(name=role)
        if wanted != have:
            group.permissions.set(wanted)
    return report
