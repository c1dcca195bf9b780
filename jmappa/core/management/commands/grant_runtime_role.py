from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jmappa.core.dbroles import UnsafeRuntimeRole, grant_runtime_role


class Command(BaseCommand):
    help = ("Grant the runtime database role what the application needs and no more: read and "
            "write its tables, only add to and read the audit trail. Run as the owner of the "
            "schema (`migrate` does it too when DATABASE_RUNTIME_ROLE is set).")

    def add_arguments(self, parser):
        parser.add_argument("--role", default=settings.DATABASE_RUNTIME_ROLE,
                            help="The runtime role (default: DATABASE_RUNTIME_ROLE).")
        parser.add_argument("--database", default="default")

    def handle(self, *args, role, database, **options):
        if not role:
            raise CommandError("Name the runtime role: --role, or DATABASE_RUNTIME_ROLE.")
        try:
            grant_runtime_role(role, using=database)
        except UnsafeRuntimeRole as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Granted the runtime role {role} its privileges.")
