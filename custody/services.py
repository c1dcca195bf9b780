"""Every write of custody and joined-up planning: one transaction each, with its audit row;
a change to what the deadline sweep watches refreshes the case's alerts on commit.

The register's own fields follow what is recorded here: a sentence gives the case its
sentence, release and temporary release dates; each custody event says whether the person
is in custody, in hospital or in the community; and the team's lead follows the time left.
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import Nominal
from jmappa import access
from jmappa.accounts.models import AgencyKind
from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core.checks import not_future, raise_errors, required, stripped, text
from jmappa.core.deadlines import deadlines_changed_on_commit
from jmappa.core.uploads import check_upload
from jmappa.core.versioning import check_version, lock_for_update
from meetings.kinds import KINDS, Attends

from .models import (
    EVENT_PLACE,
    TRANSFERS,
    WITHOUT_LENGTH,
    Breach,
    BreachAction,
    Condition,
    CustodyEvent,
    EventKind,
    JoinedUpMember,
    JoinedUpPlanning,
    JointVisit,
    MyPlan,
    PathwayPlanReview,
    PlanningMeeting,
    PlanningMeetingKind,
    PlanningMeetingStatus,
    Recall,
    Sentence,
    SentenceKind,
    TeamAction,
    TeamActionUpdate,
    TeamRole,
)
from .signals import lead_changed

KEEPERS_ONLY = "Only those who keep the case's plan keep its custody and release planning."
# The event a sentence of each kind begins with.
SENTENCE_EVENT = {SentenceKind.REMAND: EventKind.REMAND, SentenceKind.RECALL: EventKind.RECALL,
                  SentenceKind.HOSPITAL_ORDER: EventKind.HOSPITAL_ADMISSION}


def _check_keeper(actor, nominal: Nominal) -> None:
    if not (access.can_view_nominal(actor, nominal)
            and access.can_keep_custody(actor, nominal)):
        raise PermissionDenied(KEEPERS_ONLY)


def _required(fields: dict, errors: dict, messages: dict[str, str]) -> None:
    for name, message in messages.items():
        required(errors, name, fields.get(name), message)


def _known(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")


def _update_nominal(nominal: Nominal, actor, **values) -> None:
    """The register's fields that custody keeps: changed with the trail of any change."""
    current = lock_for_update(nominal)
    before = snapshot(current, values)
    changed = {name: value for name, value in values.items()
               if getattr(current, name) != value}
    if not changed:
        return
    for name, value in changed.items():
        setattr(current, name, value)
    current.version += 1
    current.save(update_fields=[*changed, "version", "updated_at"])
    audit_change(actor=actor, obj=current, before=before, case_id=current.pk)


# -- the lead of the joined-up team ----------------------------------------------------------


def current_sentence(nominal: Nominal) -> Sentence | None:
    return Sentence.objects.filter(nominal=nominal).order_by("-sentenced_on", "-id").first()


def lead_for(nominal: Nominal, sentence: Sentence | None, day: date) -> tuple[str, str] | None:
    """(the role that leads, why) on `day` (seed 003), or None with no sentence recorded:
    on remand the Care Experience Specialist; on recall, with 10 months or less left, or
    once in the community, the Probation Practitioner; with more than 10 months left the
    Prison Offender Manager."""
    if sentence is None or sentence.kind == SentenceKind.HOSPITAL_ORDER:
        return None
    if sentence.kind == SentenceKind.REMAND:
        return TeamRole.CARE_EXPERIENCE, "on remand"
    if sentence.kind == SentenceKind.RECALL:
        return TeamRole.PROBATION, "on recall"
    if nominal.custody_status == "community":
        return TeamRole.PROBATION, "supported in the community"
    if sentence.time_left_over_lead_line(day):
        return TeamRole.POM, "more than 10 months left to serve"
    return TeamRole.PROBATION, "10 months or less left to serve"


def lead_refresh(nominal: Nominal, day: date | None = None) -> JoinedUpPlanning | None:
    """Keep the lead to the rule; on a change the team is told (signals.lead_changed). Who
    acts on the team's clocks follows the lead: the caller refreshes the case's alerts."""
    day = day or timezone.localdate()
    found = lead_for(nominal, current_sentence(nominal), day)
    planning = JoinedUpPlanning.objects.select_for_update().filter(nominal=nominal).first()
    if found is None:
        return planning
    role, reason = found
    if planning is None:
        planning = JoinedUpPlanning.objects.create(nominal=nominal, lead=role, lead_since=day,
                                                   lead_reason=reason)
        previous = ""
    elif planning.lead == role:
        if planning.lead_reason != reason:
            planning.lead_reason = reason
            planning.save(update_fields=["lead_reason"])
        return planning
    else:
        previous = planning.lead
        planning.lead, planning.lead_since, planning.lead_reason = role, day, reason
        planning.save(update_fields=["lead", "lead_since", "lead_reason"])
    transaction.on_commit(lambda: lead_changed.send(
        sender=JoinedUpPlanning, nominal=nominal, planning=planning, previous=previous))
    return planning


