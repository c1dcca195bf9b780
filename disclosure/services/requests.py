"""The register of requests for minutes (§5.5): logged by whoever received the request,
sent to the Co-ordinator and the Chair; clarified in writing; closed by redirecting the
requester to the agency that owns the information, by issuing the Minutes Executive
Summary, or by declining with the reason. A full copy of the minutes is never provided."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Nominal
from jmappa import access
from jmappa.accounts.models import Role
from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core.versioning import lock_for_update

from .. import notify
from ..models import Correspondence, MinutesRequest, Requester, RequestOutcome

CLOSED_MESSAGE = "This request is closed: its outcome is recorded."


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_manage(actor, minutes_request: MinutesRequest) -> None:
    if not access.can_manage_minutes_request(actor, minutes_request):
        raise PermissionDenied("The Co-ordinator or the Chair the request was referred to "
                               "acts on it.")


def _check_open(minutes_request: MinutesRequest) -> None:
    if minutes_request.outcome != RequestOutcome.OPEN:
        raise ValidationError(CLOSED_MESSAGE)


@transaction.atomic
def minutes_request_log(*, nominal: Nominal, actor, requester_kind: str, requester_name: str,
                        received_on: date | None, chair, what_is_sought: str,
                        received_by=None) -> MinutesRequest:
    if not (access.can_view_nominal(actor, nominal)
            and access.can_log_minutes_request(actor, nominal)):
        raise PermissionDenied("You cannot log a request for this case's minutes.")
    errors = {}
    if requester_kind not in Requester.values:
        errors["requester_kind"] = "Say who made the request."
    if _blank(requester_name):
        errors["requester_name"] = "Give the name of whoever made the request."
    if received_on is None:
        errors["received_on"] = "Give the date the request was received."
    elif received_on > timezone.localdate():
        errors["received_on"] = "The date received cannot be in the future."
    if chair is None or not chair.is_active or not chair.has_role(Role.CHAIR,
                                                                   Role.COORDINATOR):
        errors["chair"] = "Choose the Chair the request is referred to (§5.5)."
    if _blank(what_is_sought):
        errors["what_is_sought"] = "Say what the requester asked for."
    if errors:
        raise ValidationError(errors)
    minutes_request = MinutesRequest.objects.create(
        nominal=nominal, requester_kind=requester_kind, requester_name=requester_name.strip(),
        received_on=received_on, received_by=received_by or actor, chair=chair,
        what_is_sought=what_is_sought.strip(), logged_by=actor)
    audit_create(actor=actor, obj=minutes_request, case_id=nominal.pk)
    notify.request_logged(minutes_request)
    return minutes_request


@transaction.atomic
def minutes_request_clarify(*, minutes_request: MinutesRequest, actor, sought: str,
                            answer: str = "", clarified_on: date | None = None
                            ) -> MinutesRequest:
    """The clarification sought of the requester (what exactly is wanted?) and, once given,
    its answer."""
    current = lock_for_update(minutes_request)
    _check_manage(actor, current)
    _check_open(current)
    if _blank(sought):
        raise ValidationError({"clarification_sought": "Say what clarification was asked."})
    if not _blank(answer) and clarified_on is None:
        raise ValidationError({"clarified_on": "Give the date the answer was received."})
    before = snapshot(current, ["clarification_sought", "clarification_answer",
                                "clarified_on"])
    current.clarification_sought, current.clarification_answer = sought.strip(), \
        (answer or "").strip()
    current.clarified_on = clarified_on if current.clarification_answer else None
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


@transaction.atomic
def correspondence_add(*, minutes_request: MinutesRequest, actor, direction: str,
                       dated: date | None, summary: str, attachment=None) -> Correspondence:
    _check_manage(actor, minutes_request)
    errors = {}
    if direction not in Correspondence.Direction.values:
        errors["direction"] = "Say whether the letter or email was sent or received."
    if dated is None:
        errors["dated"] = "Give the date of the letter or email."
    if _blank(summary):
        errors["summary"] = "Say what the letter or email says."
    if errors:
        raise ValidationError(errors)
    item = Correspondence.objects.create(request=minutes_request, direction=direction,
                                         dated=dated, summary=summary.strip(),
                                         attachment=attachment or "", recorded_by=actor)
    audit_create(actor=actor, obj=item, case_id=minutes_request.nominal_id)
    return item


def _close(current: MinutesRequest, actor, outcome: str, before: dict) -> MinutesRequest:
    current.outcome = outcome
    current.closed_on = timezone.localdate()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


CLOSE_FIELDS = ["outcome", "closed_on", "redirected_to", "redirected_what", "declined_reason"]


@transaction.atomic
def minutes_request_redirect(*, minutes_request: MinutesRequest, actor, agency,
                             what: str) -> MinutesRequest:
    """What is wanted is an agency's own information (a risk assessment, adjudications, a
    mental health assessment): the requester is directed to that agency (§5.5)."""
    current = lock_for_update(minutes_request)
    _check_manage(actor, current)
    _check_open(current)
    errors = {}
    if agency is None:
        errors["redirected_to"] = "Choose the agency that owns the information."
    if _blank(what):
        errors["redirected_what"] = "Say what information that agency owns."
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, CLOSE_FIELDS)
    current.redirected_to, current.redirected_what = agency, what.strip()
    return _close(current, actor, RequestOutcome.REDIRECTED, before)


@transaction.atomic
def minutes_request_decline(*, minutes_request: MinutesRequest, actor,
                            reason: str) -> MinutesRequest:
    current = lock_for_update(minutes_request)
    _check_manage(actor, current)
    _check_open(current)
    if _blank(reason):
        raise ValidationError({"declined_reason": "Give the reason the request is declined."})
    before = snapshot(current, CLOSE_FIELDS)
    current.declined_reason = reason.strip()
    return _close(current, actor, RequestOutcome.DECLINED, before)
