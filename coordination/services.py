"""Every write to coordinated services plans and their panel (seed 002): one transaction
each, with its audit row; what the deadline sweep watches refreshes the case's alerts on
commit."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Nominal
from jmappa import access
from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core.checks import not_future, raise_errors, required, text
from jmappa.core.deadlines import deadlines_changed_on_commit
from jmappa.core.versioning import check_version, lock_for_update

from .models import (
    Endorsement,
    InformationSharing,
    OversightNotice,
    PanelMeeting,
    PanelMeetingStatus,
    PanelMember,
    PlannedService,
    Provider,
    ServicesPlan,
    SystemicIssue,
    SystemicIssueStatus,
    UpdateRequest,
)

KEEPERS_ONLY = "Only those who keep the case's plan keep its coordinated services plan."
PANEL_ONLY = "Only the Co-ordinator and the Administrators keep the panel's records."


def _keeper(actor, nominal: Nominal) -> None:
    if not (access.can_view_nominal(actor, nominal)
            and access.can_keep_services_plan(actor, nominal)):
        raise PermissionDenied(KEEPERS_ONLY)


def _panel(actor) -> None:
    if not access.can_manage_panel(actor):
        raise PermissionDenied(PANEL_ONLY)


# -- the panel and the provider catalogue ------------------------------------------------------


@transaction.atomic
def provider_save(*, actor, provider: Provider | None = None, **fields) -> Provider:
    _panel(actor)
    errors: dict = {}
    required(errors, "name", fields.get("name"), "Enter the provider's name.")
    required(errors, "kind", fields.get("kind"), "Say whether it is an agency or funded.")
    required(errors, "services", fields.get("services"), "Say what services it delivers.")
    name = text(fields.get("name"))
    if name and Provider.objects.filter(name__iexact=name).exclude(
            pk=getattr(provider, "pk", None)).exists():
        errors["name"] = "A provider of that name is already in the catalogue."
    raise_errors(errors)
    clean = {k: text(v) if isinstance(v, str) else v for k, v in fields.items()}
    if provider is None:
        provider = Provider.objects.create(**clean)
        audit_create(actor=actor, obj=provider)
        return provider
    current = lock_for_update(provider)
    before = snapshot(current, list(clean))
    for name_, value in clean.items():
        setattr(current, name_, value)
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current


@transaction.atomic
def panel_member_appoint(*, actor, member, agency, position: str, is_chair: bool,
                         date_from: date | None) -> PanelMember:
    """An executive delegate joins the panel; a new Chair takes over from the one before."""
    _panel(actor)
    errors: dict = {}
    required(errors, "member", member, "Choose the member.")
    required(errors, "agency", agency, "Choose the member agency they represent.")
    required(errors, "position", position, "Give their position, e.g. Deputy Commissioner.")
    required(errors, "date_from", date_from, "Give the date they join the panel.")
    raise_errors(errors)
    if member and PanelMember.objects.filter(member=member, date_to__isnull=True).exists():
        raise ValidationError({"member": "They are already on the panel."})
    if is_chair:
        for chair in PanelMember.objects.select_for_update().filter(is_chair=True,
                                                                    date_to__isnull=True):
            before = snapshot(chair, ["date_to"])
            chair.date_to = max(chair.date_from, date_from - timedelta(days=1))
            chair.save()
            audit_change(actor=actor, obj=chair, before=before)
    joined = PanelMember.objects.create(member=member, agency=agency, position=text(position),
                                        is_chair=is_chair, date_from=date_from)
    audit_create(actor=actor, obj=joined)
    return joined


@transaction.atomic
def panel_meeting_arrange(*, actor, date: date | None, location: str = "") -> PanelMeeting:
    _panel(actor)
    if date is None:
        raise ValidationError({"date": "Give the date of the panel."})
    meeting = PanelMeeting.objects.create(date=date, location=text(location), created_by=actor)
    audit_create(actor=actor, obj=meeting)
    return meeting


@transaction.atomic
def panel_meeting_held(*, meeting: PanelMeeting, actor) -> PanelMeeting:
    _panel(actor)
    current = lock_for_update(meeting)
    if current.date > timezone.localdate():
        raise ValidationError("The panel has not met yet.")
    before = snapshot(current, ["status"])
    current.status = PanelMeetingStatus.HELD
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current


# -- a person's plan ------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, nominal: Nominal, actor, order_kind: str, order_start: date | None
                ) -> ServicesPlan:
    _keeper(actor, nominal)
    errors: dict = {}
    required(errors, "order_kind", order_kind, "Say which order the person is on.")
    required(errors, "order_start", order_start, "Give the date the order was made.")
    not_future(errors, "order_start", order_start)
    raise_errors(errors)
    if ServicesPlan.objects.filter(nominal=nominal, ended_on__isnull=True).exists():
        raise ValidationError("The person already has a coordinated services plan in force.")
    plan = ServicesPlan.objects.create(nominal=nominal, order_kind=order_kind,
                                       order_start=order_start, created_by=actor)
    audit_create(actor=actor, obj=plan, case_id=nominal.pk)
    deadlines_changed_on_commit(nominal.pk)
    return plan


@transaction.atomic
def service_add(*, plan: ServicesPlan, actor, provider: Provider | None, delivers: str,
                risk_factor: str, status: str) -> PlannedService:
    _keeper(actor, plan.nominal)
    errors: dict = {}
    required(errors, "provider", provider, "Choose the provider from the catalogue.")
    required(errors, "delivers", delivers, "Say what the service delivers.")
    required(errors, "risk_factor", risk_factor,
              "Say which re-offending risk factor it addresses: the plan's services are those "
              "that manage them.")
    raise_errors(errors)
    service = PlannedService.objects.create(plan=plan, provider=provider,
                                            delivers=text(delivers),
                                            risk_factor=text(risk_factor), status=status,
                                            added_by=actor)
    audit_create(actor=actor, obj=service, case_id=plan.nominal_id)
    return service


@transaction.atomic
def service_update(*, service: PlannedService, actor, version: int | None, **fields
                   ) -> PlannedService:
    current = lock_for_update(service)
    _keeper(actor, current.plan.nominal)
    names = ("delivers", "risk_factor", "status")
    check_version(service, current, version, names)
    before = snapshot(current, names)
    for name in names:
        if name in fields:
            setattr(current, name, text(fields[name]))
    errors: dict = {}
    required(errors, "delivers", current.delivers, "Say what the service delivers.")
    required(errors, "risk_factor", current.risk_factor, "Say which risk factor it addresses.")
    raise_errors(errors)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.plan.nominal_id)
    return current


@transaction.atomic
def plan_endorse(*, plan: ServicesPlan, actor, meeting: PanelMeeting | None, members
                 ) -> Endorsement:
    """The panel endorsed the plan at `meeting`: each member agency is committed to its
    services, kept as they were endorsed."""
    if not access.can_endorse_services_plan(actor):
        raise PermissionDenied("The panel's Chair, or the Co-ordinator, records its "
                               "endorsement.")
    plan = lock_for_update(plan)
    errors: dict = {}
    if meeting is None or meeting.status != PanelMeetingStatus.HELD:
        errors["meeting"] = "Choose the panel meeting, held, that endorsed the plan."
    members = list(members or [])
    if not members:
        errors["members"] = "Choose the panel members who endorsed it."
    elif meeting is not None and any(
            m.date_from > meeting.date or (m.date_to and m.date_to < meeting.date)
            for m in members):
        errors["members"] = "Choose members who sat on the panel that day."
    services = list(plan.services.select_related("provider", "provider__agency").exclude(
        status="stopped"))
    if not services:
        errors["__all__"] = "Add the plan's services before the panel endorses it."
    raise_errors(errors)
    endorsement = Endorsement.objects.create(
        nominal=plan.nominal, plan=plan, meeting=meeting, endorsed_on=meeting.date,
        endorsed_by=actor, commitments=[{
            "provider": s.provider.name,
            "agency": s.provider.agency.name if s.provider.agency else "",
            "delivers": s.delivers, "risk_factor": s.risk_factor} for s in services])
    endorsement.members.set(members)
    audit_create(actor=actor, obj=endorsement, case_id=plan.nominal_id)
    deadlines_changed_on_commit(plan.nominal_id)
    return endorsement


# -- before each panel: service updates -----------------------------------------------------


@transaction.atomic
def update_request(*, plan: ServicesPlan, actor, provider: Provider | None,
                   meeting: PanelMeeting | None, method: str, requested_on: date | None,
                   answer_by: date | None) -> UpdateRequest:
    """A provider asked for the last six months' service and the next six's, to answer
    before the panel."""
    _keeper(actor, plan.nominal)
    errors: dict = {}
    required(errors, "provider", provider, "Choose the provider asked.")
    required(errors, "meeting", meeting, "Choose the panel it is for.")
    required(errors, "method", method, "Say how the update is asked for.")
    required(errors, "requested_on", requested_on, "Give the date it was asked for.")
    required(errors, "answer_by", answer_by, "Give the date the answer is needed by.")
    not_future(errors, "requested_on", requested_on)
    if meeting is not None and answer_by is not None and answer_by > meeting.date:
        errors["answer_by"] = "The answer is needed before the panel sits."
    if requested_on and answer_by and answer_by < requested_on:
        errors["answer_by"] = "The answer is needed after it is asked for."
    raise_errors(errors)
    request = UpdateRequest.objects.create(
        nominal=plan.nominal, plan=plan, provider=provider, meeting=meeting, method=method,
        requested_on=requested_on, answer_by=answer_by, requested_by=actor)
    audit_create(actor=actor, obj=request, case_id=plan.nominal_id)
    deadlines_changed_on_commit(plan.nominal_id)
    return request


@transaction.atomic
def update_answer(*, request: UpdateRequest, actor, version: int | None,
                  last_six_months: str, next_six_months: str, answered_on: date | None
                  ) -> UpdateRequest:
    current = lock_for_update(request)
    _keeper(actor, current.nominal)
    names = ("last_six_months", "next_six_months", "answered_on")
    check_version(request, current, version, names)
    errors: dict = {}
    required(errors, "last_six_months", last_six_months,
              "Record the service delivered over the last six months.")
    required(errors, "next_six_months", next_six_months,
              "Record the service and goals for the next six months.")
    required(errors, "answered_on", answered_on, "Give the date the provider answered.")
    not_future(errors, "answered_on", answered_on)
    raise_errors(errors)
    before = snapshot(current, names)
    current.last_six_months, current.next_six_months = text(last_six_months), text(
        next_six_months)
    current.answered_on = answered_on
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return current


# -- the oversight body's notices, sharing, systemic issues ---------------------------------


@transaction.atomic
def notice_record(*, plan: ServicesPlan, actor, received_on: date | None, notice: str,
                  respond_by: date | None) -> OversightNotice:
    _keeper(actor, plan.nominal)
    errors: dict = {}
    required(errors, "received_on", received_on, "Give the date the notice was received.")
    required(errors, "notice", notice, "Say what the notice asks.")
    required(errors, "respond_by", respond_by, "Give the date it must be answered by.")
    not_future(errors, "received_on", received_on)
    if received_on and respond_by and respond_by < received_on:
        errors["respond_by"] = "It is answered after it is received."
    raise_errors(errors)
    record = OversightNotice.objects.create(nominal=plan.nominal, plan=plan,
                                            received_on=received_on, notice=text(notice),
                                            respond_by=respond_by, recorded_by=actor)
    audit_create(actor=actor, obj=record, case_id=plan.nominal_id)
    deadlines_changed_on_commit(plan.nominal_id)
    return record


@transaction.atomic
def notice_respond(*, notice: OversightNotice, actor, version: int | None, response: str,
                   responded_on: date | None) -> OversightNotice:
    current = lock_for_update(notice)
    _keeper(actor, current.nominal)
    check_version(notice, current, version, ["response", "responded_on"])
    errors: dict = {}
    required(errors, "response", response, "Record the response.")
    required(errors, "responded_on", responded_on, "Give the date it was answered.")
    not_future(errors, "responded_on", responded_on)
    raise_errors(errors)
    before = snapshot(current, ["response", "responded_on"])
    current.response, current.responded_on = text(response), responded_on
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return current


@transaction.atomic
def sharing_record(*, plan: ServicesPlan, actor, shared_with: str, what: str, purpose: str,
                   shared_on: date | None) -> InformationSharing:
    """A sharing of the plan's information, only for one of the purposes the law lists."""
    _keeper(actor, plan.nominal)
    errors: dict = {}
    required(errors, "shared_with", shared_with, "Say who it was shared with.")
    required(errors, "what", what, "Say what was shared.")
    required(errors, "purpose", purpose, "Choose the purpose it was shared for: information "
                                          "is used only for the purposes the law lists.")
    required(errors, "shared_on", shared_on, "Give the date it was shared.")
    not_future(errors, "shared_on", shared_on)
    raise_errors(errors)
    sharing = InformationSharing.objects.create(
        nominal=plan.nominal, plan=plan, shared_with=text(shared_with), what=text(what),
        purpose=purpose, shared_on=shared_on, shared_by=actor)
    audit_create(actor=actor, obj=sharing, case_id=plan.nominal_id)
    return sharing


