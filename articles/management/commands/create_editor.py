"""Create a staff account in one of the desk's roles, with a random password printed once.

Part of the two-command demo: `make serve`, then
`manage.py create_editor yourname --name "Your Name" --role editor`. The name is what bylines print
(readers never see the login name); the people app keeps it on the account's staff profile.
"""
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.roles import ROLE_CHOICES, roles_sync
from articles.signals import account_created


class Command(BaseCommand):
    help = (
        "Create a staff account (reporter, editor or admin) with the name bylines print, "
        "and print its random password once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The login name. Readers never see it.")
        parser.add_argument(
            "--name", required=True,
            help="The name bylines print, as the person writes it, e.g. \"Dana Quillfeather\".",
        )
        parser.add_argument("--role", choices=sorted(ROLE_CHOICES), default="editor", help="Default: editor.")
        parser.add_argument("--email", default="", help="Optional e-mail address.")

    def handle(self, *args, username, name, role, email, **options):
        name = " ".join(name.split())
        if not name:
            raise CommandError('Give the name bylines print, e.g. --name "Dana Quillfeather".')
        User = get_user_model()
        existing = User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).first()
        if existing is not None:
            name = existing.get_username()
            raise CommandError(
                f"An account named “{name}” already exists. Pick another name, or reset its password "
                f"with `manage.py changepassword {name}`."
            )
        password = secrets.token_urlsafe(16)
        with transaction.atomic():
            roles_sync()  # the role groups exist even if setup_roles has not run
            user = User._default_manager.create_user(username=username, email=email, password=password)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(Group.objects.get(name=ROLE_CHOICES[role]))
            account_created.send(sender=User, user=user, display_name=name)
        self.stdout.write(self.style.SUCCESS(f"Created {role} account “{username}” for {name}."))
        self.stdout.write(f"Password (shown only now, write it down): {password}")
        self.stdout.write("Log in at /admin/ and change it under your name, top right.")