def leads_refresh(day: date | None = None) -> int:
    """Every case's lead, today: a sentence passes the 10-month line without anyone writing
    anything. Answers how many changed."""
    day = day or timezone.localdate()
    changed = 0
    for planning in JoinedUpPlanning.objects.filter(nominal__status="active").select_related(
            "nominal").iterator():
        with transaction.atomic():
            before = planning.lead
            after = lead_refresh(planning.nominal, day)
            if after is not None and after.lead != before:
                changed += 1
                deadlines_changed_on_commit(planning.nominal_id)
    return changed


# -- the sentence and the custody events -------------------------------------------------------


SENTENCE_FIELDS = ("kind", "length_months", "sentenced_on", "earliest_release_on",
                   "temporary_release_on", "licence_end_on", "sentence_end_on",
                   "establishment", "offence")


def _sentence_errors(sentence: Sentence) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not sentence.kind:
        errors["kind"] = "Choose the type of sentence."
    if sentence.sentenced_on is None:
        errors["sentenced_on"] = "Give the date of sentence (or of remand or recall)."
        return errors
    not_future(errors, "sentenced_on", sentence.sentenced_on)
    if sentence.kind in WITHOUT_LENGTH and sentence.length_months:
        errors["length_months"] = (f"A {sentence.get_kind_display().lower()} has no length in "
                                   "months: leave it empty.")
    if sentence.kind and sentence.kind not in WITHOUT_LENGTH and not sentence.length_months:
        errors["length_months"] = "Give the length of the custodial term in months."
    for name, label in (("earliest_release_on", "earliest release date"),
                        ("temporary_release_on", "temporary release eligibility date"),
                        ("licence_end_on", "licence end date"),
                        ("sentence_end_on", "sentence end date")):
        day = getattr(sentence, name)
        if day is not None and day < sentence.sentenced_on:
            errors[name] = f"The {label} cannot be before the date of sentence."
    if (sentence.temporary_release_on and sentence.earliest_release_on
            and sentence.temporary_release_on > sentence.earliest_release_on):
        errors["temporary_release_on"] = (
            "Eligibility for temporary release comes before the earliest release date.")
    if (sentence.sentence_end_on and sentence.earliest_release_on
            and sentence.sentence_end_on < sentence.earliest_release_on):
        errors["sentence_end_on"] = "The sentence cannot end before the earliest release."
    return errors


@transaction.atomic
def sentence_record(*, nominal: Nominal, actor, **fields) -> Sentence:
    """A sentence, remand or recall: the case takes its dates, the person is in custody, the
    lead follows."""
    _check_keeper(actor, nominal)
    _known(fields, SENTENCE_FIELDS)
    sentence = Sentence(nominal=nominal, recorded_by=actor, **stripped(fields))
    raise_errors(_sentence_errors(sentence))
    sentence.save()
    audit_create(actor=actor, obj=sentence, case_id=nominal.pk)
    event = CustodyEvent.objects.create(
        nominal=nominal, kind=SENTENCE_EVENT.get(sentence.kind, EventKind.SENTENCE),
        occurred_on=sentence.sentenced_on, establishment=sentence.establishment,
        recorded_by=actor)
    audit_create(actor=actor, obj=event, case_id=nominal.pk)
    dates = {"earliest_release_date": sentence.earliest_release_on,
             "temporary_release_date": sentence.temporary_release_on}
    if sentence.kind not in (SentenceKind.REMAND, SentenceKind.RECALL):
        # A remand is no sentence; a recall is to the sentence already passed.
        dates["sentence_date"] = sentence.sentenced_on
    # In custody, or in hospital on a hospital order: identification is due within 3 days
    # of either (§3.3), counted from the date of sentence.
    _update_nominal(nominal, actor, custody_status=EVENT_PLACE[event.kind], **dates)
    nominal.refresh_from_db()
    lead_refresh(nominal)
    deadlines_changed_on_commit(nominal.pk)
    return sentence


