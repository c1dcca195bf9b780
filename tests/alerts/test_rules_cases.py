"""The case rules of the deadline sweep: level 1 reviews (§9.2), home visits (§14.9),
overdue actions (§8.3), releases without a referral and late identification (§3.3) and
the retention review (§13.3); each one query whatever the number of cases."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db.models import Value
from django.utils import timezone

from alerts.registry import RULES
from cases import rules
from cases.models import Category, CustodyStatus, Eligibility, Level, Nominal, RiskLevel
from cases.services import nominal_archive, nominal_set_level
from jmappa.accounts.models import Role
from jmappa.core import rules as rule_kit
from jmappa.workdays import add_months, add_working_days
from meetings import rules as meeting_rules
from meetings.models import Meeting, MeetingKind, MeetingStatus
from plans import rules as plan_rules
from plans.models import ActionStatus, ActionType, HomeVisit, Level1Review, PlanAction
from referrals import rules as referral_rules
from referrals.services import referral_create, referral_submit
from tests.factories import make_nominal, make_user, referral_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_assert_num_queries):
    """The rule's rows on `day` (due soon up to `horizon`), in exactly one query."""
    def run(rule, day, horizon=None):
        with django_assert_num_queries(1):
            return list(rule(day, horizon=horizon or day))
    return run


@pytest.fixture
def manager(police):
    return make_user(roles=[Role.PRACTITIONER], agency=police)


def recorded_on(nominal: Nominal, day: date) -> None:
    Nominal.objects.filter(pk=nominal.pk).update(
        created_at=timezone.make_aware(datetime.combine(day, time(9))))


def edges(run, rule, due: date, row: dict) -> None:
    """Not shown the day before its due date; due on the day; overdue the day after."""
    assert run(rule, due - timedelta(days=1)) == []
    assert run(rule, due) == [row]
    assert run(rule, due + timedelta(days=1)) == [row]


# -- Month and working-day arithmetic in the database ---------------------------------------


def test_months_in_the_database_end_on_the_months_last_day_as_in_python(coordinator):
    cases = [(date(2024, 1, 31), 1), (date(2025, 1, 31), 1), (date(2026, 8, 31), -6),
             (date(2024, 2, 29), 1200), (date(2026, 11, 30), 3), (date(2026, 3, 31), 3),
             (date(2026, 12, 31), 2), (date(2026, 5, 15), 12), (date(2000, 2, 29), 1200)]
    nominal = make_nominal(actor=coordinator)
    found = Nominal.objects.filter(pk=nominal.pk).values(**{
        f"d{i}": rule_kit.AddMonths(Value(day), months) for i, (day, months) in enumerate(cases)
    }).get()
    assert found["d0"] == date(2024, 2, 29)
    assert found["d1"] == date(2025, 2, 28)
    assert found["d2"] == date(2026, 2, 28)
    assert [found[f"d{i}"] for i in range(len(cases))] == [
        add_months(day, months) for day, months in cases]


def test_working_days_in_the_database_skip_jersey_bank_holidays_as_in_python(coordinator):
    starts = [date(2026, 3, 30) + timedelta(days=i) for i in range(14)]  # Easter
    starts += [date(2026, 12, 18) + timedelta(days=i) for i in range(16)]  # Christmas
    starts += [date(2026, 5, 1) + timedelta(days=i) for i in range(12)]  # May, Liberation Day
    holidays = rule_kit.jersey_holidays(2026, 2027)
    nominal = make_nominal(actor=coordinator)
    for n in (1, 3, 15):
        found = Nominal.objects.filter(pk=nominal.pk).values(**{
            f"d{i}": rule_kit.WorkingDayAfter(Value(day), n, holidays)
            for i, day in enumerate(starts)
        }).get()
        assert [found[f"d{i}"] for i in range(len(starts))] == [
            add_working_days(day, n) for day in starts]


# -- Level 1 review -----------------------------------------------------------------------


@pytest.fixture
def level1(coordinator, manager):
    nominal = make_nominal(actor=coordinator, case_manager=manager)
    recorded_on(nominal, date(2025, 6, 2))
    nominal_set_level(nominal=nominal, level=Level.ONE, reason="Agreed at screening",
                      actor=coordinator, on=date(2026, 1, 15))
    return nominal


def test_level_1_review_is_due_12_weeks_after_the_case_is_set_at_level_1(
        run, level1, manager):
    """§10.11's 12 weeks, never later than §9.2's three months: one obligation."""
    edges(run, plan_rules.level1_review_due_rows, date(2026, 4, 9),
          {"subject_id": level1.pk, "nominal_id": level1.pk, "due_on": date(2026, 4, 9),
           "assigned_to_id": manager.pk})


