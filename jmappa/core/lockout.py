"""Sign-in lock-out (django-axes) by username-and-address, with a ceiling per address.

Two counts are kept for every failed sign-in:

- the username tried from this address: LOGIN_FAILURE_LIMIT (5) failures lock that username
  *from that address only*, so someone guessing at the Co-ordinator's password from one
  machine does not lock the Co-ordinator out of her own office;
- the address alone: LOGIN_ADDRESS_FAILURE_LIMIT (20) failures, whatever the usernames,
  lock the address, so one guess sprayed across many accounts is stopped too.

axes counts each parameter set named in AXES_LOCKOUT_PARAMETERS and locks on the highest
count against one limit; this handler gives the address its own, higher, limit. A success
clears only the username-and-address count: signing in to one account must not wipe out
the failures an address ran up against others.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class UsernameAndAddressHandler(AxesDatabaseHandler):
    """For AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"], in that
    order."""

    def get_failures(self, request, credentials=None) -> int:
        per_pair, per_address = self.get_user_attempts(request, credentials)
        pair_failures = _failures(per_pair)
        if _failures(per_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(pair_failures, get_failure_limit(request, credentials))
        return pair_failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        per_pair, _ = self.filter_user_attempts(request, credentials)
        count, _ = per_pair.delete()
        return count
