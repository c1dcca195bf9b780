"""Every write to a case's Risk Management Plan (§8, §7.2), its level 1 reviews (§9.2) and
its home visits (§14.9): one transaction each, with its audit event.

- An action is owned by an agency and, where possible, a named person of that agency
  (§8.3). The named owner joins the case team as its action owner, so that they see the
  case; the owning agency becomes involved in it.
- Owners log progress: each entry keeps the date, what was done and the status after it.
- An action the agencies cannot deliver is carried to the next meeting (§8.3): a new
  action agreed at that meeting, `carried_from` the one that could not be delivered.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases import services as case_services
from cases.models import Category, Exclusion, Level, NamedAccess, Nominal, TeamMember, TeamRole
from jmappa import access
from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core import dates
from jmappa.core.deadlines import deadlines_changed_on_commit
from jmappa.core.versioning import StaleEdit, check_version, lock_for_update

from .models import ActionProgress, ActionStatus, HomeVisit, Level1Review, PlanAction

# What the plan's editors may change on an action.
ACTION_FIELDS = ["description", "action_type", "owner_agency", "owner", "due_date",
                 "plan_reference", "meeting", "status", "completed_on"]

NOT_IN_FUTURE = "This date cannot be in the future."
DESCRIPTION_MESSAGE = ("Say what will be done: a specific action, with what will show it is "
                       "done.")
RESTRICTED_OWNER = ("This case is restricted: only the people the JMAPPA Co-ordinator has "
                    "named see it. Ask the Co-ordinator to name this person first, or leave "
                    "the named owner empty.")
LEVEL1_ONLY = ("Level 1 reviews are recorded for cases managed at level 1 only (§9.2): at "
               "level 2 and 3 the case is reviewed at its meetings.")
HOME_VISITS_RSO_ONLY = ("Home visits are logged for Registered Sex Offenders (Category 1) "
                        "only (§14.9).")
EXCLUDED_OWNER = ("This person is excluded from this case: they cannot own one of its "
                  "actions.")



# -- checks ------------------------------------------------------------------------------------


def owner_errors(nominal: Nominal, owner_agency, owner) -> dict[str, str]:
    if owner is None:
        return {}
    if not owner.is_active:
        return {"owner": "This person's account is disabled: name someone else, or leave the "
                         "named owner empty."}
    if owner_agency is not None and owner.agency_id != owner_agency.pk:
        works_for = f"works for {owner.agency}" if owner.agency_id else "has no agency"
        return {"owner": f"{owner.get_full_name() or owner.username} {works_for}, not "
                         f"{owner_agency}: name someone of the owning agency, or leave the "
                         "named owner empty."}
    if Exclusion.objects.filter(nominal=nominal, user=owner).exists():
        return {"owner": EXCLUDED_OWNER}
    if nominal.restricted and not NamedAccess.objects.filter(nominal=nominal,
                                                             user=owner).exists():
        return {"owner": RESTRICTED_OWNER}
    return {}


def _action_errors(action: PlanAction) -> dict[str, str]:
    """The action's rules in the words of the person agreeing it (§8.3)."""
    errors: dict[str, str] = {}
    if not (action.description or "").strip():
        errors["description"] = DESCRIPTION_MESSAGE
    if not action.action_type:
        errors["action_type"] = "Choose the type of action."
    if action.owner_agency_id is None:
        errors["owner_agency"] = "Choose the agency that owns the action (§8.3)."
    if action.due_date is None:
        errors["due_date"] = "Enter the completion date: every action has one (§8.3)."
    if action.meeting_id is not None:
        meeting = action.meeting
        if meeting.nominal_id != action.nominal_id:
            errors["meeting"] = "That meeting is about another case."
        elif meeting.status == "cancelled":
            errors["meeting"] = "That meeting was cancelled: choose the meeting that agreed " \
                                "the action."
    if action.status == ActionStatus.DONE and action.completed_on and \
            action.completed_on > dates.today():
        errors["completed_on"] = NOT_IN_FUTURE
    agency = action.owner_agency if action.owner_agency_id is not None else None
    errors.update(owner_errors(action.nominal, agency, action.owner))
    return errors


def _validate(action: PlanAction) -> None:
    errors = _action_errors(action)
    if errors:
        raise ValidationError(errors)
    action.full_clean()


def _settle_completion(action: PlanAction, on: date | None = None) -> None:
    """A done action has its completion date; any other has none."""
    if action.status == ActionStatus.DONE:
        action.completed_on = action.completed_on or on or dates.today()
    else:
        action.completed_on = None


