"""Who may see and do what: the one place where access is decided.

Pages, the API, exports, PDFs and jobs all ask here. Role checks live here
now; the need-to-know rule on cases (and everything that hangs off a case)
joins them with the case register.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from jmappa.accounts.models import Role


def has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_role(*roles))


def sees_every_case(user) -> bool:
    """The Co-ordinator and Administrators keep the register, so see every case."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_view_audit_trail(user) -> bool:
    return has_role(user, Role.COORDINATOR)


def can_view_agency_directory(user) -> bool:
    # Every signed-in user needs to find the other agencies and their SPOCs.
    return bool(user and user.is_authenticated and user.is_active)


class RoleRequiredMixin(LoginRequiredMixin):
    """A page for some roles only: `access_check` is one of the functions above."""

    access_check = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).access_check(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
