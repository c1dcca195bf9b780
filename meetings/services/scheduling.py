"""Scheduling (§10.4, §10.11): a meeting of a case, from an accepted referral or as a
review, on a panel date of its level or, for an emergency or a level 1 discussion, at a
chosen time; a date after the meeting-due date only with the reason recorded. Cancelling
it; the offender's written information (§3.6). One transaction each, with its audit
event."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone

from cases.models import Level, Nominal, Status
from jmappa import access
from jmappa.accounts.models import Grade, Role, User
from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core.dates import long_day
from referrals.models import Referral, ReferralStatus

from .. import notify, selectors
from ..models import KIND_LEVEL, Meeting, MeetingKind, MeetingStatus, PanelDate
from .common import _require_manager, _required
from .invitations import _end_memberships, build_invitations, send_invitations

# Level 2 and 3 meetings sit on the set panel dates; the others at a time of their own.
PANEL_KINDS = (MeetingKind.LEVEL_2, MeetingKind.LEVEL_3)


def chair_problem(user: User | None, level: str) -> str:
    """Why `user` cannot chair a meeting of `level`, or "" if they can. A chair holds the
    Chair role (the Co-ordinator chairs by office); at level 2 and 3 the Co-ordinator or a
    middle or senior manager of a JMAPPA agency (§9.2)."""
    if user is None:
        return "Choose the Chair." if level in (Level.TWO, Level.THREE) else ""
    if not user.is_active:
        return f"{user}'s account is disabled: choose another Chair."
    if not user.has_role(Role.CHAIR, Role.COORDINATOR):
        return f"{user} does not have the Chair role: choose someone who chairs JMAPP meetings."
    if level in (Level.TWO, Level.THREE) and not user.has_role(Role.COORDINATOR) and (
            user.grade or 0) < Grade.MIDDLE_MANAGER:
        grade = Grade(user.grade).label.split(" (")[0].lower() if user.grade else "no grade"
        return (f"A level {level} meeting is chaired by the JMAPPA Co-ordinator or a middle or "
                f"senior manager of a JMAPPA agency (§9.2); {user} is recorded as {grade}.")
    return ""


def due_date(nominal: Nominal, level: str, referral: Referral | None = None
             ) -> tuple[date | None, str]:
    """The date a meeting of `level` must be held by, and what sets it: the referral's
    meeting-due date (§10.4), or the review date after the last meeting of that level
    (§10.11). (None, "") when neither applies."""
    if referral is not None and referral.meeting_due_by:
        return referral.meeting_due_by, f"the meeting-due date of referral {referral.reference}"
    previous = selectors.last_held(nominal, level)
    if previous is not None:
        return selectors.review_due(previous), (f"the review date after the meeting of "
                                      f"{dateformat.format(previous.date, 'j F Y')}")
    return None, ""


def late_message(day: date, due: date) -> str:
    return (f"{long_day(day)} would miss the due date of {long_day(due)}: choose an earlier "
            "date, or give the reason for holding the meeting later.")


@transaction.atomic
def meeting_schedule(*, nominal: Nominal, kind: str, actor, panel: PanelDate | None = None,
                     starts_at: datetime | None = None, referral: Referral | None = None,
                     chair: User | None = None, location: str = "", late_reason: str = "",
                     send: bool = False) -> Meeting:
    """A meeting of the case: level 2 and 3 on a panel date of their level, an emergency
    meeting or a level 1 discussion at `starts_at`. From an accepted referral, it must be
    held by the referral's meeting-due date (a review, by the review date): a later date
    needs `late_reason`. The invitations are built at once, and sent if `send`. A level 1
    discussion may also be arranged by the referring agency (§10.3)."""
    if kind == MeetingKind.LEVEL_1:
        if not access.can_arrange_level_1(actor, nominal):
            raise ValidationError("A level 1 discussion is arranged by the case's lead or "
                                  "referring agency (§10.3), or by the JMAPPA Co-ordinator or "
                                  "an Administrator.")
    else:
        _require_manager(actor)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": "Choose the kind of meeting."})
    if nominal.status == Status.ARCHIVED:
        raise ValidationError("This case is archived: re-activate it before arranging a "
                              "meeting.")
    level = KIND_LEVEL[kind]
    errors = {}
    if referral is not None:
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        arranged = Meeting.objects.filter(referral=referral).exclude(
            status=MeetingStatus.CANCELLED).first()
        if referral.nominal_id != nominal.pk:
            errors["referral"] = "This referral is about another case."
        elif referral.status != ReferralStatus.ACCEPTED:
            errors["referral"] = "Only an accepted referral is arranged for a meeting."
        elif referral.level_agreed != level:
            errors["kind"] = (f"Referral {referral.reference} was accepted for a level "
                              f"{referral.level_agreed} meeting.")
        elif arranged is not None:
            errors["referral"] = (f"A meeting is already arranged for referral "
                                  f"{referral.reference}: {arranged}.")
    if kind in PANEL_KINDS:
        if panel is None:
            errors["panel"] = f"Choose a level {level} panel date."
        elif panel.level != level:
            errors["panel"] = (f"That is a level {panel.level} panel date: choose a level "
                               f"{level} one.")
        elif panel.cancelled:
            errors["panel"] = "That panel date is cancelled: choose another."
        else:
            starts_at = panel.starts_at
            location = location or panel.location
    else:
        panel = None
        if starts_at is None:
            errors["starts_at"] = "Enter the date and time of the meeting."
    problem = chair_problem(chair, level)
    if problem:
        errors["chair"] = problem
    if errors:
        raise ValidationError(errors)

    day = timezone.localtime(starts_at).date()
    due, _why = due_date(nominal, level, referral)
    late = due is not None and day > due
    late_reason = (late_reason or "").strip() if late else ""
    if late and not late_reason:
        raise ValidationError({"late_reason": late_message(day, due)})
    meeting = Meeting.objects.create(
        nominal=nominal, kind=kind, panel=panel, referral=referral, starts_at=starts_at,
        location=(location or "").strip(), chair=chair, late_reason=late_reason,
        is_review=Meeting.objects.filter(nominal=nominal, level=level,
                                         status=MeetingStatus.HELD,
                                         starts_at__lt=starts_at).exists(),
        created_by=actor,
    )
    audit_create(actor=actor, obj=meeting, case_id=nominal.pk)
    build_invitations(meeting, actor)
    if send:
        send_invitations(meeting, actor)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, actor) -> Meeting:
    """A meeting called off, with the reason; those invited are told, and lose the sight of
    the case it gave them."""
    _require_manager(actor)
    reason = _required(reason, "reason", "Give the reason for cancelling the meeting.")
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status != MeetingStatus.SCHEDULED:
        raise ValidationError(f"This meeting is {current.get_status_display().lower()}: only "
                              "a meeting still to be held can be cancelled.")
    before = snapshot(current, ["status", "cancelled_reason"])
    current.status = MeetingStatus.CANCELLED
    current.cancelled_reason = reason
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    live = list(current.invitations.filter(withdrawn_at__isnull=True)
                .select_related("membership", "meeting__nominal", "meeting__chair"))
    _end_memberships(live, actor)
    for invitation in live:
        if invitation.sent_at and invitation.email:
            invitation.meeting = current
            notify.invitation_cancelled(invitation, actor=actor)
    return current


# -- the offender's written information (§3.6) -----------------------------------------------------



@transaction.atomic
def meeting_offender_information_set(*, meeting: Meeting, text: str, actor) -> Meeting:
    """What the offender wrote for the meeting, which they do not attend (§3.6)."""
    if not access.can_attach_offender_information(actor, meeting):
        raise ValidationError("Only the offender's case manager, or the JMAPPA Administrator, "
                              "attaches the offender's written information.")
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status != MeetingStatus.SCHEDULED:
        raise ValidationError(f"This meeting is {current.get_status_display().lower()}: the "
                              "offender's information is attached before it is held.")
    before = snapshot(current, ["offender_information"])
    current.offender_information = (text or "").strip()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current
