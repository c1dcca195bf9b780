"""`manage.py backup_database [--output FILE]`: the database, whole, with `pg_dump -Fc`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from jmappa.core import backup


class Command(BaseCommand):
    help = "Back up the whole database with pg_dump (custom format)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path,
                            help="The file to write (default: jmappa-<date-time>.dump here).")

    def handle(self, *args, **options):
        output = options["output"] or Path(
            f"jmappa-{timezone.localtime():%Y%m%d-%H%M%S}.dump")
        backup.dump(output)
        self.stdout.write(f"Backed up to {output} ({output.stat().st_size:,} bytes).")