def test_a_level_1_review_moves_the_next_to_12_weeks_on(run, level1, coordinator):
    Level1Review.objects.create(nominal=level1, reviewed_on=date(2026, 3, 31),
                                new_information="None", plan_review="Unchanged",
                                recorded_by=coordinator)
    assert run(plan_rules.level1_review_due_rows, date(2026, 4, 16)) == []
    assert run(plan_rules.level1_review_due_rows, date(2026, 6, 22)) == []
    [row] = run(plan_rules.level1_review_due_rows, date(2026, 6, 23))
    assert row["due_on"] == date(2026, 6, 23) == plan_rules.level1_review_due(date(2026, 3, 31))


def test_a_held_level_1_discussion_counts_as_a_review_and_the_latest_date_wins(
        run, level1, coordinator):
    Level1Review.objects.create(nominal=level1, reviewed_on=date(2026, 3, 31),
                                new_information="None", plan_review="Unchanged",
                                recorded_by=coordinator)
    for on, status in [(date(2026, 5, 29), MeetingStatus.HELD),
                       (date(2026, 6, 12), MeetingStatus.CANCELLED)]:
        Meeting.objects.create(nominal=level1, kind=MeetingKind.LEVEL_1, status=status,
                               starts_at=timezone.make_aware(datetime.combine(on, time(10))),
                               created_by=coordinator)
    assert run(plan_rules.level1_review_due_rows, date(2026, 8, 20)) == []
    [row] = run(plan_rules.level1_review_due_rows, date(2026, 8, 21))
    assert row["due_on"] == date(2026, 8, 21)


def test_a_case_at_level_1_with_no_date_set_runs_from_the_day_it_was_recorded(
        run, coordinator, manager):
    nominal = make_nominal(actor=coordinator, case_manager=manager)
    Nominal.objects.filter(pk=nominal.pk).update(level=Level.ONE)
    recorded_on(nominal, date(2026, 5, 31))
    [row] = run(plan_rules.level1_review_due_rows, date(2026, 8, 23))
    assert row["due_on"] == date(2026, 8, 23)


def test_no_level_1_review_is_due_at_another_level_or_once_archived(
        run, level1, coordinator):
    nominal_set_level(nominal=level1, level=Level.TWO, reason="Escalated",
                      actor=coordinator, on=date(2026, 2, 1))
    assert run(plan_rules.level1_review_due_rows, date(2027, 1, 1)) == []
    nominal_set_level(nominal=level1, level=Level.ONE, reason="Stepped down",
                      actor=coordinator, on=date(2026, 3, 1))
    assert [r["due_on"] for r in run(plan_rules.level1_review_due_rows, date(2027, 1, 1))] == [
        date(2026, 5, 24)]
    nominal_archive(nominal=level1, reason="Order ended", actor=coordinator)
    assert run(plan_rules.level1_review_due_rows, date(2027, 1, 1)) == []


# -- Home visits --------------------------------------------------------------------------


@pytest.fixture
def visor(police):
    return make_user(roles=[Role.PRACTITIONER], agency=police)


@pytest.fixture
def rso(coordinator, manager, visor):
    nominal = make_nominal(actor=coordinator, category=Category.ONE, rosh=RiskLevel.HIGH,
                           case_manager=manager, visor_manager=visor)
    recorded_on(nominal, date(2025, 10, 1))
    return nominal


def visit(nominal, on, actor):
    return HomeVisit.objects.create(nominal=nominal, visited_on=on, visited_by="DC Le Brun",
                                    recorded_by=actor)


def test_a_high_risk_sex_offender_is_visited_every_3_months_by_the_visor_manager(
        run, rso, visor, coordinator):
    visit(rso, date(2026, 1, 31), coordinator)
    edges(run, plan_rules.home_visit_due_rows, date(2026, 4, 30),
          {"subject_id": rso.pk, "nominal_id": rso.pk, "due_on": date(2026, 4, 30),
           "assigned_to_id": visor.pk})


def test_a_visit_recorded_clears_the_rule_until_the_next_is_due(run, rso, coordinator):
    visit(rso, date(2026, 1, 31), coordinator)
    visit(rso, date(2026, 4, 29), coordinator)
    assert run(plan_rules.home_visit_due_rows, date(2026, 7, 28)) == []
    [row] = run(plan_rules.home_visit_due_rows, date(2026, 7, 29))
    assert row["due_on"] == plan_rules.home_visit_due(date(2026, 4, 29), RiskLevel.HIGH)


