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


# -- an SMB member, as such, sees no individual case -------------------------------------------


def test_an_smb_member_as_such_sees_no_case_even_if_a_membership_exists(coordinator, police,
                                                                        case):
    from cases.models import TeamMember
    from cases.services import sync_case_permissions

    member = make_user("sally", roles=[Role.SMB_MEMBER], agency=police)
    # A membership put straight into the database, past the service's refusal.
    TeamMember.objects.create(nominal=case, user=member, role=TeamRole.AGENCY_CONTACT,
                              date_from=timezone.localdate(), added_by=coordinator)
    sync_case_permissions(nominal=case, user=member)
    assert access.smb_member_only(member)
    assert visible(member) == set()
    assert not access.can_view_nominal(member, case)
    assert access.case_readers({(member.pk, case.pk)}) == set()


def test_an_smb_member_who_is_also_a_practitioner_keeps_their_practitioner_access(
        coordinator, police, case):
    both = make_user("sam", roles=[Role.SMB_MEMBER, Role.PRACTITIONER], agency=police)
    add_to_team(case, both, actor=coordinator)
    assert not access.smb_member_only(both)
    assert visible(both) == {case.pk}


def test_an_smb_member_cannot_be_put_on_a_case_team(coordinator, police, case):
    from django.core.exceptions import ValidationError

    from cases.models import TeamMember

    member = make_user("sally", roles=[Role.SMB_MEMBER], agency=police)
    with pytest.raises(ValidationError) as refused:
        add_to_team(case, member, actor=coordinator)
    assert "An SMB member, as such, sees no individual case" in \
        refused.value.message_dict["user"][0]
    assert not TeamMember.objects.filter(user=member).exists()


def test_case_readers_answers_as_restrict_nominals_does(coordinator, police, housing):
    from cases.models import Exclusion

    admin = make_user("adam", roles=[Role.ADMINISTRATOR], agency=police)
    manager = make_user("mia", agency=police)
    contact = make_user("carl", agency=housing)
    spoc = make_user("sue", roles=[Role.SPOC], agency=housing)
    housing.spoc, housing.spoc_sees_agency_cases = spoc, True
    housing.save()
    smb = make_user("sid", roles=[Role.SMB_MEMBER], agency=police)
    nobody = make_user("ned", agency=police)
    open_case = make_nominal(actor=coordinator, case_manager=manager)
    add_to_team(open_case, contact, actor=coordinator)
    excluded_from = make_nominal(actor=coordinator, case_manager=manager)
    add_to_team(excluded_from, contact, actor=coordinator)
    Exclusion.objects.create(nominal=excluded_from, user=contact, reason="Neighbour",
                             recorded_by=coordinator)
    Exclusion.objects.create(nominal=excluded_from, user=admin, reason="Relative",
                             recorded_by=coordinator)
    restricted = make_nominal(actor=coordinator, case_manager=manager)
    add_to_team(restricted, contact, actor=coordinator)
    nominal_restrict(nominal=restricted, reason="High profile", named_users=[manager],
                     actor=coordinator)
    users = [coordinator, admin, manager, contact, spoc, smb, nobody]
    cases = [open_case, excluded_from, restricted]
    expected = {(user.pk, case.pk) for user in users for case in cases
                if case.pk in visible(user)}
    assert access.case_readers(
        (user.pk, case.pk) for user in users for case in cases) == expected
    assert (spoc.pk, open_case.pk) in expected and (coordinator.pk, restricted.pk) in expected
