"""The Minutes Executive Summary (§5.6): drafted automatically from all the minutes and the
original referral, edited by the Chair of the last meeting (a stale save is refused, as for
minutes), finalised by that Chair only once they confirm no sensitive victim information and
no referring officer's name is in it, then issued to the requester, with who and when."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone

from cases.models import Level
from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_change, audit_create, audit_log, snapshot
from jmappa.core.versioning import check_version, lock_for_update
from plans.models import ActionStatus

from .. import selectors
from ..models import (
    SUMMARY_FIELDS,
    ExecutiveSummary,
    MinutesRequest,
    RequestOutcome,
    SummaryStatus,
)

NO_CHAIR_MESSAGE = ("The case has no meeting held with a Chair: the Executive Summary is "
                    "prepared by the Chair of the last meeting (§5.5).")
LOCKED_MESSAGE = "The Executive Summary is final: it can no longer be changed."
CHECK_MESSAGE = ("Confirm you have checked that no sensitive victim information and no name "
                 "of the referring officer is in the summary (§5.6).")
SECTION_MESSAGE = "Every section of the summary must be written (§5.6)."
# A capitalised name of two words or more, as a referral writes a victim's name.
NAME = re.compile(r"\b[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)+\b")


def _day(value) -> str:
    return dateformat.format(value, "j F Y")


def _name(user) -> str:
    return user.get_full_name() or user.username


def draft_sections(sources: dict, chair) -> dict[str, str]:
    """The six sections, drafted from the record for the Chair to edit. Nothing is copied
    from the referral's victims, and the referring officer is not named."""
    nominal, referral = sources["nominal"], sources["referral"]
    details = [f"Name: {nominal.given_names} {nominal.family_name}",
               f"Date of birth: {_day(nominal.date_of_birth)}"]
    if sources["aliases"]:
        details.append(f"Also known as: {', '.join(sources['aliases'])}")
    for label, value in (("PNC number", nominal.pnc_number),
                         ("ViSOR number", nominal.visor_number),
                         ("Prison number", nominal.prison_number)):
        if value:
            details.append(f"{label}: {value}")
    details.append(f"JMAPPA {nominal.get_category_display()}")

    if referral is not None:
        referred = [f"Referring agency: {referral.referring_agency.name}",
                    f"Date of referral: {_day(referral.received_on or referral.created_at)}",
                    f"Reason for referral: {referral.reasons.strip() or '—'}"]
        if referral.why_not_level_1.strip():
            referred.append(f"Why level 1 could not manage the case: "
                            f"{referral.why_not_level_1.strip()}")
    else:
        referred = ["No JMAPPA referral form is recorded for this case."]

    meetings = []
    for minutes in sources["minutes"]:
        meeting = minutes.meeting
        risk = minutes.get_rosh_overall_display() or "not recorded"
        line = (f"{_day(meeting.date)}, {meeting.get_kind_display().lower()}: risk of serious "
                f"harm agreed {risk.lower()}")
        if minutes.level_decision:
            line += f"; level decided: {minutes.get_level_decision_display().lower()}"
        meetings.append(line + ".")
    if nominal.diversity_needs.strip():
        meetings.append(f"Diversity needs managed: {nominal.diversity_needs.strip()}")
    meetings.append(f"Level of JMAPPA management now: {nominal.get_level_display().lower()}.")

    plan = []
    for action in sources["actions"]:
        done = {ActionStatus.DONE: "completed",
                ActionStatus.CANNOT_DELIVER: "could not be delivered"}.get(
            action.status, "not yet completed")
        plan.append(f"{action.get_action_type_display()} ({action.owner_agency.name}): "
                    f"{' '.join(action.description.split())} — {done}.")
    if nominal.level not in (Level.TWO, Level.THREE):
        last = sources["minutes"][-1] if sources["minutes"] else None
        reason = (last.ongoing_reasons.strip() if last else "") or "—"
        plan.append(f"The case is no longer managed at level 2 or 3: {reason}")

    dates = [f"{_day(meeting.date)} ({meeting.get_kind_display()})"
             for meeting in sources["meetings"]]
    chair_line = ", ".join(part for part in (
        _name(chair), chair.job_title, chair.agency.name if chair.agency_id else "") if part)
    return {
        "personal_details": "\n".join(details),
        "referral": "\n".join(referred),
        "meetings_summary": "\n".join(meetings) or "No final minutes are recorded.",
        "plan_outline": "\n".join(plan) or "No actions are recorded.",
        "meeting_details": "\n".join(dates) or "No meeting held.",
        "chair_details": chair_line,
    }