@transaction.atomic
def event_record(*, nominal: Nominal, actor, kind: str, occurred_on: date | None,
                 establishment: str = "", receiving_told: bool = False,
                 notes: str = "") -> CustodyEvent:
    """A move in or out of custody or hospital: the register says where the person is."""
    _check_keeper(actor, nominal)
    errors: dict[str, str] = {}
    if kind not in EventKind.values:
        errors["kind"] = "Choose what happened."
    if occurred_on is None:
        errors["occurred_on"] = "Give the date it happened."
    not_future(errors, "occurred_on", occurred_on)
    if kind in TRANSFERS and not text(establishment):
        errors["establishment"] = "Name the prison or hospital the person moved to."
    if kind in TRANSFERS and not receiving_told:
        errors["receiving_told"] = (
            "The receiving establishment must be told the person is JMAPPA-eligible (§3.1, "
            "§12): tell them, then record the move.")
    raise_errors(errors)
    event = CustodyEvent.objects.create(
        nominal=nominal, kind=kind, occurred_on=occurred_on,
        establishment=text(establishment), receiving_told=receiving_told,
        notes=text(notes), recorded_by=actor)
    audit_create(actor=actor, obj=event, case_id=nominal.pk)
    latest = CustodyEvent.objects.filter(nominal=nominal).order_by(
        "-occurred_on", "-id").first()
    _update_nominal(nominal, actor, custody_status=EVENT_PLACE[latest.kind])
    nominal.refresh_from_db()
    lead_refresh(nominal)
    deadlines_changed_on_commit(nominal.pk)
    return event


# -- orders and conditions, breach and recall ---------------------------------------------------


CONDITION_FIELDS = ("kind", "terms", "excluded_places", "named_people", "starts_on",
                    "ends_on")


@transaction.atomic
def condition_add(*, nominal: Nominal, actor, **fields) -> Condition:
    _check_keeper(actor, nominal)
    _known(fields, CONDITION_FIELDS)
    fields = stripped(fields)
    errors: dict[str, str] = {}
    _required(fields, errors, {"kind": "Choose the order or condition.",
                               "terms": "Say what it requires or prohibits.",
                               "starts_on": "Give the date it starts."})
    if fields.get("starts_on") and fields.get("ends_on") and (
            fields["ends_on"] < fields["starts_on"]):
        errors["ends_on"] = "The order or condition cannot end before it starts."
    raise_errors(errors)
    condition = Condition.objects.create(nominal=nominal, recorded_by=actor, **fields)
    audit_create(actor=actor, obj=condition, case_id=nominal.pk)
    return condition


BREACH_FIELDS = ("condition", "intervention", "occurred_on", "what_happened", "reported_by",
                 "action", "action_on")


@transaction.atomic
def breach_record(*, nominal: Nominal, actor, **fields) -> Breach:
    """A breach or non-compliance and the action taken; a recall requested is decided
    swiftly (§14.7): the sweep shows it at once until it is."""
    _check_keeper(actor, nominal)
    _known(fields, BREACH_FIELDS)
    fields = stripped(fields)
    errors: dict[str, str] = {}
    _required(fields, errors, {"occurred_on": "Give the date it happened.",
                               "what_happened": "Say what happened.",
                               "reported_by": "Say who reported it.",
                               "action": "Choose the action taken.",
                               "action_on": "Give the date the action was taken."})
    not_future(errors, "occurred_on", fields.get("occurred_on"))
    not_future(errors, "action_on", fields.get("action_on"))
    if fields.get("occurred_on") and fields.get("action_on") and (
            fields["action_on"] < fields["occurred_on"]):
        errors["action_on"] = "The action cannot be taken before the breach."
    condition = fields.get("condition")
    if condition is not None and condition.nominal_id != nominal.pk:
        errors["condition"] = "Choose one of this case's orders or conditions."
    intervention = fields.get("intervention")
    if intervention is not None and intervention.package.nominal_id != nominal.pk:
        errors["intervention"] = "Choose one of the interventions of this case's package."
    raise_errors(errors)
    breach = Breach.objects.create(nominal=nominal, recorded_by=actor, **fields)
    audit_create(actor=actor, obj=breach, case_id=nominal.pk)
    deadlines_changed_on_commit(nominal.pk)
    return breach


RECALL_FIELDS = ("decided_on", "recalled", "reasons", "what_led", "what_broke_down",
                 "what_helped", "needed_on_release")