@pytest.mark.parametrize(("rosh", "due"), [
    (RiskLevel.VERY_HIGH, date(2025, 9, 30)), (RiskLevel.HIGH, date(2025, 11, 30)),
    (RiskLevel.MEDIUM, date(2026, 2, 28)), (RiskLevel.LOW, date(2026, 8, 31)),
])
def test_without_a_visit_the_first_is_due_from_the_day_the_case_was_recorded(
        run, rso, rosh, due):
    Nominal.objects.filter(pk=rso.pk).update(rosh=rosh)
    recorded_on(rso, date(2025, 8, 31))
    assert run(plan_rules.home_visit_due_rows, due - timedelta(days=1)) == []
    assert [r["due_on"] for r in run(plan_rules.home_visit_due_rows, due)] == [due]


def test_without_a_visor_manager_the_case_manager_is_told(run, rso, manager):
    Nominal.objects.filter(pk=rso.pk).update(visor_manager=None)
    [row] = run(plan_rules.home_visit_due_rows, date(2026, 6, 1))
    assert row["assigned_to_id"] == manager.pk


def test_no_visit_is_due_without_an_overall_risk_or_for_another_category(run, rso):
    Nominal.objects.filter(pk=rso.pk).update(rosh="")
    assert run(plan_rules.home_visit_due_rows, date(2027, 1, 1)) == []
    Nominal.objects.filter(pk=rso.pk).update(rosh=RiskLevel.HIGH, category=Category.TWO)
    assert run(plan_rules.home_visit_due_rows, date(2027, 1, 1)) == []


@pytest.mark.parametrize("where", [CustodyStatus.CUSTODY, CustodyStatus.HOSPITAL])
def test_no_home_visit_is_due_while_in_custody_or_hospital_and_it_is_due_again_on_release(
        run, rso, coordinator, where):
    visit(rso, date(2026, 1, 31), coordinator)
    Nominal.objects.filter(pk=rso.pk).update(custody_status=where)
    assert run(plan_rules.home_visit_due_rows, date(2026, 9, 1)) == []
    Nominal.objects.filter(pk=rso.pk).update(custody_status=CustodyStatus.COMMUNITY)
    assert [r["due_on"] for r in run(plan_rules.home_visit_due_rows, date(2026, 9, 1))] == [
        date(2026, 4, 30)]


# -- Actions ------------------------------------------------------------------------------


@pytest.fixture
def case(coordinator, manager):
    return make_nominal(actor=coordinator, level=Level.TWO, case_manager=manager)


def action(case, actor, *, owner=None, agency=None, due=date(2026, 6, 10), **fields):
    return PlanAction.objects.create(
        nominal=case, description="Check the address monthly",
        action_type=ActionType.MONITORING, owner_agency=agency or actor.agency, owner=owner,
        due_date=due, created_by=actor, **fields)


def test_an_action_is_overdue_on_its_owner_the_day_after_its_completion_date(
        run, case, coordinator, manager):
    planned = action(case, coordinator, owner=manager)
    # Never "due soon": the day itself is not overdue, whatever the horizon.
    assert run(plan_rules.action_overdue, date(2026, 6, 10), date(2026, 6, 30)) == []
    row = {"subject_id": planned.pk, "nominal_id": case.pk, "due_on": date(2026, 6, 10),
           "assigned_to_id": manager.pk}
    assert run(plan_rules.action_overdue, date(2026, 6, 11)) == [row]
    assert run(plan_rules.action_overdue, date(2026, 6, 12)) == [row]


def test_an_action_with_no_named_owner_falls_to_the_owning_agencys_spoc(
        run, case, coordinator, housing):
    spoc = make_user(roles=[Role.SPOC], agency=housing)
    housing.spoc = spoc
    housing.save()
    action(case, coordinator, agency=housing, status=ActionStatus.IN_PROGRESS)
    [row] = run(plan_rules.action_overdue, date(2026, 6, 11))
    assert row["assigned_to_id"] == spoc.pk


def test_an_action_done_or_undeliverable_is_no_longer_overdue(run, case, coordinator):
    planned = action(case, coordinator)
    action(case, coordinator, status=ActionStatus.CANNOT_DELIVER)
    assert [r["subject_id"] for r in run(plan_rules.action_overdue, date(2026, 6, 11))] == [
        planned.pk]
    planned.status, planned.completed_on = ActionStatus.DONE, date(2026, 6, 12)
    planned.save()
    assert run(plan_rules.action_overdue, date(2026, 6, 13)) == []