@transaction.atomic
def issue_raise(*, actor, issue: str, raised_on: date | None, agencies=()) -> SystemicIssue:
    if not access.can_view_panel(actor):
        raise PermissionDenied("The panel's members and those who manage it keep the log.")
    errors: dict = {}
    required(errors, "issue", issue, "Describe the problem in the provision of services.")
    required(errors, "raised_on", raised_on, "Give the date it was raised.")
    not_future(errors, "raised_on", raised_on)
    raise_errors(errors)
    record = SystemicIssue.objects.create(issue=text(issue), raised_on=raised_on,
                                          raised_by=actor)
    record.agencies.set(agencies)
    audit_create(actor=actor, obj=record)
    return record


@transaction.atomic
def issue_update(*, issue: SystemicIssue, actor, version: int | None, steps: str,
                 resolved_on: date | None) -> SystemicIssue:
    if not access.can_view_panel(actor):
        raise PermissionDenied("The panel's members and those who manage it keep the log.")
    current = lock_for_update(issue)
    check_version(issue, current, version, ["steps", "resolved_on"])
    errors: dict = {}
    not_future(errors, "resolved_on", resolved_on)
    if resolved_on and resolved_on < current.raised_on:
        errors["resolved_on"] = "It is resolved after it was raised."
    raise_errors(errors)
    before = snapshot(current, ["steps", "status", "resolved_on"])
    current.steps = text(steps)
    current.resolved_on = resolved_on
    current.status = SystemicIssueStatus.RESOLVED if resolved_on else SystemicIssueStatus.OPEN
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current
