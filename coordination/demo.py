"""Demo coordinated services plans (seed_demo): a provider catalogue, the panel (Probation's
Assistant Chief Officer in the chair) with a meeting held five months ago and one to come;
case 8's plan under a supervision order, endorsed at the panel held, so its six-monthly
review is due; service updates asked for the coming panel, one answered and one overdue; a
notice from the oversight body to answer; a systemic issue logged. Run after the Board's
demo (its members sit on the panel). Safe to run again."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from cases.demo.people import DEMOS
from cases.models import Nominal
from jmappa.accounts.models import Agency, AgencyKind, User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel
from jmappa.core.mail import bulk_loading

from . import services
from .models import (
    OrderKind,
    Provider,
    ProviderKind,
    Purpose,
    ServiceStatus,
    UpdateMethod,
)

REF = 8
PROVIDERS = [
    ("Probation Service: violence programme", ProviderKind.AGENCY, AgencyKind.PROBATION,
     "Accredited programmes for violent offending, one-to-one supervision."),
    ("Community Mental Health Team", ProviderKind.AGENCY, AgencyKind.HEALTH_SOCIAL_SERVICES,
     "Psychiatric assessment and treatment, community psychiatric nursing."),
    ("Housing: supported accommodation", ProviderKind.AGENCY, AgencyKind.HOUSING,
     "Supported accommodation with staff on site."),
    ("Alcohol and drugs service", ProviderKind.FUNDED, AgencyKind.HEALTH_SOCIAL_SERVICES,
     "Alcohol treatment, relapse prevention groups."),
]
# The panel: (username, position, chair)
MEMBERS = [("smb.member", "Assistant Chief Probation Officer", True),
           ("smb.police", "Superintendent, Public Protection", False),
           ("smb.health", "Director of Community and Social Services", False),
           ("smb.housing", "Housing Services Manager", False)]


def seed_coordination(*, today: date, stdout=None) -> int:
    pnc = next(demo.pnc for demo in DEMOS if demo.ref == REF)
    nominal = Nominal.objects.filter(pnc_number=pnc).first()
    if nominal is None or Provider.objects.exists():
        return 0
    coordinator = User.objects.get(username="coordinator")
    officer = nominal.case_manager or coordinator
    agencies = {agency.kind: agency for agency in Agency.objects.all()}
    with bulk_loading(), audit_context(Channel.CLI), transaction.atomic():
        providers = [services.provider_save(actor=coordinator, name=name, kind=kind,
                                            agency=agencies.get(agency), services=what,
                                            contact="Duty manager", is_active=True)
                     for name, kind, agency, what in PROVIDERS]
        members = []
        for username, position, chair in MEMBERS:
            user = User.objects.filter(username=username).first()
            if user is None or user.agency is None:
                continue
            members.append(services.panel_member_appoint(
                actor=coordinator, member=user, agency=user.agency, position=position,
                is_chair=chair, date_from=today - timedelta(days=700)))
        held = services.panel_meeting_arrange(actor=coordinator,
                                              date=today - timedelta(days=190),
                                              location="Probation Service, Lemprière Street")
        held = services.panel_meeting_held(meeting=held, actor=coordinator)
        coming = services.panel_meeting_arrange(actor=coordinator,
                                                date=today + timedelta(days=10),
                                                location="Police Headquarters, St Helier")
        plan = services.plan_create(nominal=nominal, actor=officer,
                                    order_kind=OrderKind.SUPERVISION,
                                    order_start=today - timedelta(days=300))
        for provider, delivers, factor in [
                (providers[0], "Weekly one-to-one supervision and the violence programme.",
                 "Use of violence when angry"),
                (providers[1], "Monthly psychiatric review.", "Untreated depression"),
                (providers[3], "Alcohol treatment and a relapse prevention group.",
                 "Drinking before his offences")]:
            services.service_add(plan=plan, actor=officer, provider=provider, delivers=delivers,
                                 risk_factor=factor, status=ServiceStatus.DELIVERING)
        services.plan_endorse(plan=plan, actor=coordinator, meeting=held, members=members)
        answered = services.update_request(
            plan=plan, actor=officer, provider=providers[0], meeting=coming,
            method=UpdateMethod.CONFERENCE, requested_on=today - timedelta(days=20),
            answer_by=today + timedelta(days=3))
        services.update_answer(
            request=answered, actor=officer, version=answered.version,
            last_six_months="Attended 24 of 26 sessions; completed the programme's first "
                            "module.",
            next_six_months="The second module; supervision fortnightly from March.",
            answered_on=today - timedelta(days=5))
        services.update_request(
            plan=plan, actor=officer, provider=providers[3], meeting=coming,
            method=UpdateMethod.WRITTEN, requested_on=today - timedelta(days=20),
            answer_by=today - timedelta(days=2))
        services.notice_record(
            plan=plan, actor=officer, received_on=today - timedelta(days=8),
            notice="Asks how the plan addresses his drinking since the relapse reported.",
            respond_by=today + timedelta(days=2))
        services.sharing_record(
            plan=plan, actor=officer, shared_with="Alcohol and drugs service",
            what="The plan's services and his risk factors", purpose=Purpose.DELIVERY,
            shared_on=today - timedelta(days=20))
        services.issue_raise(
            actor=coordinator, raised_on=today - timedelta(days=40),
            issue="No supported accommodation bed is free for men under supervision orders "
                  "leaving custody: release addresses are found late.",
            agencies=[a for a in (agencies.get(AgencyKind.HOUSING),
                                  agencies.get(AgencyKind.PROBATION)) if a])
    if stdout:
        stdout.write(f"Coordinated services plans: case {nominal.reference}, "
                     f"{len(members)} panel members.")
    return 1