# -- Release without a referral -----------------------------------------------------------

RELEASE = date(2027, 8, 31)
# 6 months before 31 August is the last day of February.
RELEASE_DUE = date(2027, 2, 28)


@pytest.fixture
def prisoner(coordinator, manager):
    return make_nominal(actor=coordinator, case_manager=manager,
                        custody_status=CustodyStatus.CUSTODY, earliest_release_date=RELEASE)


def test_a_prisoner_6_months_from_release_without_a_referral_is_on_the_case_manager(
        run, prisoner, manager):
    edges(run, referral_rules.release_without_referral, RELEASE_DUE,
          {"subject_id": prisoner.pk, "nominal_id": prisoner.pk, "due_on": RELEASE_DUE,
           "assigned_to_id": manager.pk})


def test_a_referral_made_clears_the_release_rule_and_a_draft_does_not(
        run, prisoner, coordinator):
    agencies = [{"agency": coordinator.agency, "contact_name": "Sam Contact",
                 "contact_email": "sam.contact@example.je"}]
    referral = referral_create(actor=coordinator, agencies=agencies, nominal=prisoner,
                               **referral_fields())
    assert [r["subject_id"] for r in run(referral_rules.release_without_referral, RELEASE_DUE)] == [
        prisoner.pk]
    referral_submit(referral=referral, actor=coordinator, on=RELEASE_DUE)
    assert run(referral_rules.release_without_referral, RELEASE_DUE) == []


def test_no_release_rule_in_the_community_once_released_or_when_not_eligible(
        run, prisoner):
    Nominal.objects.filter(pk=prisoner.pk).update(custody_status=CustodyStatus.COMMUNITY)
    assert run(referral_rules.release_without_referral, RELEASE_DUE) == []
    Nominal.objects.filter(pk=prisoner.pk).update(custody_status=CustodyStatus.CUSTODY,
                                                  eligibility=Eligibility.AWAITING)
    assert run(referral_rules.release_without_referral, RELEASE_DUE) == []
    Nominal.objects.filter(pk=prisoner.pk).update(eligibility=Eligibility.ELIGIBLE)
    assert run(referral_rules.release_without_referral, RELEASE + timedelta(days=1)) == []


# -- A meeting 6 months before temporary release (§10.4) --------------------------------------

TEMPORARY_RELEASE = date(2027, 8, 31)
MEETING_BY = date(2027, 2, 28)  # 6 months before: the last day of February


@pytest.fixture
def eligible_prisoner(coordinator, manager):
    return make_nominal(actor=coordinator, case_manager=manager,
                        custody_status=CustodyStatus.CUSTODY,
                        temporary_release_date=TEMPORARY_RELEASE)


def held_meeting(nominal, on: date, actor, level=MeetingKind.LEVEL_2):
    return Meeting.objects.create(
        nominal=nominal, kind=level, status=MeetingStatus.HELD, created_by=actor,
        starts_at=timezone.make_aware(datetime.combine(on, time(10))))


def test_a_meeting_is_due_6_months_before_temporary_release_referred_or_not(
        run, eligible_prisoner, manager):
    edges(run, meeting_rules.pre_release_meeting_due, MEETING_BY,
          {"subject_id": eligible_prisoner.pk, "nominal_id": eligible_prisoner.pk,
           "due_on": MEETING_BY, "assigned_to_id": manager.pk})


def test_a_meeting_held_in_the_run_up_answers_it_and_an_old_one_does_not(
        run, eligible_prisoner, coordinator):
    held_meeting(eligible_prisoner, date(2026, 8, 27), coordinator)  # before the run-up
    assert run(meeting_rules.pre_release_meeting_due, MEETING_BY) != []
    held_meeting(eligible_prisoner, date(2026, 8, 28), coordinator, MeetingKind.LEVEL_1)
    assert run(meeting_rules.pre_release_meeting_due, MEETING_BY) == []


def test_hospital_discharge_counts_and_release_or_ineligibility_ends_it(
        run, eligible_prisoner):
    Nominal.objects.filter(pk=eligible_prisoner.pk).update(
        custody_status=CustodyStatus.HOSPITAL)
    assert run(meeting_rules.pre_release_meeting_due, MEETING_BY) != []
    Nominal.objects.filter(pk=eligible_prisoner.pk).update(
        custody_status=CustodyStatus.COMMUNITY)
    assert run(meeting_rules.pre_release_meeting_due, MEETING_BY) == []
    Nominal.objects.filter(pk=eligible_prisoner.pk).update(
        custody_status=CustodyStatus.CUSTODY, eligibility=Eligibility.AWAITING)
    assert run(meeting_rules.pre_release_meeting_due, MEETING_BY) == []


