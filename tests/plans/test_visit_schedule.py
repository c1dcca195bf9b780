"""The home-visit schedule across a user's caseload (§14.9): the Registered Sex Offenders of
the cases they see, due or overdue, filterable, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Category, Nominal, RiskLevel, Status
from plans.models import HomeVisit
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


def rso(coordinator, *, visor=None, rosh=RiskLevel.VERY_HIGH, visited_days_ago=None):
    nominal = make_nominal(actor=coordinator, visor_manager=visor)
    Nominal.objects.filter(pk=nominal.pk).update(
        category=Category.ONE, rosh=rosh, status=Status.ACTIVE,
        created_at=timezone.now() - timedelta(days=400))
    if visited_days_ago is not None:
        HomeVisit.objects.create(nominal=nominal, visited_by="PC Le Brun",
                                 visited_on=timezone.localdate()
                                 - timedelta(days=visited_days_ago),
                                 recorded_by=coordinator)
    return nominal


def test_the_schedule_lists_my_cases_visits_overdue_first(practitioner_client, practitioner,
                                                          coordinator):
    overdue = rso(coordinator, visor=practitioner, visited_days_ago=45)
    soon = rso(coordinator, visor=practitioner, visited_days_ago=10)
    rso(coordinator, visor=practitioner, rosh=RiskLevel.LOW, visited_days_ago=10)  # not due
    response = practitioner_client.get(reverse("plans:visit_schedule"))
    assert response.status_code == 200
    assert [n.pk for n in response.context["nominals"]] == [overdue.pk, soon.pk]
    body = response.content.decode()
    assert body.count("govuk-tag--red") == 1
    assert overdue.family_name not in body  # references, not names


def test_a_case_outside_the_users_caseload_is_never_listed(practitioner_client, practitioner,
                                                           coordinator):
    rso(coordinator, visited_days_ago=200)  # bob is not on this case
    for query in ("", "?whose=all&due=all"):
        response = practitioner_client.get(reverse("plans:visit_schedule") + query)
        assert list(response.context["nominals"]) == []


def test_the_schedule_filters_overdue_and_every_case(coordinator_client, coordinator):
    overdue = rso(coordinator, visited_days_ago=45)
    rso(coordinator, visited_days_ago=10)
    url = reverse("plans:visit_schedule")
    assert list(coordinator_client.get(url).context["nominals"]) == []  # none are hers
    response = coordinator_client.get(url + "?whose=all&due=overdue")
    assert [n.pk for n in response.context["nominals"]] == [overdue.pk]


def test_the_schedule_runs_a_fixed_number_of_queries(coordinator_client, coordinator):
    url = reverse("plans:visit_schedule") + "?whose=all&due=all"
    rso(coordinator, visited_days_ago=45)
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url)
    for days in (1, 20, 40, 90):
        rso(coordinator, visited_days_ago=days)
    with CaptureQueriesContext(connection) as many:
        coordinator_client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_police_officers_home_page_counts_their_visits_due(practitioner_client,
                                                             practitioner, coordinator):
    rso(coordinator, visor=practitioner, visited_days_ago=45)
    rso(coordinator, visor=practitioner, visited_days_ago=10)
    response = practitioner_client.get(reverse("home"))
    assert response.context["panels"]["home_visits"] == {"due": 2, "overdue": 1,
                                                            "every_case": False}
    assert reverse("plans:visit_schedule") in response.content.decode()
