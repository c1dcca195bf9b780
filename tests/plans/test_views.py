"""The Risk Management Plan's pages: the plan of a case, the action pages, level 1 reviews,
home visits, the case page's plan section, and "My actions" with its htmx progress entry."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Category, Level, RiskLevel
from jmappa import access
from jmappa.audit.models import AuditEvent, Verb
from meetings.models import Meeting, MeetingKind, MeetingStatus
from plans import services
from plans.models import (
    ActionProgress,
    ActionStatus,
    ActionType,
    HomeVisit,
    Level1Review,
    PlanAction,
)
from tests.factories import add_to_team, make_nominal, make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
MINE = reverse("plans:mine")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case(coordinator, practitioner):
    """A level 2 case managed by bob (Police)."""
    return make_nominal(actor=coordinator, case_manager=practitioner, level=Level.TWO,
                        level_reason="Panel decision", family_name="Le Sueur",
                        given_names="Jean")


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


def plan(nominal):
    return reverse("plans:plan", args=[nominal.pk])


def detail(action):
    return reverse("plans:action_detail", args=[action.nominal_id, action.pk])


def progress(action, query=""):
    return reverse("plans:progress", args=[action.pk]) + (f"?{query}" if query else "")


def entry(action, *, on=None, note="Visited; nothing of concern", status="in_progress",
          version=None):
    prefix = f"a{action.pk}"
    return {f"{prefix}-on": (on or TODAY()).isoformat(), f"{prefix}-note": note,
            f"{prefix}-status": status,
            f"{prefix}-version": str(version if version is not None else action.version)}


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# -- who sees what: outside the case, nothing ------------------------------------------------------


@pytest.fixture
def level1_rso(coordinator, practitioner):
    nominal = make_nominal(actor=coordinator, case_manager=practitioner, level=Level.ONE,
                           level_reason="Co-ordinator confirmed level 1",
                           category=Category.ONE)
    nominal.rosh = RiskLevel.HIGH
    nominal.save(update_fields=["rosh"])
    return nominal


@pytest.mark.parametrize("page", [
    "plan", "action_add", "action_detail", "action_edit", "level1_reviews",
    "level1_review_add", "home_visits", "home_visit_add",
])
def test_someone_outside_the_case_gets_404_on_every_plan_page(client, outsider, coordinator,
                                                              police, level1_rso, page):
    action = add(level1_rso, coordinator, agency=police)
    args = [level1_rso.pk, action.pk] if page.startswith("action_") and page != "action_add" \
        else [level1_rso.pk]
    sign_in(client, outsider)
    url = reverse(f"plans:{page}", args=args)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_someone_outside_the_case_gets_404_on_the_progress_post_and_nothing_is_logged(
    client, outsider, coordinator, police, case
):
    action = add(case, coordinator, agency=police)
    sign_in(client, outsider)
    assert client.post(progress(action), entry(action), **HTMX).status_code == 404
    assert client.post(progress(action), entry(action)).status_code == 404
    assert client.post(reverse("plans:actions_carry", args=[case.pk]), {}).status_code == 404
    assert not ActionProgress.objects.exists()


def test_an_action_of_another_case_is_404_under_this_one(practitioner_client, coordinator,
                                                         practitioner, police, case):
    other = make_nominal(actor=coordinator, case_manager=practitioner)
    action = add(other, coordinator, agency=police)
    url = reverse("plans:action_detail", args=[case.pk, action.pk])
    assert practitioner_client.get(url).status_code == 404


# -- the plan page ---------------------------------------------------------------------------------


def test_the_plan_groups_actions_by_status_with_owner_dates_meeting_and_history(
    practitioner_client, coordinator, practitioner, police, housing, case
):
    meeting = meeting_on(case, coordinator, date(2026, 1, 14), status=MeetingStatus.HELD)
    overdue = add(case, coordinator, agency=police, owner=practitioner, meeting=meeting,
                  due=TODAY() - timedelta(days=4), kind=ActionType.VICTIM_PROTECTION,
                  description="Check the victim's panic alarm")
    done = add(case, coordinator, agency=housing, description="Move to supported housing",
               kind=ActionType.EXTERNAL_CONTROL)
    services.action_progress_log(action=done, actor=coordinator, on=date(2026, 2, 3),
                                 note="Tenancy signed", status="done")
    response = practitioner_client.get(plan(case))
    assert response.status_code == 200
    page = response.content.decode()
    groups = {g["status"]: [a.pk for a in g["actions"]] for g in response.context["groups"]}
    assert groups[ActionStatus.OPEN] == [overdue.pk]
    assert groups[ActionStatus.DONE] == [done.pk]
    assert "Check the victim&#x27;s panic alarm" in page
    assert "Bob Practitioner" in page and "Housing" in page
    assert "Overdue by 4 days" in page
    assert "Level 2 meeting, <time" in page and "14 January 2026" in page
    assert "Done 3 February 2026" in page and "Tenancy signed" in page
    # §7.2: a contingency plan is missing.
    assert "a contingency plan should it break down" in page
    assert AuditEvent.objects.filter(action=Verb.VIEW, case_id=case.pk,
                                     actor=practitioner).exists()


def test_the_plan_shows_what_an_action_was_carried_from(coordinator_client, coordinator,
                                                        police, case):
    first = meeting_on(case, coordinator, date(2026, 1, 14), status=MeetingStatus.HELD)
    stuck = add(case, coordinator, agency=police, meeting=first)
    services.action_progress_log(action=stuck, actor=coordinator, on=TODAY(),
                                 note="Court refused", status="cannot_deliver")
    following = meeting_on(case, coordinator, TODAY() + timedelta(days=10))
    page = coordinator_client.get(plan(case)).content.decode()
    assert "cannot be delivered: to the next meeting" in page
    response = coordinator_client.post(reverse("plans:actions_carry", args=[case.pk]),
                                       {"meeting": following.pk}, follow=True)
    assert "1 action carried to the Level 2 meeting" in response.content.decode()
    new = PlanAction.objects.get(carried_from=stuck)
    page = coordinator_client.get(plan(case)).content.decode()
    assert "Carried from the Level 2 meeting, <time" in page
    assert "Carried to the Level 2 meeting" in page
    assert new.meeting == following


def test_someone_who_sees_the_case_but_does_not_keep_the_plan_is_refused_its_forms(
    client, coordinator, police, outsider, case
):
    add_to_team(case, outsider, actor=coordinator)
    action = add(case, coordinator, agency=police)
    sign_in(client, outsider)
    assert client.get(plan(case)).status_code == 200
    assert "Add an action" not in client.get(plan(case)).content.decode()
    assert client.get(reverse("plans:action_add", args=[case.pk])).status_code == 403
    assert client.get(reverse("plans:action_edit", args=[case.pk, action.pk])).status_code \
        == 403


# -- adding and changing actions -------------------------------------------------------------------


def action_form(**overrides):
    data = {"description": "Monthly home visit with Probation", "action_type": "monitoring",
            "owner_agency": "", "owner": "", "due_date": "2030-05-31", "plan_reference": "",
            "meeting": ""}
    data.update(overrides)
    return data


def test_adding_an_action_gives_its_named_owner_the_case(practitioner_client, housing, case):
    owner = make_user("erin", agency=housing, first_name="Erin", last_name="Housing")
    url = reverse("plans:action_add", args=[case.pk])
    response = practitioner_client.post(url, action_form(owner_agency=housing.pk,
                                                         owner=owner.pk))
    action = PlanAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{plan(case)}#action-{action.pk}"
    assert action.owner == owner and action.due_date == date(2030, 5, 31)
    assert access.can_view_nominal(owner, case)


def test_an_owner_of_another_agency_is_refused_and_nothing_typed_is_lost(
    practitioner_client, practitioner, housing, case
):
    url = reverse("plans:action_add", args=[case.pk])
    response = practitioner_client.post(url, action_form(owner_agency=housing.pk,
                                                         owner=practitioner.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "works for States of Jersey Police, not Housing" in page
    assert "Monthly home visit with Probation" in page
    assert not PlanAction.objects.exists()


def test_an_action_needs_its_owning_agency_and_completion_date(practitioner_client, case):
    url = reverse("plans:action_add", args=[case.pk])
    response = practitioner_client.post(url, action_form(due_date=""))
    errors = response.context["form"].errors
    assert errors["owner_agency"] == ["Choose the owning agency."]
    assert errors["due_date"] == ["Enter the completion date."]


def test_the_add_form_offers_the_type_asked_for_and_only_the_case_s_meetings(
    practitioner_client, coordinator, case
):
    own = meeting_on(case, coordinator, TODAY() - timedelta(days=3))
    other = meeting_on(make_nominal(actor=coordinator), coordinator, TODAY())
    response = practitioner_client.get(reverse("plans:action_add", args=[case.pk])
                                       + "?type=victim_protection")
    form = response.context["form"]
    assert form.initial["action_type"] == "victim_protection"
    assert form.initial["meeting"] == own.pk
    assert list(form.fields["meeting"].queryset) == [own]
    assert other not in form.fields["meeting"].queryset


def test_an_action_added_from_the_minutes_returns_to_them(practitioner_client, coordinator,
                                                          police, case):
    meeting = meeting_on(case, coordinator, TODAY() + timedelta(days=3))
    minutes = f"/meetings/{meeting.pk}/minutes/"
    url = reverse("plans:action_add", args=[case.pk]) + f"?meeting={meeting.pk}&next={minutes}"
    assert practitioner_client.get(url).context["form"].initial["meeting"] == meeting.pk
    response = practitioner_client.post(url, action_form(owner_agency=police.pk,
                                                         meeting=meeting.pk))
    assert response["Location"] == minutes
    assert PlanAction.objects.get().meeting == meeting
    elsewhere = reverse("plans:action_add", args=[case.pk]) + "?next=https://example.com/"
    response = practitioner_client.post(elsewhere, action_form(owner_agency=police.pk))
    assert response["Location"].startswith(plan(case))


def test_a_stale_change_of_an_action_shows_what_the_other_person_changed(
    practitioner_client, coordinator, police, case
):
    action = add(case, coordinator, agency=police)
    url = reverse("plans:action_edit", args=[case.pk, action.pk])
    opened = practitioner_client.get(url).context["form"].initial
    services.action_update(action=action, actor=coordinator, version=action.version,
                           due_date=date(2031, 3, 1))
    response = practitioner_client.post(url, action_form(
        owner_agency=police.pk, description="Fortnightly reporting", due_date="2030-05-31",
        version=opened["version"], opened=opened["opened"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this action while you were changing it" in page
    assert "Completion date: now “1 March 2031”" in page
    assert "Fortnightly reporting" in page
    action.refresh_from_db()
    assert action.description == "Weekly reporting at the police station"


def test_progress_logged_meanwhile_does_not_block_a_change_of_the_action(
    practitioner_client, coordinator, police, case
):
    action = add(case, coordinator, agency=police)
    url = reverse("plans:action_edit", args=[case.pk, action.pk])
    opened = practitioner_client.get(url).context["form"].initial
    services.action_progress_log(action=action, actor=coordinator, on=TODAY(),
                                 note="Started", status="in_progress")
    response = practitioner_client.post(url, action_form(
        owner_agency=police.pk, description="Fortnightly reporting", due_date="2030-05-31",
        version=opened["version"], opened=opened["opened"]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Fortnightly reporting"
    assert action.status == ActionStatus.IN_PROGRESS


def test_changing_an_action_saves_and_returns_to_the_plan(practitioner_client, coordinator,
                                                          police, case):
    action = add(case, coordinator, agency=police)
    url = reverse("plans:action_edit", args=[case.pk, action.pk])
    opened = practitioner_client.get(url).context["form"].initial
    response = practitioner_client.post(url, action_form(
        owner_agency=police.pk, description="Fortnightly reporting", due_date="2030-05-31",
        version=opened["version"], opened=opened["opened"]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Fortnightly reporting" and action.version == 2


# -- the action page and its progress log ----------------------------------------------------------


def test_the_owner_logs_progress_on_the_action_page(practitioner_client, coordinator, police,
                                                    case):
    action = add(case, coordinator, agency=police)
    response = practitioner_client.post(detail(action), {
        "on": TODAY().isoformat(), "note": "Licence condition added", "status": "done",
        "version": action.version})
    assert response.status_code == 302 and response["Location"] == detail(action)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_on == TODAY()
    page = practitioner_client.get(detail(action)).content.decode()
    assert "Licence condition added" in page


def test_progress_in_the_future_comes_back_with_the_note_kept(practitioner_client, coordinator,
                                                              police, case):
    action = add(case, coordinator, agency=police)
    response = practitioner_client.post(detail(action), {
        "on": (TODAY() + timedelta(days=1)).isoformat(), "note": "Will visit tomorrow",
        "status": "in_progress", "version": action.version})
    assert response.status_code == 200
    assert response.context["form"].errors["on"] == ["This date cannot be in the future."]
    assert "Will visit tomorrow" in response.content.decode()
    assert not action.progress.exists()


def test_a_stale_entry_on_the_action_page_is_refused_keeping_the_note(
    practitioner_client, coordinator, police, case
):
    action = add(case, coordinator, agency=police)
    services.action_progress_log(action=action, actor=coordinator, on=TODAY(),
                                 note="Colleague's visit", status="in_progress")
    response = practitioner_client.post(detail(action), {
        "on": TODAY().isoformat(), "note": "My own visit", "status": "done", "version": 1})
    page = response.content.decode()
    assert "This action changed since you opened the page" in page
    assert "My own visit" in page and response.context["form"]["version"].value() == "2"
    assert action.progress.count() == 1


def test_someone_outside_the_owning_agency_sees_no_progress_form_and_cannot_post(
    client, coordinator, police, outsider, case
):
    add_to_team(case, outsider, actor=coordinator)
    action = add(case, coordinator, agency=police)
    sign_in(client, outsider)
    response = client.get(detail(action))
    assert response.status_code == 200 and response.context["form"] is None
    assert client.post(detail(action), {"on": TODAY().isoformat(), "note": "x",
                                        "status": "done", "version": 1}).status_code == 403
    assert client.post(progress(action), entry(action), **HTMX).status_code == 403
    assert not action.progress.exists()


# -- "My actions" ----------------------------------------------------------------------------------


def test_my_actions_lists_own_and_own_agency_open_actions_overdue_first(
    practitioner_client, coordinator, practitioner, police, housing, case
):
    soon = add(case, coordinator, agency=police, owner=practitioner,
               due=TODAY() + timedelta(days=2), description="Named to bob")
    overdue = add(case, coordinator, agency=police, due=TODAY() - timedelta(days=5),
                  description="Police overdue")
    add(case, coordinator, agency=housing, due=TODAY() - timedelta(days=9),
        description="Housing's own")
    unseen = make_nominal(actor=coordinator)
    add(unseen, coordinator, agency=police, due=TODAY() - timedelta(days=20),
        description="On a case bob cannot see")
    response = practitioner_client.get(MINE)
    assert [row["action"].pk for row in response.context["rows"]] == [overdue.pk, soon.pk]
    page = response.content.decode()
    assert "Housing&#x27;s own" not in page and "On a case bob cannot see" not in page
    assert page.index("Police overdue") < page.index("Named to bob")
    assert "1 overdue" in page and "Named to you" in page


def test_my_actions_filters_and_an_unknown_case_shows_nothing_not_everything(
    practitioner_client, coordinator, practitioner, police, case
):
    add(case, coordinator, agency=police, due=TODAY() - timedelta(days=5))
    add(case, coordinator, agency=police, owner=practitioner)
    assert len(practitioner_client.get(MINE + "?overdue=on").context["rows"]) == 1
    assert len(practitioner_client.get(MINE + "?whose=me").context["rows"]) == 1
    assert len(practitioner_client.get(MINE + f"?case={case.pk}").context["rows"]) == 2
    unknown = practitioner_client.get(MINE + "?case=999999")
    assert unknown.context["rows"] == []
    assert "None of your open actions is on that case" in unknown.content.decode()
    assert "No open action matches these filters." in unknown.content.decode()


def test_the_htmx_progress_entry_answers_with_the_row_alone(practitioner_client, coordinator,
                                                            police, case):
    action = add(case, coordinator, agency=police)
    response = practitioner_client.post(progress(action), entry(action), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="row-{action.pk}"')
    assert "<html" not in html and "<nav" not in html
    assert "Saved: " in html and "In progress" in html
    # A fresh form, carrying the action's new version.
    assert f'name="a{action.pk}-version" value="2"' in html
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_the_htmx_progress_entry_shows_errors_in_the_row_keeping_what_was_typed(
    practitioner_client, coordinator, police, case
):
    action = add(case, coordinator, agency=police)
    data = entry(action, on=TODAY() + timedelta(days=3), note="Visit booked for Friday")
    response = practitioner_client.post(progress(action), data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="row-{action.pk}"')
    assert "Not saved: check what is marked." in html
    assert "This date cannot be in the future." in html
    assert "Visit booked for Friday" in html
    assert not action.progress.exists()


def test_done_from_my_actions_says_the_action_leaves_the_list(practitioner_client, coordinator,
                                                              police, case):
    action = add(case, coordinator, agency=police)
    html = practitioner_client.post(progress(action), entry(action, status="done"),
                                    **HTMX).content.decode()
    assert "Now done: it leaves your list." in html
    assert practitioner_client.get(MINE).context["rows"] == []


def test_a_stale_htmx_entry_is_refused_in_the_row_with_the_new_status(
    practitioner_client, coordinator, police, case
):
    action = add(case, coordinator, agency=police)
    opened_version = action.version
    services.action_progress_log(action=action, actor=coordinator, on=TODAY(),
                                 note="Colleague visited", status="in_progress")
    html = practitioner_client.post(
        progress(action), entry(action, note="My visit", version=opened_version),
        **HTMX).content.decode()
    assert "Not saved: the action changed since you opened the page (now in progress" in html
    assert "Colleague visited" in html and "My visit" in html
    assert f'name="a{action.pk}-version" value="2"' in html
    assert action.progress.count() == 1


def test_without_javascript_progress_posts_and_comes_back_to_the_same_list(
    practitioner_client, coordinator, police, case
):
    action = add(case, coordinator, agency=police)
    response = practitioner_client.post(progress(action, "whose=agency&page=1"),
                                        entry(action, status="done"))
    assert response.status_code == 302
    assert response["Location"] == f"{MINE}?whose=agency&page=1"
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    followed = practitioner_client.get(response["Location"]).content.decode()
    assert "Progress logged for" in followed


def test_without_javascript_an_error_shows_the_whole_list_with_the_row_marked(
    practitioner_client, coordinator, police, case
):
    action = add(case, coordinator, agency=police)
    other = add(case, coordinator, agency=police, description="Another action")
    response = practitioner_client.post(progress(action), entry(action, note="  "))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page and "Your progress was not saved" in page
    assert "Say what was done, or why it could not be." in page
    # The filters lead back to the list, not to the address the entry was posted to.
    assert f'<form method="get" action="{MINE}"' in page
    assert "Another action" in page
    assert [row["action"].pk for row in response.context["rows"]] == [action.pk, other.pk]


def test_an_expired_session_takes_htmx_to_the_sign_in_page(client, coordinator, police, case):
    action = add(case, coordinator, agency=police)
    response = client.post(progress(action), entry(action), **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))


# -- query counts ----------------------------------------------------------------------------------


def actions_with_history(nominal, actor, agency, owner, count):
    meeting = meeting_on(nominal, actor, TODAY() - timedelta(days=30))
    for number in range(count):
        action = add(nominal, actor, agency=agency, owner=owner if number % 2 else None,
                     meeting=meeting, due=TODAY() + timedelta(days=number - 3),
                     description=f"Action {number}")
        services.action_progress_log(action=action, actor=actor, on=TODAY(),
                                     note=f"Progress {number}", status="in_progress")
        if number % 3 == 0:
            services.action_progress_log(action=action, actor=actor, on=TODAY(),
                                         note="Blocked", status="cannot_deliver")
            later = meeting_on(nominal, actor, TODAY() + timedelta(days=5 + number))
            services.actions_carry_forward(nominal=nominal, meeting=later, actor=actor)


def test_my_actions_query_count_does_not_grow_with_the_number_of_actions(
    practitioner_client, coordinator, practitioner, police
):
    small = make_nominal(actor=coordinator, case_manager=practitioner)
    actions_with_history(small, coordinator, police, practitioner, 2)
    few = count_queries(practitioner_client, MINE)
    large = make_nominal(actor=coordinator, case_manager=practitioner)
    actions_with_history(large, coordinator, police, practitioner, 10)
    assert len(practitioner_client.get(MINE).context["rows"]) > 10
    assert count_queries(practitioner_client, MINE) == few


def test_the_plan_page_query_count_does_not_grow_with_the_number_of_actions(
    practitioner_client, coordinator, practitioner, police
):
    small = make_nominal(actor=coordinator, case_manager=practitioner)
    actions_with_history(small, coordinator, police, practitioner, 2)
    large = make_nominal(actor=coordinator, case_manager=practitioner)
    actions_with_history(large, coordinator, police, practitioner, 10)
    assert count_queries(practitioner_client, plan(large)) == count_queries(
        practitioner_client, plan(small))


def test_the_case_page_section_query_count_does_not_grow_with_the_plan(
    practitioner_client, coordinator, practitioner, police
):
    small = make_nominal(actor=coordinator, case_manager=practitioner)
    actions_with_history(small, coordinator, police, practitioner, 2)
    large = make_nominal(actor=coordinator, case_manager=practitioner)
    actions_with_history(large, coordinator, police, practitioner, 10)
    url = reverse("plans:case", args=[large.pk])
    assert count_queries(practitioner_client, url) == count_queries(
        practitioner_client, reverse("plans:case", args=[small.pk]))


# -- the case page's section -----------------------------------------------------------------------


def test_the_case_page_shows_open_and_overdue_actions_and_the_dates_due(
    practitioner_client, coordinator, practitioner, police, level1_rso
):
    add(level1_rso, coordinator, agency=police, due=TODAY() - timedelta(days=2),
        description="Overdue check")
    add(level1_rso, coordinator, agency=police, description="Later check")
    services.home_visit_record(nominal=level1_rso, actor=practitioner,
                               visited_on=date(2025, 11, 30), visited_by="PC Vibert",
                               announced=True)
    page = practitioner_client.get(reverse("plans:case", args=[level1_rso.pk])).content \
        .decode()
    assert "2 open actions, <strong class=\"govuk-tag govuk-tag--red\">1 overdue</strong>" in page
    assert "Overdue check" in page
    assert reverse("plans:plan", args=[level1_rso.pk]) in page
    # High risk: every 3 months from 30 November, the month's last day.
    assert "Next due by <strong>28 February 2026</strong>" in page
    assert "Level 1 review (§9.2, §10.11)</dt>" in page
    assert reverse("plans:level1_review_add", args=[level1_rso.pk]) in page


# -- level 1 reviews and home visits ---------------------------------------------------------------


def test_the_lead_agency_records_a_level_1_review(practitioner_client, practitioner,
                                                  level1_rso):
    url = reverse("plans:level1_review_add", args=[level1_rso.pk])
    response = practitioner_client.post(url, {
        "reviewed_on": TODAY().isoformat(), "new_information": "New partner with children",
        "plan_review": "Disclosure action added", "referral_needed": "on"}, follow=True)
    page = response.content.decode()
    assert "Level 1 review recorded. The next is due by" in page
    assert "The case now needs a referral" in page
    assert "New partner with children" in page
    assert Level1Review.objects.get().recorded_by == practitioner


def test_a_level_1_review_form_on_a_level_2_case_says_why_it_cannot_be_used(
    practitioner_client, case
):
    url = reverse("plans:level1_review_add", args=[case.pk])
    response = practitioner_client.get(url)
    assert response.context["blocked"] == services.LEVEL1_ONLY
    response = practitioner_client.post(url, {
        "reviewed_on": TODAY().isoformat(), "new_information": "x", "plan_review": "y"})
    assert services.LEVEL1_ONLY in response.content.decode()
    assert not Level1Review.objects.exists()


def test_another_agency_on_the_case_cannot_record_the_level_1_review(client, coordinator,
                                                                     outsider, level1_rso):
    add_to_team(level1_rso, outsider, actor=coordinator)
    sign_in(client, outsider)
    assert client.get(reverse("plans:level1_reviews", args=[level1_rso.pk])).status_code == 200
    assert client.get(reverse("plans:level1_review_add",
                              args=[level1_rso.pk])).status_code == 403


def test_a_home_visit_is_logged_and_the_next_shown_by_risk(practitioner_client, level1_rso):
    url = reverse("plans:home_visit_add", args=[level1_rso.pk])
    assert "Bob Practitioner, States of Jersey Police" in practitioner_client.get(url) \
        .content.decode()
    response = practitioner_client.post(url, {
        "visited_on": "2026-01-31", "visited_by": "PC Vibert and PO Le Brun",
        "announced": "False", "notes": "Toys in the living room"}, follow=True)
    page = response.content.decode()
    assert "Home visit of 31 January 2026 logged. The next is due by 30 April 2026." in page
    assert "Unannounced" in page and "Toys in the living room" in page
    visit = HomeVisit.objects.get()
    assert visit.announced is False
    listed = practitioner_client.get(reverse("plans:home_visits", args=[level1_rso.pk]))
    assert list(listed.context["visits"]) == [visit]
    assert listed.context["next_due"] == date(2026, 4, 30)


def test_home_visits_are_not_offered_for_a_case_that_is_not_an_rso(practitioner_client, case):
    response = practitioner_client.get(reverse("plans:home_visit_add", args=[case.pk]))
    assert response.context["blocked"] == services.HOME_VISITS_RSO_ONLY


def test_the_home_panel_lists_the_first_actions_and_links_to_my_actions(
    coordinator, practitioner, police, case
):
    from django.template.loader import render_to_string

    from plans.selectors import my_actions_panel

    add(case, coordinator, agency=police, due=TODAY() - timedelta(days=2),
        description="Check the curfew monitoring")
    html = render_to_string("plans/actions/_home_panel.html",
                            {"mine": my_actions_panel(practitioner)})
    assert "1</strong> open action for you or your agency" in html
    assert "1 overdue" in html and "Check the curfew monitoring" in html
    assert MINE in html
