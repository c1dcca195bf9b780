"""The demo referrals of `manage.py seed_demo` (referrals/demo.py): every status, dates
that always have something due and something overdue, idempotent, each persona seeing
their own agency's referrals."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cases.models import CustodyStatus, Nominal
from jmappa.accounts.models import User
from jmappa.audit.models import AuditEvent
from jmappa.workdays import add_working_days
from meetings import rules as meeting_rules
from referrals import notify, rules
from referrals.demo import DEMO_REFERRALS, seed_referrals
from referrals.models import (
    OPEN_STATUSES,
    Referral,
    ReferralAgency,
    ReferralStatus,
    ReferralStep,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One seeded database for the module, rolled back at its end (each test is rolled
    back to it by the usual per-test savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def today(seeded):
    return timezone.localdate()


def user(username):
    return User.objects.get(username=username)


def visible(username):
    return set(Referral.objects.visible_to(user(username)).values_list("pk", flat=True))


def test_demo_referrals_are_in_every_status(seeded):
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(ReferralStatus.values)
    assert Referral.objects.count() == len(DEMO_REFERRALS) >= 10


def test_exactly_one_demo_referral_is_overdue(today):
    overdue = [r for r in Referral.objects.all() if r.is_overdue_on(today)]
    assert len(overdue) == 1
    assert overdue[0].received_on <= today - timedelta(weeks=4)


def test_some_demo_referrals_are_due_within_five_working_days(today):
    horizon = add_working_days(today, 5)
    due_soon = Referral.objects.filter(status__in=OPEN_STATUSES, meeting_due_by__gte=today,
                                       meeting_due_by__lte=horizon)
    assert due_soon.count() >= 2
    assert meeting_rules.meeting_due(today, within=5).count() == due_soon.count() + 1  # + overdue


def test_one_open_demo_referral_is_an_emergency_due_the_day_it_arrived(seeded):
    emergency = Referral.objects.get(urgency="emergency")
    assert emergency.status in OPEN_STATUSES
    assert emergency.meeting_due_by == emergency.received_on


def test_a_demo_referral_in_custody_is_due_six_months_before_temporary_release(seeded):
    custody = Referral.objects.get(custody_status=CustodyStatus.CUSTODY)
    assert custody.status in OPEN_STATUSES
    assert custody.institution_contact
    assert custody.meeting_due_by == rules.months_before(custody.temporary_release_date, 6)


def test_an_open_demo_referral_is_of_a_sex_offender(seeded):
    open_referrals = Referral.objects.filter(status__in=OPEN_STATUSES)
    assert any(r.is_sex_offender for r in open_referrals)


def test_demo_referrals_are_by_the_three_practitioners_mostly_probation(seeded):
    by = {}
    for username in Referral.objects.values_list("referred_by__username", flat=True):
        by[username] = by.get(username, 0) + 1
    assert set(by) == {"probation.officer", "police.inspector", "housing.officer"}
    assert by["probation.officer"] > by["police.inspector"] + by["housing.officer"]


def test_some_demo_referrals_are_of_demo_cases_and_some_of_new_people(seeded):
    linked = Referral.objects.filter(nominal__isnull=False)
    assert linked.exists()
    assert all(r.pnc_number == r.nominal.pnc_number for r in linked)
    new_people = Referral.objects.filter(nominal__isnull=True, status__in=OPEN_STATUSES)
    assert new_people.exists()
    assert not Nominal.objects.filter(
        pnc_number__in=new_people.values("pnc_number")).exists()
    decided = Referral.objects.filter(status__in=[ReferralStatus.ACCEPTED,
                                                  ReferralStatus.LEVEL_1])
    assert all(r.nominal_id and r.screened_by.username == "coordinator" for r in decided)


def test_every_submitted_demo_referral_is_complete_enough_to_screen(seeded):
    from referrals.services import _agency_rows, submission_errors

    for referral in Referral.objects.exclude(status=ReferralStatus.DRAFT):
        assert submission_errors(referral, _agency_rows(referral)) == {}, referral


def test_probation_sees_its_own_referrals_and_not_housings(seeded):
    probation = visible("probation.officer")
    own = set(Referral.objects.filter(referred_by__username="probation.officer")
              .values_list("pk", flat=True))
    housing = set(Referral.objects.filter(referred_by__username="housing.officer")
                  .values_list("pk", flat=True))
    assert own and housing
    assert own <= probation
    assert not probation & housing
    # The housing officer, their agency's SPOC, sees housing's and not probation's drafts.
    housing_sees = visible("housing.officer")
    assert housing <= housing_sees
    draft = Referral.objects.get(status=ReferralStatus.DRAFT)
    assert draft.pk not in housing_sees
    assert draft.pk not in visible("coordinator")
    assert visible("smb.member") == set()


def test_running_seed_demo_again_adds_no_referral(seeded):
    counted = [Referral, ReferralAgency, ReferralStep, Nominal, AuditEvent]
    before = {model: model.objects.count() for model in counted}
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    assert {model: model.objects.count() for model in counted} == before
    assert f"Demo referrals: 0 created, {len(DEMO_REFERRALS)} already present." in \
        out.getvalue()


def test_seeding_the_demo_referrals_emails_nobody(seeded, django_capture_on_commit_callbacks):
    Referral.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = seed_referrals(today=timezone.localdate())
    assert created == len(DEMO_REFERRALS)
    assert callbacks == []
    assert mail.outbox == []
    # Silenced only while seeding.
    referral = Referral.objects.filter(status=ReferralStatus.SUBMITTED).first()
    with django_capture_on_commit_callbacks(execute=True):
        notify.submitted(referral)
    assert len(mail.outbox) == 1
