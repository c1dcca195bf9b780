"""The "Due and overdue" page, the notifications, the home panels, the navigation count and
the case page's section (alerts/views.py, selectors.py): all read the alerts the
sweep keeps, under the case's access rule."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts import selectors
from alerts.models import Alert, Notification, Rule
from cases.models import TeamRole
from jmappa.accounts.models import Role
from tests.factories import add_to_team, make_nominal, make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

LIST = reverse("alerts:list")
EVERYTHING = LIST + "?everything=on"
_subject = itertools.count(1000)


def make_alert(nominal, rule=Rule.REVIEW_DUE, *, days=0, subject_type="meetings.meeting",
               subject_id=None, assigned_to=None, assigned_role="", resolved=False):
    """An alert as the sweep leaves it, due `days` from today (negative: overdue)."""
    now = timezone.now()
    return Alert.objects.create(
        rule=rule, subject_type=subject_type, subject_id=subject_id or next(_subject),
        nominal=nominal, due_on=timezone.localdate() + timedelta(days=days),
        assigned_to=assigned_to, assigned_role=assigned_role,
        raised_at=now - timedelta(days=1), resolved_at=now if resolved else None)


def notify(user, alert, *, read=False, minutes_ago=0):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(user=user, alert=alert, created_at=at,
                                       read_at=at if read else None)


@pytest.fixture
def case(coordinator, practitioner, police):
    """A police-led case whose case manager is bob; charlie (housing) is not on it."""
    nominal = make_nominal(actor=coordinator, family_name="Quayle", given_names="Reginald",
                           lead_agency=police)
    add_to_team(nominal, practitioner, TeamRole.CASE_MANAGER, actor=coordinator)
    return nominal


@pytest.fixture
def housing_case(coordinator, outsider, housing):
    """A housing-led case charlie is on; bob is not."""
    nominal = make_nominal(actor=coordinator, family_name="Le Brun", given_names="Marie",
                           lead_agency=housing)
    add_to_team(nominal, outsider, actor=coordinator)
    return nominal


def shown_ids(response) -> list[int]:
    assert response.status_code == 200
    return [alert.pk for alert in response.context["alerts"]]


# -- access ----------------------------------------------------------------------------------


def test_another_agencys_alert_is_invisible_even_when_it_names_you(client, outsider, case,
                                                                   housing_case):
    theirs = make_alert(case, assigned_to=outsider, days=-3)
    mine = make_alert(housing_case, assigned_to=outsider)
    sign_in(client, outsider)
    for url in (LIST, EVERYTHING, LIST + f"?everything=on&rule={Rule.REVIEW_DUE}"):
        assert shown_ids(client.get(url)) == [mine.pk]
    assert theirs.pk not in [a.pk for a in selectors.alerts_for(outsider, resolved=None)]
    assert selectors.open_counts(outsider)["total"] == 1


def test_the_coordinator_sees_every_cases_alerts(coordinator_client, case, housing_case,
                                                  practitioner, outsider):
    a = make_alert(case, assigned_to=practitioner)
    b = make_alert(housing_case, assigned_to=outsider, days=1)
    assert shown_ids(coordinator_client.get(EVERYTHING)) == [a.pk, b.pk]


def test_a_case_you_may_not_see_has_no_alerts_section_for_you(client, outsider, case):
    make_alert(case, days=-1)
    sign_in(client, outsider)
    assert client.get(reverse("alerts:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_an_excluded_team_member_loses_the_cases_alerts(coordinator, practitioner, case):
    from cases.models import Exclusion

    alert = make_alert(case, assigned_to=practitioner)
    Exclusion.objects.create(nominal=case, user=practitioner, reason="Knows a victim",
                             recorded_by=coordinator)
    assert alert not in selectors.alerts_for(practitioner)


# -- the page --------------------------------------------------------------------------------


def test_overdue_alerts_come_first_then_by_due_date(practitioner_client, practitioner, case):
    later = make_alert(case, days=9, assigned_to=practitioner)
    today = make_alert(case, days=0, assigned_to=practitioner)
    long_overdue = make_alert(case, days=-20, assigned_to=practitioner)
    overdue = make_alert(case, days=-1, assigned_to=practitioner)
    ids = shown_ids(practitioner_client.get(LIST))
    assert ids == [long_overdue.pk, overdue.pk, today.pk, later.pk]
    body = practitioner_client.get(LIST).content.decode()
    assert body.count('govuk-tag--red">Overdue</strong>') == 2
    assert "Due today" in body and "Due soon" in body


def test_by_default_a_person_sees_what_they_or_their_role_must_act_on(
        client, coordinator, practitioner, case):
    bobs = make_alert(case, Rule.ACTION_OVERDUE, subject_type="cases.planaction",
                      assigned_to=practitioner, days=-2)
    coordinators = make_alert(case, Rule.REFERRAL_MEETING_DUE,
                              subject_type="referrals.referral",
                              assigned_role=Role.COORDINATOR, days=3)
    someone_elses = make_alert(case, assigned_to=make_user(), days=4)
    sign_in(client, practitioner)
    assert shown_ids(client.get(LIST)) == [bobs.pk]
    assert shown_ids(client.get(EVERYTHING)) == [bobs.pk, coordinators.pk, someone_elses.pk]
    sign_in(client, coordinator)
    assert shown_ids(client.get(LIST)) == [coordinators.pk]


def test_an_alert_you_were_told_of_is_yours(practitioner_client, practitioner, case):
    told = make_alert(case, assigned_role=Role.ADMINISTRATOR)
    notify(practitioner, told)
    assert shown_ids(practitioner_client.get(LIST)) == [told.pk]


def test_resolved_alerts_are_not_listed(practitioner_client, practitioner, case):
    make_alert(case, assigned_to=practitioner, resolved=True, days=-5)
    open_one = make_alert(case, assigned_to=practitioner, days=-5, subject_id=1)
    assert shown_ids(practitioner_client.get(LIST)) == [open_one.pk]


def test_filters_by_rule_agency_person_and_overdue(coordinator_client, practitioner, case,
                                                   housing_case, housing):
    review = make_alert(case, Rule.REVIEW_DUE, days=-3, assigned_to=practitioner)
    minutes = make_alert(case, Rule.MINUTES_DUE, days=2, assigned_role=Role.ADMINISTRATOR)
    visit = make_alert(housing_case, Rule.HOME_VISIT_DUE, subject_type="cases.nominal",
                       subject_id=housing_case.pk, days=5, assigned_role=Role.COORDINATOR)

    def ids(query):
        return shown_ids(coordinator_client.get(f"{EVERYTHING}&{query}"))

    assert ids(f"rule={Rule.MINUTES_DUE}") == [minutes.pk]
    assert ids(f"agency={housing.pk}") == [visit.pk]
    assert ids(f"person={practitioner.pk}") == [review.pk]
    assert ids("due=overdue") == [review.pk]
    assert ids("due=soon") == [minutes.pk, visit.pk]
    assert ids(f"due=soon&agency={housing.pk}&rule={Rule.REVIEW_DUE}") == []


def test_a_filter_value_that_is_not_valid_is_said_and_not_applied(coordinator_client, case):
    alert = make_alert(case, assigned_role=Role.COORDINATOR)
    response = coordinator_client.get(f"{EVERYTHING}&rule=nonsense&due=soon")
    assert shown_ids(response) == [alert.pk]
    assert "Select a valid choice" in response.content.decode()


def test_the_case_page_of_alerts_lists_that_case_only(practitioner_client, practitioner, case,
                                                      coordinator):
    other = make_nominal(actor=coordinator)
    add_to_team(other, practitioner, actor=coordinator)
    ours = make_alert(case, assigned_role=Role.COORDINATOR)
    make_alert(other, assigned_to=practitioner)
    assert shown_ids(practitioner_client.get(reverse("alerts:case", args=[case.pk]))) == [
        ours.pk]


def test_each_row_links_to_the_page_where_the_subject_is_dealt_with(coordinator_client, case):
    rows = [
        (make_alert(case, Rule.REVIEW_DUE, subject_id=7),
         reverse("meetings:detail", args=[7])),
        (make_alert(case, Rule.ACTION_OVERDUE, subject_type="cases.planaction", subject_id=8),
         reverse("plans:action_detail", args=[case.pk, 8])),
        (make_alert(case, Rule.REFERRAL_MEETING_DUE, subject_type="referrals.referral",
                    subject_id=9), reverse("referrals:detail", args=[9])),
        (make_alert(case, Rule.RELEASE_WITHOUT_REFERRAL, subject_type="cases.nominal",
                    subject_id=case.pk), reverse("cases:detail", args=[case.pk])),
        (make_alert(case, Rule.HOME_VISIT_DUE, subject_type="cases.nominal",
                    subject_id=case.pk), reverse("plans:home_visits", args=[case.pk])),
        (make_alert(case, Rule.FOLLOW_UP_OPEN, subject_type="meetings.followup",
                    subject_id=10), reverse("meetings:follow_ups")),
    ]
    body = coordinator_client.get(EVERYTHING).content.decode()
    for alert, url in rows:
        assert f'href="{url}"' in body, alert
    assert f"{case.reference}, QUAYLE, Reginald" in body


def test_the_list_query_count_does_not_grow_with_alerts(client, coordinator, practitioner,
                                                        case):
    def count(user, url):
        sign_in(client, user)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries.captured_queries), len(response.context["alerts"])

    def add(n):
        for _ in range(n):
            alert = make_alert(case, Rule.ACTION_OVERDUE, subject_type="cases.planaction",
                               assigned_to=practitioner, days=-1)
            notify(practitioner, alert)
            make_alert(case, Rule.MINUTES_DUE, assigned_role=Role.ADMINISTRATOR, days=2)

    add(1)
    before = {user.username: count(user, EVERYTHING) for user in (coordinator, practitioner)}
    add(5)
    after = {user.username: count(user, EVERYTHING) for user in (coordinator, practitioner)}
    for name in before:
        assert before[name][1] == 2 and after[name][1] == 12
        assert after[name][0] == before[name][0], name


# -- notifications ---------------------------------------------------------------------------


def test_showing_alerts_marks_your_notifications_of_them_read(practitioner_client,
                                                               practitioner, coordinator, case):
    shown_alert = make_alert(case, assigned_to=practitioner)
    not_shown = make_alert(case, Rule.MINUTES_DUE, assigned_role=Role.ADMINISTRATOR)
    yours, elsewhere = notify(practitioner, shown_alert), notify(practitioner, not_shown)
    coordinators = notify(coordinator, shown_alert)
    practitioner_client.get(LIST + f"?rule={Rule.REVIEW_DUE}")
    yours.refresh_from_db(), elsewhere.refresh_from_db(), coordinators.refresh_from_db()
    assert yours.read_at is not None
    assert elsewhere.read_at is None
    assert coordinators.read_at is None


def test_notifications_newest_first_unread_highlighted_then_marked_read(
        practitioner_client, practitioner, case):
    old = notify(practitioner, make_alert(case, days=-4), read=True, minutes_ago=60)
    new = notify(practitioner, make_alert(case, Rule.MINUTES_DUE, days=1), minutes_ago=5)
    url = reverse("alerts:notifications")
    response = practitioner_client.get(url)
    assert [n.pk for n in response.context["notifications"]] == [new.pk, old.pk]
    body = response.content.decode()
    assert body.count(">New</strong>") == 1
    new.refresh_from_db()
    assert new.read_at is not None
    assert ">New<" not in practitioner_client.get(url).content.decode()


def test_notifications_of_a_case_you_no_longer_see_are_not_shown(client, outsider, case,
                                                                housing_case):
    notify(outsider, make_alert(case))
    visible = notify(outsider, make_alert(housing_case))
    sign_in(client, outsider)
    response = client.get(reverse("alerts:notifications"))
    assert [n.pk for n in response.context["notifications"]] == [visible.pk]


# -- the navigation, the home page and the case page -----------------------------------------


def test_the_navigation_badge_counts_your_open_alerts_not_new_notifications(
        practitioner_client, practitioner, coordinator, case):
    # Two open alerts for bob (one named, one he was told of), read or not.
    make_alert(case, assigned_to=practitioner, days=1)
    notify(practitioner, make_alert(case, days=2), read=True)
    # Not counted: resolved (its notification unread), someone else's, a case bob cannot see.
    notify(practitioner, make_alert(case, assigned_to=practitioner, days=3, resolved=True))
    make_alert(case, assigned_role=Role.COORDINATOR, days=4)
    notify(practitioner, make_alert(make_nominal(actor=coordinator), days=5))
    body = practitioner_client.get(reverse("home")).content.decode()
    assert re.search(r'Due and overdue <span class="moj-notification-badge">2<span '
                     r'class="govuk-visually-hidden"> open alerts for you</span>', body)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.open_count(practitioner) == 2
    # The count, and the access rule's check of whether bob is a sharing SPOC.
    assert len(queries.captured_queries) <= 2


def test_no_count_in_the_navigation_when_no_alert_is_open(practitioner_client, practitioner,
                                                          case):
    notify(practitioner, make_alert(case, assigned_to=practitioner, resolved=True))
    body = practitioner_client.get(reverse("home")).content.decode()
    assert 'href="/alerts/"' in body and "open alert" not in body


def test_a_resolved_alerts_notification_no_longer_shows_as_new(practitioner_client,
                                                               practitioner, case):
    notify(practitioner, make_alert(case, assigned_to=practitioner, resolved=True))
    notify(practitioner, make_alert(case, assigned_to=practitioner, days=2))
    assert selectors.unread_count(practitioner) == 1
    response = practitioner_client.get(reverse("alerts:notifications"))
    assert response.content.decode().count(">New</strong>") == 1


def test_the_home_page_shows_your_open_and_overdue_alerts(practitioner_client, practitioner,
                                                          case):
    make_alert(case, Rule.ACTION_OVERDUE, subject_type="cases.planaction",
               assigned_to=practitioner, days=-2)
    make_alert(case, assigned_to=practitioner, days=3)
    make_alert(case, assigned_role=Role.COORDINATOR, days=-9)  # not bob's
    response = practitioner_client.get(reverse("home"))
    due = response.context["panels"]["due"]
    assert (due["total"], due["overdue"], due["by_rule"]) == (2, 1, None)
    assert [a.rule for a in due["first"]] == [Rule.ACTION_OVERDUE, Rule.REVIEW_DUE]
    assert "2</strong> open alerts for you to act on" in response.content.decode()


def test_the_coordinators_home_page_counts_every_cases_alerts_by_rule(
        coordinator_client, practitioner, case, housing_case):
    make_alert(case, assigned_to=practitioner, days=-1)
    make_alert(housing_case, days=2, assigned_role=Role.COORDINATOR)
    make_alert(housing_case, Rule.MINUTES_DUE, days=-1, assigned_role=Role.ADMINISTRATOR)
    due = coordinator_client.get(reverse("home")).context["panels"]["due"]
    assert (due["total"], due["overdue"]) == (1, 0)
    assert due["by_rule"]["by_rule"] == [
        {"rule": Rule.REVIEW_DUE, "label": Rule.REVIEW_DUE.label, "open": 2, "overdue": 1},
        {"rule": Rule.MINUTES_DUE, "label": Rule.MINUTES_DUE.label, "open": 1, "overdue": 1},
    ]


def test_an_smb_members_alerts_panel_holds_the_boards_work_never_a_case(client, police,
                                                                          case):
    member = make_user(roles=[Role.SMB_MEMBER], agency=None)
    make_alert(case, Rule.REVIEW_DUE, days=-1, assigned_to=member)
    make_alert(None, Rule.FOLLOW_UP_ESCALATED, days=-1, subject_type="meetings.followup",
               assigned_to=member)
    sign_in(client, member)
    response = client.get(reverse("home"))
    due = response.context["panels"]["due"]
    assert due["total"] == 1 and [a.rule for a in due["first"]] == [Rule.FOLLOW_UP_ESCALATED]
    body = response.content.decode()
    assert "the Board&#x27;s work" in body or "the Board's work" in body
    assert "Quayle" not in body


def test_the_case_page_shows_the_cases_open_alerts(practitioner_client, case, practitioner):
    make_alert(case, Rule.MINUTES_DUE, days=-1, assigned_role=Role.ADMINISTRATOR)
    make_alert(case, Rule.LEVEL1_REVIEW_DUE, subject_type="cases.nominal", subject_id=case.pk,
               resolved=True)
    body = practitioner_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    section = body[body.index('id="h-alerts"'):]
    section = section[:section.index("</section>")]
    assert Rule.MINUTES_DUE.label in section and "Overdue" in section
    assert Rule.LEVEL1_REVIEW_DUE.label not in section
    assert reverse("alerts:case", args=[case.pk]) in section


def test_a_referral_not_yet_on_the_register_is_the_coordinators_alert(coordinator,
                                                                      practitioner):
    from django.test import Client

    from referrals.models import Referral
    from tests.factories import make_referral

    coordinator_client, practitioner_client = Client(), Client()
    sign_in(coordinator_client, coordinator)
    sign_in(practitioner_client, practitioner)
    referral = make_referral(practitioner)
    assert Referral.objects.get(pk=referral.pk).nominal_id is None
    Alert.objects.create(rule=Rule.REFERRAL_MEETING_DUE, subject_type="referrals.referral",
                         subject_id=referral.pk, nominal=None, due_on=referral.meeting_due_by,
                         assigned_role="coordinator", raised_at=timezone.now())
    for page in ("alerts:list", "alerts:notifications"):
        assert coordinator_client.get(reverse(page) + "?everything=on").status_code == 200
    text = coordinator_client.get(reverse("alerts:list") + "?everything=on").content.decode()
    assert reverse("referrals:detail", args=[referral.pk]) in text
    assert "Not yet on the register" in text
    assert reverse("referrals:detail", args=[referral.pk]) not in \
        practitioner_client.get(reverse("alerts:list") + "?everything=on").content.decode()
