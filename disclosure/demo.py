"""Demo disclosures and requests for minutes for `manage.py seed_demo`, after the demo
meetings. Everything is invented and goes through the services as in real use; nobody is
emailed (jmappa.core.mail.bulk_loading). Idempotent: a case that already has its demo
disclosure or request is left alone.

- Le Crapaudier's (case 13) first meeting deferred its disclosure decision until the police
  identify the women he contacts: the date has passed with no decision (an alert);
- a senior officer of chief-officer grade, acc.police (Assistant Chief Constable), who
  endorses disclosures;
- Le Vraicquet (case 1): the level 3 meeting agreed to tell his new partner; endorsed, and
  made by the police;
- Le Crapaudier (case 13): a disclosure to his employer agreed ten days ago, still awaiting
  endorsement;
- Vinchelier (case 22): a disclosure to his hostel's staff endorsed, not yet made by its
  planned date (overdue);
- Le Cotilier (case 3): a disclosure to a leisure club refused by the senior officer;
- Le Vraicquet (case 1) attends the Methodist centre in St Helier: the risk assessed, the
  minister told (endorsed and made), the contract signed three weeks ago, and a breach the
  church warden reported yesterday awaiting the case manager's action (an alert);
- requests for minutes: the Law Officers' Department's on case 1, redirected to Probation;
  the Royal Court's on case 13, answered with an issued Executive Summary; the offender's
  own on case 22, open and past its time to be clarified; a solicitor's on case 3, clarified
  but with no Executive Summary issued in time.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cases.demo.people import DEMOS
from cases.models import Nominal
from jmappa.accounts.models import Agency, AgencyKind, Grade, Role, User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel
from jmappa.core.mail import bulk_loading
from jmappa.workdays import add_working_days
from meetings.models import DisclosureDecision, Meeting, MeetingStatus, Minutes

from .models import (
    Disclosure,
    MinutesRequest,
    OffenderInvolvement,
    RecipientKind,
    Requester,
    Trigger,
    WorshipArrangement,
    WorshipConcern,
)
from .pdf import render_contract_pdf
from .services import decisions, disclosures, requests, summaries, worship

SENIOR_OFFICER = "acc.police"


def _pnc(ref: int) -> str:
    return next(demo.pnc for demo in DEMOS if demo.ref == ref)


def record_deferral(minutes: Minutes, actor) -> None:
    """The minutes' disclosure step before the demo's Chair finalises them: a deferred
    decision names its date (since passed) and what is awaited."""
    if minutes.disclosure_decision != DisclosureDecision.DEFER:
        return
    meeting_day = minutes.meeting.date
    decide_by = max(min(meeting_day + timedelta(days=10),
                        timezone.localdate() - timedelta(days=1)),
                    meeting_day + timedelta(days=1))
    decisions.deferral_record(minutes=minutes, actor=actor, decide_by=decide_by,
                              awaited="The police to identify the women he has contacted.")


def _senior_officer() -> User:
    police = Agency.objects.filter(kind=AgencyKind.POLICE).order_by("id").first()
    user, created = User.objects.get_or_create(
        username=SENIOR_OFFICER,
        defaults={"first_name": "Helen", "last_name": "Du Feu", "agency": police,
                  "job_title": "Assistant Chief Constable", "grade": Grade.EXECUTIVE,
                  "roles": [Role.PRACTITIONER], "email": f"{SENIOR_OFFICER}@example.je"})
    if created:
        user.set_password(settings.JMAPPA_DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _criteria(**overrides) -> dict:
    fields = {
        "risk_to_offender": "Low: the recipient is discreet; the risk to others outweighs it.",
        "recipient_identification": "Identified and confirmed in person by the police.",
        "alternatives": "Licence conditions alone were considered and rejected: they cannot "
                        "stop contact the recipient could see and report.",
        "offender_involvement": OffenderInvolvement.CONSENTS,
        "offender_involvement_notes": "He was told at supervision and agreed.",
        "recipient_preparation": "Told the information is confidential, what to look out "
                                 "for, and to call the police officer named below.",
        "level_of_disclosure": "His risk factors and conditions; not the offence details.",
        "key_triggers": "If he is seen alone with a child, call the police at once.",
        "support_if_breakdown": "Victim support and his probation officer are on call.",
        "offender_told": True,
    }
    fields.update(overrides)
    return fields


def _held_meeting(nominal) -> Meeting | None:
    return Meeting.objects.filter(nominal=nominal, status=MeetingStatus.HELD).order_by(
        "-starts_at").first()


def seed_disclosures(*, today: date, stdout=None) -> int:
    users = {u.username: u for u in User.objects.filter(
        username__in=["coordinator", "police.inspector", "probation.officer"])}
    coordinator = users["coordinator"]
    nominals = {ref: Nominal.objects.filter(pnc_number=_pnc(ref)).first()
                for ref in (1, 3, 13, 22)}
    created = 0
    with bulk_loading(), audit_context(Channel.CLI), transaction.atomic():
        senior = _senior_officer()

        def agree(ref, **fields):
            nominal = nominals[ref]
            return disclosures.disclosure_agree(
                nominal=nominal, actor=coordinator, endorser=senior,
                meeting=_held_meeting(nominal), **_criteria(**fields))

        if nominals[1] and not Disclosure.objects.filter(nominal=nominals[1]).exists():
            made = agree(1, recipient_name="Claire Amy", recipient_kind=RecipientKind.NEW_PARTNER,
                         recipient_relationship="His new partner, mother of a 9-year-old girl",
                         recipient_contact="Through the police", trigger=Trigger.PROTECT_VICTIMS,
                         planned_by=today + timedelta(days=2))
            made = disclosures.disclosure_endorse(disclosure=made, actor=senior, endorse=True,
                                                  reasons="Necessary and proportionate: a "
                                                          "child is at risk.")
            # Recorded by the Co-ordinator for the police officer who made it.
            disclosures.disclosure_carry_out(
                disclosure=made, actor=coordinator, version=made.version, disclosed_by="police",
                disclosed_on=today, method="in_person",
                what_was_said="His convictions against children, his licence conditions, "
                              "and what to look out for.",
                acknowledgement="She may tell no one but her daughter's social worker.")
            created += 1
        if nominals[13] and not Disclosure.objects.filter(nominal=nominals[13]).exists():
            waiting = agree(13, recipient_name="Philip Renouf",
                            recipient_kind=RecipientKind.EMPLOYER,
                  recipient_role="Manager, a garden centre", trigger=Trigger.GROOMING,
                  offender_told=False, recipient_told_offender_unaware=True,
                  offender_involvement=OffenderInvolvement.NOT_INVOLVED,
                  offender_involvement_notes="Telling him now could put the women he "
                                             "contacts at risk.",
                  planned_by=today + timedelta(days=10))
            Disclosure.objects.filter(pk=waiting.pk).update(
                created_at=timezone.now() - timedelta(days=10))
            created += 1
        if nominals[22] and not Disclosure.objects.filter(nominal=nominals[22]).exists():
            pending = agree(22, recipient_name="The hostel's duty managers",
                            recipient_kind=RecipientKind.ACCOMMODATION_STAFF,
                            recipient_role="Supported accommodation, St Helier",
                            trigger=Trigger.OTHERS_AT_RISK,
                            planned_by=today - timedelta(days=3))
            disclosures.disclosure_endorse(disclosure=pending, actor=senior, endorse=True)
            created += 1
        if nominals[3] and not Disclosure.objects.filter(nominal=nominals[3]).exists():
            refused = agree(3, recipient_name="Secretary of the swimming club",
                            recipient_kind=RecipientKind.LEISURE_CLUB,
                            trigger=Trigger.GROOMING, planned_by=today + timedelta(days=14))
            disclosures.disclosure_endorse(
                disclosure=refused, actor=senior, endorse=False,
                reasons="Not proportionate: he no longer attends the club, and a licence "
                        "condition now keeps him away.")
            created += 1
        if nominals[1] and not WorshipArrangement.objects.filter(nominal=nominals[1]).exists():
            created += _seed_worship(nominals[1], today=today, coordinator=coordinator,
                                     senior=senior, agree=agree)
        created += _seed_requests(nominals, today=today, users=users)
    if stdout:
        stdout.write(f"Demo disclosures and requests for minutes: {created} created.")
    return created


def _seed_worship(nominal, *, today: date, coordinator, senior, agree) -> int:
    place, leader = "St Helier Methodist Centre", "Reverend Ruth Le Cornu"
    arrangement = worship.worship_assess(
        nominal=nominal, actor=coordinator, place_of_worship=place,
        place_address="Don Street, St Helier", religious_leader=leader,
        leader_contact="The centre's office, through the police", concern=
        WorshipConcern.RSO_CHILD_VICTIMS,
        risk_assessment="His offences were against children he met through a youth club. "
                        "Sunday services are attended by families; the Sunday school meets "
                        "in the hall during the 10.30 service.",
        discussed_with_offender=True,
        discussion="He understands the minister will be told, and agreed to sit at the back "
                   "and attend the 8.30 and 18.30 services only.")
    told = agree(1, recipient_name=leader, recipient_kind=RecipientKind.RELIGIOUS_LEADER,
                 recipient_role=place, recipient_relationship="Minister of the church he "
                 "wishes to attend", recipient_contact="The centre's office",
                 trigger=Trigger.GROOMING, planned_by=today - timedelta(days=25))
    told = disclosures.disclosure_endorse(disclosure=told, actor=senior, endorse=True,
                                          reasons="Necessary to protect the congregation.")
    disclosures.disclosure_carry_out(
        disclosure=told, actor=coordinator, version=told.version, disclosed_by="police",
        disclosed_on=today, method="in_person",
        what_was_said="His convictions against children and the terms of his contract.",
        acknowledgement="She will tell the church warden only, and report any breach.")
    arrangement = worship.worship_disclosure_link(arrangement=arrangement, disclosure=told,
                                                  actor=coordinator)
    terms = arrangement.contract_terms.replace(
        "[day and time of each service]", "the 8.30am and 6.30pm Sunday services")
    arrangement = worship.worship_update(
        arrangement=arrangement, actor=coordinator, version=arrangement.version,
        disclosure=told, contract_terms=terms)
    scan = SimpleUploadedFile("signed-contract.pdf", render_contract_pdf(arrangement),
                              content_type="application/pdf")
    arrangement = worship.worship_contract_signed(
        arrangement=arrangement, actor=coordinator, version=arrangement.version,
        signed_on=today - timedelta(days=21), upload=scan)
    worship.breach_report(
        arrangement=arrangement, actor=coordinator, occurred_on=today - timedelta(days=1),
        reported_by="Mr Le Brun, church warden",
        what_happened="He stayed after the evening service and went into the hall while "
                      "the youth group was meeting.")
    return 1


def _seed_requests(nominals: dict, *, today: date, users: dict) -> int:
    coordinator = users["coordinator"]
    probation = Agency.objects.filter(kind=AgencyKind.PROBATION).order_by("id").first()
    created = 0
    if nominals[1] and not MinutesRequest.objects.filter(nominal=nominals[1]).exists():
        asked = requests.minutes_request_log(
            nominal=nominals[1], actor=coordinator, received_by=users["probation.officer"],
            requester_kind=Requester.LAW_OFFICERS, requester_name="Law Officers' Department",
            received_on=today - timedelta(days=9), chair=coordinator,
            what_is_sought="The JMAPP minutes, for a bail hearing.")
        requests.minutes_request_clarify(
            minutes_request=asked, actor=coordinator,
            sought="Exactly what information is sought?",
            answer="The Probation risk assessment.", clarified_on=today - timedelta(days=7))
        requests.minutes_request_redirect(
            minutes_request=asked, actor=coordinator, agency=probation,
            what="Its own risk assessment of the offender.")
        created += 1
    if nominals[13] and not MinutesRequest.objects.filter(nominal=nominals[13]).exists():
        asked = requests.minutes_request_log(
            nominal=nominals[13], actor=coordinator, requester_kind=Requester.COURT,
            requester_name="The Royal Court (Samedi Division)",
            received_on=today - timedelta(days=14), chair=coordinator,
            what_is_sought="The minutes of his meetings, for sentencing.")
        requests.minutes_request_clarify(
            minutes_request=asked, actor=coordinator, sought="What does the court need?",
            answer="An account of the risk and of the plan.",
            clarified_on=today - timedelta(days=12))
        summary = summaries.summary_draft(minutes_request=asked, actor=coordinator)
        summary = summaries.summary_update(summary=summary, actor=summary.chair,
                                           version=summary.version,
                                           victim_check_confirmed=True)
        summary = summaries.summary_finalise(summary=summary, actor=summary.chair)
        summaries.summary_issue(summary=summary, actor=coordinator,
                                issued_to="The Judicial Greffe, by secure email")
        created += 1
    if nominals[22] and not MinutesRequest.objects.filter(nominal=nominals[22]).exists():
        requests.minutes_request_log(
            nominal=nominals[22], actor=coordinator, received_by=users["probation.officer"],
            requester_kind=Requester.OFFENDER, requester_name="The offender, by letter",
            received_on=add_working_days(today, -12), chair=coordinator,
            what_is_sought="Everything said about him at his meetings.")
        created += 1
    if nominals[3] and not MinutesRequest.objects.filter(nominal=nominals[3]).exists():
        asked = requests.minutes_request_log(
            nominal=nominals[3], actor=coordinator, requester_kind=Requester.OTHER,
            requester_name="A solicitor acting in a civil claim",
            received_on=add_working_days(today, -30), chair=coordinator,
            what_is_sought="The minutes about his management.")
        requests.minutes_request_clarify(
            minutes_request=asked, actor=coordinator, sought="What exactly is sought?",
            answer="What the meetings decided about his risk.",
            clarified_on=add_working_days(today, -27))
        created += 1
    return created
