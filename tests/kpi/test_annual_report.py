"""The annual report (§15.5): statistics chosen per year from a catalogue, counted from the
register's history; the small-cell rule of the published version; anonymised case examples;
draft, approved by the Board (figures frozen), published; the PDF and the CSV annex; the
alert from 1 January while the year's report is not approved."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts.models import Rule
from alerts.registry import RULES
from cases.models import Category
from cases.services import nominal_archive, nominal_reactivate, nominal_set_level
from jmappa.accounts.models import Grade, Role
from jmappa.audit.models import AuditEvent, Verb
from kpi import services as board
from kpi.annual import catalogue, services
from kpi.annual.suppression import FEWER, WITHHELD, published, suppressed_cells
from kpi.models import AnnualReport, AnnualReportStatus, SectionKind, SmbMeeting
from kpi.views.annual import tables
from tests.factories import make_nominal, make_user
from tests.helpers import content, pdf_text, sign_in
from tests.kpi.histories import case_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(police):
    return make_user("ada", roles=[Role.ADMINISTRATOR], agency=police)


@pytest.fixture
def member(police):
    return make_user("supt", roles=[Role.SMB_MEMBER], agency=police, grade=Grade.SENIOR_MANAGER)


@pytest.fixture
def board_meeting(administrator, member, police):
    seat = board.smb_seat_create(name="Police Service", seniority="Superintendent or above",
                                 minimum_grade=Grade.SENIOR_MANAGER, agency=police,
                                 actor=administrator)
    board.smb_member_appoint(seat=seat, member=member, on=date(2020, 1, 1), actor=administrator)
    meeting = board.smb_meeting_create(on=timezone.localdate(), actor=administrator)
    SmbMeeting.objects.filter(pk=meeting.pk).update(status="held")
    meeting.refresh_from_db()
    return meeting


def report_of(administrator, year=None, **fields):
    year = year or timezone.localdate().year
    return services.annual_report_start(year=year, actor=administrator, **fields)


def narrative(report, actor, body="What the figures say."):
    return services.annual_report_section_save(report=report, actor=actor,
                                               kind=SectionKind.NARRATIVE,
                                               heading="Introduction", body=body)


# -- the small-cell rule ----------------------------------------------------------------------


def test_counts_of_one_to_four_are_published_as_fewer_than_five_and_zero_is_shown():
    assert suppressed_cells([[0, 1, 4, 5]], totals=False) == {(0, 1): FEWER, (0, 2): FEWER}


def test_a_single_small_cell_in_a_row_with_its_total_withholds_the_smallest_other_count():
    # Category 1: 3 at level 2 would be given away by the total 23 less 20 at level 1.
    grid = [[20, 3, 0, 23],
            [40, 12, 6, 58],
            [60, 15, 6, 81]]
    hidden = suppressed_cells(grid, totals=True)
    assert hidden[(0, 1)] == FEWER
    # The row: its other count (20) withheld; the column of the 3: the 12 below it; and so
    # on until no row nor column has exactly one hidden cell.
    for line in [[(r, c) for c in range(4)] for r in range(3)] + \
            [[(r, c) for r in range(3)] for c in range(4)]:
        assert sum(1 for cell in line if cell in hidden) != 1, line
    assert all(grid[r][c] >= 5 for (r, c), why in hidden.items() if why == WITHHELD)


def test_a_published_table_shows_the_words_and_the_internal_one_the_exact_figures():
    table = {"key": "k", "title": "T", "about": "", "kind": "counts", "total": True,
             "columns": ["A", "B", "Total"],
             "rows": [{"label": "x", "values": [2, 10, 12]},
                      {"label": "y", "values": [7, 9, 16]},
                      {"label": "Total", "values": [9, 19, 28]}]}
    shown = published(table)
    assert shown["rows"][0]["values"][0] == FEWER
    assert WITHHELD in shown["rows"][0]["values"] and WITHHELD in shown["rows"][1]["values"]
    assert table["rows"][0]["values"] == [2, 10, 12]  # the internal table is left as it is


def test_a_kpi_measured_on_fewer_than_five_is_not_published():
    table = {"key": "kpis", "title": "KPIs", "about": "", "kind": "rates", "total": False,
             "columns": ["Q1 2025"],
             "rows": [{"label": "KPI 1", "values": [{"numerator": 3, "denominator": 4,
                                                      "rate": "75.0"}]},
                      {"label": "KPI 2", "values": [{"numerator": 9, "denominator": 10,
                                                      "rate": "90.0"}]}]}
    shown = published(table)
    assert shown["rows"][0]["values"][0]["rate"] is None
    assert shown["rows"][0]["values"][0]["withheld"] == "fewer than 5 measured"
    assert shown["rows"][1]["values"][0]["rate"] == "90.0"


# -- the catalogue ----------------------------------------------------------------------------


def test_offenders_are_counted_at_the_level_they_had_on_the_day_and_archived_ones_left_out(
        coordinator):
    count_on = date(2025, 12, 31)
    stepped_down = case_at("3", date(2025, 1, 10), actor=coordinator, category=Category.ONE)
    nominal_set_level(nominal=stepped_down, level="2", reason="Risk reduced",
                      actor=coordinator, on=date(2026, 2, 1))  # after the day counted
    archived = case_at("2", date(2025, 1, 10), actor=coordinator, category=Category.ONE)
    nominal_archive(nominal=archived, reason="Registration ended", actor=coordinator,
                    on=date(2025, 6, 1))
    back = case_at("1", date(2025, 1, 10), actor=coordinator, category=Category.ONE)
    nominal_archive(nominal=back, reason="Left Jersey", actor=coordinator, on=date(2025, 3, 1))
    nominal_reactivate(nominal=back, reason="Returned", actor=coordinator, on=date(2025, 9, 1))
    table = catalogue.offenders_by_category_and_level(date(2025, 1, 1), count_on, count_on,
                                                      timezone.localdate())
    row = next(r for r in table["rows"] if r["label"] == Category.ONE.label)
    assert table["columns"] == ["Level 1", "Level 2", "Level 3",
                                "Not yet known (awaiting decision)", "Total"]
    assert row["values"] == [1, 0, 1, 0, 2]
    assert table["rows"][-1]["label"] == "Total" and table["rows"][-1]["values"][-1] == 2


def test_every_statistic_of_the_catalogue_answers_a_table_in_a_few_queries(
        coordinator, django_assert_max_num_queries):
    case_at("2", date(2025, 3, 1), actor=coordinator)
    today = timezone.localdate()
    with django_assert_max_num_queries(40):
        found = catalogue.compute(list(catalogue.STATISTICS), start=date(2025, 1, 1),
                                  end=date(2025, 12, 31), count_on=date(2025, 12, 31),
                                  today=today)
    assert list(found) == list(catalogue.STATISTICS)
    for table in found.values():
        assert table["rows"] and all(len(r["values"]) == len(table["columns"])
                                     for r in table["rows"])


# -- drafting, approval, publication ----------------------------------------------------------


def test_a_new_report_covers_the_year_before_and_starts_from_every_statistic(administrator):
    report = report_of(administrator, year=2027)
    assert (report.period_start, report.period_end, report.count_on) == (
        date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 31))
    assert report.statistics == catalogue.DEFAULT_STATISTICS
    with pytest.raises(ValidationError):
        report_of(administrator, year=2027)


def test_a_case_example_that_names_an_offender_or_gives_a_reference_is_refused(
        administrator, coordinator):
    nominal = make_nominal(actor=coordinator, given_names="Peter John", family_name="Renouf")
    report = report_of(administrator)
    for body in (f"Case {nominal.reference} was managed at level 3.",
                 "Peter Renouf was released on licence."):
        with pytest.raises(ValidationError) as refused:
            services.annual_report_section_save(report=report, actor=administrator,
                                                kind=SectionKind.EXAMPLE, heading="A case",
                                                body=body)
        assert "anonymised" in refused.value.message_dict["body"][0]
    # The same words are a narrative's to give? No: but an example without them is taken.
    services.annual_report_section_save(report=report, actor=administrator,
                                        kind=SectionKind.EXAMPLE, heading="A case",
                                        body="A man in his fifties was released on licence.")


def test_the_board_approves_at_a_held_meeting_once_the_data_are_explained(
        administrator, board_meeting):
    report = report_of(administrator, year=timezone.localdate().year)
    with pytest.raises(ValidationError) as refused:
        services.annual_report_approve(report=report, actor=administrator,
                                       version=report.version, meeting=board_meeting)
    assert "narrative" in str(refused.value)
    narrative(report, administrator)
    scheduled = board.smb_meeting_create(on=timezone.localdate(), actor=administrator)
    with pytest.raises(ValidationError) as refused:
        services.annual_report_approve(report=report, actor=administrator,
                                       version=report.version, meeting=scheduled)
    assert "meeting" in refused.value.message_dict
    report = services.annual_report_approve(report=report, actor=administrator,
                                            version=report.version, meeting=board_meeting)
    assert report.status == AnnualReportStatus.APPROVED
    assert report.approved_on == board_meeting.date


def test_a_report_whose_period_is_still_running_is_not_approved(administrator, board_meeting):
    today = timezone.localdate()
    report = report_of(administrator, year=today.year + 1,
                       period_start=date(today.year, 1, 1), period_end=date(today.year, 12, 31),
                       count_on=date(today.year, 12, 31))
    narrative(report, administrator)
    with pytest.raises(ValidationError):
        services.annual_report_approve(report=report, actor=administrator,
                                       version=report.version, meeting=board_meeting)


def test_approval_freezes_the_figures_and_ends_the_drafting(administrator, coordinator,
                                                             board_meeting):
    year = timezone.localdate().year
    case_at("2", date(year - 1, 2, 1), actor=coordinator, category=Category.TWO)
    report = report_of(administrator, year=year,
                       statistics=["offenders_by_category_and_level", "meetings"])
    narrative(report, administrator)
    report = services.annual_report_approve(report=report, actor=administrator,
                                            version=report.version, meeting=board_meeting)
    report.refresh_from_db()
    before = services.figures(report)
    # Shown in the catalogue's order, whatever order the frozen figures come back in.
    assert [t["key"] for t in tables(report, "internal")] == [
        "offenders_by_category_and_level", "meetings"]
    # A case registered late with a back-dated identification changes the register, not
    # the report the Board approved.
    case_at("2", date(year - 1, 3, 1), actor=coordinator, category=Category.TWO,
            identified_on=date(year - 1, 3, 1))
    assert services.figures(AnnualReport.objects.get(pk=report.pk)) == before
    with pytest.raises(ValidationError):
        narrative(report, administrator, body="A change after approval.")
    with pytest.raises(ValidationError):
        services.annual_report_update(report=report, actor=administrator,
                                      version=report.version, statistics=["meetings"])
    report = services.annual_report_publish(report=report, actor=administrator,
                                            version=report.version)
    assert report.status == AnnualReportStatus.PUBLISHED


def test_only_an_approved_report_is_published(administrator):
    report = report_of(administrator)
    with pytest.raises(ValidationError):
        services.annual_report_publish(report=report, actor=administrator,
                                       version=report.version)


# -- the alert from 1 January -----------------------------------------------------------------


def rows(day):
    return list(RULES[Rule.ANNUAL_REPORT_NOT_APPROVED].rows(day))


def test_from_1_january_the_years_report_is_due_by_31_march_until_the_board_approves_it(
        administrator, board_meeting):
    year = timezone.localdate().year
    assert rows(date(year, 1, 1)) == [{"subject_id": year, "nominal_id": None,
                                       "due_on": date(year, 3, 31), "assigned_to_id": None}]
    report = report_of(administrator, year=year)
    narrative(report, administrator)
    assert len(rows(date(year, 1, 1))) == 1  # a draft is not approved
    services.annual_report_approve(report=report, actor=administrator, version=report.version,
                                   meeting=board_meeting)
    assert rows(date(year, 1, 1)) == []


def test_no_report_alert_while_the_board_has_no_member(administrator):
    assert rows(date(2026, 2, 1)) == []


# -- the pages, the PDF and the annex ---------------------------------------------------------


def test_the_published_pdf_says_fewer_than_5_where_the_internal_one_gives_the_count(
        client, administrator, coordinator, member):
    year = timezone.localdate().year
    for _ in range(3):
        case_at("3", date(year - 1, 2, 1), actor=coordinator, category=Category.ONE)
    report = report_of(administrator, year=year, statistics=["offenders_by_category_and_level"])
    narrative(report, administrator, body="Three offenders were managed at level 3.")
    sign_in(client, member)
    internal = client.get(reverse("kpi:annual_report_pdf", args=[year]))
    public = client.get(reverse("kpi:annual_report_pdf", args=[year]), {"version": "published"})
    assert internal.status_code == public.status_code == 200
    internal_text, public_text = pdf_text(internal.content), pdf_text(public.content)
    assert "OFFICIAL-SENSITIVE" in internal_text and "internal use only" in internal_text
    assert "fewer than 5" in public_text and "DRAFT" in public_text
    assert "Three offenders were managed" in public_text
    assert AuditEvent.objects.filter(action=Verb.PRINT, object_type="kpi.annualreport").count() == 2


def test_the_csv_annex_lists_every_cell_and_its_export_is_audited(client, administrator,
                                                                  coordinator):
    year = timezone.localdate().year
    case_at("2", date(year - 1, 2, 1), actor=coordinator, category=Category.TWO)
    report_of(administrator, year=year, statistics=["offenders_by_category_and_level"])
    sign_in(client, administrator)
    answer = client.get(reverse("kpi:annual_report_annex", args=[year]),
                        {"version": "published"})
    lines = content(answer).splitlines()
    assert lines[0] == "Statistic,Row,Column,Value"
    assert any("Category 2" in line and line.endswith("fewer than 5") for line in lines)
    assert AuditEvent.objects.filter(action=Verb.EXPORT, object_type="kpi.annualreport").exists()


def test_an_example_refused_on_the_page_keeps_what_was_typed(client, administrator,
                                                             coordinator):
    nominal = make_nominal(actor=coordinator, given_names="Amy", family_name="Vibert")
    year = timezone.localdate().year
    report_of(administrator, year=year)
    sign_in(client, administrator)
    typed = "Amy Vibert moved to supported housing near the harbour."
    answer = client.post(reverse("kpi:annual_section_add", args=[year]), {
        "kind": SectionKind.EXAMPLE, "heading": "Housing", "body": typed, "position": 1})
    assert answer.status_code == 200
    page = content(answer)
    assert "must be anonymised" in page and typed in page
    assert nominal.reference not in page


def test_the_smb_member_reads_the_report_and_a_practitioner_is_refused(
        client, administrator, member, practitioner):
    year = timezone.localdate().year
    report = report_of(administrator, year=year)
    section = narrative(report, administrator)
    sign_in(client, member)
    assert client.get(reverse("kpi:annual_report", args=[year])).status_code == 200
    assert client.get(reverse("kpi:annual_report_edit", args=[year])).status_code == 403
    client.logout()
    sign_in(client, practitioner)
    for url in (reverse("kpi:annual_reports"), reverse("kpi:annual_report", args=[year]),
                reverse("kpi:annual_report_pdf", args=[year]),
                reverse("kpi:annual_report_annex", args=[year]),
                reverse("kpi:annual_section_edit", args=[section.pk])):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("kpi:annual_report", args=[year + 5])).status_code == 403


def test_the_administrator_drafts_the_report_on_its_pages(client, administrator):
    year = timezone.localdate().year
    sign_in(client, administrator)
    answer = client.post(reverse("kpi:annual_report_start"), {"year": year})
    assert answer.status_code == 302
    report = AnnualReport.objects.get(year=year)
    answer = client.post(reverse("kpi:annual_report_edit", args=[year]), {
        "period_start_day": "1", "period_start_month": "4", "period_start_year": str(year - 1),
        "period_end_day": "31", "period_end_month": "3", "period_end_year": str(year),
        "count_on_day": "31", "count_on_month": "3", "count_on_year": str(year),
        "statistics": ["meetings", "referrals"], "version": report.version})
    assert answer.status_code == 302, content(answer)
    report.refresh_from_db()
    assert report.statistics == ["meetings", "referrals"]
    assert report.count_on == date(year, 3, 31)
    page = content(client.get(reverse("kpi:annual_report", args=[year])))
    assert "JMAPP meetings held" in page and "Referrals to level 2 and 3 meetings" in page
    assert "Where JMAPPA offenders are" not in page