# -- Identification late ------------------------------------------------------------------

SENTENCED = date(2026, 4, 2)  # Maundy Thursday
# §3.3: "within 3 days" of sentence, calendar days: Good Friday and the Easter weekend count.
THIRD_DAY = date(2026, 4, 5)


@pytest.mark.parametrize(("identified", "late"), [
    (date(2026, 4, 4), False), (THIRD_DAY, False), (date(2026, 4, 6), True)])
def test_identification_is_late_after_the_3rd_calendar_day_over_easter_too(
        run, coordinator, identified, late):
    nominal = make_nominal(actor=coordinator, sentence_date=SENTENCED, identified_on=identified)
    expected = [{"subject_id": nominal.pk, "nominal_id": nominal.pk,
                 "due_on": THIRD_DAY, "assigned_to_id": None}] if late else []
    assert run(rules.identification_late, date(2026, 11, 1)) == expected


def test_late_identification_is_due_3_days_after_sentence_for_every_day_of_a_year(
        run, coordinator):
    """Every sentence date of 2026, each identified on its 4th day."""
    base = make_nominal(actor=coordinator)
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    Nominal.objects.bulk_create([Nominal(
        given_names="Sentenced", family_name=str(day), date_of_birth=date(1980, 1, 1),
        eligibility=Eligibility.ELIGIBLE, category=Category.TWO, sentence_date=day,
        identified_on=day + timedelta(days=4)) for day in days])
    found = run(rules.identification_late, date(2027, 6, 1))
    by_sentence = dict(Nominal.objects.filter(
        pk__in=[r["subject_id"] for r in found]).values_list("pk", "sentence_date"))
    assert len(found) == 365
    assert all(r["due_on"] == by_sentence[r["subject_id"]] + timedelta(days=3)
               for r in found)
    assert base.pk not in by_sentence


def test_late_identification_of_an_archived_case_is_not_raised(run, coordinator):
    nominal = make_nominal(actor=coordinator, sentence_date=SENTENCED,
                           identified_on=date(2026, 5, 1))
    nominal_archive(nominal=nominal, reason="Order ended", actor=coordinator)
    assert run(rules.identification_late, date(2026, 11, 1)) == []


# -- Retention review ---------------------------------------------------------------------


def test_an_archived_record_is_reviewed_at_the_100th_birthday(run, coordinator):
    nominal = make_nominal(actor=coordinator, date_of_birth=date(1926, 11, 23))
    assert run(rules.retention_review, date(2027, 1, 1)) == []
    nominal_archive(nominal=nominal, reason="Order ended", actor=coordinator)
    edges(run, rules.retention_review, date(2026, 11, 23),
          {"subject_id": nominal.pk, "nominal_id": nominal.pk, "due_on": date(2026, 11, 23),
           "assigned_to_id": None})


def test_a_29_february_birthday_is_reviewed_as_the_record_says(run, coordinator):
    nominal = make_nominal(actor=coordinator, date_of_birth=date(1928, 2, 29))
    nominal_archive(nominal=nominal, reason="Order ended", actor=coordinator)
    nominal.refresh_from_db()
    assert run(rules.retention_review, date(2028, 2, 28)) == []
    [row] = run(rules.retention_review, date(2028, 2, 29))
    assert row["due_on"] == nominal.retention_review_date == date(2028, 2, 29)


# -- Every rule through the registry ------------------------------------------------------


def test_every_rule_answers_its_rows_in_one_query_whatever_the_number_of_cases(
        django_assert_num_queries, coordinator, manager):
    for _ in range(3):
        nominal = make_nominal(actor=coordinator, case_manager=manager, level=Level.TWO,
                               category=Category.ONE, rosh=RiskLevel.HIGH,
                               sentence_date=SENTENCED, identified_on=date(2026, 5, 1))
        recorded_on(nominal, date(2025, 1, 1))
        action(nominal, coordinator, owner=manager)
    day = date(2026, 11, 23)
    for spec in RULES.values():
        with django_assert_num_queries(1):
            found = list(spec.rows(day))
        assert all(set(row) == {"subject_id", "nominal_id", "due_on", "assigned_to_id"}
                   for row in found), spec.rule
    assert len(list(RULES["home_visit_due"].rows(day))) == 3