@transaction.atomic
def recall_decide(*, breach: Breach, actor, **fields) -> Recall:
    """The decision on a recall requested. On a recall the person is back in custody on a
    recall (the Probation Practitioner leads) and the team records what led to it."""
    _known(fields, RECALL_FIELDS)
    current = lock_for_update(breach)
    nominal = current.nominal
    _check_keeper(actor, nominal)
    if current.action != BreachAction.RECALL_REQUESTED:
        raise ValidationError("Recall was not requested for this breach.")
    if Recall.objects.filter(breach=current).exists():
        raise ValidationError("The recall has already been decided.")
    fields = stripped(fields)
    errors: dict[str, str] = {}
    _required(fields, errors, {"decided_on": "Give the date of the decision.",
                               "reasons": "Give the reasons for the decision."})
    if fields.get("recalled") is None:
        errors["recalled"] = "Say whether the person is recalled to prison."
    not_future(errors, "decided_on", fields.get("decided_on"))
    if fields.get("decided_on") and fields["decided_on"] < current.action_on:
        errors["decided_on"] = "The decision cannot come before the recall was requested."
    if fields.get("recalled") and not fields.get("what_led"):
        errors["what_led"] = "On a recall, say what led to it."
    raise_errors(errors)
    recall = Recall.objects.create(nominal=nominal, breach=current, decided_by=actor,
                                   **fields)
    audit_create(actor=actor, obj=recall, case_id=nominal.pk)
    if recall.recalled:
        previous = current_sentence(nominal)
        sentence_record(nominal=nominal, actor=actor, kind=SentenceKind.RECALL,
                        sentenced_on=recall.decided_on, sentence_end_on=(
                            previous.sentence_end_on if previous else None),
                        licence_end_on=previous.licence_end_on if previous else None,
                        offence=f"Recalled: {recall.reasons}"[:4000])
    else:  # on a recall, recording it refreshes the case's alerts
        deadlines_changed_on_commit(nominal.pk)
    return recall


@transaction.atomic
def joint_visit_record(*, nominal: Nominal, actor, visited_on: date | None, police_officer,
                       probation_officer, purpose: str) -> JointVisit:
    """A pre-release joint visit by the Police and Probation (§14.7): one of each."""
    _check_keeper(actor, nominal)
    errors: dict[str, str] = {}
    if visited_on is None:
        errors["visited_on"] = "Give the date of the visit."
    not_future(errors, "visited_on", visited_on)
    if police_officer is None or police_officer.agency.kind != AgencyKind.POLICE:
        errors["police_officer"] = "Choose the officer who visited for the Police."
    if probation_officer is None or probation_officer.agency.kind != AgencyKind.PROBATION:
        errors["probation_officer"] = "Choose the officer who visited for Probation."
    if not text(purpose):
        errors["purpose"] = "Say what the visit covered."
    raise_errors(errors)
    visit = JointVisit.objects.create(
        nominal=nominal, visited_on=visited_on, police_officer=police_officer,
        probation_officer=probation_officer, purpose=purpose.strip(), recorded_by=actor)
    audit_create(actor=actor, obj=visit, case_id=nominal.pk)
    return visit


# -- the joined-up team ----------------------------------------------------------------------


MEMBER_FIELDS = ("role", "user", "name", "organisation", "contact", "joined_on", "left_on")


def _member_errors(member: JoinedUpMember) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not member.role:
        errors["role"] = "Choose their role in the team."
    if member.user_id is None and not member.name:
        errors["name"] = "Choose a user of the service, or give the name of someone who is not."
    if member.user_id is not None and member.name:
        errors["name"] = "Give a name only for someone who is not a user of the service."
    if member.joined_on is None:
        errors["joined_on"] = "Give the date they joined the team."
    elif member.left_on is not None and member.left_on < member.joined_on:
        errors["left_on"] = "They cannot leave the team before they joined it."
    return errors


@transaction.atomic
def member_add(*, nominal: Nominal, actor, **fields) -> JoinedUpMember:
    _check_keeper(actor, nominal)
    member = JoinedUpMember(nominal=nominal, **stripped(fields))
    raise_errors(_member_errors(member))
    member.save()
    audit_create(actor=actor, obj=member, case_id=nominal.pk)
    deadlines_changed_on_commit(nominal.pk)
    return member


@transaction.atomic
def member_update(*, member: JoinedUpMember, actor, **fields) -> JoinedUpMember:
    current = lock_for_update(member)
    _check_keeper(actor, current.nominal)
    before = snapshot(current, MEMBER_FIELDS)
    for name, value in stripped(fields).items():
        setattr(current, name, value)
    raise_errors(_member_errors(current))
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return current


