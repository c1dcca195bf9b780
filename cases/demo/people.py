"""The invented people of the demo register: each nominal's description (Demo), their risk
profiles, tools and scores, and the streets and parishes of their addresses. Everything here
is invented; seed_cases (cases/demo/__init__.py) loads it through the services."""

from __future__ import annotations

from dataclasses import dataclass, field

from jmappa.accounts.models import AgencyKind

from ..models import (
    AgeBand,
    AliasKind,
    Cat3Disposal,
    Category,
    CustodyStatus,
    Eligibility,
    Gender,
    OrderType,
    RiskLevel,
    RiskTool,
    TransferDirection,
    TransferStatus,
)

PNC_PREFIX = "DEMO/"


PROBATION, POLICE, HOUSING = "probation.officer", "police.inspector", "housing.officer"


@dataclass
class Demo:
    ref: int
    given: str
    family: str
    age: int  # in years, on `today`
    gender: str
    category: str
    profile: str  # the kind of harm: shapes the RoSH narrative and the assessment tools
    offence: str
    lead: str  # agency kind
    levels: list = field(default_factory=list)  # [(level, days ago)], oldest first
    rosh: list = field(default_factory=list)  # [(overall, days ago)], oldest first
    eligibility: str = Eligibility.ELIGIBLE
    cat3: str = ""  # the qualifying disposal of a category 3 case
    custody: str = CustodyStatus.COMMUNITY
    release_in: int | None = None  # earliest release, days from today
    temporary_release_in: int | None = None
    sentence: str = ""
    order: tuple | None = None  # (order type, started days ago, ends in days)
    sentenced_days_ago: int | None = None
    identified_after: int = 2  # days from sentence to identification (§3.3: three)
    ethnicity: str = "White: Jersey"
    diversity: str = ""
    cm: str | None = None  # case manager
    visor: str | None = None  # ViSOR manager
    contacts: list = field(default_factory=list)  # [(username, sees victims)]
    team_since: int = 240  # days ago the named team members joined
    aliases: list = field(default_factory=list)  # [(name, kind)]
    moves: int = 0  # past addresses
    victims: list = field(default_factory=list)  # [dict of Victim fields]
    deviation: dict | None = None
    archive: tuple | None = None  # (days ago, reason)
    restrict: tuple | None = None  # (reason, [usernames named])
    exclude: tuple | None = None  # (username, reason)
    transfer: dict | None = None
    ended: list = field(default_factory=list)  # [(username, from days ago, to days ago)]
    future: list = field(default_factory=list)  # [(username, starts in days)]
    agencies: list = field(default_factory=list)  # agency kinds also involved
    withhold: str = ""  # reason the offender is not told (§3.6)

    @property
    def pnc(self) -> str:
        return f"{PNC_PREFIX}{self.ref:04d}{'ABCDEFGHJKLMNPQRSTUVWXYZ'[self.ref % 24]}"


M, F = Gender.MALE, Gender.FEMALE


L, MED, H, VH = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH


CUSTODY, COMMUNITY, HOSPITAL = (CustodyStatus.CUSTODY, CustodyStatus.COMMUNITY,
                                CustodyStatus.HOSPITAL)


def _victim(relationship, age_band, gender, restrictions="", notes=""):
    return {"relationship": relationship, "age_band": age_band, "gender": gender,
            "contact_restrictions": restrictions, "notes": notes,
            "victim_liaison_contact": "Victim Liaison Officer, Probation (via the case manager)"}


