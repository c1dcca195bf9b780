"""The Board's time rules, read by the deadline sweep (alerts/registry.py): a governance
document (§14.11, §15.1) whose review falls due, non-attendance escalated to the Board
(§10.10), a quarter with no Board meeting (§15.3), and the year's annual report not yet
approved (§15.5). One query each, rows of subject_id,
nominal_id (none: the Board's work belongs to no case), due_on and assigned_to_id."""

from __future__ import annotations

from datetime import date

from django.db.models import F, IntegerField, QuerySet, Value

from jmappa.core.rules import PeriodRows, rows

from .periods import Period


def governance_review_due(day: date, *, horizon: date) -> QuerySet:
    """Documents in force whose next review is on or before `horizon`: their owner."""
    from .models import GovernanceDocument

    due = GovernanceDocument.objects.filter(is_active=True, next_review__lte=horizon)
    return rows(due, due=F("next_review"), assigned=F("owner_id"),
                nominal=Value(None, output_field=IntegerField()))


def follow_up_escalated(day: date, *, horizon: date) -> QuerySet:
    """Non-attendance escalated by a JMAPP Chair (§10.10), until the Board records its
    outcome: the SMB Chair of the day, who takes it up with the agency's representative on
    the Board (the Administrator where the Board has no Chair). No case: the Board sees
    agencies, never offenders."""
    from django.db.models import Subquery

    from meetings.models import FollowUp

    from .models import SmbChair

    chair = SmbChair.objects.on(day).values("member_id")[:1]
    escalated = FollowUp.objects.filter(escalated_on__isnull=False,
                                        board_closed_on__isnull=True,
                                        escalated_on__lte=horizon)
    return rows(escalated.annotate(smb_chair=Subquery(chair)), due=F("escalated_on"),
                assigned=F("smb_chair"), nominal=Value(None, output_field=IntegerField()))


def quarter_subject(period: Period) -> int:
    """A quarter as an alert's subject: 2026-Q3 is 20263."""
    return period.year * 10 + period.quarter


def quarter_without_meeting(day: date, *, horizon: date) -> PeriodRows:
    """The Board meets at least quarterly (§15.3). The running quarter, while it has no Board
    meeting held or arranged, due by its last day; the quarter before, if no meeting was held
    in it, overdue until the Board next meets. Only while the Board has members. Its
    secretariat, the Administrator, arranges the meeting."""
    from .models import SmbMeeting, SmbMeetingStatus, SmbMembership

    running = Period.quarter_of(day)
    last = running.previous()
    meetings, members = SmbMeeting._meta.db_table, SmbMembership._meta.db_table
    sql = f"""
        SELECT q.subject_id, CAST(NULL AS bigint) AS nominal_id, q.due_on,
               CAST(NULL AS bigint) AS assigned_to_id
        FROM (VALUES (%s, CAST(%s AS date), CAST(%s AS date), true),
                     (%s, CAST(%s AS date), CAST(%s AS date), false)) AS q(subject_id, starts,
                                                                           due_on, running)
        WHERE EXISTS (SELECT 1 FROM {members} m WHERE m.date_from <= q.due_on
                      AND (m.date_to IS NULL OR m.date_to >= q.starts))
          AND CASE WHEN q.running
              THEN NOT EXISTS (SELECT 1 FROM {meetings} g WHERE g.date BETWEEN q.starts
                               AND q.due_on AND g.status <> %s)
              ELSE NOT EXISTS (SELECT 1 FROM {meetings} g WHERE g.status = %s
                               AND g.date BETWEEN q.starts AND CAST(%s AS date))
              END
    """
    return PeriodRows(sql, (quarter_subject(running), running.start, running.end,
                            quarter_subject(last), last.start, last.end,
                            SmbMeetingStatus.CANCELLED, SmbMeetingStatus.HELD, day))


def annual_report_not_approved(day: date, *, horizon: date) -> PeriodRows:
    """The Chief Police Officer reports to the Minister before the end of March (§15.5):
    from 1 January, while the Board has not approved this year's report (none started, or a
    draft), due on 31 March. Only while the Board has members; its secretariat, the
    Administrator, prepares it."""
    from .models import AnnualReport, AnnualReportStatus, SmbMembership

    reports, members = AnnualReport._meta.db_table, SmbMembership._meta.db_table
    sql = f"""
        SELECT %s AS subject_id, CAST(NULL AS bigint) AS nominal_id,
               CAST(%s AS date) AS due_on, CAST(NULL AS bigint) AS assigned_to_id
        WHERE EXISTS (SELECT 1 FROM {members} m WHERE m.date_from <= CAST(%s AS date)
                      AND (m.date_to IS NULL OR m.date_to >= CAST(%s AS date)))
          AND NOT EXISTS (SELECT 1 FROM {reports} r WHERE r.year = %s AND r.status <> %s)
    """
    return PeriodRows(sql, (day.year, date(day.year, 3, 31), day, day, day.year,
                            AnnualReportStatus.DRAFT))
