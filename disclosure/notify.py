"""Emails of the disclosure app, sent once the change has committed. An email leaves the
secure system: it names the case only by its reference, with a link, never the offender,
the requester or a third party."""

from __future__ import annotations

from jmappa.accounts.models import Role, User
from jmappa.core.mail import send_mail_on_commit, site_link

from .models import MinutesRequest

FOOTER = ("This email names the case only by its reference: the request is in the JMAPPA "
          "Case Manager. Do not forward it.")


def request_logged(minutes_request: MinutesRequest) -> None:
    """A request for minutes goes to the Co-ordinator and the Chair it is referred to
    (§5.5)."""
    coordinators = [user.email for user in User.objects.filter(
        is_active=True, roles__contains=[Role.COORDINATOR])]
    reference = minutes_request.nominal.reference
    send_mail_on_commit(
        f"Request for JMAPP minutes: case {reference}",
        f"A request for the minutes of case {reference} was received on "
        f"{minutes_request.received_on:%d %B %Y} from "
        f"{minutes_request.get_requester_kind_display().lower()}. A full copy of the minutes "
        f"is never provided: clarify what is sought, redirect it to the agency that owns the "
        f"information, or prepare the Minutes Executive Summary (§5.5, §5.6).\n\n"
        f"{site_link('disclosure:request', minutes_request.pk)}\n\n{FOOTER}",
        [*coordinators, minutes_request.chair.email])


def breach_reported(breach) -> None:
    """A breach of a worship contract goes to the case manager at once (§5.4)."""
    nominal = breach.nominal
    manager = nominal.case_manager
    recipients = [manager.email] if manager is not None and manager.email else [
        user.email for user in User.objects.filter(is_active=True,
                                                   roles__contains=[Role.COORDINATOR])]
    send_mail_on_commit(
        f"Worship contract breached: case {nominal.reference}",
        f"A breach of the behaviour contract of case {nominal.reference} was reported on "
        f"{breach.occurred_on:%d %B %Y}. Record the action taken (§5.4).\n\n"
        f"{site_link('disclosure:worship', breach.arrangement_id)}\n\n{FOOTER}",
        recipients)