DEMOS = [
    Demo(1, "Darren", "Le Vraicquet", 44, M, Category.ONE, "child_sex",
         "Sexual assault of a child under 13 (two counts)", AgencyKind.PROBATION,
         levels=[("2", 420), ("3", 50)], rosh=[(H, 400), (VH, 55)],
         sentence="4 years' imprisonment; released on licence", sentenced_days_ago=1600,
         order=(OrderType.LICENCE, 300, 420), cm=PROBATION, visor=POLICE,
         contacts=[(HOUSING, True)], team_since=330,
         aliases=[("Daz Vraicquet", AliasKind.NICKNAME), ("Darren Fauquet", AliasKind.ALIAS)],
         moves=2,
         victims=[_victim("Stepdaughter of a former partner", AgeBand.CHILD, F,
                          "No contact, direct or indirect; exclusion zone around her school.",
                          "Lives with her mother in the east of the island.")],
         deviation={"what": "Level 3 review held eight weeks after the previous meeting.",
                    "why": "The Chair and the case manager were both required at the Royal "
                           "Court; no deputy of sufficient seniority was available.",
                    "guidance_section": "10.11", "days_ago": 20}),
    Demo(2, "Kevin", "Mielbrun", 38, M, Category.ONE, "adult_sex",
         "Rape of an adult woman", AgencyKind.PROBATION,
         levels=[("2", 150)], rosh=[(H, 160)], custody=CUSTODY, release_in=60,
         temporary_release_in=20, sentence="8 years' imprisonment", sentenced_days_ago=2200,
         cm=PROBATION, visor=POLICE, team_since=700, aliases=[("Kev Brun", AliasKind.NICKNAME)],
         moves=1,
         victims=[_victim("Stranger, met once in a St Helier night-club", AgeBand.ADULT, F,
                          "Licence condition: not to enter the parish where she lives.")]),
    Demo(3, "Stuart", "Le Cotilier", 61, M, Category.ONE, "online",
         "Making indecent images of children", AgencyKind.POLICE,
         levels=[("1", 95)], rosh=[(MED, 300)],
         sentence="Community order with notification requirements", sentenced_days_ago=900,
         order=(OrderType.NOTIFICATION, 900, 900), visor=POLICE, team_since=880),
    Demo(4, "Gary", "Fauvelin", 52, M, Category.ONE, "online",
         "Possession of indecent images of children", AgencyKind.POLICE,
         levels=[("1", 30)], rosh=[(L, 200)],
         sentence="Binding over with notification requirements", sentenced_days_ago=1200,
         order=(OrderType.NOTIFICATION, 1200, 600), contacts=[(HOUSING, False)], moves=1,
         diversity="Uses a wheelchair: ground-floor accommodation needed."),
    Demo(5, "Neil", "de la Hougette", 47, M, Category.ONE, "child_sex",
         "Indecent assault of a boy aged 14", AgencyKind.PROBATION,
         levels=[("2", 80)], rosh=[(MED, 90)],
         sentence="3 years' imprisonment; released on licence", sentenced_days_ago=1400,
         order=(OrderType.LICENCE, 200, 160), cm=PROBATION, visor=POLICE, team_since=210),
    Demo(6, "Craig", "Le Grèvard", 33, M, Category.TWO, "domestic",
         "Grievous bodily harm to a former partner", AgencyKind.PROBATION,
         levels=[("2", 100)], rosh=[(MED, 500), (H, 110)],
         sentence="2 years' imprisonment; released on licence", sentenced_days_ago=800,
         order=(OrderType.LICENCE, 120, 240), cm=PROBATION, contacts=[(HOUSING, False)],
         team_since=130, moves=2, aliases=[("Craig Grevard", AliasKind.ALIAS)],
         victims=[_victim("Former partner", AgeBand.ADULT, F,
                          "No contact; not to enter the road where she lives.",
                          "Supported by the Jersey Domestic Abuse Support service."),
                  _victim("Former partner's son", AgeBand.CHILD, M,
                          "No contact unless agreed by Children's Services.")]),
    Demo(7, "Lee", "Ormerin", 29, M, Category.TWO, "violence",
         "Wounding with intent (knife)", AgencyKind.PROBATION,
         levels=[("2", 300), ("3", 40)], rosh=[(H, 320), (VH, 45)], custody=CUSTODY,
         release_in=120, temporary_release_in=60, sentence="5 years' imprisonment",
         sentenced_days_ago=1500, cm=PROBATION, contacts=[(POLICE, True), (HOUSING, False)],
         team_since=400, moves=1,
         victims=[_victim("Acquaintance; door supervisor at a bar", AgeBand.ADULT, M,
                          "Licence condition proposed: no contact; not to enter licensed "
                          "premises in St Helier.")]),
    Demo(8, "Wayne", "Le Sablonnet", 41, M, Category.TWO, "violence",
         "Assault occasioning actual bodily harm (two counts); affray", AgencyKind.PROBATION,
         levels=[("1", 50)], rosh=[(MED, 60)],
         sentence="Probation order, 2 years", sentenced_days_ago=300,
         order=(OrderType.SUPERVISION, 300, 430), cm=PROBATION, team_since=295,
         diversity="Dyslexia: give written material in plain language and read it through."),
    Demo(9, "Mark", "Brécquier", 36, M, Category.TWO, "violence",
         "Attempted murder (hospital order with restrictions)", AgencyKind.MENTAL_HEALTH,
         levels=[("2", 70)], rosh=[(VH, 700), (H, 75)], custody=HOSPITAL,
         sentence="Hospital order with restrictions", sentenced_days_ago=1900,
         contacts=[(POLICE, False)], team_since=600,
         diversity="Paranoid schizophrenia: meetings to be explained by his psychiatrist."),
    Demo(10, "Dean", "Pemberdale", 27, M, Category.THREE, "violence",
         "Threats to kill and possession of an offensive weapon", AgencyKind.PROBATION,
         levels=[("2", 60)], rosh=[(H, 65)], cat3=Cat3Disposal.CONVICTION,
         sentence="Probation order, 3 years", sentenced_days_ago=200,
         order=(OrderType.SUPERVISION, 200, 900), cm=PROBATION, contacts=[(POLICE, False)],
         team_since=195,
         victims=[_victim("Neighbour", AgeBand.ADULT, M,
                          "Not to approach his home or workplace.")]),
    Demo(11, "Jason", "Le Mouriset", 35, M, Category.THREE, "arson",
         "Arson, being reckless as to whether life was endangered", AgencyKind.POLICE,
         levels=[("3", 20)], rosh=[(H, 25)], cat3=Cat3Disposal.CAUTION,
         sentence="Formal caution", sentenced_days_ago=100,
         diversity="Learning disability: an advocate attends appointments with him."),
    Demo(12, "Ryan", "Quillfoot", 19, M, Category.THREE, "violence",
         "Robbery with a bladed article", AgencyKind.POLICE,
         levels=[("2", 90)], rosh=[(MED, 95)], cat3=Cat3Disposal.REPRIMAND_WARNING,
         sentence="Youth reprimand, then a warning", sentenced_days_ago=400,
         ethnicity="Mixed: White and Black Caribbean"),
    Demo(13, "Simon", "Le Crapaudier", 50, M, Category.PDP, "child_sex",
         "", AgencyKind.POLICE, levels=[("2", 30)], rosh=[(H, 35)],
         visor=POLICE, contacts=[(HOUSING, False)], team_since=150, moves=3,
         aliases=[("Simon Crapaud", AliasKind.ALIAS), ("Si Crap", AliasKind.NICKNAME)],
         deviation={"what": "Minutes of the level 2 meeting circulated after 14 working days.",
                    "why": "The minute-taker was on sick leave and no cover was arranged.",
                    "guidance_section": "10.12", "days_ago": 10}),
    Demo(14, "Anthony", "Marchbrook-Teel", 39, M, Category.PDP, "adult_sex",
         "", AgencyKind.POLICE, levels=[("2", 200), ("3", 45)], rosh=[(VH, 46)],
         visor=POLICE, contacts=[(HOUSING, False)], team_since=210,
         withhold="Telling him would put the two women who disclosed at risk of reprisal; "
                  "agreed at the level 3 meeting."),
    Demo(15, "Joel", "Valdoreira", 24, M, Category.UNKNOWN, "violence",
         "Grievous bodily harm (awaiting the Co-ordinator's decision on category)",
         AgencyKind.PRISON, custody=CUSTODY, release_in=1000, sentence="4 years' imprisonment",
         sentenced_days_ago=15, identified_after=12, eligibility=Eligibility.AWAITING,
         ethnicity="White: Portuguese (Madeiran)",
         diversity="Portuguese is his first language: an interpreter is needed at interviews.",
         deviation={"what": "Eligibility notified to the Co-ordinator 12 days after sentence.",
                    "why": "The court result was sent to the wrong prison e-mail address.",
                    "guidance_section": "3.3", "days_ago": 2}),
    Demo(16, "Bradley", "Fenwarrow", 31, M, Category.UNKNOWN, "domestic",
         "Controlling or coercive behaviour; assault", AgencyKind.POLICE,
         eligibility=Eligibility.AWAITING, sentence="Awaiting sentence"),
    Demo(17, "Colin", "Ashcombe-Trelly", 45, M, Category.UNKNOWN, "violence",
         "Common assault (single incident, no injury)", AgencyKind.POLICE,
         eligibility=Eligibility.NOT_ELIGIBLE, sentence="Fine of £400",
         sentenced_days_ago=60),
    Demo(18, "Tyler", "Le Hougrel", 17, M, Category.TWO, "violence",
         "Wounding (youth court)", AgencyKind.PROBATION,
         levels=[("2", 75)], rosh=[(MED, 80)],
         sentence="Youth supervision order, 18 months", sentenced_days_ago=150,
         order=(OrderType.SUPERVISION, 150, 400), cm=PROBATION, team_since=145,
         agencies=[AgencyKind.CHILDRENS_SERVICES],
         victims=[_victim("Pupil at the same college", AgeBand.TEEN, M,
                          "Not to contact him, including on social media.")]),
    Demo(19, "Jake", "Sablonnière", 14, M, Category.ONE, "child_sex",
         "Sexual assault of a younger child (youth court)", AgencyKind.CHILDRENS_SERVICES,
         levels=[("2", 40)], rosh=[(MED, 42)],
         sentence="Youth supervision order with notification requirements",
         sentenced_days_ago=120, order=(OrderType.NOTIFICATION, 120, 800), visor=POLICE,
         team_since=115, agencies=[AgencyKind.CHILDRENS_SERVICES, AgencyKind.EDUCATION]),
    Demo(20, "Martin", "Thornbeck", 42, M, Category.TWO, "domestic",
         "Assault occasioning actual bodily harm on a partner (England)", AgencyKind.PROBATION,
         levels=[("1", 80)], rosh=[(MED, 95)],
         sentence="Community order, 2 years, transferred from England",
         sentenced_days_ago=230, order=(OrderType.COMMUNITY_ORDER, 230, 500), cm=PROBATION,
         team_since=100, moves=1,
         transfer={"direction": TransferDirection.INTO_JERSEY,
                   "other_jurisdiction": "England and Wales (Probation Service, South West)",
                   "restricted": True, "is_community_order": True,
                   "cpo_permission_by": "Chief Probation Officer", "cpo_permission_days_ago": 130,
                   "status": TransferStatus.COMPLETED, "transfer_days_ago": 100,
                   "notes": "Restricted transfer: the English order and its conditions continue "
                            "to apply; he reports to a Jersey probation officer."}),
    Demo(21, "Graham", "Le Pivelin", 55, M, Category.ONE, "child_sex",
         "Sexual activity with a child (historic offences)", AgencyKind.PROBATION,
         levels=[("3", 35)], rosh=[(H, 36)],
         sentence="6 years' imprisonment; released on licence", sentenced_days_ago=2400,
         order=(OrderType.LICENCE, 90, 600), cm=PROBATION, visor=POLICE,
         contacts=[(HOUSING, False)], team_since=95,
         restrict=("Well-known public figure: the case has drawn press interest and a leak "
                   "would identify the victims.", [PROBATION, POLICE]),
         victims=[_victim("Former pupil (now adult)", AgeBand.ADULT, M,
                          "No contact; the victim has asked to be told of any move.")]),
    Demo(22, "Paul", "Vinchelier", 48, M, Category.TWO, "domestic",
         "Assault and criminal damage against a partner", AgencyKind.POLICE,
         levels=[("2", 110)], rosh=[(H, 120)],
         sentence="Probation order, 18 months", sentenced_days_ago=220,
         order=(OrderType.SUPERVISION, 220, 320), contacts=[(POLICE, True), (HOUSING, False)],
         team_since=210,
         exclude=(HOUSING, "Knows the victim personally: they are neighbours."),
         victims=[_victim("Partner", AgeBand.ADULT, F,
                          "No contact; refuge address never to be shared.")]),
    Demo(23, "Herbert", "Le Rocquemont", 101, M, Category.ONE, "child_sex",
         "Indecent assault on a child (1970s)", AgencyKind.POLICE,
         levels=[("1", 4000)], sentence="Imprisonment (historic)",
         archive=(3300, "No longer requires multi-agency management: notification period "
                        "ended and he lives in residential care.")),
    Demo(24, "Roger", "Fallebrique", 58, M, Category.TWO, "violence",
         "Manslaughter", AgencyKind.PROBATION, levels=[("1", 900)], rosh=[(L, 800)],
         sentence="Life licence", sentenced_days_ago=6000, cm=PROBATION, team_since=1100,
         archive=(700, "Level 1 for three years with no concerns; licence supervision "
                       "continues under ordinary agency management.")),
    Demo(25, "Keith", "Morvandel", 63, M, Category.ONE, "adult_sex",
         "Sexual assault of an adult", AgencyKind.POLICE, levels=[("1", 400)],
         rosh=[(L, 380)], sentence="Notification requirements (expired)",
         sentenced_days_ago=3000, visor=POLICE, team_since=1000,
         archive=(180, "Notification requirements ended; no further multi-agency "
                       "management needed.")),
    Demo(26, "Ian", "Grouvelin", 30, M, Category.ONE, "adult_sex",
         "Sexual assault of an adult woman", AgencyKind.PRISON,
         levels=[("1", 85)], rosh=[(L, 100)], custody=CUSTODY, release_in=150,
         temporary_release_in=90, sentence="30 months' imprisonment", sentenced_days_ago=700,
         visor=POLICE, team_since=650),
    Demo(27, "Scott", "Brevinel", 34, M, Category.TWO, "violence",
         "Grievous bodily harm with intent", AgencyKind.PRISON, levels=[("2", 60)],
         rosh=[(MED, 70)], custody=CUSTODY, release_in=730, sentence="6 years' imprisonment",
         sentenced_days_ago=1400),
    Demo(28, "Adam", "Coutancier", 26, M, Category.TWO, "violence",
         "Unlawful wounding", AgencyKind.POLICE, levels=[("1", 20)], rosh=[(L, 25)],
         sentence="Community service order", sentenced_days_ago=100,
         order=(OrderType.COMMUNITY_ORDER, 100, 260)),
    Demo(29, "Luke", "Le Mainfroi", 40, M, Category.ONE, "child_sex",
         "Sexual assault of a girl aged 12", AgencyKind.PRISON, levels=[("2", 45)],
         rosh=[(H, 50)], custody=CUSTODY, release_in=21, temporary_release_in=7,
         sentence="5 years' imprisonment", sentenced_days_ago=1700, visor=POLICE,
         contacts=[(HOUSING, True)], team_since=130, moves=1,
         victims=[_victim("Daughter of a neighbour", AgeBand.TEEN, F,
                          "Exclusion zone: St Ouen; no contact, direct or indirect.")],
         deviation={"what": "Referred to JMAPPA four months before release, not six.",
                    "why": "He was transferred from a prison in England with less than six "
                           "months of his sentence left.",
                    "guidance_section": "3.3", "days_ago": 110}),
    Demo(30, "Owen", "Hamonet", 46, M, Category.THREE, "arson",
         "Arson with intent to endanger life", AgencyKind.MENTAL_HEALTH,
         levels=[("3", 30)], rosh=[(VH, 33)], cat3=Cat3Disposal.CONVICTION, custody=HOSPITAL,
         sentence="Hospital order", sentenced_days_ago=500),
    Demo(31, "Philip", "Journelet", 57, M, Category.ONE, "online",
         "Distributing indecent images of children", AgencyKind.POLICE, levels=[("1", 60)],
         rosh=[(MED, 62)], sentence="Probation order with notification requirements",
         sentenced_days_ago=500, order=(OrderType.NOTIFICATION, 500, 1300)),
    Demo(32, "Carl", "Le Bouthillon", 37, M, Category.TWO, "domestic",
         "Assault on a partner; breach of a restraining order", AgencyKind.PROBATION,
         levels=[("2", 85)], rosh=[(MED, 88)], sentence="Probation order, 2 years",
         sentenced_days_ago=260, order=(OrderType.SUPERVISION, 260, 470), cm=PROBATION,
         team_since=255, ended=[(HOUSING, 250, 30)],
         victims=[_victim("Former partner", AgeBand.ADULT, F, "Restraining order in force.")]),
    Demo(33, "Daniel", "Pallotier", 23, M, Category.TWO, "violence",
         "Affray and assault", AgencyKind.PROBATION, levels=[("1", 40)], rosh=[(L, 45)],
         sentence="Probation order, 1 year", sentenced_days_ago=90,
         order=(OrderType.SUPERVISION, 90, 275)),
    Demo(34, "Robert", "Amyot", 49, M, Category.ONE, "child_sex",
         "Rape of a child under 13", AgencyKind.PRISON, levels=[("3", 10)], rosh=[(VH, 12)],
         custody=CUSTODY, release_in=170, temporary_release_in=100,
         sentence="9 years' imprisonment", sentenced_days_ago=2900, visor=POLICE,
         team_since=400, future=[(HOUSING, 7)]),
    Demo(35, "Gavin", "Touzelet", 44, M, Category.PDP, "domestic",
         "", AgencyKind.POLICE, levels=[("1", 70)], rosh=[(MED, 72)]),
    Demo(36, "Nathan", "Blampierre", 32, M, Category.TWO, "violence",
         "Grievous bodily harm (one punch)", AgencyKind.PROBATION, levels=[("3", 50)],
         rosh=[(H, 52)], sentence="Probation order, 3 years", sentenced_days_ago=400,
         order=(OrderType.SUPERVISION, 400, 700)),
    Demo(37, "Tracey", "Le Gresley-Voss", 39, F, Category.ONE, "child_sex",
         "Sexual activity with a child (as a carer)", AgencyKind.PROBATION, levels=[("2", 65)],
         rosh=[(MED, 66)], sentence="Probation order with notification requirements",
         sentenced_days_ago=600, order=(OrderType.NOTIFICATION, 600, 1200)),
    Demo(38, "Shane", "Hérivelle", 28, M, Category.TWO, "domestic",
         "Strangulation of a partner", AgencyKind.POLICE, levels=[("2", 25)],
         rosh=[(H, 27)], sentence="Probation order, 2 years", sentenced_days_ago=40,
         order=(OrderType.SUPERVISION, 40, 690), contacts=[(HOUSING, True)], team_since=38,
         victims=[_victim("Partner", AgeBand.YOUNG_ADULT, F,
                          "No contact; she has been rehoused.")]),
    Demo(39, "Michael", "Dorvalle", 53, M, Category.THREE, "adult_sex",
         "Voyeurism and exposure, escalating", AgencyKind.PRISON, levels=[("1", 100)],
         rosh=[(MED, 105)], cat3=Cat3Disposal.CONVICTION, custody=CUSTODY, release_in=270,
         sentence="2 years' imprisonment", sentenced_days_ago=300),
    Demo(40, "Karen", "Mauvillon", 35, F, Category.TWO, "violence",
         "Grievous bodily harm with intent (glassing)", AgencyKind.PROBATION,
         levels=[("1", 15)], rosh=[(L, 16)], sentence="Probation order, 18 months",
         sentenced_days_ago=200, order=(OrderType.SUPERVISION, 200, 350),
         aliases=[("Karen Mauvil", AliasKind.PREVIOUS_NAME)]),
]


