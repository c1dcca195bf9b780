"""Demo cases for `manage.py seed_demo`: about forty invented nominals.

Every name, alias, street and number here is invented; the PNC numbers all begin
"DEMO/", which no real PNC number does, and that is the key on which seeding is
idempotent: a demo nominal whose PNC number is already on the register is left
alone. Everything is written through cases.services with the Co-ordinator
persona as actor, so the audit trail and the team permissions are as in real use.

Dates are relative to `today`: some releases fall within six months, some
reviews are near and some overdue, so that the deadline rules always have
something to show.

The demo teams give the practitioners different, overlapping caseloads:
- probation.officer is case manager of twelve cases (with the victim permission);
- police.inspector is ViSOR manager or agency contact on sixteen (the victim
  permission on two of them only);
- housing.officer is agency contact on eight it sees (the victim permission on
  three), plus one it is excluded from, one restricted case it is not named on,
  one membership that has ended and one that starts next week;
- smb.member is on no team; the Co-ordinator and the Administrator see every case
  by role, except the restricted one, which the Administrator is not named on.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from jmappa.accounts.models import Agency, User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel

from .. import services
from ..models import (
    Category,
    Consent,
    Nominal,
    TeamRole,
)
from .people import (
    BANDS,
    CUSTODY,
    DEMOS,
    HOSPITAL,
    HOUSING,
    IMMINENCE,
    LSIR_SCORES,
    ONE_LOWER,
    PARISHES,
    PNC_PREFIX,
    POLICE,
    PROBATION,
    PROFILES,
    STREETS,
    TOOLS,
    Demo,
)

# -- how a demo nominal is described ----------------------------------------------------------









# -- narratives ------------------------------------------------------------------------------







# -- seeding -------------------------------------------------------------------------------


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def seed_cases(*, today: date, stdout=None) -> int:
    """Create the demo nominals not yet on the register; return how many were created.

    `today` is the day the demo dates are relative to (the seed command passes today's
    date; team memberships are dated from it, so it should not be in the future)."""
    actor = User.objects.get(username="coordinator")
    users = {u.username: u for u in User.objects.filter(
        username__in=[PROBATION, POLICE, HOUSING])}
    agencies = {}
    for agency in Agency.objects.order_by("id"):
        agencies.setdefault(agency.kind, agency)
    existing = set(Nominal.objects.filter(pnc_number__startswith=PNC_PREFIX)
                   .values_list("pnc_number", flat=True))
    created = 0
    with audit_context(Channel.CLI), transaction.atomic():
        for demo in DEMOS:
            if demo.pnc in existing:
                continue
            _seed_one(demo, today=today, actor=actor, users=users, agencies=agencies)
            created += 1
    if stdout:
        stdout.write(f"Demo cases: {created} created, {len(DEMOS) - created} already present.")
    return created


def _seed_one(demo: Demo, *, today: date, actor, users: dict, agencies: dict) -> Nominal:
    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def ahead(days: int) -> date:
        return today + timedelta(days=days)

    # Born on a day that varies from case to case, so that birthdays spread over the year.
    born = _years_ago(today, demo.age) - timedelta(days=(demo.ref * 37) % 300 + 1)
    fields = {
        "given_names": demo.given, "family_name": demo.family, "date_of_birth": born,
        "gender": demo.gender, "ethnicity": demo.ethnicity, "diversity_needs": demo.diversity,
        "pnc_number": demo.pnc, "eligibility": demo.eligibility, "category": demo.category,
        "index_offence": demo.offence, "lead_agency": agencies.get(demo.lead),
        "custody_status": demo.custody, "sentence": demo.sentence,
    }
    if demo.visor or demo.category == Category.ONE:
        fields["visor_number"] = f"DEMO-V{demo.ref:04d}"
    if demo.custody == CUSTODY:
        fields["prison_number"] = f"DEMO-LM{demo.ref:04d}"
    if demo.category == Category.THREE:
        fields.update(cat3_capacity_for_serious_harm=True,
                      cat3_needs_multi_agency_management=True, cat3_disposal=demo.cat3)
    if demo.sentenced_days_ago is not None:
        fields["sentence_date"] = ago(demo.sentenced_days_ago)
        fields["identified_on"] = ago(demo.sentenced_days_ago - demo.identified_after)
    if demo.order:
        order_type, started, ends_in = demo.order
        fields.update(order_type=order_type, order_start=ago(started), order_end=ahead(ends_in))
    if demo.release_in is not None:
        fields["earliest_release_date"] = ahead(demo.release_in)
    if demo.temporary_release_in is not None:
        fields["temporary_release_date"] = ahead(demo.temporary_release_in)
    if demo.ref % 3 == 0:
        fields.update(consent_to_share=Consent.GIVEN, consent_date=ago(demo.team_since),
                      consent_scope="Sharing with the agencies at JMAPPA meetings.")

    nominal = services.nominal_create(actor=actor, **fields)
    if demo.withhold:
        # Agreed at a meeting held before the case came onto the register (§3.6).
        nominal = services.nominal_decide_withholding(
            nominal=nominal, actor=actor, withhold=True, reason=demo.withhold,
            decided_at="a meeting held before the case was recorded here")

    # The named team, from the day they took the case on.
    since = ago(demo.team_since)
    managers = {}
    for username, role, key in [(demo.cm, TeamRole.CASE_MANAGER, "case_manager"),
                                (demo.visor, TeamRole.VISOR_MANAGER, "visor_manager")]:
        if username:
            services.team_member_add(nominal=nominal, user=users[username], role=role,
                                     actor=actor, date_from=since,
                                     sees_victims=role == TeamRole.CASE_MANAGER)
            managers[key] = users[username]
    if managers:
        nominal = services.nominal_update(nominal=nominal, actor=actor, **managers)
    for username, sees_victims in demo.contacts:
        services.team_member_add(nominal=nominal, user=users[username],
                                 role=TeamRole.AGENCY_CONTACT, actor=actor,
                                 date_from=since + timedelta(days=5), sees_victims=sees_victims)
    for username, from_days, to_days in demo.ended:
        member = services.team_member_add(nominal=nominal, user=users[username],
                                          role=TeamRole.AGENCY_CONTACT, actor=actor,
                                          date_from=ago(from_days))
        services.team_member_end(member=member, actor=actor, date_to=ago(to_days))
    for username, in_days in demo.future:
        services.team_member_add(nominal=nominal, user=users[username],
                                 role=TeamRole.AGENCY_CONTACT, actor=actor,
                                 date_from=ahead(in_days))
    for kind in demo.agencies:
        services.agency_involve(nominal=nominal, agency=agencies[kind], actor=actor)

    for level, days in demo.levels:
        services.nominal_set_level(
            nominal=nominal, level=level, on=ago(days), actor=actor,
            reason="Agreed at the JMAPP meeting" if level != "1"
            else "Co-ordinator confirmed that no JMAPP meeting is needed: level 1")

    for name, kind in demo.aliases:
        services.alias_add(nominal=nominal, actor=actor, name=name, kind=kind)
    _seed_addresses(demo, nominal, actor=actor, today=today)
    _seed_risk(demo, nominal, actor=actor, today=today, agencies=agencies)

    for victim in demo.victims:
        services.victim_record(nominal=nominal, actor=actor, **victim)
    if demo.transfer:
        transfer = dict(demo.transfer)
        transfer["cpo_permission_on"] = ago(transfer.pop("cpo_permission_days_ago"))
        transfer["transfer_date"] = ago(transfer.pop("transfer_days_ago"))
        services.transfer_record(nominal=nominal, actor=actor, **transfer)
    if demo.deviation:
        deviation = dict(demo.deviation)
        deviation["decided_on"] = ago(deviation.pop("days_ago"))
        services.deviation_record(nominal=nominal, actor=actor, **deviation)
    if demo.exclude:
        username, reason = demo.exclude
        services.exclusion_add(nominal=nominal, user=users[username], reason=reason,
                               actor=actor)
    if demo.restrict:
        reason, named = demo.restrict
        services.nominal_restrict(nominal=nominal, reason=reason, actor=actor,
                                  named_users=[users[name] for name in named])
    if demo.archive:
        days, reason = demo.archive
        services.nominal_archive(nominal=nominal, reason=reason, on=ago(days), actor=actor)
    return nominal


def _seed_addresses(demo: Demo, nominal: Nominal, *, actor, today: date) -> None:
    street = STREETS[demo.ref % len(STREETS)]
    parish = PARISHES[demo.ref % len(PARISHES)]
    moved_in = today - timedelta(days=demo.team_since + 30)
    for move in range(demo.moves, 0, -1):
        old_street = STREETS[(demo.ref + move) % len(STREETS)]
        old_parish = PARISHES[(demo.ref + 3 * move) % len(PARISHES)]
        services.address_add(
            nominal=nominal, actor=actor, is_current=False,
            address=f"{move + 1} {old_street}\n{old_parish}", postcode="",
            date_from=moved_in - timedelta(days=400 * move),
            date_to=moved_in - timedelta(days=400 * (move - 1) + 1),
        )
    if demo.custody == CUSTODY:
        address = "HM Prison La Moye\nSt Brelade"
    elif demo.custody == HOSPITAL:
        address = "Secure ward, Orchard House\nSt Saviour"
    elif demo.archive and demo.age >= 100:
        address = f"Residential care home, {street}\n{parish}"
    else:
        address = f"{demo.ref % 19 + 1} {street}\n{parish}"
    services.address_add(nominal=nominal, actor=actor, is_current=True, address=address,
                         postcode="", date_from=moved_in)


def _seed_risk(demo: Demo, nominal: Nominal, *, actor, today: date, agencies: dict) -> None:
    who, nature, increases, reduces, groups = PROFILES[demo.profile]
    for overall, days in demo.rosh:
        levels = {}
        for group in ["public", "prisoners", "known_adult", "children", "staff"]:
            main = overall if group in groups else ONE_LOWER[overall]
            levels[f"community_{group}"] = main
            if demo.custody in (CUSTODY, HOSPITAL):
                # Inside, staff and other prisoners or patients are within reach; the
                # public, known adults and children much less so.
                inside = main if group in ("staff", "prisoners") else ONE_LOWER[main]
                levels[f"custody_{group}"] = inside
        services.rosh_record(
            nominal=nominal, actor=actor, assessed_on=today - timedelta(days=days),
            overall=overall, who_is_at_risk=who, nature_of_risk=nature,
            imminence=IMMINENCE[overall], increases_risk=increases, reduces_risk=reduces,
            **levels,
        )
    if not demo.rosh:
        return
    overall, days = demo.rosh[-1]
    for tool, score, kind, assessor in TOOLS[demo.profile]:
        services.risk_assessment_record(
            nominal=nominal, actor=actor, tool=tool, agency=agencies[kind],
            score=score.format(band=BANDS[overall], score=LSIR_SCORES[overall]),
            assessed_on=today - timedelta(days=days + 3), assessor=assessor,
        )
