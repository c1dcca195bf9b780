"""Every write to a case's support planning (seed 000): one transaction each, with its audit
row; a change to what the deadline sweep watches refreshes the case's alerts on commit."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import Nominal
from jmappa import access
from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core.checks import not_future, stripped
from jmappa.core.deadlines import deadlines_changed_on_commit
from jmappa.core.uploads import check_upload
from jmappa.core.versioning import check_version, lock_for_update
from meetings.kinds import KINDS, Attends

from .models import (
    DisclosedOffending,
    NetworkConsent,
    NetworkSending,
    SafetyPlan,
    SupportMeeting,
    SupportMeetingStatus,
    SupportPerson,
    SupportPlanning,
    next_meeting_by,
)

SPM = KINDS["support_planning"]
MANAGERS_ONLY = "Only those who keep the case's plan keep its support planning."
PLANNING_FIELDS = ("trigger", "starts_on", "ends_on", "offending", "victims",
                   "risk_of_reoffending", "who_should_attend", "exchanged_on")
PERSON_FIELDS = ("name", "relationship", "network_role", "practical_role", "phone", "email",
                 "address", "receives_safety_plan", "receives_risks", "receives_contacts",
                 "left_on")
RECORD_FIELDS = tuple(section.name for section in SPM.sections)


def _check_manager(actor, nominal: Nominal) -> None:
    if not (access.can_view_nominal(actor, nominal)
            and access.can_manage_support(actor, nominal)):
        raise PermissionDenied(MANAGERS_ONLY)


# -- the case under support planning ------------------------------------------------------------


def _planning_errors(planning: SupportPlanning) -> dict[str, str]:
    errors = {}
    if not planning.trigger:
        errors["trigger"] = "Say what starts the support planning: release, or the order."
    if planning.starts_on is None:
        errors["starts_on"] = "Give the date of release or of the order's start."
    elif planning.ends_on and planning.ends_on < planning.starts_on:
        errors["ends_on"] = "The sentence or order ends after support planning starts."
    not_future(errors, "exchanged_on", planning.exchanged_on)
    return errors


@transaction.atomic
def planning_start(*, nominal: Nominal, actor, **fields) -> SupportPlanning:
    """The case comes under support planning: its first meeting is due within four weeks."""
    _check_manager(actor, nominal)
    if SupportPlanning.objects.filter(nominal=nominal).exists():
        raise ValidationError("The case is already under support planning.")
    planning = SupportPlanning(nominal=nominal, created_by=actor, **stripped(fields))
    errors = _planning_errors(planning)
    if errors:
        raise ValidationError(errors)
    planning.save()
    audit_create(actor=actor, obj=planning, case_id=nominal.pk)
    deadlines_changed_on_commit(nominal.pk)
    return planning


@transaction.atomic
def planning_update(*, planning: SupportPlanning, actor, version: int | None,
                    **fields) -> SupportPlanning:
    """The dates, or the professionals' information exchange before the first meeting."""
    unknown = set(fields) - set(PLANNING_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    current = lock_for_update(planning)
    _check_manager(actor, current.nominal)
    check_version(planning, current, version, PLANNING_FIELDS)
    before = snapshot(current, PLANNING_FIELDS)
    for name, value in stripped(fields).items():
        setattr(current, name, value)
    errors = _planning_errors(current)
    if errors:
        raise ValidationError(errors)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return current


# -- the support network ------------------------------------------------------------------------


def _person_errors(person: SupportPerson) -> dict[str, str]:
    errors = {}
    if not person.name:
        errors["name"] = "Enter the name."
    if not person.relationship:
        errors["relationship"] = "Say who they are to the person, or their role."
    if not (person.phone or person.email or person.address):
        errors["phone"] = ("Give a way to reach them (telephone, email or address): the "
                           "network's members contact each other when they are concerned.")
    not_future(errors, "left_on", person.left_on)
    return errors


@transaction.atomic
def person_add(*, nominal: Nominal, actor, **fields) -> SupportPerson:
    _check_manager(actor, nominal)
    person = SupportPerson(nominal=nominal, added_by=actor, **stripped(fields))
    errors = _person_errors(person)
    if errors:
        raise ValidationError(errors)
    person.save()
    audit_create(actor=actor, obj=person, case_id=nominal.pk)
    return person


@transaction.atomic
def person_update(*, person: SupportPerson, actor, version: int | None,
                  **fields) -> SupportPerson:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    current = lock_for_update(person)
    _check_manager(actor, current.nominal)
    check_version(person, current, version, PERSON_FIELDS)
    before = snapshot(current, PERSON_FIELDS)
    for name, value in stripped(fields).items():
        setattr(current, name, value)
    errors = _person_errors(current)
    if errors:
        raise ValidationError(errors)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


# -- consent to share, and what is sent -------------------------------------------------------


@transaction.atomic
def consent_record(*, nominal: Nominal, actor, information: str, signed_on: date | None,
                   upload=None) -> NetworkConsent:
    """The person's signed consent to share the information named with the network."""
    _check_manager(actor, nominal)
    errors: dict[str, str] = {}
    if not (information or "").strip():
        errors["information"] = "Say what information the person agreed to share."
    if signed_on is None:
        errors["signed_on"] = "Give the date the person signed the consent form."
    not_future(errors, "signed_on", signed_on)
    content_type = ""
    if upload is not None:
        try:
            content_type = check_upload(upload)
        except ValidationError as error:
            errors["upload"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    consent = NetworkConsent(nominal=nominal, information=information.strip(),
                             signed_on=signed_on, recorded_by=actor)
    if upload is not None:
        consent.file_name = PurePath(upload.name).name[:255]
        consent.file_content_type = content_type
        consent.file.save(upload.name, upload, save=False)
    stored = consent.file.name
    try:
        consent.save()
        audit_create(actor=actor, obj=consent, case_id=nominal.pk)
    except Exception:
        if stored:
            consent.file.storage.delete(stored)  # a refused record leaves no file behind
        raise
    return consent


@transaction.atomic
def consent_withdraw(*, consent: NetworkConsent, actor, on: date | None) -> NetworkConsent:
    """The person withdrew their consent: nothing more is sent from that day."""
    current = lock_for_update(consent)
    _check_manager(actor, current.nominal)
    errors: dict[str, str] = {}
    if current.withdrawn_on:
        raise ValidationError("The consent is already withdrawn.")
    if on is None:
        errors["on"] = "Give the date the person withdrew their consent."
    elif on < current.signed_on:
        errors["on"] = "Consent is withdrawn on or after the day it was signed."
    not_future(errors, "on", on)
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, ["withdrawn_on"])
    current.withdrawn_on = on
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


def consent_in_force(nominal: Nominal, on: date) -> NetworkConsent | None:
    """The latest consent signed by `on` and not withdrawn by then."""
    from django.db.models import Q

    return NetworkConsent.objects.filter(nominal=nominal, signed_on__lte=on).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)).order_by(
        "-signed_on", "-id").first()


