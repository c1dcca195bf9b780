"""The need-to-know rule (jmappa/access.py) on cases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Nominal, TeamRole
from cases.services import (
    exclusion_add,
    nominal_restrict,
    nominal_update,
    team_member_end,
)
from jmappa import access
from jmappa.accounts.models import Role
from tests.factories import add_to_team, make_nominal, make_user

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Nominal.objects.visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def case(coordinator):
    return make_nominal(actor=coordinator, family_name="Tester")


def test_coordinator_and_administrator_see_every_case(coordinator, police, case):
    admin = make_user("admin", roles=[Role.ADMINISTRATOR], agency=police)
    assert visible(coordinator) == visible(admin) == {case.pk}


def test_practitioner_sees_only_cases_whose_team_they_are_on(practitioner, coordinator, case):
    other = make_nominal(actor=coordinator)
    assert visible(practitioner) == set()
    add_to_team(case, practitioner, actor=coordinator)
    assert visible(practitioner) == {case.pk}
    assert other.pk not in visible(practitioner)


def test_case_manager_gets_access_and_change_by_being_named(practitioner, coordinator, police):
    case = make_nominal(actor=coordinator, lead_agency=police, case_manager=practitioner)
    assert visible(practitioner) == {case.pk}
    assert access.can_change_nominal(practitioner, case)
    assert access.can_view_victims(practitioner, case)


def test_agency_contact_reads_but_cannot_change_or_see_victims(practitioner, coordinator, case):
    add_to_team(case, practitioner, TeamRole.AGENCY_CONTACT, actor=coordinator)
    assert access.can_view_nominal(practitioner, case)
    assert not access.can_change_nominal(practitioner, case)
    assert not access.can_view_victims(practitioner, case)


def test_victim_permission_is_separate_from_seeing_the_case(practitioner, coordinator, case):
    add_to_team(case, practitioner, actor=coordinator, sees_victims=True)
    assert access.can_view_victims(practitioner, case)


def test_ending_a_membership_revokes_access(practitioner, coordinator, case):
    member = add_to_team(case, practitioner, actor=coordinator)
    team_member_end(member=member, actor=coordinator)
    assert visible(practitioner) == set()


def test_access_stays_while_another_membership_remains(practitioner, coordinator, case):
    first = add_to_team(case, practitioner, TeamRole.AGENCY_CONTACT, actor=coordinator)
    add_to_team(case, practitioner, TeamRole.MEETING_INVITEE, actor=coordinator)
    team_member_end(member=first, actor=coordinator)
    assert visible(practitioner) == {case.pk}


def test_changing_the_case_manager_moves_access(practitioner, outsider, coordinator, police,
                                                housing):
    case = make_nominal(actor=coordinator, lead_agency=police, case_manager=practitioner)
    nominal_update(nominal=case, actor=coordinator, lead_agency=housing, case_manager=outsider)
    assert visible(practitioner) == set()
    assert visible(outsider) == {case.pk}


def test_smb_member_sees_no_individual_case(police, case):
    smb = make_user("smb", roles=[Role.SMB_MEMBER], agency=police)
    assert visible(smb) == set()


def test_spoc_sees_agency_cases_only_where_the_agency_allows_it(coordinator, practitioner,
                                                                police, case):
    spoc = make_user("spoc", roles=[Role.SPOC], agency=police)
    police.spoc = spoc
    police.save()
    add_to_team(case, practitioner, actor=coordinator)  # involves the police
    assert visible(spoc) == set()
    police.spoc_sees_agency_cases = True
    police.save()
    assert visible(spoc) == {case.pk}


def test_excluded_user_sees_nothing_even_as_team_member_or_administrator(
    coordinator, practitioner, police, case
):
    admin = make_user("admin", roles=[Role.ADMINISTRATOR], agency=police)
    add_to_team(case, practitioner, actor=coordinator)
    exclusion_add(nominal=case, user=practitioner, reason="Knows the victim", actor=coordinator)
    exclusion_add(nominal=case, user=admin, reason="Neighbour of the offender",
                  actor=coordinator)
    assert visible(practitioner) == set() and visible(admin) == set()
    assert not access.can_view_victims(practitioner, case)


def test_restricted_case_is_seen_only_by_named_users(coordinator, practitioner, outsider,
                                                    police, case):
    admin = make_user("admin", roles=[Role.ADMINISTRATOR], agency=police)
    add_to_team(case, practitioner, actor=coordinator)
    add_to_team(case, outsider, actor=coordinator)
    nominal_restrict(nominal=case, reason="High-profile case", named_users=[practitioner],
                     actor=coordinator)
    assert visible(practitioner) == {case.pk}
    assert visible(outsider) == set()
    assert visible(admin) == set()
    assert visible(coordinator) == {case.pk}


def test_inactive_and_anonymous_users_see_nothing(practitioner, coordinator, case):
    from django.contrib.auth.models import AnonymousUser

    add_to_team(case, practitioner, actor=coordinator)
    practitioner.is_active = False
    practitioner.save()
    assert visible(practitioner) == set()
    assert visible(AnonymousUser()) == set()


def test_children_of_a_case_inherit_its_access(practitioner, coordinator, case):
    from cases.models import Deviation
    from cases.services import deviation_record

    deviation_record(nominal=case, actor=coordinator, what="Review late", why="Illness")
    assert not Deviation.objects.visible_to(practitioner).exists()
    add_to_team(case, practitioner, actor=coordinator)
    assert Deviation.objects.visible_to(practitioner).count() == 1


def test_get_nominal_or_404_does_not_tell_missing_from_forbidden(practitioner, case):
    from django.http import Http404

    for pk in (case.pk, 999999, "abc"):
        with pytest.raises(Http404):
            access.get_nominal_or_404(practitioner, pk)


def test_a_membership_that_ended_yesterday_gives_no_access(practitioner, coordinator, case):
    member = add_to_team(case, practitioner, actor=coordinator)
    member.date_from = timezone.localdate() - timedelta(days=10)
    member.save()
    team_member_end(member=member, actor=coordinator,
                    date_to=timezone.localdate() - timedelta(days=1))
    assert visible(practitioner) == set()


def test_membership_dated_ahead_grants_access_from_its_first_day_by_the_daily_job(
    practitioner, coordinator, case
):
    from cases.services import team_member_add
    from cases.tasks import sync_dated_team_permissions

    tomorrow = timezone.localdate() + timedelta(days=1)
    member = team_member_add(nominal=case, user=practitioner, role=TeamRole.AGENCY_CONTACT,
                             actor=coordinator, date_from=tomorrow)
    assert visible(practitioner) == set()
    assert sync_dated_team_permissions(tomorrow.isoformat()) == 1
    assert visible(practitioner) == {case.pk}
    member.date_to = tomorrow + timedelta(days=7)
    member.save()
    sync_dated_team_permissions((tomorrow + timedelta(days=7)).isoformat())
    assert visible(practitioner) == set()


def test_agency_leaves_the_case_when_its_last_member_leaves_so_its_spoc_loses_sight(
    coordinator, outsider, housing, case
):
    housing.spoc = make_user("housing.spoc", roles=[Role.SPOC], agency=housing)
    housing.spoc_sees_agency_cases = True
    housing.save()
    member = add_to_team(case, outsider, actor=coordinator)
    assert visible(housing.spoc) == {case.pk}
    team_member_end(member=member, actor=coordinator)
    assert visible(housing.spoc) == set()
