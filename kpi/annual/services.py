"""Every write to an annual report (§15.5): one transaction each, with its audit row.

A report is drafted by the Co-ordinator or the Administrators (the statistics chosen for the
year, the explanation, the anonymised examples), approved by the Board at one of its meetings
(its figures frozen then), and published with the small-cell rule applied."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jmappa.audit.models import Verb
from jmappa.audit.services import audit_change, audit_create, audit_log, snapshot
from jmappa.core.versioning import check_version, lock_for_update

from ..models import (
    AnnualReport,
    AnnualReportSection,
    AnnualReportStatus,
    SectionKind,
    SmbMeeting,
    SmbMeetingStatus,
)
from . import anonymity, catalogue

REPORT_FIELDS = ("period_start", "period_end", "count_on", "statistics")
SECTION_FIELDS = ("kind", "heading", "body", "position")


def default_period(year: int) -> tuple[date, date, date]:
    """The calendar year before the one the report is presented in, counted on its last
    day; the Minister's request may set other dates."""
    return date(year - 1, 1, 1), date(year - 1, 12, 31), date(year - 1, 12, 31)


def _report_checks(report: AnnualReport) -> dict[str, str]:
    errors = {}
    if report.period_start and report.period_end and report.period_end < report.period_start:
        errors["period_end"] = "The statistics must end on or after the day they start."
    if report.count_on and report.period_start and not (
            report.period_start <= report.count_on <= (report.period_end or report.count_on)):
        errors["count_on"] = "Count the register on a day within the statistics' period."
    unknown = set(report.statistics) - set(catalogue.STATISTICS)
    if unknown:
        errors["statistics"] = f"Not in the catalogue: {', '.join(sorted(unknown))}."
    elif not report.statistics:
        errors["statistics"] = "Choose at least one statistic the Minister asked for."
    return errors


@transaction.atomic
def annual_report_start(*, year: int, actor, period_start: date | None = None,
                        period_end: date | None = None, count_on: date | None = None,
                        statistics: list[str] | None = None) -> AnnualReport:
    """The draft report of `year`, with every statistic of the catalogue to begin with."""
    if AnnualReport.objects.filter(year=year).exists():
        raise ValidationError({"year": f"The {year} report has already been started."})
    start, end, counted = default_period(year)
    report = AnnualReport(year=year, period_start=period_start or start,
                          period_end=period_end or end, count_on=count_on or counted,
                          statistics=list(catalogue.DEFAULT_STATISTICS if statistics is None
                                          else statistics), created_by=actor)
    errors = _report_checks(report)
    if errors:
        raise ValidationError(errors)
    report.save()
    audit_create(actor=actor, obj=report)
    return report


def _draft(report: AnnualReport) -> None:
    if not report.is_draft:
        raise ValidationError(f"The report is {report.get_status_display().lower()}: its "
                              "figures and text are no longer changed.")


@transaction.atomic
def annual_report_update(*, report: AnnualReport, actor, version: int | None,
                         **fields) -> AnnualReport:
    """The period, the day counted and the statistics chosen, while the report is a draft."""
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    current = lock_for_update(report)
    _draft(current)
    check_version(report, current, version, REPORT_FIELDS)
    before = snapshot(current, REPORT_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    errors = _report_checks(current)
    if errors:
        raise ValidationError(errors)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current


def _section_checks(section: AnnualReportSection) -> dict[str, str]:
    errors = {}
    if not section.heading:
        errors["heading"] = "Give the section a heading."
    if not section.body:
        errors["body"] = "Write the section's text."
    elif section.kind == SectionKind.EXAMPLE and (found := anonymity.identifying(
            section.body)):
        errors["body"] = (f"A case example must be anonymised: it names {', '.join(found)}. "
                          "Describe the case without its reference or names.")
    return errors


@transaction.atomic
def annual_report_section_save(*, report: AnnualReport, actor, kind: str, heading: str,
                               body: str, position: int | None = None,
                               section: AnnualReportSection | None = None,
                               version: int | None = None) -> AnnualReportSection:
    """A narrative section or an anonymised case example, added or saved again."""
    report = lock_for_update(report)
    _draft(report)
    fields = {"kind": kind, "heading": (heading or "").strip(), "body": (body or "").strip()}
    if section is None:
        last = report.sections.order_by("-position").values_list("position", flat=True).first()
        section = AnnualReportSection(report=report, updated_by=actor, position=(
            position if position is not None else (last or 0) + 1), **fields)
        errors = _section_checks(section)
        if errors:
            raise ValidationError(errors)
        section.save()
        audit_create(actor=actor, obj=section)
        return section
    current = lock_for_update(section)
    check_version(section, current, version, SECTION_FIELDS)
    before = snapshot(current, SECTION_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    if position is not None:
        current.position = position
    errors = _section_checks(current)
    if errors:
        raise ValidationError(errors)
    current.updated_by = actor
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current


@transaction.atomic
def annual_report_section_remove(*, section: AnnualReportSection, actor) -> None:
    """A section taken out of a draft: the removal is kept on the report's trail."""
    report = lock_for_update(section.report)
    _draft(report)
    audit_log(actor=actor, action=Verb.CHANGE, obj=report,
              changes={"section removed": section.heading})
    section.delete()


def figures(report: AnnualReport, today: date | None = None) -> dict[str, dict]:
    """The report's tables, exact: frozen since the Board approved it, else as they are
    now (a draft's figures move with the register)."""
    if not report.is_draft:
        return report.figures
    return catalogue.compute(report.statistics, start=report.period_start,
                             end=report.period_end, count_on=report.count_on,
                             today=today or timezone.localdate())


@transaction.atomic
def annual_report_approve(*, report: AnnualReport, actor, version: int | None,
                          meeting: SmbMeeting | None) -> AnnualReport:
    """The Board approved the report at `meeting` (held): its figures are frozen now, so
    that what is published is what the Board approved."""
    current = lock_for_update(report)
    _draft(current)
    check_version(report, current, version, REPORT_FIELDS)
    today = timezone.localdate()
    errors = {}
    if meeting is None or meeting.status != SmbMeetingStatus.HELD:
        errors["meeting"] = "Choose the Board meeting, held, at which the report was approved."
    if current.period_end >= today:
        errors.setdefault("__all__", f"The statistics run to {current.period_end:%-d %B %Y}: "
                                     "the report is approved once that day is over.")
    if not current.sections.filter(kind=SectionKind.NARRATIVE).exists():
        errors.setdefault("__all__", "Write the explanation of the data (a narrative "
                                     "section) before the Board approves the report.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(current, ["status", "approved_on"])
    current.figures = figures(current, today)
    current.status = AnnualReportStatus.APPROVED
    current.approved_at, current.approved_on, current.approved_by = meeting, meeting.date, actor
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current


@transaction.atomic
def annual_report_publish(*, report: AnnualReport, actor, version: int | None
                          ) -> AnnualReport:
    current = lock_for_update(report)
    if current.status != AnnualReportStatus.APPROVED:
        raise ValidationError("Only a report the Board has approved is published.")
    check_version(report, current, version, REPORT_FIELDS)
    before = snapshot(current, ["status", "published_on"])
    current.status = AnnualReportStatus.PUBLISHED
    current.published_on, current.published_by = timezone.localdate(), actor
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current