@transaction.atomic
def summary_draft(*, minutes_request: MinutesRequest, actor) -> ExecutiveSummary:
    """The draft, written from the record; the Co-ordinator or the Chair starts it."""
    current = lock_for_update(minutes_request)
    if not access.can_manage_minutes_request(actor, current):
        raise PermissionDenied("The Co-ordinator or the Chair prepares the summary.")
    if current.outcome != RequestOutcome.OPEN:
        raise ValidationError("This request is closed: its outcome is recorded.")
    existing = ExecutiveSummary.objects.filter(request=current).first()
    if existing:
        return existing
    chair = selectors.last_meeting_chair(current.nominal)
    if chair is None:
        raise ValidationError(NO_CHAIR_MESSAGE)
    sections = draft_sections(selectors.summary_sources(current.nominal), chair)
    summary = ExecutiveSummary.objects.create(nominal_id=current.nominal_id, request=current,
                                              chair=chair, **sections)
    audit_create(actor=actor, obj=summary, case_id=current.nominal_id)
    return summary


def _check_chair(actor, summary: ExecutiveSummary) -> None:
    if not access.can_write_summary(actor, summary):
        raise PermissionDenied("Only the Chair of the last meeting writes the Executive "
                               "Summary.")


@transaction.atomic
def summary_update(*, summary: ExecutiveSummary, actor, version: int | None,
                   **fields) -> ExecutiveSummary:
    unknown = set(fields) - {*SUMMARY_FIELDS, "victim_check_confirmed"}
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed here")
    current = lock_for_update(summary)
    _check_chair(actor, current)
    if current.status != SummaryStatus.DRAFT:
        raise ValidationError(LOCKED_MESSAGE)
    check_version(summary, current, version, SUMMARY_FIELDS)
    before = snapshot(current, [*SUMMARY_FIELDS, "victim_check_confirmed"])
    for name, value in fields.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


def _forbidden_names(summary: ExecutiveSummary) -> tuple[list[str], list[str]]:
    """The referring officer's names, and the names the referral gives its victims."""
    sources = selectors.summary_sources(summary.nominal)
    referral = sources["referral"]
    officers, victims = [], []
    if referral is not None:
        officers = [name for name in {_name(referral.referred_by).strip(),
                                      referral.contact_name.strip()} if name]
        victims = sorted(set(NAME.findall(referral.victims)))
    return officers, victims


def finalise_problems(summary: ExecutiveSummary) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    text = "\n".join(getattr(summary, name) for name in SUMMARY_FIELDS)
    for name in SUMMARY_FIELDS:
        if not getattr(summary, name).strip():
            problems.setdefault(name, []).append(SECTION_MESSAGE)
    officers, victims = _forbidden_names(summary)
    lowered = text.lower()
    for officer in officers:
        if officer.lower() in lowered:
            problems.setdefault("referral", []).append(
                f"The summary names the referring officer ({officer}): state the referring "
                f"agency only (§5.6).")
    for victim in victims:
        if victim.lower() in lowered:
            problems.setdefault("meetings_summary", []).append(
                f"The summary names a victim the referral names ({victim}): no sensitive "
                f"victim information may be included (§5.6).")
    if not summary.victim_check_confirmed:
        problems.setdefault("victim_check_confirmed", []).append(CHECK_MESSAGE)
    return problems


@transaction.atomic
def summary_finalise(*, summary: ExecutiveSummary, actor,
                     version: int | None = None) -> ExecutiveSummary:
    current = lock_for_update(summary)
    _check_chair(actor, current)
    if current.status != SummaryStatus.DRAFT:
        raise ValidationError(LOCKED_MESSAGE)
    check_version(summary, current, version, SUMMARY_FIELDS)
    problems = finalise_problems(current)
    if problems:
        raise ValidationError(problems)
    before = snapshot(current, ["status", "completed_on", "finalised_at"])
    current.status = SummaryStatus.FINAL
    current.completed_on = timezone.localdate()
    current.finalised_at = timezone.now()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


@transaction.atomic
def summary_issue(*, summary: ExecutiveSummary, actor, issued_to: str) -> ExecutiveSummary:
    """The final summary sent to the requester, who and when logged; the request closes."""
    current = lock_for_update(summary)
    minutes_request = lock_for_update(current.request)
    if not access.can_manage_minutes_request(actor, minutes_request):
        raise PermissionDenied("The Co-ordinator or the Chair issues the summary.")
    if current.status != SummaryStatus.FINAL:
        raise ValidationError("Only a final Executive Summary is issued.")
    if not (issued_to or "").strip():
        raise ValidationError({"issued_to": "Say to whom the summary is issued."})
    before = snapshot(current, ["status", "issued_to", "issued_at", "issued_by"])
    current.status = SummaryStatus.ISSUED
    current.issued_to, current.issued_at, current.issued_by = (
        issued_to.strip(), timezone.now(), actor)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    audit_log(actor=actor, action=Verb.DISCLOSE, obj=current, case_id=current.nominal_id,
              detail="Minutes Executive Summary issued to the requester")
    request_before = snapshot(minutes_request, ["outcome", "closed_on"])
    minutes_request.outcome = RequestOutcome.SUMMARY_ISSUED
    minutes_request.closed_on = timezone.localdate()
    minutes_request.version += 1
    minutes_request.save()
    audit_change(actor=actor, obj=minutes_request, before=request_before,
                 case_id=minutes_request.nominal_id)
    return current
