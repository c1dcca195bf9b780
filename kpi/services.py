"""Every write to the Board's records: one transaction each, with its audit row."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmappa.accounts.models import Grade
from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core.uploads import check_upload
from jmappa.core.versioning import check_version, lock_for_update

from .models import (
    AUDIT_ITEMS,
    CHAIR_AGENCY_KINDS,
    AuditAnswer,
    AuditedCase,
    CaseAudit,
    GovernanceDocument,
    SmbAction,
    SmbAttendance,
    SmbAttendanceStatus,
    SmbChair,
    SmbMeeting,
    SmbMeetingStatus,
    SmbMembership,
    SmbMinutes,
    SmbMinutesStatus,
    SmbSeat,
)


@transaction.atomic
def smb_seat_create(*, name: str, seniority: str, minimum_grade: int, actor, agency=None,
                    position: int = 0) -> SmbSeat:
    if SmbSeat.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": "There is already a seat with this name."})
    seat = SmbSeat(name=name.strip(), agency=agency, seniority=seniority.strip(),
                   minimum_grade=minimum_grade, position=position)
    seat.full_clean()
    seat.save()
    audit_create(actor=actor, obj=seat)
    return seat


@transaction.atomic
def smb_member_appoint(*, seat: SmbSeat, member, on: date, actor) -> SmbMembership:
    """`member` holds `seat` from `on`; whoever held it before stops the day before. The
    member's grade is kept as it is today, and flagged if below the seat's (§15.2)."""
    current = SmbMembership.objects.select_for_update().filter(
        seat=seat, date_to__isnull=True).first()
    if current is not None:
        if on <= current.date_from:
            raise ValidationError({"on": f"{current.member} holds this seat from "
                                         f"{current.date_from:%d %B %Y}: give a later date."})
        before = snapshot(current, ["date_to"])
        current.date_to = on - timedelta(days=1)
        current.save(update_fields=["date_to"])
        audit_change(actor=actor, obj=current, before=before)
    membership = SmbMembership.objects.create(seat=seat, member=member, grade=member.grade,
                                              date_from=on)
    audit_create(actor=actor, obj=membership)
    return membership


@transaction.atomic
def smb_member_end(*, membership: SmbMembership, on: date, actor) -> SmbMembership:
    if membership.date_to is not None:
        raise ValidationError("This member has already left the seat.")
    if on < membership.date_from:
        raise ValidationError({"on": "The last day cannot be before the first."})
    before = snapshot(membership, ["date_to"])
    membership.date_to = on
    membership.save(update_fields=["date_to"])
    audit_change(actor=actor, obj=membership, before=before)
    return membership


def chair_problem(member) -> str | None:
    """Why `member` may not chair the Board (§15.3), or None."""
    agency = member.agency
    if agency is None or agency.kind not in CHAIR_AGENCY_KINDS:
        return "The Chair is a senior member of the Police, Probation or Prison Service."
    if (member.grade or 0) < Grade.SENIOR_MANAGER:
        return "The Chair is a senior member of their service (senior manager or above)."
    return None


@transaction.atomic
def smb_chair_appoint(*, member, on: date, actor) -> SmbChair:
    """`member` chairs the Board from `on`; the previous Chair's term ends the day before."""
    problem = chair_problem(member)
    if problem:
        raise ValidationError({"member": problem})
    current = SmbChair.objects.select_for_update().filter(date_to__isnull=True).first()
    if current is not None:
        if on <= current.date_from:
            raise ValidationError({"on": f"{current.member} chairs the Board from "
                                         f"{current.date_from:%d %B %Y}: give a later date."})
        before = snapshot(current, ["date_to"])
        current.date_to = on - timedelta(days=1)
        current.save(update_fields=["date_to"])
        audit_change(actor=actor, obj=current, before=before)
    term = SmbChair.objects.create(member=member, agency=member.agency, date_from=on)
    audit_create(actor=actor, obj=term)
    return term


def chair_on(day: date) -> SmbChair | None:
    return SmbChair.objects.on(day).select_related("member", "agency").first()


@transaction.atomic
def smb_meeting_create(*, on: date, actor, location: str = "", agenda: str = "",
                       chair=None) -> SmbMeeting:
    if chair is None:
        term = chair_on(on)
        chair = term.member if term else None
    meeting = SmbMeeting(date=on, location=location.strip(), agenda=agenda.strip(),
                         chair=chair, created_by=actor)
    meeting.full_clean()
    meeting.save()
    audit_create(actor=actor, obj=meeting)
    return meeting


