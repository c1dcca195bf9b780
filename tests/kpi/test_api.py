"""`/api/v1/kpis/`: aggregates only, for those who may see the dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Level
from jmappa.accounts.models import Role
from kpi.periods import Period
from tests.factories import make_user
from tests.kpi.histories import case_at, meeting

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_smb_member_reads_the_figures_without_any_case(police):
    start = Period.quarter_of(timezone.localdate()).start
    case = case_at(Level.THREE, start - timedelta(days=100), family_name="Quarrender")
    meeting(case, start - timedelta(days=100), Level.THREE)
    smb = make_user(roles=[Role.SMB_MEMBER], agency=police)

    response = _client(smb).get("/api/v1/kpis/")

    assert response.status_code == 200
    kpi1 = next(k for k in response.json()["kpis"] if k["kpi"] == 1)
    assert (kpi1["numerator"], kpi1["denominator"], kpi1["rag"]) == (0, 1, "red")
    assert response.json()["provisional"] is True
    assert case.reference not in response.content.decode()
    assert "Quarrender" not in response.content.decode()


def test_a_practitioner_is_refused_the_figures(practitioner):
    assert _client(practitioner).get("/api/v1/kpis/").status_code == 403


@pytest.mark.parametrize("period", ["last", "2026-Q5", "2999"])
def test_a_period_not_valid_answers_400_with_the_field(coordinator, period):
    response = _client(coordinator).get("/api/v1/kpis/", {"period": period})
    assert response.status_code == 400
    assert "period" in response.json()
