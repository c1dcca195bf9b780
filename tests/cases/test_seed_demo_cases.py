"""The demo cases of `manage.py seed_demo` (cases/demo.py): idempotent, and showing what
the README and the demo module promise, so that a demonstration always has examples of
every kind of case and every kind of access."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cases import selectors
from cases.models import (
    Address,
    Alias,
    CaseAgency,
    Category,
    CustodyStatus,
    Deviation,
    Eligibility,
    Exclusion,
    LevelChange,
    NamedAccess,
    Nominal,
    RiskAssessment,
    RiskLevel,
    RiskTool,
    RoshAssessment,
    Status,
    StatusChange,
    TeamMember,
    TeamRole,
    Transfer,
    TransferDirection,
    Victim,
)
from jmappa.accounts.models import User
from jmappa.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PRACTITIONERS = ["probation.officer", "police.inspector", "housing.officer"]
COUNTED = [Nominal, Alias, Address, TeamMember, CaseAgency, LevelChange, RoshAssessment,
           RiskAssessment, Victim, Transfer, Deviation, Exclusion, NamedAccess, StatusChange,
           AuditEvent, User]


@pytest.fixture
def today(seeded):
    return timezone.localdate()


def user(username):
    return User.objects.get(username=username)


def visible(username):
    return set(Nominal.objects.visible_to(user(username)).values_list("pk", flat=True))


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_running_seed_demo_again_creates_nothing_more(seeded):
    before = counts()
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    assert counts() == before
    assert before["Nominal"] == 40


def test_seed_demo_reports_the_demo_cases(seeded):
    from io import StringIO

    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    assert "Demo cases: 0 created, 40 already present." in out.getvalue()


def test_demo_cases_cover_every_category_level_risk_and_custody_status(seeded):
    nominals = Nominal.objects.all()
    assert set(nominals.values_list("category", flat=True)) == set(Category.values)
    assert set(nominals.values_list("level", flat=True)) == {"1", "2", "3", "unknown"}
    assert {n.rosh for n in nominals} >= set(RiskLevel.values)
    assert set(nominals.values_list("custody_status", flat=True)) == set(CustodyStatus.values)
    assert nominals.filter(category=Category.UNKNOWN).count() >= 2
    category3 = nominals.filter(category=Category.THREE)
    assert category3.exists()
    assert all(n.cat3_capacity_for_serious_harm and n.cat3_needs_multi_agency_management
               and n.cat3_disposal for n in category3)
    assert set(RiskAssessment.objects.values_list("tool", flat=True)) == \
        set(RiskTool.values) - {RiskTool.OTHER}


def test_each_demo_risk_of_serious_harm_has_a_narrative_and_groups_and_sets_the_level(
    seeded,
):
    for rosh in RoshAssessment.objects.select_related("nominal"):
        assert rosh.who_is_at_risk and rosh.nature_of_risk and rosh.imminence
        assert rosh.community_public and rosh.community_children
    for nominal in Nominal.objects.filter(rosh_history__isnull=False).distinct():
        latest = nominal.rosh_history.order_by("-assessed_on", "-id").first()
        assert nominal.rosh == latest.overall


def test_some_demo_releases_fall_within_six_months_and_some_later(today):
    in_custody = Nominal.objects.filter(custody_status=CustodyStatus.CUSTODY)
    soon = in_custody.filter(earliest_release_date__gt=today,
                             earliest_release_date__lte=today + timedelta(days=183))
    assert soon.count() >= 3
    assert in_custody.filter(earliest_release_date__gt=today + timedelta(days=183)).exists()


def test_demo_level_decisions_are_dated_so_that_some_reviews_are_overdue(today):
    open_level3 = LevelChange.objects.filter(level="3", date_to__isnull=True)
    assert open_level3.filter(date_from__lt=today - timedelta(weeks=6)).exists()
    assert open_level3.filter(date_from__gte=today - timedelta(weeks=6)).exists()
    open_level2 = LevelChange.objects.filter(level="2", date_to__isnull=True)
    assert open_level2.filter(date_from__lt=today - timedelta(weeks=12)).exists()


def test_every_demo_nominal_has_one_current_address_and_some_have_past_ones_and_aliases(
    seeded,
):
    for nominal in Nominal.objects.all():
        assert nominal.addresses.filter(is_current=True).count() == 1
    assert Address.objects.filter(is_current=False).values("nominal").distinct().count() >= 5
    assert Alias.objects.values("nominal").distinct().count() >= 4


def test_exactly_the_advertised_child_archived_transferred_and_ineligible_examples(today):
    nominals = list(Nominal.objects.all())
    children = [n for n in nominals if n.age_on(today) < 18]
    school_age = [n for n in nominals if 5 <= n.age_on(today) < 16]
    assert len(children) == 2 and len(school_age) == 1
    assert school_age[0] in children

    archived = Nominal.objects.filter(status=Status.ARCHIVED)
    assert archived.count() == 3
    assert all(n.archived_on and n.archive_reason for n in archived)
    assert StatusChange.objects.filter(status=Status.ARCHIVED).count() == 3

    transfer = Transfer.objects.get()
    assert transfer.direction == TransferDirection.INTO_JERSEY
    assert transfer.is_community_order
    assert transfer.cpo_permission_by and transfer.cpo_permission_on

    assert Nominal.objects.filter(eligibility=Eligibility.NOT_ELIGIBLE).count() == 1
    assert 3 <= Deviation.objects.count() <= 6


def test_exactly_one_restricted_case_and_one_exclusion(seeded):
    restricted = Nominal.objects.get(restricted=True)
    assert restricted.restricted_reason
    named = set(NamedAccess.objects.filter(nominal=restricted)
                .values_list("user__username", flat=True))
    assert named == {"coordinator", "probation.officer", "police.inspector"}
    # The housing officer is on its team but not named: the restriction keeps them out.
    assert TeamMember.objects.current().filter(nominal=restricted,
                                               user__username="housing.officer").exists()
    assert restricted.pk not in visible("housing.officer")
    assert restricted.pk not in visible("admin.officer")

    exclusion = Exclusion.objects.get()
    assert exclusion.user.username == "housing.officer"
    assert "victim" in exclusion.reason
    assert TeamMember.objects.current().filter(nominal=exclusion.nominal,
                                               user=exclusion.user).exists()
    assert exclusion.nominal_id not in visible("housing.officer")


def test_the_retention_review_lists_the_archived_centenarian(today):
    listed = list(selectors.retention_review(user("coordinator"), on=today))
    assert len(listed) == 1
    assert listed[0].age_on(today) >= 100
    assert listed[0].status == Status.ARCHIVED


def test_practitioners_have_different_overlapping_caseloads(seeded):
    seen = {name: visible(name) for name in PRACTITIONERS}
    assert len(seen["probation.officer"]) == 12
    assert len(seen["police.inspector"]) == 16
    assert len(seen["housing.officer"]) == 8
    for a in PRACTITIONERS:
        for b in PRACTITIONERS:
            if a < b:
                assert seen[a] != seen[b]
                assert seen[a] & seen[b], f"{a} and {b} share no case"
                assert seen[a] - seen[b] and seen[b] - seen[a]


def test_the_victim_permission_is_held_on_some_cases_and_not_others(seeded):
    current = TeamMember.objects.current()
    for name in PRACTITIONERS:
        memberships = current.filter(user__username=name)
        assert memberships.filter(sees_victims=True).exists(), name
    for name in ["police.inspector", "housing.officer"]:
        assert current.filter(user__username=name, sees_victims=False).exists(), name
    assert current.filter(role=TeamRole.CASE_MANAGER, user__username="probation.officer",
                          sees_victims=True).count() == 12
    assert Victim.objects.values("nominal").distinct().count() >= 8


def test_ended_and_future_memberships_give_no_access(today):
    housing = user("housing.officer")
    ended = TeamMember.objects.get(user=housing, date_to__isnull=False)
    future = TeamMember.objects.get(user=housing, date_from__gt=today)
    assert ended.date_to <= today
    assert ended.nominal_id not in visible("housing.officer")
    assert future.nominal_id not in visible("housing.officer")


def test_smb_member_sees_no_demo_case_and_the_register_keepers_see_them_all(seeded):
    assert visible("smb.member") == set()
    everyone = set(Nominal.objects.values_list("pk", flat=True))
    restricted = Nominal.objects.get(restricted=True).pk
    assert visible("coordinator") == everyone
    assert visible("admin.officer") == everyone - {restricted}


def test_demo_data_is_written_by_the_coordinator_and_audited(seeded):
    coordinator = user("coordinator")
    created = AuditEvent.objects.filter(object_type="cases.nominal", action="create")
    assert created.count() == 40
    assert set(created.values_list("actor", flat=True)) == {coordinator.pk}
    assert set(created.values_list("channel", flat=True)) == {"cli"}


def test_demo_identifiers_are_clearly_fictitious(seeded):
    for nominal in Nominal.objects.all():
        assert nominal.pnc_number.startswith("DEMO/")
