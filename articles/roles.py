"""The desk's roles (Reporter, Editor, Admin) and who may edit which story.

The groups and their permissions are defined here once; `manage.py setup_roles` writes them to the
database, `manage.py create_editor` puts a new account in one. Editors are the people holding
`articles.publish_article`: they may edit any story. Reporters edit only their own drafts.
"""
from django.contrib.auth.models import Group, Permission

REPORTER, EDITOR, ADMIN = "Reporter", "Editor", "Admin"


def _crud(model, *verbs):
    return [f"articles.{verb}_{model}" for verb in verbs]


REPORTER_PERMISSIONS = [
    *_crud("article", "add", "change", "view"),
    # The parts of a story a reporter assembles (inlines on the story form).
    *_crud("byline", "add", "change", "delete", "view"),
    *_crud("commentary", "add", "change", "delete", "view"),
    *_crud("citation", "add", "change", "delete", "view"),
    # The desk's shared lists: reporters add and fix entries; deleting is for editors.
    *_crud("analyst", "add", "change", "view"),
    *_crud("source", "add", "change", "view"),
    *_crud("organization", "add", "change", "view"),
    *_crud("topic", "add", "change", "view"),
    *_crud("correction", "view"),
    *_crud("transition", "view"),
    # Picking a colleague for a byline searches the user list.
    "auth.view_user",
]

EDITOR_PERMISSIONS = [
    *REPORTER_PERMISSIONS,
    "articles.delete_article",
    "articles.publish_article",
    "articles.merge_topics",
    *_crud("correction", "add", "change", "delete"),
    *_crud("analyst", "delete"),
    *_crud("source", "delete"),
    *_crud("organization", "delete"),
    *_crud("topic", "delete"),
    *_crud("slugredirect", "add", "change", "delete", "view"),
]

ROLES = {
    REPORTER: REPORTER_PERMISSIONS,
    EDITOR: EDITOR_PERMISSIONS,
    ADMIN: None,  # every permission, including managing accounts and roles
}
ROLE_CHOICES = {"reporter": REPORTER, "editor": EDITOR, "admin": ADMIN}


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


def can_publish(user):
    return user.has_perm("articles.publish_article")


def is_own_story(user, article):
    """Return whether the user created the story or is in its byline."""
    if article.pk is None:
        return True
    return article.created_by_id == user.pk or article.bylines.filter(author_id=user.pk).exists()


def can_edit_article(user, article):
    """Return whether the user may change this story: editors any story, reporters their own drafts."""
    if not (user.is_active and user.has_perm("articles.change_article")):
        return False
    if can_publish(user):
        return True
    return article.status == article.Status.DRAFT and is_own_story(user, article)


def can_preview_article(user, article):
    """Return whether the user may see the story's private preview."""
    return user.is_active and user.is_staff and (can_publish(user) or (
        user.has_perm("articles.view_article") and is_own_story(user, article)
    ))
