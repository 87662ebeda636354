"""Create a staff account in one of the desk's roles, with a random password printed once.

Part of the two-command demo: `make serve`, then `manage.py create_editor yourname --role editor`.
"""
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.roles import ROLE_CHOICES, roles_sync


class Command(BaseCommand):
    help = "Create a staff account (reporter, editor or admin) and print its random password once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLE_CHOICES), default="editor", help="Default: editor.")
        parser.add_argument("--email", default="", help="Optional e-mail address.")

    def handle(self, *args, username, role, email, **options):
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
        self.stdout.write(self.style.SUCCESS(f"Created {role} account “{username}”."))
        self.stdout.write(f"Password (shown only now, write it down): {password}")
        self.stdout.write("Log in at /admin/ and change it under your name, top right.")
