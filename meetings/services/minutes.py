"""Every write to a meeting's minutes: one transaction each, with its audit event.

The lifecycle (§10.12): the Administrator or the Chair drafts the minutes of a meeting
held; the meeting's Chair finalises them, and they are locked; a correction is a new
version, with its reason, and the version it corrects is kept (superseded); final minutes
are distributed to the SPOC of each invited agency, and shared beyond them only with the
Chair's recorded consent (meetings/services/distribution.py).

Finalising applies what the meeting decided to the case: the agreed risk of serious harm
(a RoSH assessment), the level, the decision to withhold information from the offender
(§3.6), the next review date (a later one than §10.11 allows is a recorded deviation).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import dateformat, timezone

from cases import services as case_services
from cases.models import CustodyStatus, Level, LevelChange, RoshAssessment
from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_change, audit_create, audit_log, snapshot
from jmappa.core import dates
from jmappa.core.deadlines import deadlines_changed_on_commit
from jmappa.core.versioning import check_version

from .. import rules, selectors
from ..models import (
    CONFIDENTIALITY_STATEMENT,
    AgencyInformation,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from ..plan_source import ActionType, plan_actions

# What the people drafting the minutes fill in (the structured minutes, in the order of the
# page).
MINUTES_FIELDS = [
    "confidentiality_read",
    "rosh_overall", "rosh_public", "rosh_prisoners", "rosh_known_adult", "rosh_children",
    "rosh_staff", "who_is_at_risk", "nature_of_risk", "imminence",
    "level_decision", "ongoing_at_this_level", "ongoing_reasons",
    "discharge_considered", "discharge_notes",
    "disclosure_considered", "disclosure_decision", "disclosure_reasons",
    "differences_of_opinion",
    "withhold_from_offender", "withhold_reason",
    "next_review_by", "next_review_deviation",
]
ROSH_GROUPS = ["public", "prisoners", "known_adult", "children", "staff"]
RISK_FIELDS = [f"rosh_{group}" for group in ROSH_GROUPS]
DETAINED = (CustodyStatus.CUSTODY, CustodyStatus.HOSPITAL)
# The agreed risk narrative: each answer goes to its own field of the case's RoSH record.
NARRATIVE_MESSAGES = {
    "who_is_at_risk": "Say who is at risk: the agreed risk assessment updates the case.",
    "nature_of_risk": "Say what the nature of the harm is.",
    "imminence": "Say how imminent the harm is.",
}
NARRATIVE_FIELDS = list(NARRATIVE_MESSAGES)

# Where the reasons a finalising is refused are listed that concern no one field.
PLAN = "plan"

LOCKED_MESSAGE = (
    "These minutes are final and locked: they cannot be changed. The Chair can correct "
    "them in a new version, with the reason."
)
VICTIM_ACTION_MESSAGE = (
    "The Risk Management Plan has no action to protect victims: every JMAPPA plan must "
    "contain one (§7.2, §8.3). Add a victim protection action to the plan."
)
CONTINGENCY_MESSAGE = (
    "The Risk Management Plan has no contingency action: it must say what will be done "
    "should the plan break down (§7.2, §8.3). Add a contingency action to the plan."
)
DISCLOSURE_MESSAGE = (
    "Record the third-party disclosure decision: every meeting, at every level, must consider "
    "disclosure and record its decision (§5.2, KPI 3)."
)
DISCHARGE_MESSAGE = (
    "Confirm that the meeting considered discharge from JMAPPA: it is considered at every "
    "meeting (§13.3)."
)
DISCLOSURE_REASONS_MESSAGE = "Give the reasons for the disclosure decision (§5.2)."


# What the apps above add to what finalising needs, each `(minutes) -> {field: [message]}`
# (the disclosure app's: a deferred decision names its date, a decision to disclose its
# recipient). Registered from the app's ready(), never by importing it here.
FINALISE_CHECKS: list = []


def register_finalise_check(check) -> None:
    if check not in FINALISE_CHECKS:
        FINALISE_CHECKS.append(check)


def _clean(minutes: Minutes) -> None:
    # The §10.2 question stays unanswered (null) while drafting.
    minutes.full_clean()



def _day(value: date) -> str:
    return dateformat.format(value, "j F Y")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- reading what the services need ----------------------------------------------------------


def plan_snapshot(actions) -> list[dict]:
    """The actions as agreed, kept with the final minutes (the live plan moves on)."""
    return [{
        "id": action.pk,
        "description": action.description,
        "type": action.action_type,
        "type_label": action.get_action_type_display(),
        "owner_agency": action.owner_agency.name if action.owner_agency_id else "",
        "owner": (action.owner.get_full_name() or action.owner.username)
        if action.owner_id else "",
        "due_date": action.due_date.isoformat() if action.due_date else "",
        "plan_reference": action.plan_reference,
        "status": action.status,
        "status_label": action.get_status_display(),
    } for action in actions]


def plan_rows(snapshot: list[dict]) -> list[dict]:
    """A plan snapshot to show: the completion dates as dates."""
    rows = []
    for row in snapshot:
        due = row.get("due_date") or ""
        rows.append({**row, "due_date": date.fromisoformat(due) if due else None})
    return rows


def review_limit(minutes: Minutes) -> date:
    """The latest next review date the Guidance allows after this meeting (§10.11)."""
    meeting = minutes.meeting
    return rules.latest_review_date(meeting.date, meeting.level)


def _action_name(action) -> str:
    text = " ".join(action.description.split())
    return f"“{text[:60]}{'…' if len(text) > 60 else ''}”"


def finalise_problems(minutes: Minutes, actions=None) -> dict[str, list[str]]:
    """Why these minutes cannot be finalised yet, in the Chair's words: {field: [message]},
    `plan` for the Risk Management Plan. Empty when they can be."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    meeting = minutes.meeting
    level = meeting.level
    actions = list(plan_actions(meeting) if actions is None else actions)

    if not minutes.confidentiality_read:
        add("confidentiality_read", "Confirm that the confidentiality statement was read to "
                                    "the meeting.")
    if _blank(minutes.rosh_overall):
        add("rosh_overall", "Record the risk of serious harm the meeting agreed.")
    for name, message in NARRATIVE_MESSAGES.items():
        if _blank(getattr(minutes, name)):
            add(name, message)
    if _blank(minutes.level_decision) or minutes.level_decision == Level.UNKNOWN:
        add("level_decision", "Record the level the meeting decided for the case.")
    if minutes.ongoing_at_this_level is None:
        add("ongoing_at_this_level", "Answer the question “Does this case require ongoing "
                                     "JMAPPA management at this level?” (§10.2).")
    elif minutes.ongoing_at_this_level and _blank(minutes.ongoing_reasons):
        add("ongoing_reasons", "The case stays at this level: say what will be achieved, and "
                               "what actions are needed to ensure it (§10.2).")
    # §13.3: "The possibility of discharge from JMAPPA will be considered at every meeting."
    if not minutes.discharge_considered:
        add("discharge_considered", DISCHARGE_MESSAGE)
    elif _blank(minutes.discharge_notes):
        add("discharge_notes", "Say what the meeting concluded on discharge from JMAPPA, and "
                               "why (§13.3).")
    # "Disclosure at all JMAPP levels should be considered" (§5.2): level 1 discussions too.
    if not minutes.disclosure_considered or _blank(minutes.disclosure_decision):
        add("disclosure_decision", DISCLOSURE_MESSAGE)
    if _blank(minutes.disclosure_reasons):
        add("disclosure_reasons", DISCLOSURE_REASONS_MESSAGE)
    for check in FINALISE_CHECKS:
        for name, messages in check(minutes).items():
            for message in messages:
                add(name, message)
    if minutes.withhold_from_offender and _blank(minutes.withhold_reason):
        add("withhold_reason", "Give the reasons for withholding information from the "
                               "offender: they must be recorded in the minutes (§3.6).")
    if minutes.next_review_by is None:
        add("next_review_by", "Set the date of the next review (§10.11).")
    else:
        latest = review_limit(minutes)
        if minutes.next_review_by <= meeting.date:
            add("next_review_by", "The next review must be after this meeting.")
        elif minutes.next_review_by > latest and _blank(minutes.next_review_deviation):
            add("next_review_deviation",
                f"The next review is later than the Guidance allows (by {_day(latest)}, "
                f"§10.11): give the reasons, which are recorded as a deviation, or choose an "
                f"earlier date.")

    if level in (Level.TWO, Level.THREE):
        types = {action.action_type for action in actions}
        if ActionType.VICTIM_PROTECTION not in types:
            add(PLAN, VICTIM_ACTION_MESSAGE)
        if ActionType.CONTINGENCY not in types:
            add(PLAN, CONTINGENCY_MESSAGE)
    for action in actions:
        if not action.owner_agency_id:
            add(PLAN, f"Action {_action_name(action)} has no owner agency: every action is "
                      "owned by a named agency (§8.3).")
        if action.due_date is None:
            add(PLAN, f"Action {_action_name(action)} has no completion date (§8.3).")
    return problems


