"""Custody to community (issue: sentences, orders, breach and recall; seed 003): the lead of
the joined-up team follows the time left, recall and remand; each meeting's clock at its
edges; Category 2's "12 months custody or more"; a transfer tells the receiving establishment;
a recall requested is decided swiftly; the pages read by whoever reads the case only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts.models import NoticeKind, Notification, Rule
from alerts.registry import RULES
from cases.models import CustodyStatus
from coordination import services as coordination
from coordination.models import ProviderKind
from custody import services
from custody.models import (
    WITHOUT_LENGTH,
    BreachAction,
    ConditionKind,
    EventKind,
    MeetingMode,
    PlanningMeetingKind,
    Sentence,
    SentenceKind,
    TeamRole,
)
from interventions import services as interventions
from jmappa.accounts.models import AgencyKind, Role
from jmappa.workdays import add_months
from tests.factories import add_to_team, make_agency, make_nominal, make_user
from tests.helpers import content, sign_in
from tests.interventions.test_interventions import ENGAGEMENT, catalogued, chosen

pytestmark = pytest.mark.django_db

SENTENCED = date(2025, 3, 3)


@pytest.fixture
def officer(police):
    return make_user("pat", roles=[Role.PRACTITIONER], agency=police)


@pytest.fixture
def case(coordinator, officer):
    return make_nominal(actor=coordinator, case_manager=officer)


def sentence(case, actor, kind=SentenceKind.DETERMINATE, *, on=SENTENCED, months=48,
             release=None, **fields):
    if kind in WITHOUT_LENGTH:
        months = None
    return services.sentence_record(nominal=case, actor=actor, kind=kind, length_months=months,
                                    sentenced_on=on, earliest_release_on=release, **fields)


def held(case, actor, kind, on, present=(), person=True, **record):
    meeting = services.meeting_arrange(nominal=case, actor=actor, kind=kind, held_on=on,
                                       mode=MeetingMode.VIDEO, chair=TeamRole.PROBATION)
    sections = {s: "Recorded." for s in ("information_shared", "approach_agreed",
                                          "my_plan_completed", "plans_updated", "progress",
                                          "ending_support", "next_steps")}
    member = present or [services.member_add(nominal=case, actor=actor, role=TeamRole.PROBATION,
                                             name="Claire Le Sueur", joined_on=on)]
    return services.meeting_record(meeting=meeting, actor=actor, version=meeting.version,
                                   held=True, present=member, person_present=person,
                                   **{**sections, **record})


def due(rule, day):
    return {row["nominal_id"]: row["due_on"] for row in RULES[rule].rows(day, horizon=day)}


# -- the lead -----------------------------------------------------------------------------------


def lead_on(case, day):
    return services.lead_for(case, services.current_sentence(case), day)[0]


def test_prison_offender_manager_leads_with_ten_months_and_one_day_left(case, officer):
    release = date(2026, 11, 2)
    sentence(case, officer, release=release)
    assert lead_on(case, date(2026, 1, 1)) == TeamRole.POM  # 10 months and 1 day


def test_probation_practitioner_leads_with_exactly_ten_months_left(case, officer):
    sentence(case, officer, release=date(2026, 11, 1))
    assert lead_on(case, date(2026, 1, 1)) == TeamRole.PROBATION


def test_probation_practitioner_leads_on_recall_and_care_experience_specialist_on_remand(
        case, officer, coordinator):
    sentence(case, officer, SentenceKind.RECALL, on=date(2026, 1, 5),
             release=date(2028, 1, 1))
    assert case.joined_up_planning.lead == TeamRole.PROBATION
    other = make_nominal(actor=coordinator, case_manager=officer)
    sentence(other, officer, SentenceKind.REMAND, on=date(2026, 1, 5))
    other.refresh_from_db()
    assert other.joined_up_planning.lead == TeamRole.CARE_EXPERIENCE
    assert other.custody_status == CustodyStatus.CUSTODY


def test_lead_passes_to_probation_at_the_ten_month_line_by_itself_and_the_team_is_told(
        case, officer, police, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    release = today + timedelta(days=400)
    line = add_months(release, -10)
    sentence(case, officer, on=today - timedelta(days=30), release=release)
    colleague = make_user("pom", roles=[Role.PRACTITIONER], agency=police)
    services.member_add(nominal=case, actor=officer, role=TeamRole.POM, user=colleague,
                        joined_on=today - timedelta(days=30))
    assert case.joined_up_planning.lead == TeamRole.POM
    services.leads_refresh(line - timedelta(days=1))  # 10 months and a day left: no change
    case.joined_up_planning.refresh_from_db()
    assert case.joined_up_planning.lead == TeamRole.POM
    with django_capture_on_commit_callbacks(execute=True):
        assert services.leads_refresh(line) == 1
    case.joined_up_planning.refresh_from_db()
    assert (case.joined_up_planning.lead, case.joined_up_planning.lead_since) == (
        TeamRole.PROBATION, line)
    told = set(Notification.objects.filter(kind=NoticeKind.LEAD_CHANGED).values_list(
        "user__username", flat=True))
    assert told == {"pom", "pat"}
    assert services.leads_refresh(line + timedelta(days=1)) == 0  # told once


# -- the sentence --------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "months", "category_two"), [
    (SentenceKind.DETERMINATE, 12, True), (SentenceKind.SHORT_TERM, 11, False),
    (SentenceKind.LIFE, None, True)])
def test_category_two_needs_twelve_months_custody_or_more(kind, months, category_two):
    assert Sentence(kind=kind, length_months=months).twelve_months_or_more is category_two


def test_a_sentence_gives_the_case_its_dates_but_a_recall_keeps_the_sentence_date(
        case, officer):
    sentence(case, officer, release=date(2027, 3, 3), temporary_release_on=date(2026, 9, 1))
    case.refresh_from_db()
    assert (case.sentence_date, case.earliest_release_date, case.temporary_release_date) == (
        SENTENCED, date(2027, 3, 3), date(2026, 9, 1))
    sentence(case, officer, SentenceKind.RECALL, on=date(2026, 2, 1), release=date(2027, 1, 1))
    case.refresh_from_db()
    assert case.sentence_date == SENTENCED
    assert case.earliest_release_date == date(2027, 1, 1)


def test_a_sentence_refuses_a_length_for_life_and_dates_before_it(case, officer):
    with pytest.raises(ValidationError) as refused:
        services.sentence_record(nominal=case, actor=officer, kind=SentenceKind.LIFE,
                                 length_months=120, sentenced_on=SENTENCED,
                                 earliest_release_on=date(2020, 1, 1))
    assert set(refused.value.message_dict) == {"length_months", "earliest_release_on"}
    assert not Sentence.objects.exists()


# -- custody events ------------------------------------------------------------------------------


def test_a_transfer_is_recorded_only_once_the_receiving_establishment_is_told(case, officer):
    sentence(case, officer, release=date(2028, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.event_record(nominal=case, actor=officer, kind=EventKind.HOSPITAL_TRANSFER,
                              occurred_on=date(2026, 1, 2), establishment="Orchard House")
    assert "JMAPPA-eligible" in refused.value.message_dict["receiving_told"][0]
    services.event_record(nominal=case, actor=officer, kind=EventKind.HOSPITAL_TRANSFER,
                          occurred_on=date(2026, 1, 2), establishment="Orchard House",
                          receiving_told=True)
    case.refresh_from_db()
    assert case.custody_status == CustodyStatus.HOSPITAL


def test_on_release_the_register_says_community_and_probation_leads(case, officer):
    today = timezone.localdate()
    sentence(case, officer, on=today - timedelta(days=400), release=today + timedelta(days=900))
    assert case.joined_up_planning.lead == TeamRole.POM
    services.event_record(nominal=case, actor=officer, kind=EventKind.RELEASE,
                          occurred_on=today - timedelta(days=1))
    case.refresh_from_db()
    assert case.custody_status == CustodyStatus.COMMUNITY
    assert (case.joined_up_planning.lead, case.joined_up_planning.lead_reason) == (
        TeamRole.PROBATION, "supported in the community")


def test_pre_release_meeting_due_six_months_before_hospital_discharge_eligibility_unreferred(
        case, officer):
    sentence(case, officer, release=date(2027, 9, 1), temporary_release_on=date(2027, 3, 1))
    services.event_record(nominal=case, actor=officer, kind=EventKind.HOSPITAL_TRANSFER,
                          occurred_on=date(2026, 1, 2), establishment="Orchard House",
                          receiving_told=True)
    assert not case.referrals.exists()
    assert due(Rule.PRE_RELEASE_MEETING_DUE, date(2026, 9, 1)) == {case.pk: date(2026, 9, 1)}
    assert case.pk not in due(Rule.PRE_RELEASE_MEETING_DUE, date(2026, 8, 31))


# -- the meetings' clocks ------------------------------------------------------------------------


def test_planning_meeting_one_due_ten_weeks_after_sentencing_until_held(case, officer):
    sentence(case, officer, on=date(2026, 6, 1), release=date(2029, 1, 1))
    assert case.pk not in due(Rule.PLANNING_MEETING_1_DUE, date(2026, 8, 9))
    assert due(Rule.PLANNING_MEETING_1_DUE, date(2026, 8, 10)) == {case.pk: date(2026, 8, 10)}
    held(case, officer, PlanningMeetingKind.FIRST, date(2026, 8, 12), person=False)
    assert case.pk not in due(Rule.PLANNING_MEETING_1_DUE, date(2026, 9, 1))


def test_no_planning_meeting_one_on_remand(case, officer):
    sentence(case, officer, SentenceKind.REMAND, on=date(2026, 6, 1))
    assert case.pk not in due(Rule.PLANNING_MEETING_1_DUE, date(2027, 1, 1))


def test_life_sentence_reviewed_at_least_every_three_years(case, officer):
    sentence(case, officer, SentenceKind.LIFE, on=date(2020, 5, 4))
    held(case, officer, PlanningMeetingKind.REVIEW, date(2023, 6, 1))
    assert case.pk not in due(Rule.REVIEW_MEETING_DUE, date(2026, 5, 31))
    assert due(Rule.REVIEW_MEETING_DUE, date(2026, 6, 1)) == {case.pk: date(2026, 6, 1)}


def test_long_term_sentence_reviewed_every_two_years_and_ten_months_before_release(
        case, officer):
    sentence(case, officer, on=date(2021, 1, 4), months=96, release=date(2027, 1, 4))
    held(case, officer, PlanningMeetingKind.REVIEW, date(2025, 9, 1))
    # Two years on would be 1 September 2027: ten months before release comes first.
    assert due(Rule.REVIEW_MEETING_DUE, date(2026, 3, 4)) == {case.pk: date(2026, 3, 4)}
    assert case.pk not in due(Rule.REVIEW_MEETING_DUE, date(2026, 3, 3))
    # A review two months before that date answers it; the two-yearly clock goes on.
    held(case, officer, PlanningMeetingKind.REVIEW, date(2026, 1, 10))
    assert case.pk not in due(Rule.REVIEW_MEETING_DUE, date(2026, 12, 1))


def test_long_term_review_held_too_early_does_not_answer_the_pre_release_review(case, officer):
    sentence(case, officer, on=date(2021, 1, 4), months=96, release=date(2027, 1, 4))
    held(case, officer, PlanningMeetingKind.REVIEW, date(2026, 1, 3))  # 12 months and a day
    assert due(Rule.REVIEW_MEETING_DUE, date(2026, 3, 4)) == {case.pk: date(2026, 3, 4)}


@pytest.mark.parametrize("kind", [SentenceKind.SHORT_TERM, SentenceKind.RECALL])
def test_short_term_sentence_or_recall_reviewed_at_least_once_before_release(
        case, officer, kind):
    sentence(case, officer, kind, on=date(2026, 1, 5), months=8, release=date(2026, 9, 5))
    assert case.pk not in due(Rule.REVIEW_MEETING_DUE, date(2026, 9, 4))
    assert due(Rule.REVIEW_MEETING_DUE, date(2026, 9, 5)) == {case.pk: date(2026, 9, 5)}
    held(case, officer, PlanningMeetingKind.REVIEW, date(2026, 6, 1))
    assert case.pk not in due(Rule.REVIEW_MEETING_DUE, date(2026, 12, 1))


def test_final_review_due_by_the_end_of_the_sentence_until_held(case, officer):
    sentence(case, officer, on=date(2024, 1, 8), months=36, release=date(2025, 7, 8),
             sentence_end_on=date(2027, 1, 8))
    assert case.pk not in due(Rule.FINAL_REVIEW_DUE, date(2027, 1, 7))
    assert due(Rule.FINAL_REVIEW_DUE, date(2027, 1, 8)) == {case.pk: date(2027, 1, 8)}
    held(case, officer, PlanningMeetingKind.FINAL, date(2026, 12, 1))
    assert case.pk not in due(Rule.FINAL_REVIEW_DUE, date(2027, 2, 1))


def test_pathway_plan_reviewed_every_six_months(case, officer):
    advisor = services.member_add(nominal=case, actor=officer,
                                  role=TeamRole.PERSONAL_ADVISOR, name="Tom Vibert",
                                  joined_on=date(2026, 1, 31))
    assert case.pk not in due(Rule.PATHWAY_PLAN_REVIEW_DUE, date(2026, 7, 30))
    assert due(Rule.PATHWAY_PLAN_REVIEW_DUE, date(2026, 7, 31)) == {case.pk: date(2026, 7, 31)}
    services.pathway_review_record(nominal=case, actor=officer, reviewed_on=date(2026, 7, 20),
                                   reviewed_by=advisor, summary="Housing plan added.")
    assert due(Rule.PATHWAY_PLAN_REVIEW_DUE, date(2027, 1, 20)) == {case.pk: date(2027, 1, 20)}
    assert add_months(date(2026, 7, 20), 6) == date(2027, 1, 20)


def test_planning_meeting_two_is_held_with_the_person_after_planning_meeting_one(case, officer):
    with pytest.raises(ValidationError) as refused:
        services.meeting_arrange(nominal=case, actor=officer, kind=PlanningMeetingKind.SECOND,
                                 held_on=date(2026, 1, 5), mode=MeetingMode.IN_PERSON,
                                 chair=TeamRole.POM)
    assert "Planning Meeting 1" in refused.value.message_dict["kind"][0]
    held(case, officer, PlanningMeetingKind.FIRST, date(2026, 1, 5), person=False)
    with pytest.raises(ValidationError) as refused:
        held(case, officer, PlanningMeetingKind.SECOND, date(2026, 1, 19), person=False)
    assert "person_present" in refused.value.message_dict


# -- breach and recall ---------------------------------------------------------------------------


def test_recall_requested_is_due_at_once_and_a_recall_moves_the_lead_to_probation(
        case, officer):
    today = timezone.localdate()
    sentence(case, officer, on=today - timedelta(days=900), months=36,
             release=today - timedelta(days=300), sentence_end_on=today + timedelta(days=200))
    services.event_record(nominal=case, actor=officer, kind=EventKind.RELEASE,
                          occurred_on=today - timedelta(days=300))
    zone = services.condition_add(nominal=case, actor=officer,
                                  kind=ConditionKind.EXCLUSION_ZONE, terms="Not St Clement.",
                                  excluded_places="St Clement",
                                  starts_on=today - timedelta(days=300))
    breach = services.breach_record(
        nominal=case, actor=officer, condition=zone, occurred_on=today - timedelta(days=2),
        what_happened="Seen in St Clement.", reported_by="Police",
        action=BreachAction.RECALL_REQUESTED, action_on=today - timedelta(days=1))
    assert due(Rule.RECALL_DECISION_DUE, today) == {case.pk: today - timedelta(days=1)}
    with pytest.raises(ValidationError) as refused:
        services.recall_decide(breach=breach, actor=officer, decided_on=today, recalled=True,
                               reasons="Risk to the victim.")
    assert "what_led" in refused.value.message_dict
    services.recall_decide(breach=breach, actor=officer, decided_on=today, recalled=True,
                           reasons="Risk to the victim.", what_led="Lost his job.")
    case.refresh_from_db()
    assert case.custody_status == CustodyStatus.CUSTODY
    assert case.joined_up_planning.lead == TeamRole.PROBATION
    assert case.joined_up_planning.lead_reason == "on recall"
    assert case.pk not in due(Rule.RECALL_DECISION_DUE, today)


def test_a_breach_is_kept_by_those_who_keep_the_case_plan_only(case, coordinator, housing):
    reader = make_user("reader", roles=[Role.PRACTITIONER], agency=housing)
    add_to_team(case, reader, actor=coordinator)
    with pytest.raises(PermissionDenied):
        services.breach_record(nominal=case, actor=reader, occurred_on=date(2026, 1, 1),
                               what_happened="Late home.", reported_by="Police",
                               action=BreachAction.WARNING, action_on=date(2026, 1, 1))


def test_team_action_is_owned_by_a_member_or_by_the_person_not_both(case, officer):
    member = services.member_add(nominal=case, actor=officer, role=TeamRole.POM,
                                 name="Sarah Le Brocq", joined_on=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.action_add(nominal=case, actor=officer, action="Apply for the course.",
                            owner=member, by_the_person=True, due_on=date(2026, 2, 1))
    action = services.action_add(nominal=case, actor=officer, action="Apply for the course.",
                                 owner=None, by_the_person=True, due_on=date(2026, 2, 1))
    services.action_update(action=action, actor=officer, version=action.version,
                           note="Applied.", done_on=date(2026, 1, 20))
    action.refresh_from_db()
    assert action.done_on == date(2026, 1, 20)
    assert [u.note for u in action.updates.all()] == ["Applied."]


# -- pages ---------------------------------------------------------------------------------------


def test_custody_section_shows_the_lead_and_hides_named_people_without_victim_permission(
        client, case, officer, coordinator, housing):
    sentence(case, officer, release=date(2030, 1, 1))
    services.condition_add(nominal=case, actor=officer, kind=ConditionKind.RESTRAINING,
                           terms="No contact.", named_people="Alice Quérée",
                           starts_on=date(2025, 3, 3))
    reader = make_user("reader", roles=[Role.PRACTITIONER], agency=housing)
    add_to_team(case, reader, actor=coordinator)
    sign_in(client, reader)
    page = content(client.get(reverse("custody:case", args=[case.pk]), secure=True))
    assert "Prison Offender Manager" in page
    assert "Alice Quérée" not in page
    assert "disclosure should be considered" in page
    assert client.get(reverse("custody:sentence_add", args=[case.pk]),
                      secure=True).status_code == 403
    sign_in(client, officer)  # the case manager reads the case's victims
    assert "Alice Quérée" in content(client.get(reverse("custody:case", args=[case.pk]),
                                                secure=True))


def test_custody_section_answers_404_outside_the_case(client, case, outsider):
    sign_in(client, outsider)
    assert client.get(reverse("custody:case", args=[case.pk]), secure=True).status_code == 404
    assert client.get(reverse("custody:sentence_add", args=[case.pk]),
                      secure=True).status_code == 404


def test_sentence_form_keeps_what_was_typed_and_says_what_is_wrong(client, case, officer):
    sign_in(client, officer)
    response = client.post(reverse("custody:sentence_add", args=[case.pk]), {
        "kind": SentenceKind.DETERMINATE, "sentenced_on_day": "3", "sentenced_on_month": "3",
        "sentenced_on_year": "2025", "establishment": "HMP La Moye"}, secure=True)
    page = content(response)
    assert response.status_code == 200
    assert "Give the length of the custodial term in months." in page
    assert "HMP La Moye" in page
    assert "---------" not in page  # a radio question offers no blank answer
    assert not Sentence.objects.exists()


def test_non_compliance_with_an_intervention_of_the_case_package_only(
        case, officer, coordinator, police):
    provider = coordination.provider_save(actor=coordinator, name="Probation programmes",
                                          kind=ProviderKind.AGENCY, agency=police,
                                          services="Programmes")
    package = interventions.package_start(nominal=case, actor=officer, **ENGAGEMENT)
    item = chosen(package, officer, catalogued(coordinator, provider))
    other = make_nominal(actor=coordinator, case_manager=officer)
    fields = {"occurred_on": date(2026, 5, 4), "what_happened": "Missed three sessions.",
              "reported_by": "Programme facilitator", "action": BreachAction.WARNING,
              "action_on": date(2026, 5, 5), "intervention": item}
    with pytest.raises(ValidationError) as refused:
        services.breach_record(nominal=other, actor=officer, **fields)
    assert "intervention" in refused.value.message_dict
    assert services.breach_record(nominal=case, actor=officer, **fields).intervention == item


def test_pre_release_joint_visit_is_by_the_police_and_probation_together(
        case, officer, police, coordinator):
    probation = make_agency("Probation", kind=AgencyKind.PROBATION)
    probation_officer = make_user("pro", roles=[Role.PRACTITIONER], agency=probation)
    with pytest.raises(ValidationError) as refused:
        services.joint_visit_record(nominal=case, actor=officer, visited_on=date(2026, 5, 4),
                                    police_officer=officer, probation_officer=officer,
                                    purpose="The licence conditions.")
    assert set(refused.value.message_dict) == {"probation_officer"}
    visit = services.joint_visit_record(
        nominal=case, actor=officer, visited_on=date(2026, 5, 4), police_officer=officer,
        probation_officer=probation_officer, purpose="The licence conditions.")
    assert list(case.joint_visits.all()) == [visit]


def test_hospital_order_puts_the_person_in_hospital_and_starts_the_three_days_to_identify(
        coordinator, officer):
    case = make_nominal(actor=coordinator, case_manager=officer,
                        identified_on=date(2026, 3, 6))
    sentence(case, officer, SentenceKind.HOSPITAL_ORDER, on=date(2026, 3, 2))
    case.refresh_from_db()
    assert case.custody_status == CustodyStatus.HOSPITAL
    assert not hasattr(case, "joined_up_planning")  # seed 003's team is for prisoners
    assert case.pk not in due(Rule.PLANNING_MEETING_1_DUE, date(2027, 1, 1))
    # Identified on the 4th day after the order: late (3 calendar days, §3.3).
    assert due(Rule.IDENTIFICATION_LATE, date(2026, 3, 6)) == {case.pk: date(2026, 3, 5)}