# -- who sees the case through an action -------------------------------------------------------


def _take_on_owner(action: PlanAction, actor) -> None:
    """The named owner sees the case (the team's action owner); the agency is involved."""
    nominal = action.nominal
    case_services.agency_involve(nominal=nominal, agency=action.owner_agency, actor=actor)
    if action.owner_id is not None:
        case_services.team_member_add(nominal=nominal, user=action.owner,
                                      role=TeamRole.ACTION_OWNER, actor=actor)


def _release_owner(nominal: Nominal, user, actor) -> None:
    """Someone no longer named on any of the case's actions leaves the team as action owner
    (their other roles on the case stay)."""
    if PlanAction.objects.filter(nominal=nominal, owner=user).exists():
        return
    for member in TeamMember.objects.current().filter(nominal=nominal, user=user,
                                                      role=TeamRole.ACTION_OWNER):
        case_services.team_member_end(member=member, actor=actor)


# -- actions -----------------------------------------------------------------------------------


@transaction.atomic
def action_add(*, nominal: Nominal, actor, meeting=None, description: str, action_type: str,
               owner_agency, owner=None, due_date: date, plan_reference: str = "",
               carried_from: PlanAction | None = None) -> PlanAction:
    """A new action of the case's plan, agreed at `meeting` where there was one."""
    action = PlanAction(
        nominal=nominal, meeting=meeting, description=(description or "").strip(),
        action_type=action_type, owner_agency=owner_agency, owner=owner, due_date=due_date,
        plan_reference=(plan_reference or "").strip(), carried_from=carried_from,
        created_by=actor,
    )
    _validate(action)
    action.save()
    audit_create(actor=actor, obj=action, case_id=nominal.pk)
    _take_on_owner(action, actor)
    return action


