from django.core.management.base import BaseCommand, CommandError

from jmappa.accounts.models import User
from jmappa.accounts.services import api_token_issue
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel


class Command(BaseCommand):
    help = "Issue an API token for USERNAME and print it (it cannot be shown again)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None,
                            help="Days until it expires (default API_TOKEN_DAYS, 90).")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, username, days, name, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user called {username!r}.") from None
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        with audit_context(Channel.CLI):
            try:
                raw = api_token_issue(user=user, actor=None, name=name, days=days)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(raw)