# -- drafting ----------------------------------------------------------------------------------


def _check_may_draft(actor, meeting: Meeting) -> None:
    if not access.can_draft_minutes(actor, meeting):
        raise PermissionDenied("Only the JMAPPA Administrator, the Co-ordinator or the "
                               "meeting's Chair can draft its minutes.")


def _check_is_chair(actor, meeting: Meeting, what: str) -> None:
    if not access.can_finalise_minutes(actor, meeting):
        raise PermissionDenied(f"Only the meeting's Chair can {what}.")


def _starting_values(meeting: Meeting) -> dict:
    """A first draft starts from what the case already holds: its current risk of serious
    harm and its decision on withholding from the offender; the next review is the latest
    the Guidance allows."""
    nominal = meeting.nominal
    values = {
        "next_review_by": rules.latest_review_date(meeting.date, meeting.level),
        "withhold_from_offender": nominal.withhold_from_offender,
        "withhold_reason": nominal.withhold_reason,
        "rosh_overall": nominal.rosh or "",
    }
    latest = RoshAssessment.objects.filter(nominal=nominal).order_by("-assessed_on", "-id") \
        .first()
    if latest is not None:
        prefix = "custody" if nominal.custody_status in DETAINED else "community"
        for group in ROSH_GROUPS:
            values[f"rosh_{group}"] = getattr(latest, f"{prefix}_{group}")
        values["rosh_overall"] = values["rosh_overall"] or latest.overall
        values.update({name: getattr(latest, name) for name in NARRATIVE_FIELDS})
    return values