@transaction.atomic
def action_update(*, action: PlanAction, actor, version: int | None, **fields) -> PlanAction:
    """Change an action. `action` is the action as the user opened it: a `version` older
    than the stored one is refused (StaleEdit, with what changed since)."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed here")
    current = lock_for_update(action)
    check_version(action, current, version, ACTION_FIELDS)
    before = snapshot(current, ACTION_FIELDS)
    old_owner = current.owner
    for name, value in fields.items():
        setattr(current, name, value.strip() if isinstance(value, str) and name in (
            "description", "plan_reference") else value)
    if "status" in fields or "completed_on" in fields:
        _settle_completion(current)
    _validate(current)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    _take_on_owner(current, actor)
    if old_owner is not None and old_owner.pk != current.owner_id:
        _release_owner(current.nominal, old_owner, actor)
    return current


@transaction.atomic
def action_progress_log(*, action: PlanAction, actor, on: date, note: str, status: str,
                        version: int | None = None) -> ActionProgress:
    """The owner (or their agency) records what was done, and the action's status after it.
    Done records the completion date (the entry's date)."""
    current = lock_for_update(action)
    if not access.can_log_progress(actor, current):
        raise PermissionDenied("Only the action's owner or the owning agency logs progress.")
    if version is not None and version != current.version:
        latest = current.progress.order_by("-on", "-id").first()
        raise StaleEdit(current, {"status": current.status, "progress": latest})
    errors: dict[str, str] = {}
    if on is None:
        errors["on"] = "Enter the date."
    elif on > dates.today():
        errors["on"] = NOT_IN_FUTURE
    if not (note or "").strip():
        errors["note"] = "Say what was done, or why it could not be."
    if status not in ActionStatus.values:
        errors["status"] = "Choose the status of the action after this."
    if current.carried_to.exists() and status != current.status:
        errors["status"] = ("This action was carried to a later meeting as a new action: log "
                            "progress on that one.")
    if errors:
        raise ValidationError(errors)
    progress = ActionProgress.objects.create(action=current, on=on, note=note.strip(),
                                             status=status, recorded_by=actor)
    audit_create(actor=actor, obj=progress, case_id=current.nominal_id)
    before = snapshot(current, ["status", "completed_on"])
    if status == ActionStatus.DONE and current.status != ActionStatus.DONE:
        current.completed_on = on
    current.status = status
    _settle_completion(current, on)
    current.version += 1
    current.save(update_fields=["status", "completed_on", "version", "updated_at"])
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return progress


@transaction.atomic
def actions_carry_forward(*, nominal: Nominal, meeting, actor) -> list[PlanAction]:
    """Each action of the case that cannot be delivered, agreed before `meeting` and not yet
    carried, goes to `meeting` (§8.3) as a new action with the same owner, due by the next
    review the meeting's level allows. Running it again carries nothing twice."""
    from meetings.models import MeetingStatus
    from meetings.rules import latest_review_date

    if meeting.nominal_id != nominal.pk:
        raise ValidationError({"meeting": "That meeting is about another case."})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": "That meeting was cancelled: choose another."})
    due = meeting.next_review_by or latest_review_date(meeting.date, meeting.level)
    carried = []
    waiting = (PlanAction.objects.select_for_update(of=("self",))
               .filter(nominal=nominal, status=ActionStatus.CANNOT_DELIVER,
                       carried_to__isnull=True)
               .select_related("meeting", "owner_agency", "owner", "nominal")
               .order_by("due_date", "id"))
    for old in waiting:
        if old.meeting_id == meeting.pk or (
                old.meeting is not None and old.meeting.starts_at >= meeting.starts_at):
            continue
        new = PlanAction(
            nominal=nominal, meeting=meeting, carried_from=old, description=old.description,
            action_type=old.action_type, owner_agency=old.owner_agency, owner=old.owner,
            due_date=due, plan_reference=old.plan_reference, created_by=actor,
        )
        if owner_errors(nominal, new.owner_agency, new.owner):
            # The named owner can no longer hold it (left the agency, excluded): the
            # meeting names someone else.
            new.owner = None
        new.full_clean()
        new.save()
        audit_create(actor=actor, obj=new, case_id=nominal.pk)
        _take_on_owner(new, actor)
        carried.append(new)
    return carried


# -- level 1 reviews and home visits -----------------------------------------------------------


@transaction.atomic
def level1_review_record(*, nominal: Nominal, actor, reviewed_on: date, new_information: str,
                         plan_review: str, referral_needed: bool) -> Level1Review:
    """The lead agency's review of a level 1 case (§9.2)."""
    if not access.can_record_level1_review(actor, nominal):
        raise PermissionDenied("The lead agency or the Co-ordinator reviews a level 1 case.")
    if nominal.level != Level.ONE:
        raise ValidationError(LEVEL1_ONLY)
    errors: dict[str, str] = {}
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review."
    elif reviewed_on > dates.today():
        errors["reviewed_on"] = NOT_IN_FUTURE
    if not (new_information or "").strip():
        errors["new_information"] = ("Say what new information there is, or that there is "
                                     "none.")
    if not (plan_review or "").strip():
        errors["plan_review"] = "Say how the plan was reviewed and what was revised."
    if errors:
        raise ValidationError(errors)
    review = Level1Review(nominal=nominal, reviewed_on=reviewed_on,
                          new_information=new_information.strip(),
                          plan_review=plan_review.strip(), referral_needed=bool(referral_needed),
                          recorded_by=actor)
    review.full_clean()
    review.save()
    audit_create(actor=actor, obj=review, case_id=nominal.pk)
    # The review clears the case's "level 1 review due" alert at once, not tomorrow.
    deadlines_changed_on_commit(nominal.pk)
    return review


@transaction.atomic
def home_visit_record(*, nominal: Nominal, actor, visited_on: date, visited_by: str,
                      announced: bool, notes: str = "") -> HomeVisit:
    """A visit to a Registered Sex Offender's home (§14.9)."""
    if not access.can_record_home_visit(actor, nominal):
        raise PermissionDenied("Practitioners on the case and the Co-ordinator log home visits.")
    if nominal.category != Category.ONE:
        raise ValidationError(HOME_VISITS_RSO_ONLY)
    errors: dict[str, str] = {}
    if visited_on is None:
        errors["visited_on"] = "Enter the date of the visit."
    elif visited_on > dates.today():
        errors["visited_on"] = NOT_IN_FUTURE
    if not (visited_by or "").strip():
        errors["visited_by"] = "Say who visited, and for which agency."
    if errors:
        raise ValidationError(errors)
    visit = HomeVisit(nominal=nominal, visited_on=visited_on, visited_by=visited_by.strip(),
                      announced=bool(announced), notes=(notes or "").strip(),
                      recorded_by=actor)
    visit.full_clean()
    visit.save()
    audit_create(actor=actor, obj=visit, case_id=nominal.pk)
    deadlines_changed_on_commit(nominal.pk)
    return visit
