"""Demo custody and joined-up planning (seed_demo), three histories with their lead and team:

- case 27, a long-term prisoner (six years, four of them served): the Prison Offender Manager
  leads; Planning Meetings 1 and 2 held at the start, a Review Meeting two years ago, the
  next now overdue; the team actions log, one action the person's own; a Personal Advisor
  whose six-monthly Pathway Plan review is overdue;
- case 26, released on licence and recalled three months ago after breaching an exclusion
  zone: the Probation Practitioner leads, the Recall Officer is in the team, and Planning
  Meeting 1 is overdue (10 weeks from the recall);
- case 35, remanded in custody three weeks ago on a new charge: the Care Experience
  Specialist leads, with the Personal Advisor and his solicitor;
- case 2, near the end of an eight-year sentence: the Probation Practitioner leads, the Police
  and Probation visited him together last week, the Final Review Meeting is due;
- case 21, on licence: a recall requested yesterday, not yet decided.
Safe to run again."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from cases.demo.people import DEMOS
from cases.models import Nominal
from jmappa.accounts.models import AgencyKind, User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel
from jmappa.core.mail import bulk_loading
from jmappa.workdays import add_months

from . import services
from .models import (
    BreachAction,
    ConditionKind,
    EventKind,
    MeetingMode,
    PlanningMeetingKind,
    Sentence,
    SentenceKind,
    TeamRole,
)

PRISON = "HMP La Moye"


def _nominal(ref: int) -> Nominal | None:
    pnc = next(demo.pnc for demo in DEMOS if demo.ref == ref)
    return Nominal.objects.filter(pnc_number=pnc).first()


def _practitioner(nominal) -> dict:
    """The Probation Practitioner: the case manager where they are one, else someone named."""
    manager = nominal.case_manager
    if manager is not None and manager.agency.kind == AgencyKind.PROBATION:
        return {"user": manager}
    return {"name": "Claire Le Sueur", "organisation": "Probation", "contact": "01534 441900"}


def _held(nominal, actor, kind, on: date, present, **record):
    meeting = services.meeting_arrange(nominal=nominal, actor=actor, kind=kind, held_on=on,
                                       mode=MeetingMode.IN_PERSON, place=PRISON)
    return services.meeting_record(meeting=meeting, actor=actor, version=meeting.version,
                                   held=True, present=present,
                                   person_present=kind != PlanningMeetingKind.FIRST, **record)


def _my_plan() -> ContentFile:
    """My Plan as the person wrote it with the team: a short PDF."""
    from weasyprint import HTML

    html = ("<h1>My Plan</h1><h2>About me</h2><p>I grew up in care from 12. I like working "
            "with my hands.</p><h2>My goals</h2><ul><li>A trade qualification</li><li>See my "
            "brother again</li><li>Stay sober</li></ul><h2>Who helps me</h2><p>My Personal "
            "Advisor, the education team, my Probation Practitioner.</p>")
    return ContentFile(HTML(string=html).write_pdf(), name="my-plan.pdf")


def _long_term(nominal, officer, today: date) -> None:
    sentenced = today - timedelta(days=1400)
    services.sentence_record(
        nominal=nominal, actor=officer, kind=SentenceKind.DETERMINATE, length_months=72,
        sentenced_on=sentenced, earliest_release_on=today + timedelta(days=730),
        sentence_end_on=add_months(sentenced, 72), establishment=PRISON,
        offence="Grievous bodily harm with intent, Royal Court")
    pom = services.member_add(nominal=nominal, actor=officer, role=TeamRole.POM,
                              name="Sarah Le Brocq", organisation=PRISON,
                              contact="01534 441800", joined_on=sentenced)
    practitioner = services.member_add(nominal=nominal, actor=officer,
                                       role=TeamRole.PROBATION, **_practitioner(nominal),
                                       joined_on=sentenced)
    advisor = services.member_add(nominal=nominal, actor=officer,
                                  role=TeamRole.PERSONAL_ADVISOR, name="Tom Vibert",
                                  organisation="Children's Service (leaving care)",
                                  contact="01534 443500", joined_on=today - timedelta(days=400))
    team = [pom, practitioner, advisor]
    first = _held(nominal, officer, PlanningMeetingKind.FIRST, sentenced + timedelta(days=60),
                  team, information_shared="His time in care from 12; the offence followed a "
                  "bereavement and heavy drinking; he has engaged well with education.",
                  approach_agreed="Meet him on the wing's quiet room, after education; start "
                  "with what he wants from his sentence.",
                  next_steps="Planning Meeting 2 within the month.")
    _held(nominal, officer, PlanningMeetingKind.SECOND, sentenced + timedelta(days=80), team,
          my_plan_completed="His goals: a trade qualification, to rebuild contact with his "
                            "brother, to stay sober.",
          plans_updated="OASys and the Pathway Plan updated from My Plan.",
          next_steps="Review in two years, or sooner if anything changes.")
    _held(nominal, officer, PlanningMeetingKind.REVIEW, today - timedelta(days=750), team,
          progress="Level 2 plumbing passed; alcohol course completed; no adjudications.",
          next_steps="Next review in two years; resettlement planning then.")
    services.my_plan_upload(nominal=nominal, actor=officer, upload=_my_plan(),
                            note="Completed with him at Planning Meeting 2.")
    services.action_add(nominal=nominal, actor=officer, action="Apply for the Level 3 course.",
                        owner=None, by_the_person=True, due_on=today - timedelta(days=30),
                        agreed_at=first)
    services.action_add(nominal=nominal, actor=officer,
                        action="Find out whether his brother will visit.", owner=advisor,
                        by_the_person=False, due_on=today + timedelta(days=21))


def _recalled(nominal, officer, today: date) -> None:
    sentenced = today - timedelta(days=700)
    released = today - timedelta(days=244)
    end = add_months(sentenced, 30)
    services.sentence_record(
        nominal=nominal, actor=officer, kind=SentenceKind.DETERMINATE, length_months=30,
        sentenced_on=sentenced, earliest_release_on=released, licence_end_on=end,
        sentence_end_on=end, establishment=PRISON,
        offence="Sexual assault of an adult woman, Royal Court")
    services.event_record(nominal=nominal, actor=officer, kind=EventKind.RELEASE,
                          occurred_on=released, establishment="Approved premises, St Helier")
    zone = services.condition_add(
        nominal=nominal, actor=officer, kind=ConditionKind.EXCLUSION_ZONE,
        terms="Not to enter the parish of St Clement.", excluded_places="St Clement",
        starts_on=released, ends_on=end)
    services.member_add(nominal=nominal, actor=officer, role=TeamRole.PROBATION,
                        joined_on=sentenced, **_practitioner(nominal))
    services.member_add(nominal=nominal, actor=officer, role=TeamRole.POM, name="Sarah Le Brocq",
                        organisation=PRISON, joined_on=sentenced)
    breach = services.breach_record(
        nominal=nominal, actor=officer, condition=zone, occurred_on=today - timedelta(days=95),
        what_happened="Seen in St Clement, outside the victim's workplace.",
        reported_by="States of Jersey Police", action=BreachAction.RECALL_REQUESTED,
        action_on=today - timedelta(days=94))
    services.recall_decide(
        breach=breach, actor=officer, decided_on=today - timedelta(days=90), recalled=True,
        reasons="He entered the exclusion zone near the victim's workplace: the risk to her "
                "cannot be managed in the community.",
        what_led="He lost his job and his room at the approved premises in the same week.",
        what_broke_down="Contact with his mother; his AA meetings.",
        what_helped="Daily contact with his Probation Practitioner in the first month.",
        needed_on_release="Accommodation outside St Clement before release.")
    recall = Sentence.objects.filter(nominal=nominal, kind=SentenceKind.RECALL).first()
    recall.earliest_release_on = nominal.earliest_release_date or today + timedelta(days=150)
    recall.temporary_release_on = nominal.temporary_release_date
    recall.save(update_fields=["earliest_release_on", "temporary_release_on"])
    services.member_add(nominal=nominal, actor=officer, role=TeamRole.RECALL_OFFICER,
                        name="Jon Mallet", organisation="Probation", joined_on=recall.sentenced_on)


def _remand(nominal, officer, today: date) -> None:
    remanded = today - timedelta(days=21)
    services.sentence_record(nominal=nominal, actor=officer, kind=SentenceKind.REMAND,
                             sentenced_on=remanded, establishment=PRISON,
                             offence="Charged with assault occasioning bodily harm")
    services.member_add(nominal=nominal, actor=officer, role=TeamRole.CARE_EXPERIENCE,
                        name="Amy Renouf", organisation="Care experience service",
                        joined_on=remanded)
    services.member_add(nominal=nominal, actor=officer, role=TeamRole.PERSONAL_ADVISOR,
                        name="Tom Vibert", organisation="Children's Service (leaving care)",
                        joined_on=remanded)
    services.member_add(nominal=nominal, actor=officer, role=TeamRole.SOLICITOR,
                        name="Helen Mauger", organisation="Mauger & Co", joined_on=remanded)


def _ending(nominal, officer, today: date) -> None:
    sentenced = today - timedelta(days=2200)
    release = nominal.earliest_release_date or today + timedelta(days=60)
    services.sentence_record(
        nominal=nominal, actor=officer, kind=SentenceKind.DETERMINATE, length_months=96,
        sentenced_on=sentenced, earliest_release_on=release,
        temporary_release_on=nominal.temporary_release_date, sentence_end_on=release,
        establishment=PRISON, offence="Rape of an adult woman, Royal Court")
    practitioner = services.member_add(nominal=nominal, actor=officer,
                                       role=TeamRole.PROBATION, **_practitioner(nominal),
                                       joined_on=sentenced)
    _held(nominal, officer, PlanningMeetingKind.REVIEW, today - timedelta(days=300),
          [practitioner], progress="Sex offender programme completed.",
          next_steps="Resettlement: accommodation with his brother in Grouville.")
    services.joint_visit_record(
        nominal=nominal, actor=officer, visited_on=today - timedelta(days=7),
        police_officer=User.objects.get(username="police.inspector"),
        probation_officer=User.objects.get(username="probation.officer"),
        purpose="The licence conditions and the approved address; he was told of the "
                "exclusion zone and the curfew.")
    services.action_add(nominal=nominal, actor=officer, owner=practitioner,
                        by_the_person=False, due_on=release - timedelta(days=14),
                        action="Confirm the approved address with Housing before release.")


@transaction.atomic
def seed_custody(*, today: date, stdout=None) -> int:
    # The Co-ordinator records the histories; the case's own case manager is in its team.
    officer = User.objects.get(username="coordinator")
    done = 0
    with bulk_loading(), audit_context(Channel.CLI):
        for ref, story in ((27, _long_term), (26, _recalled), (35, _remand), (2, _ending)):
            nominal = _nominal(ref)
            if nominal is None or Sentence.objects.filter(nominal=nominal).exists():
                continue
            story(nominal, officer, today)
            done += 1
        licence = _nominal(21)
        if licence is not None and not licence.breaches.exists():
            services.breach_record(
                nominal=licence, actor=officer, occurred_on=today - timedelta(days=2),
                what_happened="Stayed overnight at an address not approved, where a girl of "
                              "14 lives.", reported_by="His sister",
                action=BreachAction.RECALL_REQUESTED, action_on=today - timedelta(days=1))
            done += 1
    if stdout and done:
        stdout.write(f"Custody and joined-up planning: {done} case histories.\n")
    return done
