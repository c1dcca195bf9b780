"""Demo referrals for `manage.py seed_demo`: ten invented referrals, after the demo cases.

Every name, street and number is invented. Each demo referral has a PNC number beginning
"DEMO/", which no real PNC number does: a referral of a new person carries one of its
own (DEMO/0101 onwards), a referral of a demo case carries that case's. That is the key
on which seeding is idempotent: a demo referral whose PNC number is already on a referral
is left alone, so running seed_demo again adds nothing.

Everything goes through referrals.services, the referrer persona drafting and submitting,
the Co-ordinator screening, so that the history, the audit trail and the case teams are as
in real use. Dates are relative to `today` (a referral entered later keeps the day it was
received, `referral_submit(on=...)`):
- every status: a draft; submitted (one overdue, one an emergency due today, one a case in
  custody due 6 months before its temporary release, one a sex offender due within two
  working days); more information requested; accepted; rejected; level 1 confirmed;
- mostly by probation.officer, some by police.inspector and housing.officer, so each sees
  their own agency's and not the others' (housing's referrals are of new people);
- four are of demo cases the referrer is on the team of (accepting or confirming level 1
  changes no one's caseload); the others are of new people, for whom the Co-ordinator's
  acceptance creates the record.

Nobody is emailed about the demo referrals: they were never really sent or screened, so
the services' notifications (referrals/notify.py) are switched off while seeding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from cases.demo.people import DEMOS, HOUSING, PNC_PREFIX, POLICE, PROBATION
from cases.models import Category, CustodyStatus, Nominal
from jmappa.accounts.models import Agency, AgencyKind, User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel
from jmappa.core.mail import bulk_loading
from jmappa.workdays import add_working_days

from . import services
from .models import ProposedLevel, Referral, ReferralStatus, SupervisionType, Urgency

PNC_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class DemoReferral:
    key: str  # a new person's DEMO/ PNC suffix, or "case:<demo ref>" for a demo case
    referrer: str
    outcome: str  # the status the referral is left in
    fields: dict = field(default_factory=dict)
    agencies: list = field(default_factory=list)  # [(agency kind, name, email, telephone)]
    received: tuple | None = None  # ("working_days" | "days", how long ago)
    decision: dict = field(default_factory=dict)  # arguments of the screening service

    @property
    def case_ref(self) -> int | None:
        return int(self.key.split(":")[1]) if self.key.startswith("case:") else None

    @property
    def pnc(self) -> str:
        if self.case_ref is not None:
            return next(demo.pnc for demo in DEMOS if demo.ref == self.case_ref)
        ref = int(self.key)
        return f"{PNC_PREFIX}{ref:04d}{PNC_LETTERS[ref % 24]}"


S = ReferralStatus
VIBERT = (AgencyKind.POLICE, "Insp. Marie Vibert", "police.inspector@example.je", "")
LE_CORNU = (AgencyKind.HOUSING, "Sarah Le Cornu", "housing.officer@example.je", "")
GALLICHAN = (AgencyKind.PROBATION, "Tom Gallichan", "probation.officer@example.je", "")
CHILDRENS = (AgencyKind.CHILDRENS_SERVICES, "Ruth Le Maistrel, Senior Social Worker",
             "", "01534 000101")
MENTAL_HEALTH = (AgencyKind.MENTAL_HEALTH, "Dr Ian Corbelle, Consultant Psychiatrist",
                 "i.corbelle@example.je", "")
PRISON = (AgencyKind.PRISON, "Anne Falluard, Offender Supervisor", "",
          "01534 000102")

DEMO_REFERRALS = [
    DemoReferral(
        "101", PROBATION, S.DRAFT,
        fields={"given_names": "Jordan", "family_name": "Le Feuvrier", "age": 34,
                "address": "7 Rue des Démonstrations\nSt Clement",
                "conviction": "Assault occasioning actual bodily harm (partner)",
                "reasons": "Started: awaiting the police domestic abuse log before sending.",
                "level_proposed": ProposedLevel.TWO, "category_proposed": Category.TWO},
    ),
    DemoReferral(
        "102", PROBATION, S.SUBMITTED, received=("days", 35),
        fields={"given_names": "Marcus", "family_name": "Tregonnel", "age": 41,
                "address": "3 Chemin Inventé\nSt Saviour",
                "conviction": "Grievous bodily harm with intent to a former partner (2021)",
                "supervision_type": SupervisionType.LICENCE, "supervision": (-120, 400),
                "reasons": "Released on licence four months ago. His former partner reports "
                           "that he has followed her twice from her workplace, and he has "
                           "missed two appointments. He has told his hostel key worker that "
                           "he 'will sort her out'.",
                "why_not_level_1": "The police, Housing and Probation each hold part of the "
                                   "picture; protecting the victim needs a joint plan "
                                   "(alarm, exclusion zone, hostel curfew) that no one agency "
                                   "can deliver.",
                "victims": "Former partner (adult woman), now living in St Brelade with "
                           "their daughter (aged 6).",
                "level_proposed": ProposedLevel.TWO, "category_proposed": Category.TWO},
        agencies=[VIBERT, LE_CORNU],
    ),
    DemoReferral(
        "103", PROBATION, S.SUBMITTED, received=("working_days", 4),
        fields={"given_names": "Stefan", "family_name": "Quérault-Penn", "age": 29,
                "address": "HM Prison La Moye\nSt Brelade",
                "custody_status": CustodyStatus.CUSTODY, "prison_number": "DEMO-LM0103",
                "conviction": "Robbery with a firearm (imitation); wounding",
                "earliest_release": 420, "temporary_release": 240,
                "institution_contact": "Anne Falluard, Offender Supervisor, HM Prison La "
                                       "Moye, 01534 000102",
                "reasons": "Eligible for release on temporary licence in eight months. "
                           "Violent in custody (two assaults on staff); intends to return "
                           "to the address of the robbery victim's family.",
                "why_not_level_1": "Release planning needs the prison, the police and "
                                   "Housing to agree the address and the licence conditions "
                                   "before the temporary release.",
                "victims": "Shop assistant at the robbed premises (adult man); prison "
                           "officers assaulted in custody.",
                "level_proposed": ProposedLevel.TWO, "category_proposed": Category.TWO},
        agencies=[PRISON, VIBERT, LE_CORNU],
    ),
    DemoReferral(
        "case:6", PROBATION, S.SUBMITTED, received=("working_days", 0),
        fields={"urgency": Urgency.EMERGENCY,
                "reasons": "Last night he broke the exclusion zone and was seen outside his "
                           "former partner's home at 2 a.m.; this morning he sent her a "
                           "message saying she 'would not see the summer'.",
                "why_not_level_1": "Already managed at level 2, but the risk is now "
                                   "imminent: the agencies must agree today on recall, "
                                   "police patrols and a move for the victim.",
                "victims": "Former partner and her son (aged 9), St Helier.",
                "level_proposed": ProposedLevel.THREE, "category_proposed": Category.TWO},
        agencies=[VIBERT, LE_CORNU, CHILDRENS],
    ),
    DemoReferral(
        "case:8", PROBATION, S.ACCEPTED, received=("working_days", 8),
        fields={"reasons": "Two new assaults in St Helier bars while drunk, one on a door "
                           "supervisor; he has been evicted and is sleeping at a friend's.",
                "why_not_level_1": "The escalation needs Housing and the police to act "
                                   "with Probation on accommodation and the night-time "
                                   "economy; ordinary liaison has not worked.",
                "victims": "Door supervisors and other customers of licensed premises.",
                "level_proposed": ProposedLevel.TWO, "category_proposed": Category.TWO},
        agencies=[VIBERT, LE_CORNU],
        decision={"level": "2", "category": Category.TWO,
                  "note": "Accepted: level 2 meeting to be arranged."},
    ),
    DemoReferral(
        "case:20", PROBATION, S.LEVEL_1, received=("working_days", 20),
        fields={"reasons": "He has begun a relationship with a woman who has two young "
                           "children; he has not told her of his offending.",
                "why_not_level_1": "Disclosure to the new partner needs to be considered "
                                   "with Children's Services.",
                "victims": "Former partner (England); possibly the new partner and her "
                           "children.",
                "level_proposed": ProposedLevel.TWO, "category_proposed": Category.TWO},
        agencies=[CHILDRENS],
        decision={"category": Category.TWO,
                  "note": "Probation and Children's Services can manage this at level 1: "
                          "arrange a multi-agency case management discussion on disclosure "
                          "within two weeks (§10.3)."},
    ),
    DemoReferral(
        "case:3", POLICE, S.SUBMITTED, received=("working_days", 13),
        fields={"sexual_offence": True,
                "reasons": "Device check found messages to two girls aged 12 and 13 on a "
                           "gaming platform, and he has been seen near a primary school.",
                "why_not_level_1": "A move towards contact offending: Education, Children's "
                                   "Services and the police must plan together, and a sex "
                                   "offender is always discussed at a meeting (§9.2).",
                "victims": "Two girls aged 12 and 13 (identified by the police); pupils of "
                           "the primary school in St Lawrence.",
                "level_proposed": ProposedLevel.TWO, "category_proposed": Category.ONE},
        agencies=[CHILDRENS, (AgencyKind.EDUCATION, "Mark Hamptonne, Head of Safeguarding",
                              "m.hamptonne@example.je", ""), GALLICHAN],
    ),
    DemoReferral(
        "104", POLICE, S.SUBMITTED, received=("working_days", 3),
        fields={"given_names": "Callum", "family_name": "Brayfield", "age": 38,
                "address": "12 Les Maisons Fictives\nTrinity",
                "category_proposed": Category.PDP,
                "reasons": "No conviction, but three intelligence reports of threats with a "
                           "crossbow to a neighbour and the neighbour's family; he is "
                           "fixated on a boundary dispute.",
                "why_not_level_1": "No agency supervises him; only a multi-agency plan "
                                   "(mental health assessment, police firearms licensing, "
                                   "housing) can manage the risk.",
                "victims": "Neighbouring family of four, Trinity.",
                "level_proposed": ProposedLevel.TWO},
        agencies=[MENTAL_HEALTH, LE_CORNU],
    ),
    DemoReferral(
        "105", HOUSING, S.INFO_REQUESTED, received=("working_days", 11),
        fields={"given_names": "Terence", "family_name": "Maubrac", "age": 52,
                "address": "Flat 2, 9 Ruette du Modèle\nSt Helier",
                "conviction": "Arson (2015); threats to kill (2019)",
                "reasons": "Tenant has threatened to 'burn the block down' after rent "
                           "arrears action; neighbours frightened.",
                "why_not_level_1": "Housing cannot assess the fire risk or his mental "
                                   "health alone.",
                "victims": "Other tenants of the block (eleven households).",
                "level_proposed": ProposedLevel.TWO, "category_proposed": Category.THREE},
        agencies=[MENTAL_HEALTH, VIBERT],
        decision={"note": "Please add the risk assessment from Mental Health Services and "
                          "say whether the fire service has visited the block."},
    ),
    DemoReferral(
        "106", HOUSING, S.REJECTED, received=("working_days", 25),
        fields={"given_names": "Brian", "family_name": "Etacquet", "age": 45,
                "address": "4 Le Clos Imaginaire\nSt Martin",
                "conviction": "Criminal damage (2023)",
                "reasons": "Repeated noise and abusive language towards neighbours; one "
                           "broken window.",
                "why_not_level_1": "Complaints continue despite warnings.",
                "victims": "Neighbours at numbers 3 and 5.",
                "level_proposed": ProposedLevel.TWO, "category_proposed": Category.THREE},
        agencies=[VIBERT],
        decision={"reason": "No risk of serious harm is identified: the case does not meet "
                            "the threshold for level 2 or 3 (§3.5). Housing's anti-social "
                            "behaviour procedure and the parish Honorary Police are the "
                            "right route."},
    ),
]


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _subject(spec: DemoReferral, today: date) -> dict:
    """The Appendix A fields of the referral: of the demo case, or of the new person."""
    fields = dict(spec.fields)
    if spec.case_ref is not None:
        nominal = Nominal.objects.get(pnc_number=spec.pnc)
        address = nominal.addresses.filter(is_current=True).first()
        fields.update(
            nominal=nominal, given_names=nominal.given_names, family_name=nominal.family_name,
            date_of_birth=nominal.date_of_birth, prison_number=nominal.prison_number,
            conviction=nominal.index_offence, custody_status=nominal.custody_status,
            earliest_release_date=nominal.earliest_release_date,
            temporary_release_date=nominal.temporary_release_date,
            supervision_start=nominal.order_start, supervision_end=nominal.order_end,
            address=address.address if address else "",
        )
        if nominal.order_type in SupervisionType.values:
            fields["supervision_type"] = nominal.order_type
    else:
        age = fields.pop("age")
        ref = int(spec.key)
        fields["date_of_birth"] = _years_ago(today, age) - timedelta(days=ref * 11 % 300 + 1)
        if "supervision" in fields:
            started, ends = fields.pop("supervision")
            fields.update(supervision_start=today + timedelta(days=started),
                          supervision_end=today + timedelta(days=ends))
        if "earliest_release" in fields:
            fields["earliest_release_date"] = today + timedelta(
                days=fields.pop("earliest_release"))
        if "temporary_release" in fields:
            fields["temporary_release_date"] = today + timedelta(
                days=fields.pop("temporary_release"))
    fields["pnc_number"] = spec.pnc
    return fields


AREAS = {PROBATION: "Offender management, St Helier", POLICE: "Public Protection Unit",
         HOUSING: "Tenancy services"}


def _contact(referrer: User) -> dict:
    agency = referrer.agency
    return {"contact_name": referrer.get_full_name(),
            "contact_area": AREAS.get(referrer.username, ""),
            "contact_address": agency.address, "contact_telephone": agency.phone,
            "contact_email": referrer.email}


def _received_on(spec: DemoReferral, today: date) -> date:
    unit, amount = spec.received
    if unit == "working_days":
        return add_working_days(today, -amount)
    return today - timedelta(days=amount)


def seed_referrals(*, today: date, stdout=None) -> int:
    """Create the demo referrals not yet present; return how many were created. Run after
    the demo cases (cases.demo.seed_cases): some referrals are of those cases."""
    coordinator = User.objects.get(username="coordinator")
    users = {u.username: u for u in User.objects.filter(
        username__in=[PROBATION, POLICE, HOUSING]).select_related("agency")}
    agencies = {}
    for agency in Agency.objects.order_by("id"):
        agencies.setdefault(agency.kind, agency)
    existing = set(Referral.objects.filter(pnc_number__startswith=PNC_PREFIX)
                   .values_list("pnc_number", flat=True))
    created = 0
    with bulk_loading(), audit_context(Channel.CLI), transaction.atomic():
        for spec in DEMO_REFERRALS:
            if spec.pnc in existing:
                continue
            _seed_one(spec, today=today, referrer=users[spec.referrer],
                      coordinator=coordinator, agencies=agencies)
            created += 1
    if stdout:
        stdout.write(f"Demo referrals: {created} created, "
                     f"{len(DEMO_REFERRALS) - created} already present.")
    return created


def _seed_one(spec: DemoReferral, *, today: date, referrer: User, coordinator: User,
              agencies: dict) -> Referral:
    rows = [{"agency": agencies[kind], "contact_name": name, "contact_email": email,
             "contact_telephone": telephone}
            for kind, name, email, telephone in spec.agencies]
    referral = services.referral_create(actor=referrer, agencies=rows,
                                        **_contact(referrer), **_subject(spec, today))
    if spec.outcome == S.DRAFT:
        return referral
    referral = services.referral_submit(referral=referral, actor=referrer,
                                        on=_received_on(spec, today))
    screen = {
        S.SUBMITTED: None,
        S.ACCEPTED: services.referral_accept,
        S.REJECTED: services.referral_reject,
        S.INFO_REQUESTED: services.referral_request_info,
        S.LEVEL_1: services.referral_confirm_level_1,
    }[spec.outcome]
    if screen is not None:
        referral = screen(referral=referral, actor=coordinator, **spec.decision)
    return referral
