"""The KPI dashboard and the rows behind a figure: who sees them, and what a row shows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Level
from jmappa.accounts.models import Role
from jmappa.audit.models import AuditEvent, Verb
from kpi.periods import Period
from tests.factories import make_user
from tests.helpers import sign_in
from tests.kpi.histories import case_at, meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_case(police):
    today = timezone.localdate()
    start = Period.quarter_of(today).start
    case = case_at(Level.THREE, start - timedelta(days=200), given_names="Vincent",
                   family_name="Quarrender")
    meeting(case, start - timedelta(days=200), Level.THREE)
    return case


@pytest.fixture
def smb_member(police):
    return make_user("smb", roles=[Role.SMB_MEMBER], agency=police)


def test_dashboard_shows_each_kpi_against_its_target_with_its_chart_and_table(
        coordinator_client, late_case):
    response = coordinator_client.get(reverse("kpi:dashboard"))
    body = response.content.decode()

    assert response.status_code == 200
    assert "90% of level 3 JMAPP cases reviewed no less than once every six weeks" in body
    assert "85% of JMAPP level 2 cases reviewed no less than once every 12 weeks" in body
    assert "90% attendance by each SMB member at the SMB quarterly meetings" in body
    assert body.count("<svg") == 5
    assert "at 100% of level 2 and 3 JMAPP meetings" in body
    assert "text/javascript" not in body and "window.pygal" not in body
    assert "Below target" in body and "Provisional" in body
    assert "last 8 quarters" in body


def test_smb_member_sees_the_rows_by_case_reference_only(client, smb_member, late_case):
    sign_in(client, smb_member)
    period = Period.quarter_of(timezone.localdate()).code

    body = client.get(reverse("kpi:detail", args=[period, 1])).content.decode()

    assert late_case.reference in body
    assert "Quarrender" not in body and "Vincent" not in body
    assert reverse("cases:detail", args=[late_case.pk]) not in body


def test_coordinator_goes_from_a_row_to_the_case(coordinator_client, late_case):
    period = Period.quarter_of(timezone.localdate()).code

    body = coordinator_client.get(reverse("kpi:detail", args=[period, 1])).content.decode()

    assert reverse("cases:detail", args=[late_case.pk]) in body
    event = AuditEvent.objects.filter(action=Verb.LIST, object_type="cases.nominal").latest("pk")
    assert event.changes["ids"] == [late_case.pk]


def test_smb_members_home_shows_this_quarters_kpis(client, smb_member, late_case):
    sign_in(client, smb_member)

    body = client.get(reverse("home")).content.decode()

    assert "KPIs, Q" in body and reverse("kpi:dashboard") in body


def test_practitioner_is_refused_the_figures(practitioner_client, late_case):
    period = Period.quarter_of(timezone.localdate()).code
    assert practitioner_client.get(reverse("kpi:dashboard")).status_code == 403
    assert practitioner_client.get(reverse("kpi:detail", args=[period, 1])).status_code == 403
    assert "KPIs, Q" not in practitioner_client.get(reverse("home")).content.decode()


def test_signed_out_visitor_is_sent_to_sign_in(client):
    assert client.get(reverse("kpi:dashboard")).status_code == 302


@pytest.mark.parametrize("period,number", [("2026-Q3", 6), ("2026-Q9", 1), ("2999-Q1", 1)])
def test_a_kpi_or_period_that_is_not_measured_answers_404(coordinator_client, period, number):
    assert coordinator_client.get(f"/kpi/{period}/figures/{number}/").status_code == 404


def test_a_mistyped_period_says_so_and_shows_this_quarter(coordinator_client):
    body = coordinator_client.get(reverse("kpi:dashboard") + "?period=last").content.decode()
    assert "Give a quarter as 2026-Q3 or a year as 2026." in body


def test_a_year_is_shown_against_the_target_too(coordinator_client, late_case):
    year = timezone.localdate().year
    response = coordinator_client.get(reverse("kpi:dashboard") + f"?period={year}")
    assert f"Performance against the KPIs: Year {year}" in response.content.decode()


def test_dashboard_takes_the_same_queries_whatever_the_number_of_cases(
        coordinator_client, late_case):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(reverse("kpi:dashboard")).status_code == 200
        return len(queries)

    few = count()
    today = timezone.localdate()
    for n in range(4):
        case = case_at(Level.TWO, today - timedelta(days=300 + n))
        meeting(case, today - timedelta(days=30), Level.TWO)
        meeting(case, date(today.year, 1, 1) + timedelta(days=n), Level.THREE)
    assert count() == few



def test_the_rows_export_as_formula_safe_csv_by_reference_and_audited(
        coordinator_client, late_case):
    from cases.models import Nominal
    from tests.factories import make_agency

    Nominal.objects.filter(pk=late_case.pk).update(lead_agency=make_agency("=HYPERLINK(1)"))
    period = Period.quarter_of(timezone.localdate()).code

    response = coordinator_client.get(reverse("kpi:export", args=[period, 1]))
    text = b"".join(response.streaming_content).decode()

    assert response["Content-Type"].startswith("text/csv")
    assert late_case.reference in text and "Quarrender" not in text
    assert "'=HYPERLINK(1)" in text
    event = AuditEvent.objects.filter(action=Verb.EXPORT).latest("pk")
    assert event.changes["ids"] == [late_case.pk]


def test_practitioner_is_refused_the_export(practitioner_client):
    period = Period.quarter_of(timezone.localdate()).code
    assert practitioner_client.get(reverse("kpi:export", args=[period, 1])).status_code == 403


def test_smb_member_prints_the_performance_pack_protectively_marked(
        client, smb_member, late_case, settings):
    from tests.helpers import pdf_pages, pdf_text

    sign_in(client, smb_member)
    period = Period.quarter_of(timezone.localdate()).code

    response = client.get(reverse("kpi:pack", args=[period]))
    text = pdf_text(response.content)

    assert response["Content-Type"] == "application/pdf"
    assert all(page.count(settings.PROTECTIVE_MARKING) == 2
               for page in pdf_pages(response.content))
    assert "reviewed no less than once every six weeks" in text
    assert "Quarrender" not in text
    assert AuditEvent.objects.filter(action=Verb.PRINT, object_id=period).exists()


def test_practitioner_is_refused_the_pack(practitioner_client):
    period = Period.quarter_of(timezone.localdate()).code
    assert practitioner_client.get(reverse("kpi:pack", args=[period])).status_code == 403


def test_a_restricted_case_is_withheld_from_an_smb_member_s_rows(client, smb_member, late_case):
    from cases.models import Nominal

    Nominal.objects.filter(pk=late_case.pk).update(restricted=True)
    sign_in(client, smb_member)
    period = Period.quarter_of(timezone.localdate()).code

    body = client.get(reverse("kpi:detail", args=[period, 1])).content.decode()

    assert late_case.reference not in body and "Withheld" in body