# profile: (who is at risk, nature of the harm, what increases it, what reduces it,
#           the groups most at risk)
PROFILES = {
    "child_sex": (
        "Children, particularly girls and boys aged 8 to 14 not related to him, and the "
        "children of any partner he forms a relationship with.",
        "Sexual abuse, including contact offending, grooming through a position of trust; "
        "lasting psychological harm to the child.",
        "Unsupervised contact with children; relationships with women who have children; "
        "loss of accommodation; isolation and low mood; alcohol.",
        "Compliance with notification requirements and licence conditions; stable "
        "accommodation away from schools and play areas; engagement with the sex offender "
        "programme; a supportive family member who knows his history.",
        ["children"],
    ),
    "adult_sex": (
        "Adult women, particularly strangers in the night-time economy, and female staff "
        "who supervise him.",
        "Sexual assault, including rape; serious physical and psychological harm.",
        "Alcohol; the night-time economy; a sense of grievance towards women; relationship "
        "breakdown.",
        "Abstinence from alcohol; curfew; employment with structured hours; one-to-one work "
        "on relationships.",
        ["public", "known_adult", "staff"],
    ),
    "online": (
        "Children depicted in indecent images (re-victimisation), and children he could "
        "contact online.",
        "Fuelling the abuse of children through the market for images; risk of moving to "
        "contact offending is assessed as low.",
        "Unmonitored internet access; isolation; unemployment.",
        "Internet monitoring software; regular device checks by the police; employment; "
        "partner aware of the offending.",
        ["children"],
    ),
    "domestic": (
        "Current and former female partners (known adults) and the children of those "
        "households.",
        "Serious physical harm, controlling behaviour, and the emotional harm to children "
        "who witness it.",
        "A new relationship; alcohol; jealousy; contact disputes over children; the victim "
        "ending the relationship.",
        "The domestic abuse programme; restraining order; disclosure to new partners "
        "considered at each meeting.",
        ["known_adult", "children"],
    ),
    "violence": (
        "Members of the public and door staff in St Helier when he is intoxicated; police "
        "officers who arrest him.",
        "Serious physical injury, including with weapons.",
        "Alcohol and drug use; associating with his previous peer group; loss of "
        "employment; debt.",
        "Abstinence; the thinking skills programme; employment; curfew in the evenings.",
        ["public", "staff"],
    ),
    "arson": (
        "Other residents of shared accommodation and neighbours; fire crews.",
        "Fire-setting endangering life, at times of emotional distress.",
        "Distress; stopping medication; disputes with neighbours or landlords.",
        "Medication and the community mental health team; supported accommodation with "
        "smoke detection; regular contact with his advocate.",
        ["public", "known_adult"],
    ),
}