@transaction.atomic
def smb_meeting_record(*, meeting: SmbMeeting, attendance: dict[int, tuple[str, str]],
                       actor) -> SmbMeeting:
    """The meeting was held: each member's attendance, by membership id, as (status, deputy's
    name). Every member holding a seat on the day must be accounted for; a deputy sent needs
    the deputy's name."""
    meeting = SmbMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == SmbMeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled.")
    seated = {m.pk: m for m in SmbMembership.objects.on(meeting.date)}
    errors = {}
    for membership_id in seated:
        status, deputy = attendance.get(membership_id, ("", ""))
        if status not in SmbAttendanceStatus.values:
            errors[f"member_{membership_id}"] = (
                f"Say whether {seated[membership_id].member} was present, sent a deputy, "
                f"gave apologies or was absent.")
        elif status == SmbAttendanceStatus.DEPUTY and not (deputy or "").strip():
            errors[f"member_{membership_id}"] = "Give the name of the deputy sent."
    unknown = set(attendance) - set(seated)
    if unknown:
        errors["attendance"] = "Only members holding a seat on the day can be recorded."
    if errors:
        raise ValidationError(errors)
    before = snapshot(meeting, ["status"])
    meeting.status = SmbMeetingStatus.HELD
    meeting.save(update_fields=["status"])
    audit_change(actor=actor, obj=meeting, before=before)
    for membership_id, (status, deputy) in attendance.items():
        deputy = deputy.strip() if status == SmbAttendanceStatus.DEPUTY else ""
        row, created = SmbAttendance.objects.update_or_create(
            meeting=meeting, membership_id=membership_id,
            defaults={"status": status, "deputy_name": deputy, "recorded_by": actor})
        if created:
            audit_create(actor=actor, obj=row)
    return meeting


# -- governance documents (§14.11, §15.1) -------------------------------------------------------

GOVERNANCE_FIELDS = ["kind", "title", "owner", "approved_on", "next_review", "notes",
                     "is_active"]