def current_safety_plan(nominal: Nominal) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(nominal=nominal).order_by("-number").first()


@transaction.atomic
def network_send(*, person: SupportPerson, actor, method: str,
                 sent_on: date | None) -> NetworkSending:
    """A network pack sent to `person`: only what they may be sent, and only under the
    person's consent in force that day (without it, nothing is sent)."""
    person = lock_for_update(person)
    nominal = person.nominal
    _check_manager(actor, nominal)
    errors: dict[str, str] = {}
    if not method:
        errors["method"] = "Say how the pack is sent."
    if sent_on is None:
        errors["sent_on"] = "Give the date it is sent."
    not_future(errors, "sent_on", sent_on)
    if errors:
        raise ValidationError(errors)
    if person.left_on and person.left_on <= sent_on:
        raise ValidationError(f"{person.name} left the network on "
                              f"{person.left_on:%-d %B %Y}: nothing is sent to them.")
    if not person.receives:
        raise ValidationError(f"{person.name} may be sent nothing: say first what they may "
                              "receive.")
    consent = consent_in_force(nominal, sent_on)
    if consent is None:
        raise ValidationError("The person has not consented to share information with the "
                              "network (or withdrew their consent): nothing is sent to a "
                              "support person without it.")
    plan = current_safety_plan(nominal) if person.receives_safety_plan else None
    if person.receives_safety_plan and plan is None:
        raise ValidationError("There is no safety plan yet to send.")
    sending = NetworkSending.objects.create(
        nominal=nominal, person=person, consent=consent, safety_plan=plan,
        what="; ".join(person.receives), method=method, sent_on=sent_on, sent_by=actor)
    audit_create(actor=actor, obj=sending, case_id=nominal.pk)
    return sending