@transaction.atomic
def minutes_start(*, meeting: Meeting, actor) -> Minutes:
    """The first draft (version 1) of a meeting's minutes, once the meeting is held or on
    its day (minutes may be written up after the fact)."""
    meeting = Meeting.objects.select_for_update().select_related("nominal").get(pk=meeting.pk)
    _check_may_draft(actor, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled: it has no minutes.")
    if meeting.status != MeetingStatus.HELD and meeting.date > dates.today():
        raise ValidationError(f"The meeting is on {_day(meeting.date)}: its minutes can be "
                              "started on the day.")
    if Minutes.objects.filter(meeting=meeting).exists():
        raise ValidationError("This meeting already has minutes: open them to continue.")
    minutes = Minutes(meeting=meeting, number=1, status=MinutesStatus.DRAFT,
                      confidentiality_statement=CONFIDENTIALITY_STATEMENT, drafted_by=actor,
                      **_starting_values(meeting))
    _clean(minutes)
    minutes.save()
    audit_create(actor=actor, obj=minutes, case_id=meeting.nominal_id)
    return minutes


def _locked(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__nominal") \
        .get(pk=minutes.pk)


def _information_rows(minutes: Minutes) -> list[dict]:
    return [{"agency": row.agency, "information": row.information}
            for row in minutes.information.select_related("agency")]


def _set_information(minutes: Minutes, rows: list[dict]) -> bool:
    """Replace the information shared by each agency; whether anything changed."""
    wanted = [{"agency": row["agency"], "information": row["information"].strip()}
              for row in rows if row.get("agency") and (row.get("information") or "").strip()]
    stored = _information_rows(minutes)
    if [(r["agency"].pk, r["information"]) for r in stored] == \
            [(r["agency"].pk, r["information"]) for r in wanted]:
        return False
    minutes.information.all().delete()
    AgencyInformation.objects.bulk_create(
        AgencyInformation(minutes=minutes, agency=row["agency"], information=row["information"])
        for row in wanted)
    return True


@transaction.atomic
def minutes_update(*, minutes: Minutes, actor, version: int | None,
                   information: list[dict] | None = None, **fields) -> Minutes:
    """Change a draft. `minutes` is the draft as the user opened it: a `version` older than
    the stored one is refused with StaleEdit (what changed since), so that nobody's work is
    silently overwritten. `information` is [{agency, information}]."""
    unknown = set(fields) - set(MINUTES_FIELDS)
    if unknown:
        raise ValueError(f"not minutes fields: {sorted(unknown)}")
    current = _locked(minutes)
    _check_may_draft(actor, current.meeting)
    if current.status != MinutesStatus.DRAFT:
        raise ValidationError(LOCKED_MESSAGE)
    check_version(minutes, current, version, MINUTES_FIELDS)
    before = snapshot(current, fields.keys())
    for name, value in fields.items():
        setattr(current, name, value)
    _clean(current)
    current.version += 1
    current.save()
    case_id = current.meeting.nominal_id
    audit_change(actor=actor, obj=current, before=before, case_id=case_id)
    if information is not None and _set_information(current, information):
        audit_log(actor=actor, action=Verb.CHANGE, obj=current, case_id=case_id,
                  detail="Information shared by each agency changed")
    return current


# -- finalising ----------------------------------------------------------------------------------


def _apply_risk(minutes: Minutes, actor) -> None:
    meeting = minutes.meeting
    nominal = meeting.nominal
    prefix = "custody" if nominal.custody_status in DETAINED else "community"
    groups = {f"{prefix}_{group}": getattr(minutes, f"rosh_{group}") for group in ROSH_GROUPS}
    narrative = {name: getattr(minutes, name).strip() for name in NARRATIVE_FIELDS}
    case_services.rosh_record(
        nominal=nominal, actor=actor, assessed_on=meeting.date, overall=minutes.rosh_overall,
        **narrative, **groups)


def _apply_level(minutes: Minutes, actor) -> None:
    meeting = minutes.meeting
    nominal = meeting.nominal
    if minutes.level_decision == nominal.level:
        return
    current = LevelChange.objects.filter(nominal=nominal, date_to__isnull=True) \
        .order_by("-date_from").first()
    on = meeting.date if current is None else max(meeting.date, current.date_from)
    reason = f"Decided at the {meeting} (minutes version {minutes.number})."
    if minutes.ongoing_reasons.strip():
        reason += f" {minutes.ongoing_reasons.strip()}"
    case_services.nominal_set_level(nominal=nominal, level=minutes.level_decision,
                                    reason=reason, actor=actor, on=on)


def _apply_withholding(minutes: Minutes, actor) -> None:
    nominal = minutes.meeting.nominal
    wanted = {"withhold_from_offender": minutes.withhold_from_offender,
              "withhold_reason": minutes.withhold_reason if minutes.withhold_from_offender
              else ""}
    if all(getattr(nominal, name) == value for name, value in wanted.items()):
        return
    meeting = minutes.meeting
    minutes.meeting.nominal = case_services.nominal_decide_withholding(
        nominal=nominal, actor=actor, withhold=minutes.withhold_from_offender,
        reason=minutes.withhold_reason,
        decided_at=f"{selectors.meeting_label(meeting)} (minutes version {minutes.number})")


def _record_late_review(minutes: Minutes, actor) -> None:
    latest = review_limit(minutes)
    if minutes.next_review_by <= latest:
        return
    meeting = minutes.meeting
    weeks = rules.REVIEW_WEEKS[meeting.level]
    case_services.deviation_record(
        nominal=meeting.nominal, actor=actor, guidance_section="10.11",
        what=(f"Next review set for {_day(minutes.next_review_by)}, later than the "
              f"{weeks} weeks the Guidance allows after the {meeting} (by {_day(latest)})."),
        why=minutes.next_review_deviation.strip(),
    )


@transaction.atomic
def minutes_finalise(*, minutes: Minutes, actor, version: int | None = None) -> Minutes:
    """The Chair approves the draft: it becomes the final minutes, locked. Refused, with
    every reason, while anything the Guidance requires is missing (finalise_problems);
    and, given the `version` the Chair read, if the draft changed since (StaleEdit)."""
    current = _locked(minutes)
    meeting = current.meeting
    _check_is_chair(actor, meeting, "finalise its minutes")
    if current.status != MinutesStatus.DRAFT:
        raise ValidationError(LOCKED_MESSAGE)
    check_version(minutes, current, version)
    actions = list(plan_actions(meeting))
    problems = finalise_problems(current, actions)
    if problems:
        raise ValidationError(problems)
    case_id = meeting.nominal_id
    # The version this corrects is kept, superseded.
    previous = Minutes.objects.select_for_update().filter(
        meeting=meeting, status=MinutesStatus.FINAL).first()
    if previous is not None:
        before = snapshot(previous, ["status"])
        previous.status = MinutesStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        audit_change(actor=actor, obj=previous, before=before, case_id=case_id)
    before = snapshot(current, ["status", "finalised_by", "finalised_at", "plan_snapshot"])
    current.status = MinutesStatus.FINAL
    current.finalised_by = actor
    current.finalised_at = timezone.now()
    current.plan_snapshot = plan_snapshot(actions)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=case_id)

    meeting_before = snapshot(meeting, ["next_review_by"])
    meeting.next_review_by = current.next_review_by
    meeting.version += 1
    meeting.save(update_fields=["next_review_by", "version", "updated_at"])
    audit_change(actor=actor, obj=meeting, before=meeting_before, case_id=case_id)

    # A correction applies again only what it changes.
    if not _same(previous, current, ["rosh_overall", *RISK_FIELDS, *NARRATIVE_FIELDS]):
        _apply_risk(current, actor)
    _apply_level(current, actor)
    _apply_withholding(current, actor)
    if not _same(previous, current, ["next_review_by", "next_review_deviation"]):
        _record_late_review(current, actor)
    deadlines_changed_on_commit(case_id)
    return current


def _same(previous: Minutes | None, current: Minutes, names: list[str]) -> bool:
    return previous is not None and all(
        getattr(previous, name) == getattr(current, name) for name in names)


# -- corrections ---------------------------------------------------------------------------------


@transaction.atomic
def minutes_correct(*, minutes: Minutes, actor, reason: str) -> Minutes:
    """A correction to final minutes: a new draft version, copying them, with the reason.
    The final version stays as it is until the correction is finalised."""
    current = _locked(minutes)
    meeting = current.meeting
    _check_is_chair(actor, meeting, "correct its minutes")
    if current.status != MinutesStatus.FINAL:
        raise ValidationError("Only the final minutes can be corrected.")
    if _blank(reason):
        raise ValidationError({"reason": "Give the reason for the correction."})
    if Minutes.objects.filter(meeting=meeting, status=MinutesStatus.DRAFT).exists():
        raise ValidationError("A correction is already being drafted: open it to continue.")
    number = Minutes.objects.filter(meeting=meeting).aggregate(top=Max("number"))["top"] + 1
    values = {name: getattr(current, name) for name in MINUTES_FIELDS}
    correction = Minutes(
        meeting=meeting, number=number, status=MinutesStatus.DRAFT,
        correction_reason=reason.strip(),
        confidentiality_statement=current.confidentiality_statement,
        drafted_by=actor, **values,
    )
    _clean(correction)
    correction.save()
    AgencyInformation.objects.bulk_create(
        AgencyInformation(minutes=correction, agency_id=row.agency_id,
                          information=row.information)
        for row in current.information.all())
    audit_create(actor=actor, obj=correction, case_id=meeting.nominal_id)
    return correction
