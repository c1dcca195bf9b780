"""The data of the deadline sweep benchmark (`manage.py bench_sweep`): a register of N
nominals with everything the ten time rules read, written with COPY in batches.

Per case, with the shares of a live register in mind:
- the nominal: category, level, overall risk, lead agency, case manager (and a ViSOR
  manager for Category 1); 10% archived, of whom 1 in 20 is 99 to 101 years old (retention
  review at 100, §13.3); 20% in custody with a sentence date and an earliest release date
  up to 3 years ahead; a sentence date and the date identified (1 in 20 identified more
  than 3 working days after sentence, §3.3);
- the team (case manager, ViSOR manager) and the lead agency's link;
- the level history: the current level, and for 15% an earlier one;
- level 2 and 3 cases: the accepted referral and the meetings held since (1 to 4, at the
  review interval), each with its minutes-due date and the next review date (sometimes
  earlier than the Guidance's latest), minutes final for all but the latest (draft or
  none when recent), a future review meeting scheduled for 30%, 1 in 20 meetings with a
  non-attendance follow-up (half of them closed), 1 to 3 plan actions per meeting (most
  done by their date, some overdue, some cannot be delivered);
- level 1 cases: level 1 reviews (the latest up to 100 days ago), a level 1 discussion
  for 5%, and 1 or 2 plan actions for 30%;
- Category 1 cases: home visits (the latest within 115% of the interval of its risk);
- those in custody: their sentence (determinate, short-term, life, remand or recall, in turn,
  ending up to a year after release), the joined-up team's lead and Probation Practitioner,
  a Personal Advisor for 1 in 3 (their Pathway Plan review falling due), Planning Meeting 1
  held for 7 in 10 of those sentenced more than 10 weeks ago; 1 in 100 active cases in the
  community has a recall requested and not yet decided;
- 1 in 30 active cases in the community has an intervention package, a review point held
  and the next overdue or due within the month (in turn);
- 2% of the active level 2 and 3 cases have a new referral waiting for its meeting; half of
  those in custody whose release is within 6 months have been referred;
- 20% of the archived cases keep an old meeting with final minutes;
- of the meetings with final minutes, 1 in 50 deferred its disclosure decision to a date up
  to two months on, and 1 in 33 agreed a disclosure (awaiting endorsement, endorsed, refused
  or made, in turn); 1 in 25 level 2 and 3 cases has a request for its minutes (§5.5).
The rare events (the aged, follow-ups, disclosures, requests) come at a fixed share, the
first of each early, so that every rule has something to find even in a small register.
Every row respects the models' constraints (Meeting.level set as Meeting.save sets it,
done actions have their completion date, one final minutes per meeting, ...).
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connections, models
from django.utils import timezone

from bench.database import copy
from cases.models import (
    CaseAgency,
    Cat3Disposal,
    Category,
    CustodyStatus,
    Eligibility,
    Level,
    LevelChange,
    Nominal,
    RiskLevel,
    Status,
    TeamMember,
    TeamRole,
)
from coordination.models import (
    OrderKind,
    OversightNotice,
    PanelMeeting,
    Provider,
    ProviderKind,
    ServicesPlan,
    UpdateMethod,
    UpdateRequest,
)
from custody.models import (
    Breach,
    BreachAction,
    JoinedUpMember,
    JoinedUpPlanning,
    PlanningMeeting,
    PlanningMeetingKind,
    PlanningMeetingStatus,
    Sentence,
    SentenceKind,
)
from custody.models import TeamRole as JoinedUpRole
from disclosure.models import (
    ContractBreach,
    Deferral,
    DisclosedBy,
    Disclosure,
    DisclosureStatus,
    MinutesRequest,
    OffenderInvolvement,
    RecipientKind,
    Requester,
    RequestOutcome,
    Trigger,
    WorshipArrangement,
    WorshipConcern,
    WorshipStatus,
    specimen_contract,
)
from interventions.models import InterventionPackage, ReviewPoint
from jmappa.accounts.models import Agency, AgencyKind, Grade, Role, User
from jmappa.workdays import add_working_days
from kpi.models import GovernanceDocument, GovernanceKind, SmbMembership, SmbSeat
from meetings.models import (
    DisclosureDecision,
    FollowUp,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from meetings.rules import latest_review_date, minutes_due_by
from plans.models import ActionStatus, ActionType, HomeVisit, Level1Review, PlanAction
from referrals.models import Referral, ReferralStatus
from referrals.rules import meeting_due_by
from support.models import DisclosedOffending, PlanningTrigger, SupportPlanning

AGENCIES = [
    ("States of Jersey Police", AgencyKind.POLICE),
    ("Jersey Probation and After-Care Service", AgencyKind.PROBATION),
    ("HM Prison La Moye", AgencyKind.PRISON),
    ("Health and Social Services", AgencyKind.HEALTH_SOCIAL_SERVICES),
    ("Housing", AgencyKind.HOUSING),
]
POLICE, PROBATION, PRISON, HEALTH, HOUSING = range(len(AGENCIES))
NAMES = ("Le Brocq Renouf Vibert Pallot Amy Gallichan Romeril Ahier Bisson Falle Hamon Luce "
         "Mauger Noel Perchard Syvret Touzel Smith Jones Brown Taylor Silva Pereira Nowak").split()
GIVEN = "James John Robert Michael David Paul Mark Peter Sarah Karen Tiago Piotr Anne".split()
CASE_MANAGER_ROLE = TeamRole.CASE_MANAGER
# The disclosures agreed, in turn: most made, some awaiting endorsement or their date.
STATUSES = [DisclosureStatus.AGREED, DisclosureStatus.ENDORSED, DisclosureStatus.DISCLOSED,
            DisclosureStatus.DISCLOSED, DisclosureStatus.ENDORSED, DisclosureStatus.REFUSED,
            DisclosureStatus.DISCLOSED]
BATCH = 10_000


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class _Batch:
    """The rows of one batch of nominals, by model, as unsaved instances."""

    rows: dict = field(default_factory=lambda: {model: [] for model in _ORDER})


_ORDER = [Nominal, TeamMember, CaseAgency, LevelChange, Referral, Meeting, Minutes, FollowUp,
          PlanAction, Level1Review, HomeVisit, Deferral, Disclosure, MinutesRequest,
          WorshipArrangement, ContractBreach, GovernanceDocument, SupportPlanning,
          DisclosedOffending, ServicesPlan, UpdateRequest, OversightNotice,
          InterventionPackage, ReviewPoint, Sentence, JoinedUpPlanning, JoinedUpMember,
          PlanningMeeting, Breach]
# The kinds of sentence of those in custody, in turn.
SENTENCE_KINDS = [SentenceKind.DETERMINATE, SentenceKind.DETERMINATE, SentenceKind.SHORT_TERM,
                  SentenceKind.LIFE, SentenceKind.DETERMINATE, SentenceKind.REMAND,
                  SentenceKind.RECALL, SentenceKind.EXTENDED]


def _copy_instances(alias: str, objs: list) -> None:
    """COPY unsaved instances with their primary keys; JSON fields as JSON text."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.generated]

    def value(f, obj):
        if isinstance(f, models.JSONField):
            return json.dumps(getattr(obj, f.attname))
        if getattr(f, "auto_now_add", False) and getattr(obj, f.attname) is not None:
            # A generated past (when a disclosure was recorded) is kept, not made now.
            return f.get_db_prep_save(getattr(obj, f.attname), connection)
        return f.get_db_prep_save(f.pre_save(obj, True), connection)

    copy(alias, model, [f.name for f in fields],
          ([value(f, obj) for f in fields] for obj in objs))


