"""Who sees a referral (jmappa/access.py): the referrer and their agency's SPOC; once it is
sent, the Co-ordinator, Administrators and the case's people; nobody else."""

from __future__ import annotations

import pytest
from django.http import Http404

from cases.models import Category, Level
from cases.services import exclusion_add, nominal_restrict
from jmappa import access
from jmappa.accounts.models import AgencyKind, Role
from referrals import selectors, services
from referrals.models import Referral
from tests.factories import add_to_team, make_agency, make_nominal, make_referral, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def probation(db):
    return make_agency("Probation", AgencyKind.PROBATION)


@pytest.fixture
def referrer(probation):
    return make_user("probation.officer", agency=probation)


def visible(user) -> set[int]:
    return set(Referral.objects.visible_to(user).values_list("pk", flat=True))


def test_a_draft_is_seen_only_by_its_referrer_and_their_agencys_spoc(
        referrer, probation, coordinator, police):
    colleague = make_user(agency=probation)
    spoc = make_user(agency=probation, roles=[Role.PRACTITIONER, Role.SPOC])
    probation.spoc = spoc
    probation.save()
    administrator = make_user(roles=[Role.ADMINISTRATOR], agency=police)
    draft = make_referral(referrer, submit=False)
    assert draft.pk in visible(referrer)
    assert draft.pk in visible(spoc)
    for other in (colleague, coordinator, administrator):
        assert draft.pk not in visible(other)


def test_a_sent_referral_is_seen_by_the_coordinator_and_administrators(
        referrer, coordinator, police):
    administrator = make_user(roles=[Role.ADMINISTRATOR], agency=police)
    referral = make_referral(referrer)
    assert referral.pk in visible(coordinator)
    assert referral.pk in visible(administrator)


def test_another_agency_not_on_the_case_sees_nothing(referrer, outsider, coordinator):
    referral = make_referral(referrer)
    services.referral_accept(referral=referral, actor=coordinator, level=Level.TWO,
                             category=Category.TWO)
    assert visible(outsider) == set()
    with pytest.raises(Http404):
        access.get_referral_or_404(outsider, referral.pk)


def test_an_smb_member_sees_no_referral(referrer, police):
    smb = make_user(roles=[Role.SMB_MEMBER], agency=police)
    make_referral(referrer)
    assert visible(smb) == set()


def test_the_cases_people_see_its_referrals(referrer, outsider, coordinator):
    nominal = make_nominal(actor=coordinator, case_manager=referrer)
    referral = make_referral(referrer, nominal=nominal)
    assert referral.pk not in visible(outsider)
    add_to_team(nominal, outsider, actor=coordinator)
    assert referral.pk in visible(outsider)
    assert list(selectors.referrals_of_case(outsider, nominal)) == [referral]


def test_an_excluded_user_sees_none_of_the_cases_referrals_not_even_their_own(
        referrer, coordinator):
    nominal = make_nominal(actor=coordinator, case_manager=referrer)
    referral = make_referral(referrer, nominal=nominal)
    exclusion_add(nominal=nominal, user=referrer, reason="Conflict of interest",
                  actor=coordinator)
    assert referral.pk not in visible(referrer)


def test_a_restricted_cases_referrals_are_seen_only_by_the_named(
        referrer, coordinator, police):
    administrator = make_user(roles=[Role.ADMINISTRATOR], agency=police)
    nominal = make_nominal(actor=coordinator, case_manager=referrer)
    referral = make_referral(referrer, nominal=nominal)
    nominal_restrict(nominal=nominal, reason="Staff member's relative",
                     named_users=[coordinator, referrer], actor=coordinator)
    assert referral.pk in visible(referrer)
    assert referral.pk in visible(coordinator)
    assert referral.pk not in visible(administrator)


def test_the_victims_named_are_for_the_referrer_coordinator_and_victim_permission_holders(
        referrer, coordinator, outsider, practitioner):
    nominal = make_nominal(actor=coordinator, case_manager=referrer)
    referral = make_referral(referrer, nominal=nominal)
    add_to_team(nominal, outsider, actor=coordinator)
    add_to_team(nominal, practitioner, actor=coordinator, sees_victims=True)
    assert access.can_view_referral_victims(referrer, referral)
    assert access.can_view_referral_victims(coordinator, referral)
    assert access.can_view_referral_victims(practitioner, referral)
    assert not access.can_view_referral_victims(outsider, referral)


def test_only_the_coordinator_has_a_screening_queue(referrer, coordinator, police):
    administrator = make_user(roles=[Role.ADMINISTRATOR], agency=police)
    referral = make_referral(referrer)
    make_referral(referrer, submit=False)
    assert list(selectors.screening_queue(coordinator)) == [referral]
    assert list(selectors.screening_queue(administrator)) == []
    assert list(selectors.screening_queue(referrer)) == []


def test_an_smb_member_as_such_does_not_refer(police, practitioner):
    smb = make_user(roles=[Role.SMB_MEMBER], agency=police)
    assert not access.can_refer(smb)
    assert access.can_refer(practitioner)