# -- the team's meetings ---------------------------------------------------------------------


RECORD_FIELDS = ("information_shared", "recall_review", "approach_agreed",
                 "my_plan_completed", "plans_updated", "progress", "ending_support",
                 "next_steps")


def _meeting_errors(meeting: PlanningMeeting) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not meeting.kind:
        errors["kind"] = "Choose the meeting."
    if meeting.held_on is None:
        errors["held_on"] = "Give the date of the meeting."
    if not meeting.chair:
        errors["chair"] = "Choose who organises and chairs it."
    return errors


@transaction.atomic
def meeting_arrange(*, nominal: Nominal, actor, kind: str, held_on: date | None,
                    mode: str, place: str = "", chair: str = "") -> PlanningMeeting:
    """Arrange a meeting of the joined-up team; the lead organises and chairs it unless
    someone else is chosen."""
    _check_keeper(actor, nominal)
    planning = JoinedUpPlanning.objects.filter(nominal=nominal).first()
    meeting = PlanningMeeting(nominal=nominal, kind=kind, held_on=held_on, mode=mode,
                              place=text(place),
                              chair=chair or (planning.lead if planning else ""),
                              recorded_by=actor)
    errors = _meeting_errors(meeting)
    if not errors and kind == PlanningMeetingKind.SECOND and not PlanningMeeting.objects.filter(
            nominal=nominal, kind=PlanningMeetingKind.FIRST,
            status=PlanningMeetingStatus.HELD).exists():
        errors["kind"] = ("Planning Meeting 2 follows Planning Meeting 1: hold that first, "
                          "to agree the approach and the agenda with the team.")
    raise_errors(errors)
    meeting.save()
    audit_create(actor=actor, obj=meeting, case_id=nominal.pk)
    return meeting


@transaction.atomic
def meeting_record(*, meeting: PlanningMeeting, actor, version: int | None, held: bool,
                   present=(), person_present: bool = False, **fields) -> PlanningMeeting:
    """The meeting's record; held, it is final: what its kind requires must be there, and
    the person must have been present where the kind is held with them (meetings/kinds.py)."""
    _known(fields, RECORD_FIELDS)
    current = lock_for_update(meeting)
    _check_keeper(actor, current.nominal)
    if current.status != PlanningMeetingStatus.ARRANGED:
        raise ValidationError("The meeting's record is final.")
    check_version(meeting, current, version, RECORD_FIELDS)
    before = snapshot(current, (*RECORD_FIELDS, "person_present", "status"))
    for name, value in stripped(fields).items():
        setattr(current, name, value)
    current.person_present = person_present
    errors: dict[str, str] = {}
    if held:
        kind = KINDS[current.kind]
        if current.held_on > timezone.localdate():
            errors["held"] = "A meeting cannot be recorded as held before its date."
        for section in kind.sections:
            if section.required and not getattr(current, section.name):
                errors[section.name] = f"Record {section.label[0].lower()}{section.label[1:]}."
        if kind.attends == Attends.ALWAYS and not person_present:
            errors["person_present"] = (f"{kind.label} is held with the person: record it "
                                        "held only if they were there.")
        if not present:
            errors["present"] = "Say which members of the team were there."
        current.status = PlanningMeetingStatus.HELD
    raise_errors(errors)
    current.version += 1
    current.save()
    current.present.set(present)
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return current


@transaction.atomic
def meeting_cancel(*, meeting: PlanningMeeting, actor) -> PlanningMeeting:
    current = lock_for_update(meeting)
    _check_keeper(actor, current.nominal)
    if current.status != PlanningMeetingStatus.ARRANGED:
        raise ValidationError("Only an arranged meeting can be cancelled.")
    before = snapshot(current, ("status",))
    current.status = PlanningMeetingStatus.CANCELLED
    current.version += 1
    current.save(update_fields=["status", "version"])
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


# -- the team actions log --------------------------------------------------------------------


def _owner_errors(nominal: Nominal, owner: JoinedUpMember | None, by_the_person: bool,
                  errors: dict) -> None:
    if owner is None and not by_the_person:
        errors["owner"] = ("Say who completes it: a member of the team, or the person "
                           "themselves.")
    elif owner is not None and by_the_person:
        errors["owner"] = "Choose a member of the team or the person themselves, not both."
    elif owner is not None and owner.nominal_id != nominal.pk:
        errors["owner"] = "Choose a member of this case's team."