def _governance_checks(document: GovernanceDocument, upload) -> dict[str, str]:
    errors = {}
    if document.approved_on and document.approved_on > timezone.localdate():
        errors["approved_on"] = "The approval date cannot be in the future."
    try:
        document.full_clean(exclude=["file", "created_by"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name if name != "__all__" else "next_review", messages[0])
    if upload is not None:
        try:
            document.file_content_type = check_upload(upload)
        except ValidationError as error:
            errors["upload"] = error.messages[0]
    return errors


def _store(document: GovernanceDocument, upload) -> None:
    document.file_name = PurePath(upload.name).name[:255]
    document.file.save(upload.name, upload, save=False)


@transaction.atomic
def governance_document_add(*, actor, upload=None, **fields) -> GovernanceDocument:
    """A document the Board keeps, with its owner and next review (§15.1)."""
    unknown = set(fields) - set(GOVERNANCE_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    document = GovernanceDocument(created_by=actor, **{
        name: value.strip() if isinstance(value, str) else value
        for name, value in fields.items()})
    errors = _governance_checks(document, upload)
    if errors:
        raise ValidationError(errors)
    if upload is not None:
        _store(document, upload)
    document.save()
    audit_create(actor=actor, obj=document)
    return document


@transaction.atomic
def governance_document_update(*, document: GovernanceDocument, actor, version: int | None,
                               upload=None, **fields) -> GovernanceDocument:
    """A review recorded (approved again, the next review set), a new owner or copy, or the
    document withdrawn (no longer in force: its reviews stop)."""
    unknown = set(fields) - set(GOVERNANCE_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    current = lock_for_update(document)
    check_version(document, current, version, GOVERNANCE_FIELDS)
    before = snapshot(current, [*GOVERNANCE_FIELDS, "file_name"])
    for name, value in fields.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    errors = _governance_checks(current, upload)
    if errors:
        raise ValidationError(errors)
    if upload is not None:
        _store(current, upload)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current


# -- the case audit (§15.4, §16.1) -------------------------------------------------------------

DEFAULT_AUDIT_SAMPLE = 10


def audit_sample_size() -> int:
    from django.conf import settings

    return getattr(settings, "CASE_AUDIT_SAMPLE", DEFAULT_AUDIT_SAMPLE)


@transaction.atomic
def case_audit_draw(*, period, actor, size: int | None = None, today: date | None = None,
                    seed: int | None = None) -> CaseAudit:
    """A quarter's random sample of the cases managed at level 2 or 3 in it, each with what
    the records suggest for the checklist. One audit per quarter; a quarter not yet begun
    has nothing to audit."""
    import random

    from . import selectors

    today = today or timezone.localdate()
    size = size or audit_sample_size()
    if period.start > today:
        raise ValidationError({"period": "That quarter has not started yet."})
    if CaseAudit.objects.filter(period=period.code).exists():
        raise ValidationError({"period": f"The sample for {period.label} is already drawn."})
    if size < 1:
        raise ValidationError({"size": "Sample at least one case."})
    population = selectors.audit_population(period, today)
    if not population:
        raise ValidationError({"period": f"No case was managed at level 2 or 3 in "
                                         f"{period.label}."})
    seed = seed if seed is not None else random.SystemRandom().randrange(2**62)
    chosen = sorted(random.Random(seed).sample(sorted(population), min(size, len(population))))
    audit = CaseAudit.objects.create(period=period.code, sample_size=size,
                                     population=len(population), seed=seed, drawn_by=actor)
    audit_create(actor=actor, obj=audit)
    suggested = selectors.audit_suggestions(period, today, population, chosen)
    AuditedCase.objects.bulk_create([
        AuditedCase(audit=audit, nominal_id=nominal_id, level=population[nominal_id]["level"],
                    suggested=suggested[nominal_id]) for nominal_id in chosen])
    return audit


AUDIT_SCORE_FIELDS = ["answers", "defensible", "findings", "follow_up", "follow_up_by"]


@transaction.atomic
def audited_case_score(*, case: AuditedCase, actor, version: int | None, answers: dict,
                       defensible: bool | None, findings: str, follow_up: str = "",
                       follow_up_by: date | None = None) -> AuditedCase:
    """The scorer's answer to each item, the defensibility judgement and its reasons (the
    findings), and a follow-up action where something was not done."""
    current = lock_for_update(case)
    check_version(case, current, version, AUDIT_SCORE_FIELDS)
    errors = {}
    for item in AUDIT_ITEMS:
        if answers.get(item) not in AuditAnswer.values:
            errors[item] = "Answer yes, no or does not apply."
    if defensible is None:
        errors["defensible"] = ("Say whether everything that could reasonably have been done "
                                "to prevent re-offending was done.")
    if not (findings or "").strip():
        errors["findings"] = "Record the findings: what the judgement rests on."
    missed = defensible is False or any(answers.get(item) == AuditAnswer.NO
                                        for item in AUDIT_ITEMS)
    if missed and not (follow_up or "").strip():
        errors["follow_up"] = "Something was not done: record the follow-up action."
    if follow_up and follow_up.strip() and follow_up_by is None:
        errors["follow_up_by"] = "Give the date the follow-up is due by."
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, ["answers", "defensible", "follow_up_by"])
    current.answers = {item: answers[item] for item in AUDIT_ITEMS}
    current.defensible = defensible
    current.findings, current.follow_up = findings.strip(), (follow_up or "").strip()
    current.follow_up_by = follow_up_by if current.follow_up else None
    current.scored_by, current.scored_at = actor, timezone.now()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current


# -- non-attendance escalated to the Board (§10.10) ---------------------------------------------


def can_record_board_outcome(user, day: date) -> bool:
    """The SMB Chair of the day, or the Board's secretariat for them."""
    from jmappa import access

    term = chair_on(day)
    return access.can_manage_smb(user) or (term is not None and term.member_id == user.pk)


@transaction.atomic
def escalation_close(*, follow_up, actor, outcome: str):
    """The Board's outcome of non-attendance escalated to it: what the agency's
    representative on the Board undertook."""
    from django.core.exceptions import PermissionDenied

    from meetings.models import FollowUp

    today = timezone.localdate()
    if not can_record_board_outcome(actor, today):
        raise PermissionDenied("The SMB Chair, or the Board's secretariat, records it.")
    current = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if current.escalated_on is None or current.board_closed_on is not None:
        raise ValidationError("This is not open with the Board.")
    if not (outcome or "").strip():
        raise ValidationError({"board_outcome": "Record what the agency's representative on "
                                                "the Board undertook."})
    before = snapshot(current, ["board_outcome", "board_closed_on"])
    current.board_outcome, current.board_closed_on = outcome.strip(), today
    current.save(update_fields=["board_outcome", "board_closed_on"])
    audit_change(actor=actor, obj=current, before=before)
    return current


# -- the Board's minutes and actions (§15.3) ----------------------------------------------------

SMB_MINUTES_FIELDS = ["present", "discussion"]


def can_finalise_smb_minutes(user, meeting: SmbMeeting) -> bool:
    """The meeting's Chair, or the Co-ordinator."""
    from jmappa import access
    from jmappa.accounts.models import Role

    return meeting.chair_id == getattr(user, "pk", None) or access.has_role(
        user, Role.COORDINATOR)


@transaction.atomic
def smb_minutes_save(*, meeting: SmbMeeting, actor, version: int | None, present: str,
                     discussion: str) -> SmbMinutes:
    """The draft minutes of a Board meeting held, started or saved again. A save from someone
    who opened an older version is refused (StaleEdit) with what changed since."""
    meeting = SmbMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != SmbMeetingStatus.HELD:
        raise ValidationError("Minutes are written once the meeting is held and its "
                              "attendance recorded.")
    if not (discussion or "").strip():
        raise ValidationError({"discussion": "Record what was discussed and decided."})
    current = SmbMinutes.objects.select_for_update().filter(meeting=meeting).first()
    if current is None:
        minutes = SmbMinutes.objects.create(meeting=meeting, present=(present or "").strip(),
                                            discussion=discussion.strip(), drafted_by=actor)
        audit_create(actor=actor, obj=minutes)
        return minutes
    if current.status == SmbMinutesStatus.FINAL:
        raise ValidationError("The minutes are final: they are no longer changed.")
    check_version(current, current, version, SMB_MINUTES_FIELDS)
    before = snapshot(current, SMB_MINUTES_FIELDS)
    current.present, current.discussion = (present or "").strip(), discussion.strip()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current


@transaction.atomic
def smb_minutes_finalise(*, minutes: SmbMinutes, actor, version: int | None) -> SmbMinutes:
    from django.core.exceptions import PermissionDenied

    current = lock_for_update(minutes)
    if not can_finalise_smb_minutes(actor, current.meeting):
        raise PermissionDenied("The meeting's Chair, or the Co-ordinator, finalises them.")
    if current.status == SmbMinutesStatus.FINAL:
        raise ValidationError("The minutes are already final.")
    check_version(minutes, current, version, SMB_MINUTES_FIELDS)
    before = snapshot(current, ["status", "finalised_at"])
    current.status = SmbMinutesStatus.FINAL
    current.finalised_by, current.finalised_at = actor, timezone.now()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current


@transaction.atomic
def smb_action_add(*, meeting: SmbMeeting, actor, description: str, owner,
                   due_date: date | None) -> SmbAction:
    errors = {}
    if not (description or "").strip():
        errors["description"] = "Say what is to be done."
    if owner is None:
        errors["owner"] = "Choose who will do it."
    if due_date is None:
        errors["due_date"] = "Give the date it is due by."
    elif due_date < meeting.date:
        errors["due_date"] = "An action is due after the meeting that agreed it."
    if errors:
        raise ValidationError(errors)
    action = SmbAction.objects.create(meeting=meeting, description=description.strip(),
                                      owner=owner, due_date=due_date, created_by=actor)
    audit_create(actor=actor, obj=action)
    return action


@transaction.atomic
def smb_action_done(*, action: SmbAction, actor, done_on: date | None,
                    done_note: str) -> SmbAction:
    current = lock_for_update(action)
    if current.done_on is not None:
        raise ValidationError("This action is already done.")
    errors = {}
    if done_on is None:
        errors["done_on"] = "Give the date it was done."
    elif done_on > timezone.localdate():
        errors["done_on"] = "The date cannot be in the future."
    if not (done_note or "").strip():
        errors["done_note"] = "Say what was done."
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, ["done_on", "done_note"])
    current.done_on, current.done_note = done_on, done_note.strip()
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current
