"""`manage.py restore_database FILE --into NAME`: a backup into a new database.

It never restores over a live database: it creates NAME (which must not exist), restores
the backup into it in one transaction, and leaves switching DATABASE_URL to it, once
checked (`migrate --check`, a sign-in), to the operator.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from jmappa.core import backup


class Command(BaseCommand):
    help = "Restore a backup_database file into a new database."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="A file written by backup_database.")
        parser.add_argument("--into", required=True, help="The new database's name.")
        parser.add_argument("--no-owner", action="store_true",
                            help="Restore as the connecting user, without the original "
                                 "owners and grants (another server's roles).")

    def handle(self, *args, **options):
        backup.restore(options["source"], options["into"], no_owner=options["no_owner"])
        self.stdout.write(f"Restored {options['source']} into the database {options['into']}.")
