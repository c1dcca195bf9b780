"""Demo support planning (seed_demo): case 21, released on licence three months ago, under
support planning since: the professionals' information exchange; a network of three (his
sister, his employer, his psychologist); his consent to share; two meetings held (the
safety plan agreed at the first and reviewed at the second), the next one monthly and now
overdue, one arranged; his sister's pack sent; offending he disclosed at the second meeting
not yet passed to the Police (the police contact's alert is open). Safe to run again."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases.demo.people import DEMOS
from cases.models import Nominal
from jmappa.accounts.models import User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel
from jmappa.core.mail import bulk_loading

from . import services
from .models import Frequency, NetworkRole, PlanningTrigger, SendingMethod, SupportPlanning

REF = 21


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_support(*, today: date, stdout=None) -> int:
    pnc = next(demo.pnc for demo in DEMOS if demo.ref == REF)
    nominal = Nominal.objects.filter(pnc_number=pnc).first()
    if nominal is None or SupportPlanning.objects.filter(nominal=nominal).exists():
        return 0
    officer = User.objects.get(username="probation.officer")
    police = User.objects.get(username="police.inspector")
    released = today - timedelta(days=90)
    with bulk_loading(), audit_context(Channel.CLI), transaction.atomic():
        planning = services.planning_start(
            nominal=nominal, actor=officer, trigger=PlanningTrigger.RELEASE, starts_on=released,
            ends_on=today + timedelta(days=600))
        services.planning_update(
            planning=planning, actor=officer, version=planning.version,
            offending="Sexual activity with children, over several years, historic.",
            victims="Two girls aged 11 and 13 at the time.",
            risk_of_reoffending="Medium; higher where he has unsupervised contact with girls "
                                "under 16.",
            who_should_attend="His sister and his employer, who know his history; his "
                              "psychologist; the ViSOR manager.",
            exchanged_on=released - timedelta(days=7))
        sister = services.person_add(
            nominal=nominal, actor=officer, name="Margaret Le Pivelin", relationship="Sister",
            network_role=NetworkRole.SUPPORT_PERSON, phone="07797 100200",
            practical_role="Drives him to his appointments; phones him each evening; watches "
                           "for him drinking alone or spending time online late at night.",
            receives_safety_plan=True, receives_contacts=True)
        employer = services.person_add(
            nominal=nominal, actor=officer, name="Philip Renouf", relationship="Employer",
            network_role=NetworkRole.SUPPORT_PERSON, phone="01534 700800",
            practical_role="Keeps him on jobs away from schools and family homes.",
            receives_contacts=True)
        services.person_add(
            nominal=nominal, actor=officer, name="Dr Anne Gallichan",
            relationship="Forensic psychologist", network_role=NetworkRole.PROFESSIONAL,
            email="a.gallichan@health.invalid", receives_safety_plan=True, receives_risks=True)
        first = services.meeting_arrange(nominal=nominal, actor=officer,
                                         starts_at=_at(released + timedelta(days=20)),
                                         location="Probation Service, Lemprière Street")
        first = services.meeting_record(
            meeting=first, actor=officer, version=first.version, person_present=True,
            attendees=[sister, employer],
            professionals_present="Probation officer; ViSOR manager; Dr Gallichan by phone",
            introductions="Each said who they are to Graham and why they came.",
            risk_meaning="Risk is the chance he offends again: it rises with the warning signs "
                         "below and falls with the network around him.",
            specific_risks="Isolation and drinking alone; going online late at night; "
                           "thinking that a child is mature for their age.",
            offence_chain="He described feeling lonely after his divorce, drinking, and "
                          "seeking the company of children of a family friend.",
            coping_strategies="Phone his sister when lonely; no alcohol at home; internet on "
                              "a monitored laptop only.",
            commitments="Each agreed their part in the safety plan.",
            next_steps="Meet again in a month; his sister and employer have everyone's number.",
            next_frequency=Frequency.MONTHLY)
        services.consent_record(
            nominal=nominal, actor=officer, signed_on=first.date,
            information="My offences and their victims' ages; my specific risks and warning "
                        "signs; my safety plan; the conditions of my licence.")
        services.safety_plan_save(
            nominal=nominal, actor=officer, reviewed_at=first,
            conditions="Licence: no unsupervised contact with children under 16; reside at "
                       "the approved address; internet use as approved.",
            strategies="A routine of work and evenings with family; no alcohol at home; a "
                       "monitored laptop.",
            supporters="Margaret: lifts to appointments, a call each evening. Philip: work "
                       "away from schools and family homes. Dr Gallichan: weekly sessions.",
            warning_signs="Drinking alone, missed calls, time online late at night: call the "
                          "probation officer the same day.")
        services.meeting_finalise(meeting=first, actor=officer, version=first.version)
        second = services.meeting_arrange(nominal=nominal, actor=officer,
                                          starts_at=_at(released + timedelta(days=50)),
                                          location="Probation Service, Lemprière Street")
        second = services.meeting_record(
            meeting=second, actor=officer, version=second.version, person_present=True,
            attendees=[sister], professionals_present="Probation officer; ViSOR manager",
            introductions="As before; Philip sent apologies.",
            risk_meaning="Reviewed with Margaret.", specific_risks=first.specific_risks,
            coping_strategies="As agreed, with a weekly walk with Margaret at the weekend.",
            commitments="Margaret renewed her commitment.",
            next_steps="Meet monthly; the psychologist to join next time.",
            next_frequency=Frequency.MONTHLY)
        services.safety_plan_save(
            nominal=nominal, actor=officer, reviewed_at=second,
            conditions="As version 1.", strategies="As version 1, with a weekend walk.",
            supporters="As version 1; Margaret also walks with him on Saturdays.",
            warning_signs="As version 1.")
        services.meeting_finalise(meeting=second, actor=officer, version=second.version)
        services.network_send(person=sister, actor=officer, method=SendingMethod.BY_HAND,
                              sent_on=second.date)
        services.offending_record(
            nominal=nominal, actor=officer, meeting=second, disclosed_on=second.date,
            police_contact=police,
            what="He said he had messaged a 15-year-old girl on a gaming site in the week "
                 "before the meeting.")
        services.meeting_arrange(nominal=nominal, actor=officer,
                                 starts_at=_at(today + timedelta(days=3)),
                                 location="Probation Service, Lemprière Street")
    if stdout:
        stdout.write(f"Support planning: case {nominal.reference}, 2 meetings held.")
    return 1
