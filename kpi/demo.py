"""Demo Board (seed_demo): the seats of §15.2, a member in each (Housing's below the seat's
grade), a Chair that rotated from Police to Probation, and a Board meeting in each quarter
of the last eight with a few apologies and deputies, so that KPI 4 has a trend with a miss or
two, except last quarter, when it did not meet (its alert is open), and this quarter's,
arranged, not yet held; its governance documents, the media strategy's review lapsed; last quarter's
case audit, scored; this year's annual report, a draft with its explanation and an
anonymised case example. Safe to run again: what exists is left as it is."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError

from jmappa.accounts.models import Agency, AgencyKind, Grade, Role, User

from . import selectors, services
from .models import (
    AUDIT_ITEMS,
    CaseAudit,
    GovernanceDocument,
    GovernanceKind,
    SmbChair,
    SmbMeeting,
    SmbMeetingStatus,
    SmbMinutes,
    SmbSeat,
)
from .models import SmbAttendanceStatus as S
from .periods import Period, last_quarters

# (seat, agency kind, as the Guidance puts it, minimum grade, member: username, first,
# last, job title, grade)
SEATS = [
    ("Probation Service", AgencyKind.PROBATION, "Assistant Chief Officer or above",
     Grade.SENIOR_MANAGER, ("smb.member", None, None, None, None)),
    ("Police Service", AgencyKind.POLICE, "Superintendent or above", Grade.SENIOR_MANAGER,
     ("smb.police", "Alan", "Le Sueur", "Superintendent", Grade.SENIOR_MANAGER)),
    ("Prison Service", AgencyKind.PRISON, "Deputy Prison Governor or above",
     Grade.SENIOR_MANAGER,
     ("smb.prison", "Claire", "Bisson", "Deputy Governor", Grade.SENIOR_MANAGER)),
    ("JMAPPA Co-ordinator", AgencyKind.POLICE, "Operational context and management "
     "information", Grade.MIDDLE_MANAGER, ("coordinator", None, None, None, None)),
    ("JMAPPA Administrator", AgencyKind.POLICE, "Secretariat to the meeting",
     Grade.PRACTITIONER, ("admin.officer", None, None, None, None)),
    ("Housing", AgencyKind.HOUSING, "Senior management of the Housing Department",
     Grade.SENIOR_MANAGER,
     ("smb.housing", "Peter", "Mourant", "Housing Services Manager", Grade.MIDDLE_MANAGER)),
    ("Health and Social Services", AgencyKind.HEALTH_SOCIAL_SERVICES,
     "Director of Community and Social Services", Grade.SENIOR_MANAGER,
     ("smb.health", "Helen", "Falle", "Director of Community and Social Services",
      Grade.SENIOR_MANAGER)),
    ("Education, Sport and Culture", AgencyKind.EDUCATION, "Director or Assistant Director",
     Grade.SENIOR_MANAGER,
     ("smb.education", "Richard", "Pallot", "Assistant Director", Grade.SENIOR_MANAGER)),
    ("Customs and Immigration", AgencyKind.CUSTOMS_IMMIGRATION, "Head of Service",
     Grade.MIDDLE_MANAGER,
     ("smb.customs", "Anne", "Hamon", "Head of Service", Grade.MIDDLE_MANAGER)),
]

# Who missed which of the eight meetings (oldest first): (meeting index, seat, status).
MISSES = [(1, "Housing", S.APOLOGIES), (2, "Education, Sport and Culture", S.DEPUTY),
          (3, "Housing", S.ABSENT), (5, "Customs and Immigration", S.APOLOGIES),
          (5, "Housing", S.DEPUTY), (4, "Prison Service", S.APOLOGIES)]


def seed_governance(*, today: date, actor) -> None:
    """The Board's documents: the media strategy's review lapsed three weeks ago (an alert to
    the Administrator, who owns it), the rest in date."""
    if GovernanceDocument.objects.exists():
        return
    owner = User.objects.get(username="admin.officer")
    documents = [
        (GovernanceKind.MEDIA_STRATEGY, "JMAPPA media strategy", 386, -21),
        (GovernanceKind.COMMUNICATION_PLAN, "Annual communication plan", 200, 165),
        (GovernanceKind.BUSINESS_PLAN, "JMAPPA business plan", 300, 65),
        (GovernanceKind.TRAINING_PLAN, "Multi-agency training plan", 90, 275),
        (GovernanceKind.DIVERSITY_PLAN, "Diversity plan", 120, 245),
        (GovernanceKind.MEMORANDUM, "Memorandum of understanding with Health and Social "
                                    "Services", 500, 230),
    ]
    for kind, title, approved_days_ago, review_in_days in documents:
        services.governance_document_add(
            actor=actor, kind=kind, title=title, owner=owner,
            approved_on=today - timedelta(days=approved_days_ago),
            next_review=today + timedelta(days=review_in_days), notes="", is_active=True)


def seed_case_audit(*, today: date, actor) -> None:
    """Last quarter's case audit, scored by the Co-ordinator from what the records say: a
    case with anything not done is judged not defensible, with a follow-up."""
    quarter = Period.quarter_of(today).previous()
    if CaseAudit.objects.filter(period=quarter.code).exists():
        return
    try:
        audit = services.case_audit_draw(period=quarter, actor=actor, size=8, today=today,
                                         seed=2026)
    except ValidationError:
        return  # no case at level 2 or 3 last quarter
    for case in audit.cases.all():
        answers = {item: case.suggested.get(item, "yes") for item in AUDIT_ITEMS}
        done = all(answer != "no" for answer in answers.values())
        services.audited_case_score(
            case=case, actor=actor, version=case.version, answers=answers, defensible=done,
            findings="Every action the Guidance asks was taken in time." if done else
            "Not everything the Guidance asks was done in time: see the items answered no.",
            follow_up="" if done else "The case manager and the Chair review the plan at the "
                                      "next meeting.",
            follow_up_by=None if done else today + timedelta(days=28))


def seed_escalation(*, actor) -> None:
    """Mental Health's absence from Le Crapaudier's first meeting (case 13), followed up
    with no improvement and escalated to the SMB Chair (§10.10)."""
    from cases.demo.people import DEMOS
    from meetings.models import FollowUp
    from meetings.services import attendance

    pnc = next(demo.pnc for demo in DEMOS if demo.ref == 13)
    follow_up = FollowUp.objects.filter(
        agency__kind=AgencyKind.MENTAL_HEALTH, closed_on__isnull=True,
        meeting__nominal__pnc_number=pnc).order_by("meeting__starts_at").first()
    if follow_up is None:
        return
    attendance.follow_up_close(
        follow_up=follow_up, actor=actor, escalate=True,
        outcome="The SPOC says the team has no one to send this quarter and will not write "
                "reports either: the third meeting missed this year.")


def seed_board_records(*, today: date, actor) -> None:
    """Minutes of the Board's meetings held (final, the latest still a draft) and actions: a
    training plan done, the media strategy's review overdue."""
    if SmbMinutes.objects.exists():
        return
    held = list(SmbMeeting.objects.filter(status=SmbMeetingStatus.HELD).order_by("date"))
    for meeting in held:
        minutes = services.smb_minutes_save(
            meeting=meeting, actor=actor, version=None,
            present="Every seat present or represented, apologies as recorded.",
            discussion="The KPI report for the quarter was received; the Co-ordinator "
                       "presented the case audit. Agreed: agencies missing meetings are "
                       "followed up by the SMB Chair.")
        if meeting != held[-1] and meeting.chair_id:
            services.smb_minutes_finalise(minutes=minutes, actor=meeting.chair,
                                          version=minutes.version)
    if len(held) >= 2:
        owner = User.objects.get(username="admin.officer")
        done = services.smb_action_add(
            meeting=held[-2], actor=actor, owner=owner,
            description="Circulate the multi-agency training plan to every agency.",
            due_date=held[-2].date + timedelta(days=30))
        services.smb_action_done(action=done, actor=actor,
                                 done_on=min(today, held[-2].date + timedelta(days=20)),
                                 done_note="Sent to every SPOC by secure email.")
        services.smb_action_add(
            meeting=held[-1], actor=actor, owner=owner,
            description="Bring the revised media strategy to the Board for approval.",
            due_date=max(held[-1].date + timedelta(days=1), today - timedelta(days=5)))


