"""Create the desk's roles (Reporter, Editor, Admin) as groups with exactly their permissions.

`make serve` runs it after `migrate`; running it again changes nothing unless articles/roles.py
changed. The roles themselves are defined in articles/roles.py.
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.roles import roles_sync


class Command(BaseCommand):
    help = "Create or update the Reporter, Editor and Admin groups and their permissions (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would change; write nothing.")

    def handle(self, *args, dry_run=False, **options):
        try:
            with transaction.atomic():
                report = roles_sync(dry_run=dry_run)
        except LookupError as error:
            raise CommandError(str(error)) from error
        prefix = "Would " if dry_run else ""
        for role, created, added, removed in report:
            if created:
                self.stdout.write(self.style.SUCCESS(f"{prefix}create role {role} with {added} permissions."))
            elif added or removed:
                self.stdout.write(self.style.WARNING(f"{prefix}update role {role}: +{added} / -{removed} permissions."))
            else:
                self.stdout.write(f"Role {role} is up to date.")