# -- Support Planning Meetings ------------------------------------------------------------------


@transaction.atomic
def meeting_arrange(*, nominal: Nominal, actor, starts_at, location: str = "") -> SupportMeeting:
    _check_manager(actor, nominal)
    if not SupportPlanning.objects.filter(nominal=nominal).exists():
        raise ValidationError("Put the case under support planning first: its release or "
                              "order sets when the first meeting is due.")
    if starts_at is None:
        raise ValidationError({"starts_at": "Give the date and time of the meeting."})
    meeting = SupportMeeting.objects.create(nominal=nominal, starts_at=starts_at,
                                            location=(location or "").strip(),
                                            created_by=actor)
    audit_create(actor=actor, obj=meeting, case_id=nominal.pk)
    return meeting


@transaction.atomic
def meeting_record(*, meeting: SupportMeeting, actor, version: int | None,
                   person_present: bool | None, attendees=(), professionals_present: str = "",
                   next_frequency: str = "", **sections) -> SupportMeeting:
    """The meeting held, and its record as it follows the meeting. The person always attends
    a Support Planning Meeting (meetings/kinds.py): without them it was not one."""
    unknown = set(sections) - set(RECORD_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    current = lock_for_update(meeting)
    _check_manager(actor, current.nominal)
    if current.final:
        raise ValidationError("The record is final: it is no longer changed.")
    if current.status == SupportMeetingStatus.CANCELLED:
        raise ValidationError("The meeting was cancelled.")
    check_version(meeting, current, version, RECORD_FIELDS)
    errors: dict[str, str] = {}
    if current.date > timezone.localdate():
        errors["__all__"] = "The meeting has not happened yet."
    if SPM.attends == Attends.ALWAYS and not person_present:
        errors["person_present"] = (
            "A Support Planning Meeting is held with the person: record it only if they "
            "were there, or cancel it and arrange another.")
    others = [p for p in attendees if p.nominal_id != current.nominal_id]
    if others:
        errors["attendees"] = "Choose members of this person's network."
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, [*RECORD_FIELDS, "status", "next_frequency"])
    for name, value in stripped(sections).items():
        setattr(current, name, value)
    current.professionals_present = (professionals_present or "").strip()
    current.status = SupportMeetingStatus.HELD
    current.next_frequency = next_frequency or ""
    planning = SupportPlanning.objects.filter(nominal=current.nominal).first()
    current.next_meeting_by = next_meeting_by(current.next_frequency, current.date,
                                              planning.ends_on if planning else None)
    current.version += 1
    current.save()
    current.attendees.set(attendees)
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return current


def finalise_problems(meeting: SupportMeeting) -> dict[str, str]:
    """What the record lacks before it is final: the sections the kind requires, the next
    meeting's frequency, and the safety plan reviewed at the meeting."""
    problems = {}
    if meeting.status != SupportMeetingStatus.HELD:
        problems["__all__"] = "Record the meeting as held first."
    for section in SPM.sections:
        if section.required and not (getattr(meeting, section.name) or "").strip():
            problems[section.name] = f"Record {section.label[:1].lower()}{section.label[1:]}."
    if not meeting.next_frequency:
        problems["next_frequency"] = "Say when the group will meet again, or that it will not."
    if not meeting.safety_plans.exists():
        problems["safety_plan"] = ("Review the safety plan at the meeting: save the version "
                                   "the meeting agreed, changed or not.")
    return problems


@transaction.atomic
def meeting_finalise(*, meeting: SupportMeeting, actor, version: int | None) -> SupportMeeting:
    current = lock_for_update(meeting)
    _check_manager(actor, current.nominal)
    if current.final:
        raise ValidationError("The record is already final.")
    check_version(meeting, current, version, RECORD_FIELDS)
    problems = finalise_problems(current)
    if problems:
        raise ValidationError(problems)
    before = snapshot(current, ["final"])
    current.final, current.finalised_by, current.finalised_at = True, actor, timezone.now()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


