"""The Risk Management Plan's rules (§8.3, §7.2), level 1 reviews (§9.2) and home visits
(§14.9), held at the services and selectors."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Category, Level, RiskLevel, TeamMember, TeamRole
from cases.services import exclusion_add, nominal_set_level
from jmappa import access
from jmappa.accounts.models import AgencyKind, Role
from jmappa.audit.models import AuditEvent, Verb
from jmappa.core.versioning import StaleEdit
from meetings.models import Meeting, MeetingKind, MeetingStatus
from plans import rules, selectors, services
from plans.models import ActionStatus, ActionType
from tests.factories import add_to_team, make_agency, make_nominal, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def probation(db):
    return make_agency("Probation", AgencyKind.PROBATION, duty_to_cooperate=True)


@pytest.fixture
def case(coordinator, practitioner):
    """A level 2 case managed by bob (Police)."""
    return make_nominal(actor=coordinator, case_manager=practitioner, level=Level.TWO,
                        level_reason="Panel decision")


def add(nominal, actor, *, agency, owner=None, due=None, kind=ActionType.MONITORING,
        meeting=None, description="Weekly reporting at the police station"):
    return services.action_add(
        nominal=nominal, actor=actor, meeting=meeting, description=description,
        action_type=kind, owner_agency=agency, owner=owner,
        due_date=due or TODAY() + timedelta(days=30))


def meeting_on(nominal, actor, day: date, kind=MeetingKind.LEVEL_2, **fields):
    starts = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))
    return Meeting.objects.create(nominal=nominal, kind=kind, starts_at=starts,
                                  created_by=actor, **fields)


# -- adding and changing actions ----------------------------------------------------------------


def test_named_owner_must_work_for_the_owning_agency(case, coordinator, practitioner, housing):
    with pytest.raises(ValidationError) as refused:
        add(case, coordinator, agency=housing, owner=practitioner)
    assert "owner" in refused.value.message_dict
    assert "works for States of Jersey Police, not Housing" in \
        refused.value.message_dict["owner"][0]


def test_every_action_needs_what_will_be_done_an_owner_agency_and_a_completion_date(
    case, coordinator
):
    with pytest.raises(ValidationError) as refused:
        services.action_add(nominal=case, actor=coordinator, description="  ",
                            action_type=ActionType.CONTINGENCY, owner_agency=None,
                            due_date=None)
    assert set(refused.value.message_dict) == {"description", "owner_agency", "due_date"}


def test_a_named_owner_gains_access_to_the_case(case, coordinator, housing):
    owner = make_user("erin", agency=housing)
    assert not access.can_view_nominal(owner, case)
    action = add(case, coordinator, agency=housing, owner=owner)
    assert access.can_view_nominal(owner, case)
    assert TeamMember.objects.current().filter(nominal=case, user=owner,
                                               role=TeamRole.ACTION_OWNER).exists()
    assert case.agencies.filter(agency=housing, date_to__isnull=True).exists()
    assert AuditEvent.objects.filter(action=Verb.CREATE, object_type="plans.planaction",
                                     object_id=str(action.pk), case_id=case.pk).exists()


def test_an_owner_replaced_on_their_only_action_loses_the_case(case, coordinator, housing):
    first, second = make_user(agency=housing), make_user(agency=housing)
    action = add(case, coordinator, agency=housing, owner=first)
    services.action_update(action=action, actor=coordinator, version=action.version,
                           owner=second)
    assert not access.can_view_nominal(first, case)
    assert access.can_view_nominal(second, case)


def test_an_owner_still_named_on_another_action_keeps_the_case(case, coordinator, housing):
    owner, other = make_user(agency=housing), make_user(agency=housing)
    action = add(case, coordinator, agency=housing, owner=owner)
    add(case, coordinator, agency=housing, owner=owner, description="Second action")
    services.action_update(action=action, actor=coordinator, version=action.version,
                           owner=other)
    assert access.can_view_nominal(owner, case)


def test_someone_excluded_from_the_case_cannot_own_its_action(case, coordinator, police):
    excluded = make_user(agency=police)
    exclusion_add(nominal=case, user=excluded, reason="Knows the victim", actor=coordinator)
    with pytest.raises(ValidationError) as refused:
        add(case, coordinator, agency=police, owner=excluded)
    assert refused.value.message_dict["owner"] == [services.EXCLUDED_OWNER]


def test_an_action_agreed_at_a_meeting_of_another_case_is_refused(case, coordinator, police):
    other = make_nominal(actor=coordinator)
    meeting = meeting_on(other, coordinator, TODAY())
    with pytest.raises(ValidationError) as refused:
        add(case, coordinator, agency=police, meeting=meeting)
    assert "meeting" in refused.value.message_dict


def test_a_stale_change_is_refused_with_what_changed(case, coordinator, police):
    action = add(case, coordinator, agency=police)
    opened = type(action).objects.get(pk=action.pk)
    services.action_update(action=action, actor=coordinator, version=action.version,
                           due_date=date(2031, 1, 1))
    with pytest.raises(StaleEdit) as stale:
        services.action_update(action=opened, actor=coordinator, version=opened.version,
                               description="Something else")
    assert stale.value.changed == {"due_date": date(2031, 1, 1)}
    assert type(action).objects.get(pk=action.pk).description == action.description


def test_a_change_to_an_action_is_audited_with_the_case(case, coordinator, police):
    action = add(case, coordinator, agency=police)
    services.action_update(action=action, actor=coordinator, version=action.version,
                           plan_reference="Sentence plan objective 2")
    event = AuditEvent.objects.get(action=Verb.CHANGE, object_type="plans.planaction")
    assert event.case_id == case.pk
    assert event.changes["plan_reference"]["to"] == "Sentence plan objective 2"


# -- progress ----------------------------------------------------------------------------------


def test_progress_changes_the_status_and_keeps_the_entry(case, practitioner, police):
    action = add(case, practitioner, agency=police)
    entry = services.action_progress_log(action=action, actor=practitioner, on=TODAY(),
                                         note="First visit made", status="in_progress")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.completed_on is None
    assert list(action.progress.all()) == [entry]
    assert entry.recorded_by == practitioner
    assert AuditEvent.objects.filter(object_type="plans.actionprogress",
                                     case_id=case.pk).exists()


def test_done_records_the_completion_date_of_the_entry(case, practitioner, police):
    action = add(case, practitioner, agency=police)
    yesterday = TODAY() - timedelta(days=1)
    services.action_progress_log(action=action, actor=practitioner, on=yesterday,
                                 note="Licence condition added", status="done")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_on == yesterday


def test_reopening_a_done_action_clears_its_completion_date(case, practitioner, police):
    action = add(case, practitioner, agency=police)
    services.action_progress_log(action=action, actor=practitioner, on=TODAY(), note="Done",
                                 status="done")
    services.action_progress_log(action=action, actor=practitioner, on=TODAY(),
                                 note="Condition lapsed", status="in_progress")
    action.refresh_from_db()
    assert action.completed_on is None and action.status == ActionStatus.IN_PROGRESS


def test_progress_dated_in_the_future_is_refused(case, practitioner, police):
    action = add(case, practitioner, agency=police)
    with pytest.raises(ValidationError) as refused:
        services.action_progress_log(action=action, actor=practitioner,
                                     on=TODAY() + timedelta(days=1), note="Planned",
                                     status="in_progress")
    assert refused.value.message_dict["on"] == [services.NOT_IN_FUTURE]
    assert not action.progress.exists()


def test_someone_outside_the_owning_agency_cannot_log_progress(case, coordinator, police,
                                                                outsider):
    add_to_team(case, outsider, actor=coordinator)  # sees the case, but Housing owns nothing
    action = add(case, coordinator, agency=police)
    with pytest.raises(PermissionDenied):
        services.action_progress_log(action=action, actor=outsider, on=TODAY(),
                                     note="Not mine", status="done")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and not action.progress.exists()


def test_the_named_owner_of_another_agency_may_log_progress(case, coordinator, police,
                                                             housing):
    owner = make_user(agency=housing)
    action = add(case, coordinator, agency=housing, owner=owner)
    services.action_progress_log(action=action, actor=owner, on=TODAY(), note="Done",
                                 status="done")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_progress_on_a_stale_version_is_refused(case, practitioner, police):
    action = add(case, practitioner, agency=police)
    opened_version = action.version
    services.action_progress_log(action=action, actor=practitioner, on=TODAY(),
                                 note="First", status="in_progress", version=opened_version)
    with pytest.raises(StaleEdit) as stale:
        services.action_progress_log(action=action, actor=practitioner, on=TODAY(),
                                     note="Second", status="done", version=opened_version)
    assert stale.value.changed["status"] == ActionStatus.IN_PROGRESS
    assert action.progress.count() == 1


# -- carrying to the next meeting (§8.3) ---------------------------------------------------------


def test_actions_that_cannot_be_delivered_are_carried_to_the_next_meeting_once(
    case, coordinator, police, housing
):
    first = meeting_on(case, coordinator, TODAY() - timedelta(days=60),
                       status=MeetingStatus.HELD)
    stuck = add(case, coordinator, agency=police, meeting=first, kind=ActionType.EXTERNAL_CONTROL,
                description="Exclusion zone around the school")
    done = add(case, coordinator, agency=housing, meeting=first)
    services.action_progress_log(action=stuck, actor=coordinator, on=TODAY(),
                                 note="Court refused the condition", status="cannot_deliver")
    services.action_progress_log(action=done, actor=coordinator, on=TODAY(), note="Housed",
                                 status="done")
    assert list(selectors.actions_to_carry(case)) == [stuck]

    following = meeting_on(case, coordinator, TODAY() + timedelta(days=7))
    carried = services.actions_carry_forward(nominal=case, meeting=following, actor=coordinator)
    assert len(carried) == 1
    new = carried[0]
    assert new.carried_from == stuck and new.meeting == following
    assert new.status == ActionStatus.OPEN
    assert (new.description, new.action_type, new.owner_agency) == (
        stuck.description, stuck.action_type, stuck.owner_agency)
    assert new.due_date == following.date + timedelta(weeks=12)
    assert not selectors.actions_to_carry(case).exists()

    assert services.actions_carry_forward(nominal=case, meeting=following,
                                          actor=coordinator) == []
    assert case.actions.filter(carried_from=stuck).count() == 1


def test_an_action_agreed_at_the_meeting_itself_is_not_carried_to_it(case, coordinator,
                                                                     police):
    meeting = meeting_on(case, coordinator, TODAY())
    action = add(case, coordinator, agency=police, meeting=meeting)
    services.action_progress_log(action=action, actor=coordinator, on=TODAY(),
                                 note="Not possible", status="cannot_deliver")
    assert services.actions_carry_forward(nominal=case, meeting=meeting,
                                          actor=coordinator) == []


def test_a_carried_action_cannot_change_status_any_more(case, coordinator, police):
    action = add(case, coordinator, agency=police)
    services.action_progress_log(action=action, actor=coordinator, on=TODAY(), note="No",
                                 status="cannot_deliver")
    services.actions_carry_forward(nominal=case, meeting=meeting_on(case, coordinator, TODAY()),
                                   actor=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.action_progress_log(action=action, actor=coordinator, on=TODAY(),
                                     note="Now possible", status="done")
    assert "carried" in refused.value.message_dict["status"][0]


# -- level 1 reviews (§9.2) ------------------------------------------------------------------------


@pytest.fixture
def level1_case(coordinator, practitioner):
    return make_nominal(actor=coordinator, case_manager=practitioner, level=Level.ONE,
                        level_reason="Co-ordinator confirmed level 1")


def review(nominal, actor, on=None, **fields):
    return services.level1_review_record(
        nominal=nominal, actor=actor, reviewed_on=on or TODAY(),
        new_information=fields.get("new_information", "None"),
        plan_review=fields.get("plan_review", "Plan unchanged"),
        referral_needed=fields.get("referral_needed", False))


def test_a_level_1_review_is_recorded_by_the_lead_agency(level1_case, practitioner):
    recorded = review(level1_case, practitioner, referral_needed=True)
    assert recorded.referral_needed and recorded.recorded_by == practitioner
    assert AuditEvent.objects.filter(object_type="plans.level1review",
                                     case_id=level1_case.pk).exists()


def test_a_level_1_review_only_on_a_level_1_case(case, practitioner):
    with pytest.raises(ValidationError) as refused:
        review(case, practitioner)
    assert refused.value.messages == [services.LEVEL1_ONLY]


def test_another_agency_cannot_record_the_level_1_review(level1_case, coordinator, outsider):
    add_to_team(level1_case, outsider, actor=coordinator)
    with pytest.raises(PermissionDenied):
        review(level1_case, outsider)


def test_a_level_1_review_cannot_be_dated_in_the_future(level1_case, practitioner):
    with pytest.raises(ValidationError) as refused:
        review(level1_case, practitioner, on=TODAY() + timedelta(days=2))
    assert "reviewed_on" in refused.value.message_dict


def test_the_next_level_1_review_counts_from_the_latest_of_review_meeting_and_level(
    level1_case, coordinator, practitioner
):
    # Set at level 1 today: due in 12 weeks.
    assert selectors.next_level1_review_due(level1_case) == rules.level1_review_due(TODAY())
    nominal_set_level(nominal=level1_case, level=Level.ONE, reason="Re-confirmed",
                      actor=coordinator, on=date(2020, 1, 31))
    assert selectors.next_level1_review_due(level1_case) == date(2020, 4, 24)
    meeting_on(level1_case, coordinator, date(2020, 3, 15), kind=MeetingKind.LEVEL_1)
    assert selectors.next_level1_review_due(level1_case) == date(2020, 6, 7)
    review(level1_case, practitioner, on=date(2020, 5, 1))
    assert selectors.next_level1_review_due(level1_case) == date(2020, 7, 24)
    # A cancelled level 1 meeting, later, does not count.
    meeting_on(level1_case, coordinator, date(2020, 7, 1), kind=MeetingKind.LEVEL_1,
               status=MeetingStatus.CANCELLED)
    assert selectors.next_level1_review_due(level1_case) == date(2020, 7, 24)


def test_no_level_1_review_is_due_for_a_level_2_case(case):
    assert selectors.next_level1_review_due(case) is None


# -- home visits (§14.9) ---------------------------------------------------------------------------


@pytest.fixture
def rso(coordinator, practitioner):
    nominal = make_nominal(actor=coordinator, case_manager=practitioner, category=Category.ONE)
    nominal.rosh = RiskLevel.HIGH
    nominal.save(update_fields=["rosh"])
    return nominal


def visit(nominal, actor, on):
    return services.home_visit_record(nominal=nominal, actor=actor, visited_on=on,
                                      visited_by="PC Le Brun and PO Vibert", announced=False,
                                      notes="Lifestyle check; nothing of concern")


@pytest.mark.parametrize(("rosh", "due"), [
    (RiskLevel.VERY_HIGH, date(2025, 4, 10)),
    (RiskLevel.HIGH, date(2025, 6, 10)),
    (RiskLevel.MEDIUM, date(2025, 9, 10)),
    (RiskLevel.LOW, date(2026, 3, 10)),
])
def test_the_next_home_visit_is_due_by_the_overall_risk(rso, practitioner, rosh, due):
    rso.rosh = rosh
    rso.save(update_fields=["rosh"])
    visit(rso, practitioner, date(2025, 3, 10))
    assert selectors.next_home_visit_due(rso) == due


@pytest.mark.parametrize(("last", "due"), [
    (date(2025, 1, 31), date(2025, 2, 28)),
    (date(2024, 1, 31), date(2024, 2, 29)),
    (date(2024, 12, 31), date(2025, 1, 31)),
])
def test_a_monthly_visit_after_the_31st_falls_on_the_month_s_last_day(last, due):
    assert rules.home_visit_due(last, RiskLevel.VERY_HIGH) == due


def test_a_quarterly_visit_from_30_november_falls_on_28_february():
    assert rules.home_visit_due(date(2026, 11, 30), RiskLevel.HIGH) == date(2027, 2, 28)


def test_the_latest_visit_counts_whatever_order_they_were_logged_in(rso, practitioner):
    visit(rso, practitioner, date(2025, 5, 1))
    visit(rso, practitioner, date(2025, 1, 1))
    assert selectors.next_home_visit_due(rso) == date(2025, 8, 1)


def test_with_no_visit_yet_the_first_is_due_from_registration(rso):
    registered = timezone.localtime(rso.created_at).date()
    assert selectors.next_home_visit_due(rso) == rules.home_visit_due(registered,
                                                                      RiskLevel.HIGH)


def test_no_visit_date_without_an_overall_risk_or_for_other_categories(rso, case):
    rso.rosh = ""
    rso.save(update_fields=["rosh"])
    assert selectors.next_home_visit_due(rso) is None
    assert selectors.next_home_visit_due(case) is None


def test_home_visits_are_for_registered_sex_offenders_only(case, practitioner):
    with pytest.raises(ValidationError) as refused:
        visit(case, practitioner, TODAY())
    assert refused.value.messages == [services.HOME_VISITS_RSO_ONLY]


def test_a_home_visit_cannot_be_dated_in_the_future(rso, practitioner):
    with pytest.raises(ValidationError) as refused:
        visit(rso, practitioner, TODAY() + timedelta(days=1))
    assert "visited_on" in refused.value.message_dict


def test_a_home_visit_is_logged_by_a_practitioner_not_an_administrator(rso, coordinator):
    administrator = make_user(roles=[Role.ADMINISTRATOR])
    with pytest.raises(PermissionDenied):
        visit(rso, administrator, TODAY())
    assert visit(rso, coordinator, TODAY()).recorded_by == coordinator


# -- "My actions" ------------------------------------------------------------------------------


def test_my_actions_lists_own_and_own_agency_open_actions_overdue_first(
    case, coordinator, practitioner, police, housing
):
    colleague = make_user(agency=police)
    later = add(case, coordinator, agency=police, due=TODAY() + timedelta(days=20))
    overdue = add(case, coordinator, agency=police, owner=colleague,
                  due=TODAY() - timedelta(days=3))
    mine_soon = add(case, coordinator, agency=police, owner=practitioner,
                    due=TODAY() + timedelta(days=2))
    add(case, coordinator, agency=housing, due=TODAY() - timedelta(days=10))  # Housing's
    finished = add(case, coordinator, agency=police, due=TODAY() - timedelta(days=30))
    services.action_progress_log(action=finished, actor=practitioner, on=TODAY(), note="Done",
                                 status="done")
    unseen = make_nominal(actor=coordinator)  # bob is not on this case
    add(unseen, coordinator, agency=police, due=TODAY() - timedelta(days=50))

    listed = list(selectors.my_actions(practitioner))
    assert listed == [overdue, mine_soon, later]
    assert [a.is_overdue for a in listed] == [True, False, False]


def test_my_actions_filters_by_case_status_overdue_and_whose(case, coordinator, practitioner,
                                                              police):
    other = make_nominal(actor=coordinator, case_manager=practitioner)
    overdue = add(case, coordinator, agency=police, due=TODAY() - timedelta(days=3))
    named = add(other, coordinator, agency=police, owner=practitioner)
    services.action_progress_log(action=named, actor=practitioner, on=TODAY(), note="Started",
                                 status="in_progress")

    def listed(**filters):
        return list(selectors.my_actions(practitioner, filters=filters))

    assert listed(case=case.pk) == [overdue]
    assert listed(status="in_progress") == [named]
    assert listed(overdue=True) == [overdue]
    assert listed(whose="me") == [named]
    assert listed(whose="agency") == [overdue, named]


def test_a_user_without_an_agency_sees_only_actions_named_to_them(case, coordinator, police):
    add(case, coordinator, agency=police)
    nobody = make_user(roles=[Role.COORDINATOR], agency=None)
    assert list(selectors.my_actions(nobody)) == []


def test_the_plan_summary_counts_open_overdue_and_the_victim_and_contingency_actions(
    case, coordinator, police
):
    add(case, coordinator, agency=police, due=TODAY() - timedelta(days=1),
        kind=ActionType.VICTIM_PROTECTION)
    add(case, coordinator, agency=police, kind=ActionType.CONTINGENCY)
    summary = selectors.plan_summary(coordinator, case)
    assert (summary["open"], summary["overdue"], summary["victim"],
            summary["contingency"]) == (2, 1, 1, 1)
    assert summary["due_next"][0].is_overdue


def test_the_plan_follows_the_case_s_access_rule(case, coordinator, practitioner, police,
                                                 outsider):
    add(case, coordinator, agency=police)
    assert not selectors.plan_of(outsider, case).exists()
    assert not selectors.my_actions(outsider).exists()
    assert selectors.plan_of(practitioner, case).count() == 1


def test_the_overdue_sweep_finds_open_actions_past_their_date_on_every_case(
    case, coordinator, practitioner, police
):
    late = add(case, coordinator, agency=police, due=TODAY() - timedelta(days=1))
    add(case, coordinator, agency=police, due=TODAY())
    finished = add(case, coordinator, agency=police, due=TODAY() - timedelta(days=5))
    services.action_progress_log(action=finished, actor=practitioner, on=TODAY(), note="Done",
                                 status="done")
    other_case = add(make_nominal(actor=coordinator), coordinator, agency=police,
                     due=TODAY() - timedelta(days=9))
    assert list(selectors.overdue_actions(TODAY())) == [other_case, late]


def test_the_home_panel_counts_my_open_and_overdue_actions(case, coordinator, practitioner,
                                                           police):
    late = add(case, coordinator, agency=police, due=TODAY() - timedelta(days=2))
    add(case, coordinator, agency=police, owner=practitioner)
    panel = selectors.my_actions_panel(practitioner, shown=1)
    assert (panel["open"], panel["overdue"]) == (2, 1)
    assert panel["actions"] == [late]


def test_recording_a_level_1_review_clears_its_alert_at_once(
        level1_case, practitioner, coordinator, monkeypatch, django_capture_on_commit_callbacks):
    """One obligation, cleared by the review: the case's sweep runs once the review is
    committed, and the "level 1 review due" alert is resolved."""
    from alerts.models import Alert, Rule
    from alerts.sweep import sweep
    from alerts.tasks import refresh_case
    from cases.models import LevelChange

    LevelChange.objects.filter(nominal=level1_case).update(
        date_from=TODAY() - timedelta(weeks=13))
    sweep(rules=[Rule.LEVEL1_REVIEW_DUE], nominal_ids=[level1_case.pk])
    alert = Alert.objects.get(rule=Rule.LEVEL1_REVIEW_DUE, nominal=level1_case)
    assert alert.resolved_at is None
    assert not Alert.objects.filter(rule=Rule.REVIEW_DUE, nominal=level1_case).exists()

    queued = []
    monkeypatch.setattr(refresh_case, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        review(level1_case, practitioner)
    assert queued == [level1_case.pk]
    refresh_case(level1_case.pk)
    alert.refresh_from_db()
    assert alert.resolved_at is not None