def _reset_sequences(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        for model in _ORDER:
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")


class SweepData:
    """Writes `nominals` cases into the database `alias`, as of `day`."""

    def __init__(self, *, alias: str, nominals: int, day: date, seed: int = 2024, log=print):
        self.alias, self.n, self.day, self.log = alias, nominals, day, log
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.ids = {model: 0 for model in _ORDER}
        self.counts = {model: 0 for model in _ORDER}
        self.seen: dict[str, int] = {}

    def _every(self, what: str, n: int) -> bool:
        """True for the first and then every n-th time `what` is asked: a rare event's share
        without chance, so that even a small register holds one."""
        self.seen[what] = self.seen.get(what, 0) + 1
        return self.seen[what] % n == 1

    def _id(self, model) -> int:
        self.ids[model] += 1
        return self.ids[model]

    def _at(self, day: date) -> datetime:
        return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))

    def run(self) -> dict:
        started = time.perf_counter()
        self._people()
        for first in range(0, self.n, BATCH):
            batch = _Batch()
            for _ in range(min(BATCH, self.n - first)):
                self._case(batch)
            for model in _ORDER:
                _copy_instances(self.alias, batch.rows[model])
                self.counts[model] += len(batch.rows[model])
            self.log(f"  {first + min(BATCH, self.n - first):,} nominals written "
                     f"({time.perf_counter() - started:.1f} s)")
        _reset_sequences(self.alias)
        return {model._meta.verbose_name_plural: count for model, count in self.counts.items()}

    # -- the people --

    def _people(self) -> None:
        rng, alias = self.rng, self.alias
        self.agencies = Agency.objects.using(alias).bulk_create([
            Agency(name=name, kind=kind, duty_to_cooperate=True) for name, kind in AGENCIES])
        unusable = make_password(None)
        users: list[User] = []
        by_agency: dict[int, list[int]] = {}

        def add(agency: int, roles: list[str], grade: int, title: str) -> None:
            n = len(users) + 1
            users.append(User(username=f"sweep{n:05d}", password=unusable,
                              first_name=rng.choice(GIVEN), last_name=rng.choice(NAMES),
                              email=f"sweep{n:05d}@bench.invalid",
                              agency_id=self.agencies[agency].pk, roles=roles, grade=grade,
                              job_title=title))
            by_agency.setdefault(agency, []).append(n - 1)

        add(POLICE, [Role.COORDINATOR, Role.CHAIR], Grade.MIDDLE_MANAGER, "JMAPPA Co-ordinator")
        add(POLICE, [Role.ADMINISTRATOR], Grade.PRACTITIONER, "JMAPPA Administrator")
        n_staff = max(len(AGENCIES) * 4, self.n // 40)
        for i in range(n_staff):
            agency = (PROBATION, PROBATION, PROBATION, POLICE, POLICE, PRISON, HEALTH,
                      HOUSING)[i % 8]
            if i < len(AGENCIES):
                add(i, [Role.PRACTITIONER, Role.SPOC], Grade.FIRST_LINE_MANAGER, "SPOC")
            elif i % 25 == 0:
                add(agency, [Role.PRACTITIONER, Role.CHAIR], Grade.SENIOR_MANAGER,
                    "Senior manager")
            else:
                add(agency, [Role.PRACTITIONER], Grade.PRACTITIONER, "Practitioner")
        User.objects.using(alias).bulk_create(users, batch_size=1000)
        for agency in range(len(AGENCIES)):
            spoc = users[by_agency[agency][0 if agency else 2]]
            Agency.objects.using(alias).filter(pk=self.agencies[agency].pk).update(
                spoc_id=spoc.pk)
        self.coordinator = users[0].pk
        self.administrator = users[1].pk
        self.chairs = [u.pk for u in users if Role.CHAIR in u.roles]
        self.staff = {agency: [users[i].pk for i in indexes if Role.PRACTITIONER in
                               users[i].roles] for agency, indexes in by_agency.items()}
        self.spocs = {agency: users[by_agency[agency][0 if agency else 2]].pk
                      for agency in range(len(AGENCIES))}
        # The Board has a member (the Co-ordinator's seat) and has not met: the quarter
        # rule answers the running quarter and the last.
        seat = SmbSeat.objects.using(alias).create(
            name="JMAPPA Co-ordinator", seniority="Operational context",
            minimum_grade=Grade.MIDDLE_MANAGER, agency_id=self.agencies[POLICE].pk)
        SmbMembership.objects.using(alias).create(
            seat=seat, member_id=self.coordinator, grade=Grade.MIDDLE_MANAGER,
            date_from=self.day - timedelta(days=3 * 365))
        # One provider and the coming multi-agency panel: service updates are asked for it.
        self.provider = Provider.objects.using(alias).create(
            name="Violence programme", kind=ProviderKind.AGENCY,
            agency_id=self.agencies[PROBATION].pk, services="Accredited programmes").pk
        self.panel_meeting = PanelMeeting.objects.using(alias).create(
            date=self.day + timedelta(days=10), created_by_id=self.coordinator).pk

    def _user(self, agency: int) -> int:
        return self.rng.choice(self.staff[agency])

    # -- one case --

    def _case(self, batch: _Batch) -> None:
        rng, day = self.rng, self.day
        rows = batch.rows
        nid = self._id(Nominal)
        if self._every("governance document", 500):
            # The Board's documents grow with nothing: one in 500 cases, in turn lapsed.
            lapsed = self.seen["governance document"] % 1000 == 1
            rows[GovernanceDocument].append(GovernanceDocument(
                id=self._id(GovernanceDocument), kind=GovernanceKind.BUSINESS_PLAN,
                title="Business plan", approved_on=day - timedelta(days=400),
                next_review=day - timedelta(days=30) if lapsed else day + timedelta(days=200),
                created_by_id=self.coordinator))
        archived = rng.random() < 0.10
        category = _weighted(rng, {Category.ONE: 50, Category.TWO: 38, Category.THREE: 5,
                                   Category.PDP: 4, Category.UNKNOWN: 3})
        level = (Level.UNKNOWN if category == Category.UNKNOWN else
                 _weighted(rng, {Level.ONE: 80, Level.TWO: 15, Level.THREE: 5}))
        rosh = _weighted(rng, {RiskLevel.LOW: 30, RiskLevel.MEDIUM: 40, RiskLevel.HIGH: 25,
                               RiskLevel.VERY_HIGH: 5})
        if archived and self._every("archived", 20):
            dob = day - timedelta(days=rng.randint(99 * 365, 101 * 365 + 25))
            if self.seen["archived"] == 1:  # the first one past 100: its review is due
                dob = day - timedelta(days=100 * 365 + 60)
        else:
            dob = day - timedelta(days=rng.randint(18 * 365, 80 * 365))
        lead = _weighted(rng, {PROBATION: 65, POLICE: 30, HEALTH: 5})
        case_manager = self._user(lead)
        visor = self._user(POLICE) if category == Category.ONE else None
        in_custody = not archived and rng.random() < 0.20
        sentence_date = release = None
        if in_custody:
            sentence_date = day - timedelta(days=rng.randint(30, 2000))
            release = day + timedelta(days=rng.randint(1, 3 * 365))
        elif rng.random() < 0.7:
            sentence_date = day - timedelta(days=rng.randint(100, 3000))
        identified = None
        if sentence_date:
            late = rng.random() < 0.05
            identified = add_working_days(sentence_date, rng.randint(4, 20) if late
                                          else rng.randint(0, 3))
            identified = min(identified, day)
        archived_on = day - timedelta(days=rng.randint(30, 3000)) if archived else None
        cat3 = category == Category.THREE
        rows[Nominal].append(Nominal(
            id=nid, given_names=rng.choice(GIVEN), family_name=rng.choice(NAMES),
            date_of_birth=dob, eligibility=(Eligibility.AWAITING if category == Category.UNKNOWN
                                            else Eligibility.ELIGIBLE),
            category=category, level=level,
            index_offence="" if category == Category.PDP else "Index offence",
            cat3_capacity_for_serious_harm=True if cat3 else None,
            cat3_needs_multi_agency_management=True if cat3 else None,
            cat3_disposal=Cat3Disposal.CONVICTION if cat3 else "",
            rosh=rosh, lead_agency_id=self.agencies[lead].pk, case_manager_id=case_manager,
            visor_manager_id=visor,
            custody_status=CustodyStatus.CUSTODY if in_custody else CustodyStatus.COMMUNITY,
            sentence_date=sentence_date, identified_on=identified,
            earliest_release_date=release,
            # Eligible for temporary release two months before release (§10.4's clock).
            temporary_release_date=release - timedelta(days=60) if release else None,
            status=Status.ARCHIVED if archived else Status.ACTIVE, archived_on=archived_on,
            archive_reason="No longer managed under JMAPPA" if archived else "",
        ))
        until = archived_on
        since = (archived_on or day) - timedelta(days=rng.randint(200, 2500))
        rows[TeamMember].append(TeamMember(
            id=self._id(TeamMember), nominal_id=nid, user_id=case_manager,
            role=CASE_MANAGER_ROLE, sees_victims=True, date_from=since, date_to=until,
            added_by_id=self.coordinator))
        if visor:
            rows[TeamMember].append(TeamMember(
                id=self._id(TeamMember), nominal_id=nid, user_id=visor,
                role=TeamRole.VISOR_MANAGER, date_from=since, date_to=until,
                added_by_id=self.coordinator))
        rows[CaseAgency].append(CaseAgency(id=self._id(CaseAgency), nominal_id=nid,
                                           agency_id=self.agencies[lead].pk, date_from=since))
        if level == Level.UNKNOWN:
            return
        level_from = day - timedelta(days=rng.randint(30, 1500))
        if rng.random() < 0.15:
            rows[LevelChange].append(LevelChange(
                id=self._id(LevelChange), nominal_id=nid,
                level=Level.TWO if level == Level.ONE else Level.ONE,
                date_from=level_from - timedelta(days=rng.randint(60, 700)), date_to=level_from,
                reason="Risk reviewed", decided_by_id=self.coordinator))
        rows[LevelChange].append(LevelChange(
            id=self._id(LevelChange), nominal_id=nid, level=level, date_from=level_from,
            reason="Agreed at the meeting", decided_by_id=self.coordinator))

        if archived:
            if rng.random() < 0.2:
                held = archived_on - timedelta(days=rng.randint(30, 400))
                self._meeting(rows, nid, Level.TWO, held, final=True)
            return
        if level in (Level.TWO, Level.THREE):
            self._multi_agency(rows, nid, level, in_custody)
        else:
            self._level_one(rows, nid, lead)
        if category == Category.ONE and not in_custody and self._every("support planning", 40):
            self._support(rows, nid, case_manager)
        if category == Category.TWO and not in_custody and self._every("services plan", 40):
            self._services_plan(rows, nid, case_manager)
        if not in_custody and self._every("intervention package", 30):
            self._intervention_package(rows, nid, case_manager)
        if in_custody:
            self._joined_up(rows, nid, case_manager, sentence_date, release)
        elif self._every("recall requested", 100):
            rows[Breach].append(Breach(
                id=self._id(Breach), nominal_id=nid, occurred_on=self.day - timedelta(days=2),
                what_happened="Missed the curfew", reported_by="Police",
                action=BreachAction.RECALL_REQUESTED, action_on=self.day - timedelta(days=1),
                recorded_by_id=case_manager))
        if category == Category.ONE:
            visits = rng.randint(0, 4) if rng.random() < 0.9 else 0
            months = {RiskLevel.VERY_HIGH: 1, RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 6}.get(
                rosh, 12)
            last = day - timedelta(days=rng.randint(0, round(months * 30.4 * 1.15)))
            for k in range(visits):
                rows[HomeVisit].append(HomeVisit(
                    id=self._id(HomeVisit), nominal_id=nid,
                    visited_on=last - timedelta(days=90 * k), visited_by="ViSOR officers",
                    recorded_by_id=visor))
        if release and release <= day + timedelta(days=183) and rng.random() < 0.5:
            received = day - timedelta(days=rng.randint(1, 60))
            self._referral(rows, nid, received, ReferralStatus.ACCEPTED, level, in_custody)

    def _referral(self, rows, nid: int, received: date, status: str, level: str,
                  in_custody: bool) -> int:
        rid = self._id(Referral)
        nominal = rows[Nominal][-1]
        referrer = self._user(PROBATION)
        screened = status != ReferralStatus.SUBMITTED
        rows[Referral].append(Referral(
            id=rid, status=status, referred_by_id=referrer,
            referring_agency_id=self.agencies[PROBATION].pk, nominal_id=nid,
            given_names=nominal.given_names, family_name=nominal.family_name,
            date_of_birth=nominal.date_of_birth,
            custody_status=CustodyStatus.CUSTODY if in_custody else CustodyStatus.COMMUNITY,
            earliest_release_date=nominal.earliest_release_date,
            reasons="Escalating risk", level_proposed=level if level != Level.ONE else "2",
            category_proposed=nominal.category, received_on=received,
            meeting_due_by=meeting_due_by(
                received_on=received, urgency="next_meeting",
                custody_status=nominal.custody_status,
                earliest_release_date=nominal.earliest_release_date,
                temporary_release_date=None),
            screened_by_id=self.coordinator if screened else None,
            screened_at=self._at(received + timedelta(days=2)) if screened else None,
            level_agreed=level if screened and level != Level.ONE else "",
            category_agreed=nominal.category if screened else "",
        ))
        return rid

    def _meeting(self, rows, nid: int, level: str, held: date, *, final: bool,
                 draft: bool = False, referral: int | None = None, is_review: bool = True,
                 status: str = MeetingStatus.HELD, next_review: date | None = None) -> int:
        mid = self._id(Meeting)
        kind = {Level.ONE: MeetingKind.LEVEL_1, Level.TWO: MeetingKind.LEVEL_2,
                Level.THREE: MeetingKind.LEVEL_3}[level]
        chair = self.rng.choice(self.chairs)
        held_ = status == MeetingStatus.HELD
        rows[Meeting].append(Meeting(
            id=mid, nominal_id=nid, kind=kind, level=level, referral_id=referral,
            starts_at=self._at(held), chair_id=chair, status=status, is_review=is_review,
            minutes_due_by=minutes_due_by(held, level) if held_ else None,
            next_review_by=next_review if held_ else None, created_by_id=self.coordinator))
        if held_ and (final or draft):
            rows[Minutes].append(Minutes(
                id=self._id(Minutes), meeting_id=mid,
                status=MinutesStatus.FINAL if final else MinutesStatus.DRAFT,
                confidentiality_read=True, level_decision=level, next_review_by=next_review,
                drafted_by_id=self.administrator, finalised_by_id=chair if final else None,
                finalised_at=self._at(held + timedelta(days=4)) if final else None))
        return mid

    def _multi_agency(self, rows, nid: int, level: str, in_custody: bool) -> None:
        rng, day = self.rng, self.day
        interval = 42 if level == Level.THREE else 84
        n_held = rng.randint(1, 4)
        last = day - timedelta(days=rng.randint(0, interval + 14))
        dates = [last - timedelta(days=(n_held - 1 - k) * (interval - rng.randint(0, 14)))
                 for k in range(n_held)]
        referral = self._referral(rows, nid, dates[0] - timedelta(days=rng.randint(5, 20)),
                                  ReferralStatus.ACCEPTED, level, in_custody)
        for k, held in enumerate(dates):
            latest = k == n_held - 1
            next_review = latest_review_date(held, level)
            if rng.random() < 0.2:
                next_review -= timedelta(days=rng.randint(7, 21))
            recent = (day - held).days < 15
            final = not latest or (rng.random() < (0.3 if recent else 0.85))
            mid = self._meeting(rows, nid, level, held, final=final,
                                draft=not final and rng.random() < 0.5,
                                referral=referral if k == 0 else None, is_review=k > 0,
                                next_review=next_review)
            if self._every("meeting", 20):
                agency = rng.choice((HEALTH, HOUSING, PRISON))
                closed = not self._every("follow-up left open", 2)
                # Of those closed, one in ten escalated to the SMB Chair (§10.10), in turn
                # still open with the Board and answered.
                escalated = closed and self._every("follow-up escalated", 10)
                answered = escalated and not self._every("escalation left open", 2)
                closed_on = held + timedelta(days=7) if closed else None
                rows[FollowUp].append(FollowUp(
                    id=self._id(FollowUp), meeting_id=mid, agency_id=self.agencies[agency].pk,
                    chair_id=rows[Meeting][-1].chair_id, spoc_id=self.spocs[agency],
                    opened_on=held, closed_on=closed_on,
                    outcome="Report received" if closed else "",
                    escalated_on=closed_on if escalated else None,
                    escalated_by_id=rows[Meeting][-1].chair_id if escalated else None,
                    board_outcome="A deputy will attend" if answered else "",
                    board_closed_on=closed_on + timedelta(days=30) if answered else None))
            for _ in range(rng.randint(1, 3)):
                self._action(rows, nid, held, mid)
            if final:
                self._disclosure(rows, nid, held, mid)
        if rng.random() < 0.3:
            self._meeting(rows, nid, level, day + timedelta(days=rng.randint(1, 40)),
                          final=False, status=MeetingStatus.SCHEDULED)
        if rng.random() < 0.02:
            self._referral(rows, nid, day - timedelta(days=rng.randint(0, 30)),
                           ReferralStatus.SUBMITTED, level, in_custody)
        if self._every("multi-agency case", 25):
            self._minutes_request(rows, nid, rows[Meeting][-1].chair_id)

    def _disclosure(self, rows, nid: int, held: date, mid: int) -> None:
        """The disclosure decision of a meeting whose minutes are final (§5.2)."""
        rng, day = self.rng, self.day
        minutes, chair = rows[Minutes][-1], rows[Meeting][-1].chair_id
        if self._every("deferral", 50):
            minutes.disclosure_decision = DisclosureDecision.DEFER
            rows[Deferral].append(Deferral(
                id=self._id(Deferral), nominal_id=nid, minutes_id=minutes.pk,
                decide_by=held + timedelta(days=rng.randint(14, 60)),
                awaited="The police to identify his new partner", created_by_id=chair,
                created_at=self._at(held)))
        elif self._every("disclosure", 33):
            minutes.disclosure_decision = DisclosureDecision.DISCLOSE
            recorded = held + timedelta(days=rng.randint(0, 3))
            status = STATUSES[self.seen["disclosure"] // 33 % len(STATUSES)]
            decided = status != DisclosureStatus.AGREED
            endorsed = status in (DisclosureStatus.ENDORSED, DisclosureStatus.DISCLOSED)
            made = status == DisclosureStatus.DISCLOSED
            rows[Disclosure].append(Disclosure(
                id=self._id(Disclosure), nominal_id=nid, meeting_id=mid,
                recipient_name="The recipient", recipient_kind=rng.choice(RecipientKind.values),
                trigger=rng.choice(Trigger.values), alternatives="None would protect her",
                offender_involvement=OffenderInvolvement.CONSENTS, offender_told=True,
                recipient_told_offender_unaware=False,
                planned_by=recorded + timedelta(days=rng.randint(7, 28)), status=status,
                endorser_id=chair,
                endorsed_at=self._at(recorded + timedelta(days=2)) if decided else None,
                endorsement_reasons="Proportionate to the risk" if decided else "",
                disclosed_by=DisclosedBy.POLICE if endorsed else "",
                disclosed_on=min(day, recorded + timedelta(days=7)) if made else None,
                created_by_id=chair, created_at=self._at(recorded)))
            if self._every("worship", 3):
                self._worship(rows, nid, recorded, rows[Disclosure][-1].pk, chair)

    def _support(self, rows, nid: int, case_manager: int) -> None:
        """Support planning from a release in the last two months, no meeting held yet (the
        first is due four weeks after), and in turn offending disclosed not yet passed to
        the Police."""
        started = self.day - timedelta(days=self.rng.randint(10, 60))
        rows[SupportPlanning].append(SupportPlanning(
            id=self._id(SupportPlanning), nominal_id=nid, trigger=PlanningTrigger.RELEASE,
            starts_on=started, created_by_id=case_manager, created_at=self._at(started)))
        if self._every("offending disclosed", 2):
            rows[DisclosedOffending].append(DisclosedOffending(
                id=self._id(DisclosedOffending), nominal_id=nid, disclosed_on=started,
                what="Disclosed at the meeting", police_contact_id=self._user(POLICE),
                recorded_by_id=case_manager, recorded_at=self._at(started)))

    def _services_plan(self, rows, nid: int, case_manager: int) -> None:
        """A coordinated services plan under a supervision order made 7 to 14 months ago, never
        endorsed (its review is due), and in turn a service update unanswered before the
        coming panel and an oversight notice due tomorrow."""
        made = self.day - timedelta(days=self.rng.randint(210, 420))
        plan = ServicesPlan(id=self._id(ServicesPlan), nominal_id=nid,
                            order_kind=OrderKind.SUPERVISION, order_start=made,
                            created_by_id=case_manager, created_at=self._at(made))
        rows[ServicesPlan].append(plan)
        if self._every("service update", 2):
            rows[UpdateRequest].append(UpdateRequest(
                id=self._id(UpdateRequest), nominal_id=nid, plan_id=plan.pk,
                provider_id=self.provider, meeting_id=self.panel_meeting,
                method=UpdateMethod.WRITTEN, requested_on=self.day - timedelta(days=20),
                answer_by=self.day - timedelta(days=1), requested_by_id=case_manager))
            rows[OversightNotice].append(OversightNotice(
                id=self._id(OversightNotice), nominal_id=nid, plan_id=plan.pk,
                received_on=self.day - timedelta(days=5), notice="How is drinking addressed?",
                respond_by=self.day + timedelta(days=1), recorded_by_id=case_manager))

    def _intervention_package(self, rows, nid: int, case_manager: int) -> None:
        """An intervention package opened 2 to 8 months ago, with a review point held and the
        next one, in turn, overdue or due within the month."""
        engaged = self.day - timedelta(days=self.rng.randint(60, 240))
        package = InterventionPackage(
            id=self._id(InterventionPackage), nominal_id=nid, engaged_on=engaged,
            rights_explained=True, confidentiality_explained=True,
            court_required="An accredited programme", needs="Work; accommodation",
            created_by_id=case_manager, created_at=self._at(engaged))
        rows[InterventionPackage].append(package)
        rows[ReviewPoint].append(ReviewPoint(
            id=self._id(ReviewPoint), nominal_id=nid, package_id=package.pk,
            review_by=engaged + timedelta(days=42), purpose="Progress",
            responsible_id=case_manager, held_on=engaged + timedelta(days=42),
            outcome="Going well", added_by_id=case_manager))
        overdue = self._every("review point overdue", 2)
        rows[ReviewPoint].append(ReviewPoint(
            id=self._id(ReviewPoint), nominal_id=nid, package_id=package.pk,
            review_by=self.day + timedelta(days=-3 if overdue else 20), purpose="Progress",
            responsible_id=case_manager, added_by_id=case_manager))

    def _joined_up(self, rows, nid: int, case_manager: int, sentenced: date,
                   release: date) -> None:
        """The sentence, the joined-up team's lead and members, and Planning Meeting 1."""
        rng, day = self.rng, self.day
        kind = SENTENCE_KINDS[self.seen.setdefault("sentence", 0) % len(SENTENCE_KINDS)]
        self.seen["sentence"] += 1
        months = None if kind in (SentenceKind.LIFE, SentenceKind.REMAND, SentenceKind.RECALL) \
            else max(1, (release - sentenced).days // 20)
        rows[Sentence].append(Sentence(
            id=self._id(Sentence), nominal_id=nid, kind=kind, length_months=months,
            sentenced_on=sentenced, earliest_release_on=release,
            sentence_end_on=release + timedelta(days=rng.randint(0, 365)),
            recorded_by_id=case_manager))
        lead = (JoinedUpRole.CARE_EXPERIENCE if kind == SentenceKind.REMAND else
                JoinedUpRole.POM if kind != SentenceKind.RECALL
                and release > day + timedelta(days=305) else JoinedUpRole.PROBATION)
        rows[JoinedUpPlanning].append(JoinedUpPlanning(
            id=self._id(JoinedUpPlanning), nominal_id=nid, lead=lead, lead_since=sentenced,
            lead_reason="as the time left says"))
        rows[JoinedUpMember].append(JoinedUpMember(
            id=self._id(JoinedUpMember), nominal_id=nid, role=JoinedUpRole.PROBATION,
            user_id=case_manager, joined_on=sentenced))
        if self._every("personal advisor", 3):
            rows[JoinedUpMember].append(JoinedUpMember(
                id=self._id(JoinedUpMember), nominal_id=nid,
                role=JoinedUpRole.PERSONAL_ADVISOR, name="Personal Advisor",
                joined_on=day - timedelta(days=rng.randint(30, 400))))
        if sentenced < day - timedelta(weeks=10) and rng.random() < 0.7:
            rows[PlanningMeeting].append(PlanningMeeting(
                id=self._id(PlanningMeeting), nominal_id=nid, kind=PlanningMeetingKind.FIRST,
                held_on=sentenced + timedelta(days=rng.randint(20, 70)),
                status=PlanningMeetingStatus.HELD, chair=lead, information_shared="Shared.",
                approach_agreed="Agreed.", next_steps="Meeting 2.",
                recorded_by_id=case_manager))

    def _worship(self, rows, nid: int, recorded: date, disclosure: int, chair: int) -> None:
        """Attendance at a place of worship with its contract signed (§5.4), and a breach
        reported: in turn left awaiting the action taken and acted on."""
        day = self.day
        signed = min(day, recorded + timedelta(days=7))
        arrangement = WorshipArrangement(
            id=self._id(WorshipArrangement), nominal_id=nid, place_of_worship="The chapel",
            religious_leader="The minister", concern=WorshipConcern.RSO_CHILD_VICTIMS,
            risk_assessment="Families with children attend", discussed_with_offender=True,
            discussion="He agreed to the contract", disclosure_id=disclosure,
            contract_terms=specimen_contract("the chapel"), status=WorshipStatus.SIGNED,
            signed_on=signed, countersigned_by_id=chair, scan="worship/signed.pdf",
            scan_name="signed.pdf", scan_content_type="application/pdf",
            created_by_id=chair, created_at=self._at(recorded))
        rows[WorshipArrangement].append(arrangement)
        occurred = min(day, signed + timedelta(days=self.rng.randint(1, 30)))
        acted = not self._every("breach left open", 2)
        rows[ContractBreach].append(ContractBreach(
            id=self._id(ContractBreach), nominal_id=nid, arrangement_id=arrangement.pk,
            occurred_on=occurred, reported_by="The minister",
            what_happened="He went to the youth group",
            action_taken="Warned; the minister prohibited attendance" if acted else "",
            action_by_id=chair if acted else None,
            action_at=self._at(occurred) if acted else None, recorded_by_id=chair,
            recorded_at=self._at(occurred)))

    def _minutes_request(self, rows, nid: int, chair: int) -> None:
        """A request for the case's minutes (§5.5): in turn not clarified and clarified, one
        in five declined, the others open."""
        rng, day = self.rng, self.day
        received = day - timedelta(days=rng.randint(0, 60))
        clarified = not self._every("request not clarified", 2)
        self._every("request", 5)
        declined = self.seen["request"] % 5 == 0
        outcome = RequestOutcome.DECLINED if declined else RequestOutcome.OPEN
        rows[MinutesRequest].append(MinutesRequest(
            id=self._id(MinutesRequest), nominal_id=nid,
            requester_kind=rng.choice(Requester.values), requester_name="The requester",
            received_on=received, received_by_id=self.coordinator, chair_id=chair,
            what_is_sought="The minutes of the last meeting",
            clarified_on=min(day, received + timedelta(days=3)) if clarified else None,
            clarification_answer="A summary of the plan" if clarified else "",
            outcome=outcome,
            declined_reason="Not a proper purpose" if outcome == RequestOutcome.DECLINED
            else "",
            closed_on=min(day, received + timedelta(days=10))
            if outcome != RequestOutcome.OPEN else None,
            logged_by_id=self.coordinator, created_at=self._at(received)))

    def _level_one(self, rows, nid: int, lead: int) -> None:
        rng, day = self.rng, self.day
        if rng.random() < 0.8:
            last = day - timedelta(days=rng.randint(0, 100))
            for k in range(rng.randint(1, 3)):
                rows[Level1Review].append(Level1Review(
                    id=self._id(Level1Review), nominal_id=nid,
                    reviewed_on=last - timedelta(days=85 * k),
                    new_information="None", plan_review="Plan reviewed, unchanged",
                    recorded_by_id=rows[Nominal][-1].case_manager_id))
        if rng.random() < 0.05:
            self._meeting(rows, nid, Level.ONE, day - timedelta(days=rng.randint(0, 120)),
                          final=True, is_review=False)
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 2)):
                self._action(rows, nid, day - timedelta(days=rng.randint(0, 200)), None)

    def _action(self, rows, nid: int, agreed: date, meeting: int | None) -> None:
        rng, day = self.rng, self.day
        agency = rng.choice((POLICE, PROBATION, PRISON, HEALTH, HOUSING))
        due = agreed + timedelta(days=rng.randint(14, 120))
        if due < day:
            status = _weighted(rng, {ActionStatus.DONE: 75, ActionStatus.CANNOT_DELIVER: 10,
                                     ActionStatus.OPEN: 8, ActionStatus.IN_PROGRESS: 7})
        else:
            status = _weighted(rng, {ActionStatus.OPEN: 50, ActionStatus.IN_PROGRESS: 30,
                                     ActionStatus.DONE: 20})
        done = status == ActionStatus.DONE
        rows[PlanAction].append(PlanAction(
            id=self._id(PlanAction), nominal_id=nid, meeting_id=meeting,
            description="Monitor compliance with the licence conditions",
            action_type=rng.choice(ActionType.values), owner_agency_id=self.agencies[agency].pk,
            owner_id=self._user(agency) if rng.random() < 0.8 else None, due_date=due,
            status=status,
            completed_on=min(day, due - timedelta(days=rng.randint(0, 10))) if done else None,
            created_by_id=self.coordinator))
