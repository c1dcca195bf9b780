"""KPI 4: "90% attendance by each SMB member at the SMB quarterly meetings" (§16.2, §15.3).

The definition, for a period (a quarter or a year; while it runs, up to today):
- Each membership of a seat that overlaps the period is measured on its own: its
  denominator is the Board meetings held in the period while the member held the seat
  (from its first day to its last, both included).
- The member attended if they were recorded present. A deputy sent in their place is
  shown in its own column and does not count as the member's attendance (the KPI asks
  for attendance "by each SMB member"); apologies, absence and no record do not count.
- The member meets the target at 90% or more; the Board's figure is all the members'
  attendances over all their places, and the number of members at or above the target
  is shown beside it. A member appointed below the seat's grade (§15.2) is flagged.

Three queries: the memberships, the held meetings, their attendance. The Board has a few
members and meets each quarter: the figures alone (`kpi4_figures`) are the same count with
the rows left out.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from jmappa.core import dates

from ..models import (
    SmbAttendance,
    SmbAttendanceStatus,
    SmbMeeting,
    SmbMeetingStatus,
    SmbMembership,
)
from ..periods import Period
from .base import KPIS, Result, finish_group, window_end

STATUS_LABELS = {**dict(SmbAttendanceStatus.choices), "not_recorded": "Not recorded"}


def kpi4_smb_attendance(period: Period, *, today: date | None = None) -> Result:
    """KPI 4: "90% attendance by each SMB member at the SMB quarterly meetings"."""
    return kpi4_many([period], today=today)[0]


def kpi4_many(periods: list[Period], *, today: date | None = None) -> list[Result]:
    """KPI 4 for several periods at once, in the same three queries."""
    today = today or dates.today()
    first = min(p.start for p in periods)
    last = max(window_end(p, today) for p in periods)
    memberships = list(SmbMembership.objects.filter(date_from__lte=last).filter(
        Q(date_to__isnull=True) | Q(date_to__gte=first)).select_related(
        "seat", "seat__agency", "member").order_by("seat__position", "seat__name", "date_from"))
    meetings = list(SmbMeeting.objects.filter(
        status=SmbMeetingStatus.HELD, date__range=(first, last)).order_by("date", "id")
        .values_list("id", "date"))
    status = {(a, b): s for a, b, s in SmbAttendance.objects.filter(
        meeting__status=SmbMeetingStatus.HELD, meeting__date__range=(first, last))
        .values_list("meeting_id", "membership_id", "status")}
    results = []
    for period in periods:
        start, end = period.start, window_end(period, today)
        held = [(pk, day) for pk, day in meetings if start <= day <= end]
        results.append(_period(period, end, memberships, held, status))
    return results


def _period(period, end, memberships, meetings, status) -> Result:
    kpi = KPIS[4]
    result = Result(kpi=kpi, period=period, as_of=end, numerator=0, denominator=0)
    for membership in memberships:
        last = membership.date_to or end
        counts = {value: 0 for value in SmbAttendanceStatus.values}
        counts["not_recorded"] = 0
        expected = 0
        for meeting_id, day in meetings:
            if membership.date_from <= day <= last:
                expected += 1
                found = status.get((meeting_id, membership.pk), "not_recorded")
                counts[found] += 1
                result.rows.append({
                    "meeting_id": meeting_id, "date": day.isoformat(),
                    "membership_id": membership.pk, "member": str(membership.member),
                    "seat": membership.seat.name, "status": found,
                    "status_label": STATUS_LABELS[found],
                    "met": found == SmbAttendanceStatus.PRESENT})
        if not expected:
            continue
        present = counts[SmbAttendanceStatus.PRESENT]
        result.groups.append(finish_group({
            "id": membership.pk, "name": str(membership.member), "seat": membership.seat.name,
            "agency": membership.seat.agency.name if membership.seat.agency else "",
            "below_grade": membership.below_grade,
            "numerator": present, "denominator": expected,
            "deputy": counts[SmbAttendanceStatus.DEPUTY],
            "apologies": counts[SmbAttendanceStatus.APOLOGIES],
            "absent": counts[SmbAttendanceStatus.ABSENT] + counts["not_recorded"]}, kpi.target))
        result.numerator += present
        result.denominator += expected
    result.extra = {
        "meetings_held": len(meetings),
        "members": len(result.groups),
        "members_at_target": sum(1 for g in result.groups if g["rag"] == "green"),
        "deputies": sum(g["deputy"] for g in result.groups),
    }
    return result


def kpi4_figures(periods: list[Period], *, today: date | None = None) -> list[Result]:
    """KPI 4's figures for several periods, without the rows, in the same three queries."""
    results = kpi4_many(periods, today=today)
    for result in results:
        result.rows = []
    return results