@transaction.atomic
def action_add(*, nominal: Nominal, actor, action: str, owner: JoinedUpMember | None,
               by_the_person: bool, due_on: date | None,
               agreed_at: PlanningMeeting | None = None) -> TeamAction:
    _check_keeper(actor, nominal)
    errors: dict[str, str] = {}
    if not text(action):
        errors["action"] = "Say what is to be done."
    _owner_errors(nominal, owner, by_the_person, errors)
    if due_on is None:
        errors["due_on"] = "Give the date it is to be completed by."
    if agreed_at is not None and agreed_at.nominal_id != nominal.pk:
        errors["agreed_at"] = "Choose one of this case's meetings."
    raise_errors(errors)
    record = TeamAction.objects.create(
        nominal=nominal, action=action.strip(), owner=owner, by_the_person=by_the_person,
        due_on=due_on, agreed_at=agreed_at, created_by=actor)
    audit_create(actor=actor, obj=record, case_id=nominal.pk)
    return record


@transaction.atomic
def action_update(*, action: TeamAction, actor, version: int | None, note: str,
                  meeting: PlanningMeeting | None = None, done_on: date | None = None,
                  due_on: date | None = None) -> TeamAction:
    """Progress on an action, or its review at a meeting: the note is kept in its history."""
    current = lock_for_update(action)
    _check_keeper(actor, current.nominal)
    check_version(action, current, version, ("due_on", "done_on"))
    errors: dict[str, str] = {}
    if not text(note):
        errors["note"] = "Say what progress was made, or what the meeting decided."
    not_future(errors, "done_on", done_on)
    if meeting is not None and meeting.nominal_id != current.nominal_id:
        errors["meeting"] = "Choose one of this case's meetings."
    raise_errors(errors)
    before = snapshot(current, ("due_on", "done_on"))
    current.done_on = done_on
    current.due_on = due_on or current.due_on
    current.version += 1
    current.save()
    TeamActionUpdate.objects.create(action=current, meeting=meeting, note=note.strip(),
                                    by=actor)
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id,
                 detail=note.strip()[:200])
    return current


# -- My Plan and the Pathway Plan --------------------------------------------------------------


@transaction.atomic
def my_plan_upload(*, nominal: Nominal, actor, upload, note: str = "") -> MyPlan:
    """A new version of the person's own plan."""
    _check_keeper(actor, nominal)
    if upload is None:
        raise ValidationError({"upload": "Choose the file of My Plan."})
    try:
        content_type = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"upload": error.messages[0]}) from None
    Nominal.objects.select_for_update().filter(pk=nominal.pk).first()  # one number each
    number = (MyPlan.objects.filter(nominal=nominal).aggregate(n=Max("number"))["n"] or 0) + 1
    plan = MyPlan(nominal=nominal, number=number, note=text(note),
                  file_name=PurePath(upload.name).name[:255], file_content_type=content_type,
                  uploaded_by=actor)
    plan.file.save(upload.name, upload, save=False)
    try:
        plan.save()
        audit_create(actor=actor, obj=plan, case_id=nominal.pk)
    except Exception:
        plan.file.storage.delete(plan.file.name)  # a refused record leaves no file behind
        raise
    return plan


@transaction.atomic
def pathway_review_record(*, nominal: Nominal, actor, reviewed_on: date | None,
                          reviewed_by: JoinedUpMember | None, summary: str,
                          team_took_part: bool = False) -> PathwayPlanReview:
    _check_keeper(actor, nominal)
    errors: dict[str, str] = {}
    if reviewed_on is None:
        errors["reviewed_on"] = "Give the date of the review."
    not_future(errors, "reviewed_on", reviewed_on)
    if reviewed_by is None or reviewed_by.role != TeamRole.PERSONAL_ADVISOR or (
            reviewed_by.nominal_id != nominal.pk):
        errors["reviewed_by"] = "Choose the case's Personal Advisor, who reviews the plan."
    if not text(summary):
        errors["summary"] = "Say what changed in the Pathway Plan."
    raise_errors(errors)
    review = PathwayPlanReview.objects.create(
        nominal=nominal, reviewed_on=reviewed_on, reviewed_by=reviewed_by,
        summary=summary.strip(), team_took_part=team_took_part, recorded_by=actor)
    audit_create(actor=actor, obj=review, case_id=nominal.pk)
    deadlines_changed_on_commit(nominal.pk)
    return review
