"""`manage.py run_deadline_sweep [--date YYYY-MM-DD] [--no-email]`: the sweep, by hand."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from alerts.sweep import run_sweep


class Command(BaseCommand):
    help = "Raises and resolves the alerts of every time rule, notifies, and sends the digest."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to sweep for, YYYY-MM-DD (default today).")
        parser.add_argument("--no-email", action="store_true",
                            help="Do not send the email digest.")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}.") \
                    from error
        result = run_sweep(day, send_digest=not options["no_email"])
        if result.skipped:
            self.stdout.write(f"Skipped: another sweep for {result.day} is running.")
            return
        self.stdout.write(f"Deadline sweep for {result.day.isoformat()}:")
        self.stdout.write(f"  {'rule':<26} {'raised':>7} {'reopened':>9} {'resolved':>9} "
                          f"{'notified':>9}")
        for rule, counts in result.rules.items():
            self.stdout.write(f"  {rule:<26} {counts.raised:>7} {counts.reopened:>9} "
                              f"{counts.resolved:>9} {counts.notified:>9}")
        self.stdout.write(f"  {'total':<26} {result.total('raised'):>7} "
                          f"{result.total('reopened'):>9} {result.total('resolved'):>9} "
                          f"{result.total('notified'):>9}")
        self.stdout.write(f"Digest emails: {result.emailed}")
