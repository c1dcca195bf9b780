"""The case list benchmark's generated register (bench_access): agencies and users, nominals
with their teams, ended memberships, exclusions and named access, in the proportions described
in the command's docstring. Written with COPY into the benchmark's own database."""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections import Counter
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.utils import timezone
from guardian.models import UserObjectPermission

from bench.database import copy, copy_objects
from cases.models import (
    TEAM_ROLES_THAT_CHANGE,
    CaseAgency,
    Cat3Disposal,
    Category,
    CustodyStatus,
    Eligibility,
    Exclusion,
    Gender,
    Level,
    NamedAccess,
    Nominal,
    NominalUserObjectPermission,
    RiskLevel,
    Status,
    TeamMember,
    TeamRole,
)
from jmappa.accounts.models import Agency, AgencyKind, Grade, Role, User


class Weighted:
    """A weighted choice among keys, with its cumulative weights computed once."""

    def __init__(self, weights: dict):
        self.keys = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))

    def pick(self, rng: random.Random):
        return self.keys[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def distinct(self, rng: random.Random, k: int, exclude=()) -> list:
        chosen: list = []
        wanted = min(k, len([key for key in self.keys if key not in exclude]))
        while len(chosen) < wanted:
            key = self.pick(rng)
            if key not in exclude and key not in chosen:
                chosen.append(key)
        return chosen


# (name, kind, whether its SPOC sees every case the agency is involved in)
AGENCIES = [
    ("States of Jersey Police", AgencyKind.POLICE, False),
    ("Jersey Probation and After-Care Service", AgencyKind.PROBATION, False),
    ("HM Prison La Moye", AgencyKind.PRISON, False),
    ("Health and Social Services", AgencyKind.HEALTH_SOCIAL_SERVICES, False),
    ("Children's Services", AgencyKind.CHILDRENS_SERVICES, True),
    ("Mental Health Services", AgencyKind.MENTAL_HEALTH, False),
    ("Housing", AgencyKind.HOUSING, True),
    ("Education", AgencyKind.EDUCATION, False),
    ("Customs and Immigration", AgencyKind.CUSTOMS_IMMIGRATION, False),
    ("Social Security", AgencyKind.OTHER, False),
]


(POLICE, PROBATION, PRISON, HEALTH, CHILDREN, MENTAL_HEALTH, HOUSING, EDUCATION, CUSTOMS,
 OTHER) = range(len(AGENCIES))


LEAD_AGENCY = Weighted({PROBATION: 60, POLICE: 28, MENTAL_HEALTH: 5, PRISON: 5, CHILDREN: 2})


CONTACT_AGENCY = Weighted({POLICE: 10, PROBATION: 8, PRISON: 8, HEALTH: 14, CHILDREN: 12,
                            MENTAL_HEALTH: 12, HOUSING: 20, EDUCATION: 6, CUSTOMS: 4, OTHER: 6})


TEAM_SIZE = Weighted({2: 30, 3: 32, 4: 20, 5: 12, 6: 6})


CATEGORY = Weighted({Category.ONE: 50, Category.TWO: 38, Category.THREE: 5, Category.PDP: 4,
                      Category.UNKNOWN: 3})


LEVEL = Weighted({Level.ONE: 82, Level.TWO: 14, Level.THREE: 3, Level.UNKNOWN: 1})


ROSH = Weighted({RiskLevel.LOW: 30, RiskLevel.MEDIUM: 40, RiskLevel.HIGH: 25,
                  RiskLevel.VERY_HIGH: 5})


CUSTODY = Weighted({CustodyStatus.COMMUNITY: 75, CustodyStatus.CUSTODY: 20,
                     CustodyStatus.HOSPITAL: 5})


GENDER = Weighted({Gender.MALE: 88, Gender.FEMALE: 10, Gender.NOT_KNOWN: 2})


CONTACT_SEES_VICTIMS = 0.15


ENDED_MEMBERSHIPS = 0.30


EXCLUDED = 0.01


RESTRICTED = 0.005


FAMILY_NAMES = [name.strip() for name in """Le Brocq, Le Sueur, de Gruchy, Renouf, Vibert,
Pallot, Amy, Le Cornu, Gallichan, Romeril, Le Marquand, Le Quesne, Ahier, Bisson, Cabot, Falle,
Hamon, Journeaux, Le Feuvre, Le Gresley, Le Maistre, Luce, Mauger, Noel, Perchard, Querée,
Syvret, Touzel, Vardon, Bertram, Blampied, Carrel, Dupré, Egré, Gibaut, Huelin, Jeune, Labey,
Le Breton, Le Cocq, Le Rossignol, Mourant, Picot, Poingdestre, Renault, Sohier, Tostevin,
de la Haye, Da Silva, Fernandes, Pereira, Gomes, Rodrigues, Sousa, Ferreira, Santos, Oliveira,
Costa, Martins, Carvalho, Almeida, Kowalski, Nowak, Wiśniewski, Wójcik, Kamiński, Lewandowski,
Smith, Jones, Williams, Brown, Taylor, Davies, Evans, Wilson, Thomas, Johnson, Roberts,
Robinson, Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris, Clarke,
Patel, Jackson, Wood, Turner, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee, King,
Baker, Harrison, Morgan, Allen, James, Scott, Phillips, Watson, Davis, Parker, Price, Bennett,
Young, Griffiths, Mitchell, Kelly, Cook, Carter, Richards, Bailey, Collins, Bell, Shaw, Murphy,
Miller, Cox, Richardson, Marshall, Graham, Murray, Gray, Kennedy, Ellis, Mason, Campbell, Reid,
Stewart, Hunt, Palmer, Mills, O'Brien, Byrne, Ryan, O'Connor, Walsh, McCarthy, Doyle,
Gallagher, Quinn, Lynch""".split(",")]


GIVEN_NAMES = """James John Robert Michael William David Richard Joseph Thomas Charles
Christopher Daniel Matthew Anthony Mark Paul Steven Andrew Kenneth Joshua Kevin Brian
George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen
Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack
Dennis Jerry Tyler Aaron José Adam Nathan Henry Peter Zachary Douglas Harold Kyle Noah
Carl Arthur Gerald Roger Keith Jeremy Terry Lawrence Sean Christian Albert Joe Ethan Austin
Jesse Willie Billy Bryan Bruce Jordan Ralph Roy Alan Wayne Eugene Juan Gabriel Louis Russell
Randy Vincent Philip Logan Bobby Harry Johnny Mary Patricia Jennifer Linda Elizabeth Susan
Jessica Sarah Karen Lisa Nancy Sandra João Pedro Tiago Rui Nuno Piotr Tomasz Marek""".split()


class Generator:
    """Realistic case teams, their guardian grants, exclusions and restrictions."""

    def __init__(self, *, alias: str, nominals: int, users: int, seed: int,
                 archived_share: float, log):
        self.alias = alias
        self.n_nominals = nominals
        self.n_users = users
        self.rng = random.Random(seed)
        self.archived_share = archived_share
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()

    def run(self) -> None:
        started = time.perf_counter()
        plans = [self._plan() for _ in range(self.n_nominals)]
        self._create_agencies_and_users(plans)
        self._staff_teams(plans)
        self.log(f"  planned {len(plans):,} teams and created {self.n_users:,} users "
                 f"({time.perf_counter() - started:.1f} s)")
        self._create_nominals(plans)
        self.log(f"  created the nominals ({time.perf_counter() - started:.1f} s)")
        self._create_links(plans)
        self.log(f"  wrote memberships, agency links, grants, exclusions and named access "
                 f"({time.perf_counter() - started:.1f} s)")

    # Plans: who is on each team, by agency, before any user exists.

    def _plan(self) -> dict:
        rng = self.rng
        category = CATEGORY.pick(rng)
        lead = LEAD_AGENCY.pick(rng)
        current = [[TeamRole.CASE_MANAGER, lead, True, None]]  # role, agency, victims, user
        if category in (Category.ONE, Category.TWO, Category.THREE):
            current.append([TeamRole.VISOR_MANAGER, POLICE, False, None])
        size = max(TEAM_SIZE.pick(rng), len(current))
        for agency in CONTACT_AGENCY.distinct(rng, size - len(current), {lead}):
            current.append([TeamRole.AGENCY_CONTACT, agency, rng.random() < CONTACT_SEES_VICTIMS,
                            None])
        archived = rng.random() < self.archived_share
        if archived:
            archived_on = self.today - timedelta(days=rng.randint(30, 15 * 365))
            ended = [[*slot[:3], None, archived_on - timedelta(days=rng.randint(180, 2500)),
                      archived_on] for slot in current]
            current = []
        else:
            archived_on = None
            ended = []
            if rng.random() < ENDED_MEMBERSHIPS:
                for _ in range(rng.randint(1, 2)):
                    role, agency = rng.choice([(TeamRole.CASE_MANAGER, lead),
                                               (TeamRole.AGENCY_CONTACT,
                                                CONTACT_AGENCY.pick(rng))])
                    start = self.today - timedelta(days=rng.randint(400, 3000))
                    end = min(start + timedelta(days=rng.randint(30, 365)),
                              self.today - timedelta(days=1))
                    ended.append([role, agency, role == TeamRole.CASE_MANAGER, None, start, end])
            for slot in current:
                slot.append(self.today - timedelta(days=rng.randint(0, 6 * 365)))
        return {"category": category, "lead": lead, "current": current, "ended": ended,
                "archived_on": archived_on, "excluded": rng.random() < EXCLUDED,
                "restricted": rng.random() < RESTRICTED}

    def _create_agencies_and_users(self, plans: list[dict]) -> None:
        rng, alias = self.rng, self.alias
        self.agencies = Agency.objects.using(alias).bulk_create([
            Agency(name=name, kind=kind, duty_to_cooperate=True, spoc_sees_agency_cases=sees)
            for name, kind, sees in AGENCIES
        ])
        demand = Counter(slot[1] for plan in plans for slot in plan["current"])
        total = sum(demand.values()) or 1
        # Besides the caseload holders: the Co-ordinator, administrators, SMB members.
        n_admins = max(1, self.n_users // 2500)
        n_smb = min(len(AGENCIES), self.n_users // 500)
        holders = self.n_users - 1 - n_admins - n_smb
        per_agency = [max(2, round(holders * demand[a] / total)) for a in range(len(AGENCIES))]
        per_agency[per_agency.index(max(per_agency))] += holders - sum(per_agency)
        if min(per_agency) < 2:
            raise CommandError("Too few users for the teams: give --users 30 or more.")

        unusable = make_password(None)
        users, agency_of, weight = [], [], []
        seq = iter(range(1, 10**9))

        def add(agency: int, roles: list[str], grade: int, title: str, capacity: float = 0.0):
            n = next(seq)
            users.append(User(
                username=f"bench{n:05d}", password=unusable,
                first_name=rng.choice(GIVEN_NAMES), last_name=rng.choice(FAMILY_NAMES),
                email=f"bench{n:05d}@bench.invalid", agency_id=self.agencies[agency].pk,
                roles=roles, grade=grade, job_title=title,
            ))
            agency_of.append(agency)
            weight.append(capacity)

        add(POLICE, [Role.COORDINATOR, Role.CHAIR], Grade.MIDDLE_MANAGER, "JMAPPA Co-ordinator")
        for _ in range(n_admins):
            add(POLICE, [Role.ADMINISTRATOR], Grade.PRACTITIONER, "JMAPPA Administrator")
        for agency in range(n_smb):
            add(agency, [Role.SMB_MEMBER], Grade.SENIOR_MANAGER, "Head of Service")
        spocs = {}
        for agency, count in enumerate(per_agency):
            for i in range(count):
                if i == 0 and self.n_users >= 200:
                    spocs[agency] = len(users)
                    add(agency, [Role.PRACTITIONER, Role.SPOC], Grade.FIRST_LINE_MANAGER,
                        "Single point of contact", rng.uniform(0.5, 1.5))
                elif rng.random() < 0.03:
                    add(agency, [Role.PRACTITIONER, Role.CHAIR], Grade.SENIOR_MANAGER,
                        "Senior manager", rng.uniform(0.5, 1.5))
                else:
                    add(agency, [Role.PRACTITIONER], Grade.PRACTITIONER, "Practitioner",
                        rng.uniform(0.5, 1.5))
        User.objects.using(alias).bulk_create(users, batch_size=1000)
        for agency, index in spocs.items():
            Agency.objects.using(alias).filter(pk=self.agencies[agency].pk).update(
                spoc_id=users[index].pk)
        self.coordinator_id = users[0].pk
        self.pool: dict[int, tuple[list[int], list[float]]] = {}
        for agency in range(len(AGENCIES)):
            ids, cumulative, running = [], [], 0.0
            for user, a, w in zip(users, agency_of, weight, strict=True):
                if a == agency and w > 0:
                    running += w
                    ids.append(user.pk)
                    cumulative.append(running)
            self.pool[agency] = (ids, cumulative)
        self.holder_ids = [u.pk for u, w in zip(users, weight, strict=True) if w > 0]

    def _draw(self, agency: int, taken: set[int]) -> int | None:
        ids, cumulative = self.pool[agency]
        for _ in range(30):
            user = ids[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]
            if user not in taken:
                return user
        return None

    def _staff_teams(self, plans: list[dict]) -> None:
        for plan in plans:
            taken: set[int] = set()
            for kind in ("current", "ended"):
                slots = []
                for slot in plan[kind]:
                    user = self._draw(slot[1], taken)
                    if user is None:
                        continue
                    taken.add(user)
                    slot[3] = user
                    slots.append(slot)
                plan[kind] = slots
            if plan["excluded"]:
                on_team = {slot[3] for slot in plan["current"]}
                while True:
                    user = self.rng.choice(self.holder_ids)
                    if user not in on_team:
                        plan["excluded"] = user
                        break

    def _create_nominals(self, plans: list[dict]) -> None:
        rng = self.rng
        objs = []
        first_id = (Nominal.objects.using(self.alias).order_by("-id")
                    .values_list("id", flat=True).first() or 0) + 1
        for n, plan in enumerate(plans, start=first_id):
            category = plan["category"]
            # The current holder of a role wins over an ended one.
            managers = {slot[0]: slot[3] for slot in plan["ended"] + plan["current"]}
            dob = self.today - timedelta(days=rng.randint(16 * 365, 85 * 365))
            archived_on = plan["archived_on"]
            cat3 = category == Category.THREE
            objs.append(Nominal(
                id=n,
                given_names=" ".join(rng.sample(GIVEN_NAMES, rng.choice((1, 1, 2)))),
                family_name=rng.choice(FAMILY_NAMES),
                date_of_birth=dob,
                gender=GENDER.pick(rng),
                pnc_number=f"{dob.year % 100:02d}/{n:07d}{chr(65 + n % 26)}",
                visor_number=f"V{n:07d}" if TeamRole.VISOR_MANAGER in managers else "",
                eligibility=(Eligibility.AWAITING if category == Category.UNKNOWN
                             else Eligibility.ELIGIBLE),
                category=category,
                level=Level.UNKNOWN if category == Category.UNKNOWN else LEVEL.pick(rng),
                index_offence="" if category == Category.PDP else "Index offence",
                cat3_capacity_for_serious_harm=True if cat3 else None,
                cat3_needs_multi_agency_management=True if cat3 else None,
                cat3_disposal=Cat3Disposal.CONVICTION if cat3 else "",
                rosh=ROSH.pick(rng),
                lead_agency_id=self.agencies[plan["lead"]].pk,
                case_manager_id=managers.get(TeamRole.CASE_MANAGER),
                visor_manager_id=managers.get(TeamRole.VISOR_MANAGER),
                custody_status=CUSTODY.pick(rng),
                identified_on=self.today - timedelta(days=rng.randint(0, 20 * 365)),
                status=Status.ARCHIVED if archived_on else Status.ACTIVE,
                archived_on=archived_on,
                archive_reason="No longer managed under JMAPPA" if archived_on else "",
                restricted=bool(plan["restricted"]),
                restricted_reason="Known to staff" if plan["restricted"] else "",
            ))
        copy_objects(self.alias, objs)
        for plan, obj in zip(plans, objs, strict=True):
            plan["id"] = obj.pk

    def _create_links(self, plans: list[dict]) -> None:
        alias, now, coordinator = self.alias, self.now, self.coordinator_id
        perms = {p.codename: p.pk for p in Permission.objects.using(alias).filter(
            content_type__app_label="cases", content_type__model="nominal")}
        nominal_type = ContentType.objects.db_manager(alias).get_for_model(Nominal).pk
        members, links, grants, exclusions, named = [], [], [], [], []
        for plan in plans:
            nominal = plan["id"]
            for role, _agency, victims, user, start, *end in plan["current"] + plan["ended"]:
                members.append((nominal, user, role, victims, start, end[0] if end else None,
                                coordinator))
            involved: dict[int, date] = {}
            for slot in plan["current"] + plan["ended"]:
                involved[slot[1]] = min(slot[4], involved.get(slot[1], slot[4]))
            involved.setdefault(plan["lead"], self.today)
            for agency, start in involved.items():
                links.append((nominal, self.agencies[agency].pk, start, None))
            # Exactly what sync_case_permissions grants from the current memberships.
            wanted: dict[int, set[str]] = {}
            for role, _agency, victims, user, _start in plan["current"]:
                codenames = wanted.setdefault(user, set())
                codenames.add("view_nominal")
                if role in TEAM_ROLES_THAT_CHANGE:
                    codenames.add("change_nominal")
                if victims:
                    codenames.add("view_victims")
            for user, codenames in wanted.items():
                grants.extend((user, perms[codename], nominal) for codename in sorted(codenames))
            if plan["excluded"]:
                exclusions.append((nominal, plan["excluded"], "Knows a victim", coordinator, now))
            if plan["restricted"]:
                for user in {coordinator, *wanted}:
                    named.append((nominal, user, coordinator, now))
        copy(alias, TeamMember,
              ["nominal", "user", "role", "sees_victims", "date_from", "date_to", "added_by"],
              members)
        copy(alias, CaseAgency, ["nominal", "agency", "date_from", "date_to"], links)
        copy(alias, NominalUserObjectPermission, ["user", "permission", "content_object"],
              grants)
        copy(alias, UserObjectPermission,
              ["user", "permission", "content_type", "object_pk"],
              ((user, perm, nominal_type, str(nominal)) for user, perm, nominal in grants))
        copy(alias, Exclusion, ["nominal", "user", "reason", "recorded_by", "recorded_at"],
              exclusions)
        copy(alias, NamedAccess, ["nominal", "user", "recorded_by", "recorded_at"], named)