def seed_annual_report(*, today: date, actor) -> None:
    """This year's report to the Minister, a draft: every statistic of the catalogue, the
    explanation of the data, and a case example written without a reference or a name."""
    from .annual import services as annual
    from .models import AnnualReport, SectionKind

    if AnnualReport.objects.exists():
        return
    report = annual.annual_report_start(year=today.year, actor=actor)
    annual.annual_report_section_save(
        report=report, actor=actor, kind=SectionKind.NARRATIVE, heading="Introduction",
        body="JMAPPA brings together the Police, Probation, the Prison, Health and Social "
             "Services, Housing and Education to manage the sexual and violent offenders who "
             "live in Jersey, so that fewer people are harmed.\n\nThe figures that follow "
             "count the offenders managed under the arrangements on the day the register was "
             "counted, and the work done in the year.")
    annual.annual_report_section_save(
        report=report, actor=actor, kind=SectionKind.EXAMPLE,
        heading="Managing a man released from a long sentence",
        body="A man in his forties was released on licence after a long sentence for sexual "
             "offences against children. He was referred to a level 3 meeting three months "
             "before release. The agencies agreed supported accommodation away from schools, "
             "an exclusion zone and weekly home visits. When he was seen near a park, his "
             "licence conditions were reviewed at an emergency meeting the next day.")