IMMINENCE = {
    L: "No current indicators of a risk of serious harm; none likely unless his "
       "circumstances change markedly.",
    MED: "Identifiable indicators of a risk of serious harm, but unlikely to cause it unless "
         "his circumstances change (loss of accommodation, relationship breakdown, relapse).",
    H: "Identifiable indicators of a risk of serious harm; it could happen at any time and "
       "the impact would be serious.",
    VH: "Imminent risk of serious harm: more likely than not to happen imminently, with "
        "serious impact.",
}


ONE_LOWER = {L: L, MED: L, H: MED, VH: H}


# profile: [(tool, score for overall low/medium/high/very high, agency kind, assessor)]
TOOLS = {
    "child_sex": [(RiskTool.RM2000, "Risk Matrix 2000/S: {band}", AgencyKind.POLICE,
                   "Public Protection Unit, States of Jersey Police"),
                  (RiskTool.STABLE_ACUTE, "Stable 2007: {band} needs; Acute 2007: low",
                   AgencyKind.PROBATION, "Probation Officer")],
    "adult_sex": [(RiskTool.RM2000, "Risk Matrix 2000/S: {band}", AgencyKind.POLICE,
                   "Public Protection Unit, States of Jersey Police")],
    "online": [(RiskTool.RM2000, "Risk Matrix 2000/S: {band}", AgencyKind.POLICE,
                "Public Protection Unit, States of Jersey Police"),
               (RiskTool.STABLE_ACUTE, "Stable 2007: {band} needs", AgencyKind.PROBATION,
                "Probation Officer")],
    "domestic": [(RiskTool.SARA, "{band} risk of violence to a partner", AgencyKind.PROBATION,
                  "Probation Officer"),
                 (RiskTool.LSIR, "LSI-R total {score}", AgencyKind.PROBATION,
                  "Probation Officer")],
    "violence": [(RiskTool.LSIR, "LSI-R total {score}", AgencyKind.PROBATION,
                  "Probation Officer"),
                 (RiskTool.HCR20, "Summary risk rating: {band}", AgencyKind.MENTAL_HEALTH,
                  "Consultant forensic psychologist")],
    "arson": [(RiskTool.HCR20, "Summary risk rating: {band}", AgencyKind.MENTAL_HEALTH,
               "Consultant forensic psychologist")],
}


BANDS = {L: "low", MED: "medium", H: "high", VH: "very high"}


LSIR_SCORES = {L: "12 (low)", MED: "23 (medium)", H: "31 (medium-high)", VH: "38 (high)"}


STREETS = ["Rue de la Fiction", "Clos des Essais", "Route de l'Exemple", "Chemin Inventé",
           "Le Clos Imaginaire", "Rue des Démonstrations", "Les Maisons Fictives",
           "Ruette du Modèle"]


PARISHES = ["St Helier", "St Saviour", "St Clement", "Grouville", "St Brelade", "St Peter",
            "St Ouen", "St Lawrence", "St John", "St Mary", "St Martin", "Trinity"]