@transaction.atomic
def meeting_cancel(*, meeting: SupportMeeting, actor, version: int | None,
                   reason: str) -> SupportMeeting:
    current = lock_for_update(meeting)
    _check_manager(actor, current.nominal)
    if current.status != SupportMeetingStatus.SCHEDULED:
        raise ValidationError("Only a meeting not yet held is cancelled.")
    check_version(meeting, current, version)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the meeting is cancelled."})
    before = snapshot(current, ["status", "cancelled_reason"])
    current.status, current.cancelled_reason = SupportMeetingStatus.CANCELLED, reason.strip()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


# -- the safety plan ------------------------------------------------------------------------------


@transaction.atomic
def safety_plan_save(*, nominal: Nominal, actor, strategies: str, supporters: str,
                     conditions: str = "", warning_signs: str = "",
                     reviewed_at: SupportMeeting | None = None) -> SafetyPlan:
    """A new version of the safety plan (the earlier ones are kept), agreed or reviewed at
    `reviewed_at` where given."""
    _check_manager(actor, nominal)
    Nominal.objects.select_for_update().filter(pk=nominal.pk).first()  # one number at a time
    errors: dict[str, str] = {}
    if not (strategies or "").strip():
        errors["strategies"] = "Write the strategies the network agreed."
    if not (supporters or "").strip():
        errors["supporters"] = "Write each supporter's part in the plan."
    if reviewed_at is not None and (reviewed_at.nominal_id != nominal.pk
                                    or reviewed_at.status != SupportMeetingStatus.HELD):
        errors["reviewed_at"] = "Choose a meeting of this case that was held."
    if errors:
        raise ValidationError(errors)
    last = SafetyPlan.objects.filter(nominal=nominal).aggregate(n=Max("number"))["n"] or 0
    plan = SafetyPlan.objects.create(
        nominal=nominal, number=last + 1, conditions=(conditions or "").strip(),
        strategies=strategies.strip(), supporters=supporters.strip(),
        warning_signs=(warning_signs or "").strip(), reviewed_at=reviewed_at, created_by=actor)
    audit_create(actor=actor, obj=plan, case_id=nominal.pk)
    return plan


# -- the limits of confidentiality ------------------------------------------------------------


@transaction.atomic
def offending_record(*, nominal: Nominal, actor, what: str, disclosed_on: date | None,
                     police_contact, meeting: SupportMeeting | None = None
                     ) -> DisclosedOffending:
    """Further offending disclosed at a meeting: confidentiality ends; the police contact
    is alerted at once until it is passed on."""
    _check_manager(actor, nominal)
    errors: dict[str, str] = {}
    if not (what or "").strip():
        errors["what"] = "Record what was disclosed."
    if disclosed_on is None:
        errors["disclosed_on"] = "Give the date it was disclosed."
    not_future(errors, "disclosed_on", disclosed_on)
    if police_contact is None:
        errors["police_contact"] = "Choose the police officer it is passed to."
    if meeting is not None and meeting.nominal_id != nominal.pk:
        errors["meeting"] = "Choose a meeting of this case."
    if errors:
        raise ValidationError(errors)
    record = DisclosedOffending.objects.create(
        nominal=nominal, meeting=meeting, what=what.strip(), disclosed_on=disclosed_on,
        police_contact=police_contact, recorded_by=actor)
    audit_create(actor=actor, obj=record, case_id=nominal.pk)
    deadlines_changed_on_commit(nominal.pk)
    return record


@transaction.atomic
def offending_passed_on(*, record: DisclosedOffending, actor, version: int | None,
                        passed_on: date | None, police_reference: str = ""
                        ) -> DisclosedOffending:
    current = lock_for_update(record)
    if not access.can_pass_offending_on(actor, current):
        raise PermissionDenied("The police contact, or those who keep the support planning, "
                               "record it.")
    check_version(record, current, version, ["passed_on"])
    errors: dict[str, str] = {}
    if passed_on is None:
        errors["passed_on"] = "Give the date it was passed to the Police."
    elif passed_on < current.disclosed_on:
        errors["passed_on"] = "It is passed on on or after the day it was disclosed."
    not_future(errors, "passed_on", passed_on)
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, ["passed_on", "police_reference"])
    current.passed_on, current.police_reference = passed_on, (police_reference or "").strip()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return current