def seed_smb(*, today: date, stdout=None) -> None:
    if SmbSeat.objects.exists():
        actor = User.objects.get(username="coordinator")
        seed_governance(today=today, actor=actor)
        seed_case_audit(today=today, actor=actor)
        seed_escalation(actor=actor)
        seed_board_records(today=today, actor=actor)
        seed_annual_report(today=today, actor=actor)
        return
    actor = User.objects.get(username="coordinator")
    agencies = {agency.kind: agency for agency in Agency.objects.all()}
    since = today - timedelta(days=3 * 365)
    for position, (name, kind, seniority, grade, person) in enumerate(SEATS, start=1):
        seat = services.smb_seat_create(name=name, agency=agencies.get(kind), actor=actor,
                                        seniority=seniority, minimum_grade=grade,
                                        position=position)
        member = _member(person, agencies.get(kind))
        services.smb_member_appoint(seat=seat, member=member, on=since, actor=actor)
    quarters = last_quarters(today, 8)
    police, probation = User.objects.get(username="smb.police"), \
        User.objects.get(username="smb.member")
    services.smb_chair_appoint(member=police, on=since, actor=actor)
    services.smb_chair_appoint(member=probation, on=quarters[4].start, actor=actor)
    for index, quarter in enumerate(quarters):
        if index == len(quarters) - 2:
            continue  # last quarter the Board did not meet: the alert is open
        day = quarter.start + timedelta(days=40)
        arranged = index == len(quarters) - 1
        meeting = services.smb_meeting_create(
            on=max(day, today + timedelta(days=14)) if arranged else day, actor=actor,
            location="Police Headquarters, St Helier",
            agenda="Minutes of the last meeting; KPI report for the quarter; case audit; "
                   "business plan; training; any other business")
        if arranged:
            continue  # this quarter's is arranged, not yet held
        attendance = {}
        for membership in selectors.seated_on(day):
            status = next((s for i, seat, s in MISSES
                           if i == index and seat == membership.seat.name), S.PRESENT)
            attendance[membership.pk] = (status, "A deputy" if status == S.DEPUTY else "")
        services.smb_meeting_record(meeting=meeting, attendance=attendance, actor=actor)
    seed_governance(today=today, actor=actor)
    seed_case_audit(today=today, actor=actor)
    seed_escalation(actor=actor)
    seed_board_records(today=today, actor=actor)
    seed_annual_report(today=today, actor=actor)
    if stdout:
        stdout.write(f"SMB: {len(SEATS)} seats, {SmbChair.objects.count()} chair terms, "
                     f"{SmbMeeting.objects.count()} meetings.")


def _member(person, agency) -> User:
    username, first, last, title, grade = person
    if first is None:
        return User.objects.get(username=username)
    user, created = User.objects.get_or_create(username=username, defaults={
        "first_name": first, "last_name": last, "job_title": title, "grade": grade,
        "agency": agency, "roles": [Role.SMB_MEMBER]})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
