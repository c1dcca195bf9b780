"""Holding the meeting: attendance per agency, with the seniority check (§10.7); an agency
that neither came nor sent a report is followed up by the Chair with its SPOC (§10.10).
One transaction each, with its audit event."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_change, audit_create, audit_log, snapshot
from jmappa.core import dates
from jmappa.core.dates import long_day
from jmappa.core.deadlines import deadlines_changed_on_commit

from .. import notify, rules, selectors
from ..models import (
    PRESENT_MODES,
    Attendance,
    AttendanceMode,
    FollowUp,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    PanelLevel,
    StandingMembership,
)
from .common import _required


def meets_seniority(agency_id: int, level: str, grade: int | None, mode: str,
                    seats: dict | None = None) -> bool | None:
    """Whether someone of `grade` attending for the agency meets the seniority of its seat
    at `level` (§10.7); None where it does not apply: nobody attended, the agency has no
    seat at that level (or it is a level 1 discussion), or the grade is not known."""
    if mode not in PRESENT_MODES or level not in PanelLevel.values:
        return None
    seat = seats.get(agency_id) if seats is not None else selectors.seat_for(agency_id, level)
    if seat is None or grade is None:
        return None
    return grade >= seat.minimum_grade


def minutes_final(meeting: Meeting) -> bool:
    """Final minutes (or a version corrected since) record the attendance for good."""
    return meeting.minutes.filter(
        status__in=[MinutesStatus.FINAL, MinutesStatus.SUPERSEDED]).exists()


@transaction.atomic
def meeting_record_attendance(*, meeting: Meeting, rows: list[dict], actor,
                              on: date | None = None) -> Meeting:
    """The meeting is held: who came for each invited agency, how, at what grade (the
    attendee's unless given). An invited agency not in `rows` was absent. The minutes are
    due from the meeting's date (§10.12); an agency that neither attended nor sent a report
    is followed up by the Chair with its SPOC (§10.10). Recording again replaces the rows.

    rows: [{agency, mode, attendee (User or None), attendee_name, grade}]."""
    if not access.can_record_attendance(actor, meeting):
        raise ValidationError("Only the JMAPPA Administrator or the meeting's Chair records "
                              "attendance.")
    current = Meeting.objects.select_for_update(of=("self",)).select_related(
        "nominal", "chair").get(pk=meeting.pk)
    on = on or dates.today()
    if current.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled: there is no attendance to record.")
    if current.date > on:
        raise ValidationError(f"The meeting is on {long_day(current.date)}: record who attended on "
                              "the day or after.")
    if minutes_final(current):
        raise ValidationError("The minutes of this meeting are final: the attendance they "
                              "record can no longer be changed.")
    invited = {}
    for invitation in current.invitations.filter(withdrawn_at__isnull=True).select_related(
            "agency__spoc"):
        invited.setdefault(invitation.agency_id, invitation)
    seats = {seat.agency_id: seat for seat in StandingMembership.objects.filter(
        level=current.level, is_active=True)}

    errors, seen, records = [], set(), []
    for row in rows:
        agency, mode = row.get("agency"), row.get("mode")
        if agency is None:
            errors.append("Choose the agency of each attendance row.")
            continue
        if agency.pk in seen:
            errors.append(f"{agency} is listed twice: give one row per agency.")
            continue
        seen.add(agency.pk)
        if mode not in AttendanceMode.values:
            errors.append(f"{agency}: choose how they attended, or that they were absent.")
            continue
        attendee = row.get("attendee") if mode in PRESENT_MODES else None
        name = (row.get("attendee_name") or "").strip() if mode in PRESENT_MODES else ""
        if mode in PRESENT_MODES and attendee is None and not name:
            errors.append(f"{agency}: name who attended.")
            continue
        grade = row.get("grade") if mode in PRESENT_MODES else None
        if grade is None and attendee is not None:
            grade = attendee.grade
        records.append(Attendance(
            meeting=current, agency=agency, invitation=invited.get(agency.pk),
            attendee=attendee, attendee_name=name or (str(attendee) if attendee else ""),
            grade=grade, mode=mode, recorded_by=actor,
            meets_seniority=meets_seniority(agency.pk, current.level, grade, mode, seats)))
    if errors:
        raise ValidationError({"rows": errors})
    for agency_id, invitation in invited.items():
        if agency_id not in seen:
            records.append(Attendance(meeting=current, agency=invitation.agency,
                                      invitation=invitation, mode=AttendanceMode.ABSENT,
                                      recorded_by=actor))

    replaced = current.attendance.count()
    current.attendance.all().delete()
    for record in records:
        record.save()
    if replaced:
        audit_log(actor=actor, action=Verb.CHANGE, obj=current, case_id=current.nominal_id,
                  detail="Attendance recorded again")
    for record in records:
        audit_create(actor=actor, obj=record, case_id=current.nominal_id)
    _follow_ups(current, records, invited, actor, on)

    before = snapshot(current, ["status", "minutes_due_by"])
    current.status = MeetingStatus.HELD
    current.minutes_due_by = rules.minutes_due_by(current.date, current.level)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return current


def _follow_ups(meeting: Meeting, records: list[Attendance], invited: dict, actor,
                on: date) -> None:
    """A follow-up for each invited agency that neither attended nor sent a report; one no
    longer needed (attendance corrected) and still open is taken away."""
    engaged = {r.agency_id for r in records if r.mode != AttendanceMode.ABSENT}
    missing = {agency_id for agency_id in invited if agency_id not in engaged}
    for follow_up in meeting.follow_ups.filter(closed_on__isnull=True).exclude(
            agency_id__in=missing):
        audit_log(actor=actor, action=Verb.CHANGE, obj=follow_up, case_id=meeting.nominal_id,
                  detail="Follow-up no longer needed: attendance corrected")
        follow_up.delete()
    for agency_id in sorted(missing):
        agency = invited[agency_id].agency
        follow_up, created = FollowUp.objects.get_or_create(
            meeting=meeting, agency=agency,
            defaults={"chair": meeting.chair, "spoc": agency.spoc, "opened_on": on})
        if created:
            audit_create(actor=actor, obj=follow_up, case_id=meeting.nominal_id)
            notify.follow_up_opened(follow_up)


@transaction.atomic
def follow_up_close(*, follow_up: FollowUp, outcome: str, actor, on: date | None = None,
                    escalate: bool = False) -> FollowUp:
    """The Chair records what the agency's SPOC answered. Where engagement has not improved,
    the follow-up is escalated to the SMB Chair, who takes it up with the agency's
    representative on the Board (§10.10)."""
    if not access.can_close_follow_up(actor, follow_up):
        raise ValidationError("Only the meeting's Chair (or the JMAPPA Co-ordinator) closes a "
                              "follow-up.")
    outcome = _required(outcome, "outcome", "Say what the agency's SPOC answered and what "
                                            "was agreed.")
    current = FollowUp.objects.select_for_update(of=("self",)).select_related("meeting").get(
        pk=follow_up.pk)
    if current.closed_on is not None:
        raise ValidationError("This follow-up is already closed.")
    before = snapshot(current, ["closed_on", "outcome", "escalated_on"])
    current.closed_on = on or dates.today()
    current.outcome = outcome
    if escalate:
        current.escalated_on, current.escalated_by = current.closed_on, actor
    current.save(update_fields=["closed_on", "outcome", "escalated_on", "escalated_by"])
    audit_change(actor=actor, obj=current, before=before, case_id=current.meeting.nominal_id)
    return current
