"""What each persona's home page shows."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from jmappa import access
from jmappa.accounts.models import Agency, AgencyKind, Role, User
from jmappa.audit.models import AuditEvent, Verb
from jmappa.core import health


def home_panels(user) -> dict:
    panels: dict = {}
    if user.agency_id:
        panels["agency"] = Agency.objects.select_related("spoc").get(pk=user.agency_id)
    if access.sees_alerts(user) or access.has_role(user, Role.SMB_MEMBER):
        # An SMB member's are the Board's own (alerts.models.BOARD_RULES): no case.
        panels["due"] = due_and_overdue(user)
    if access.can_have_actions(user):
        from plans.selectors import my_actions_panel

        panels["my_actions"] = my_actions_panel(user)
        panels["meetings"] = my_meetings(user)
    if access.sees_alerts(user):
        panels["notices"] = notices(user)
    if access.sees_every_case(user) or (
            panels.get("agency") is not None and panels["agency"].kind == AgencyKind.POLICE):
        panels["home_visits"] = home_visits(user)
    if access.has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR):
        panels["agencies_without_spoc"] = list(
            Agency.objects.filter(is_active=True, spoc__isnull=True).order_by("name")
        )
        panels["users_without_grade"] = list(
            User.objects.filter(is_active=True, grade__isnull=True)
            .exclude(agency__isnull=True)
            .select_related("agency")
            .order_by("username")[:20]
        )
    if access.can_view_audit_trail(user):
        since = timezone.now() - timedelta(hours=24)
        panels["failed_sign_ins_24h"] = AuditEvent.objects.filter(
            action=Verb.LOGIN_FAILED, occurred_at__gte=since
        ).count()
        panels["locked_out"] = list(
            AccessAttempt.objects.filter(
                failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
            )
            .values_list("username", flat=True)
            .distinct()
        )
        heartbeat = health.last_heartbeat()
        panels["worker_heartbeat"] = heartbeat
        panels["worker_stale"] = health.heartbeat_is_stale(heartbeat, timezone.now())
    if access.can_view_kpis(user):
        from kpi.selectors import home_summary

        panels["kpis"] = home_summary(timezone.localdate())
    if access.has_role(user, Role.SMB_MEMBER):
        panels["agency_counts"] = Agency.objects.filter(is_active=True).aggregate(
            total=Count("id"), duty_to_cooperate=Count("id", filter=Q(duty_to_cooperate=True))
        )
    if access.has_role(user, Role.SPOC):
        panels["spoc_of"] = list(Agency.objects.filter(spoc=user))
    if access.can_screen_referrals(user):
        panels["referrals_to_screen"] = referrals_to_screen(user)
    elif access.can_refer(user):
        panels["your_referrals"] = your_referrals(user, panels["agency"])
    return panels


ALERTS_SHOWN = 5


def due_and_overdue(user) -> dict:
    """The user's open alerts: how many, how many overdue, the first few; for the
    Co-ordinator, also every case's open alerts by rule."""
    from alerts import selectors as alerts

    today = timezone.localdate()
    counts = alerts.open_counts(user, mine=True, today=today)
    first = alerts.alerts_for(user, mine=True, today=today)[:ALERTS_SHOWN] \
        if counts["total"] else []
    return {
        **counts,
        "first": alerts.shown(first, today),
        "by_rule": alerts.open_counts(user, today=today)
        if access.has_role(user, Role.COORDINATOR) else None,
    }


MEETINGS_SHOWN = 5


def my_meetings(user) -> dict:
    """The meetings the user is invited to or chairs, still to be held, soonest first, and
    those of their invitations still awaiting their answer (meetings.selectors.meeting_list:
    two queries)."""
    from meetings.models import InvitationResponse
    from meetings.selectors import meeting_list

    upcoming, _recent = meeting_list(user, mine=True)
    to_answer = [meeting for meeting in upcoming if meeting.my_invitation is not None
                 and meeting.my_invitation.response == InvitationResponse.PENDING]
    return {"upcoming": upcoming[:MEETINGS_SHOWN], "more": len(upcoming) > MEETINGS_SHOWN,
            "to_answer": to_answer}


NOTICES_SHOWN = 5


def notices(user) -> dict:
    """The user's notices not yet read (their referral decided, an invitation): the first
    few, newest first; one query."""
    from alerts.selectors import unread_notices

    first = list(unread_notices(user)[:NOTICES_SHOWN + 1])
    return {"first": first[:NOTICES_SHOWN], "more": len(first) > NOTICES_SHOWN}


def home_visits(user) -> dict:
    """The home visits due across the user's caseload (§14.9): overdue, and due within a
    month, on the cases where they are the ViSOR or case manager (the Co-ordinator: every
    case); one query."""
    from plans.selectors import home_visit_schedule

    today = timezone.localdate()
    mine = not access.sees_every_case(user)
    counts = home_visit_schedule(user, today=today, mine=mine).order_by().aggregate(
        visits_due=Count("id"), visits_overdue=Count("id", filter=Q(due__lt=today)))
    return {"due": counts["visits_due"], "overdue": counts["visits_overdue"],
            "every_case": not mine}


YOUR_REFERRALS_SHOWN = 8


def referrals_to_screen(user) -> dict:
    """The Co-ordinator's queue at a glance: how many wait, how many are overdue, and the
    one due first."""
    from referrals.models import Urgency
    from referrals.selectors import screening_queue

    queue = screening_queue(user)
    today = timezone.localdate()
    counts = queue.aggregate(
        waiting=Count("id"),
        overdue=Count("id", filter=Q(meeting_due_by__lt=today)),
        emergencies=Count("id", filter=Q(urgency=Urgency.EMERGENCY)),
    )
    return {**counts, "next": queue.first() if counts["waiting"] else None}


def your_referrals(user, agency) -> dict:
    """A practitioner's own referrals (their agency's, for its SPOC), those that need them
    first: sent back for information, then rejected, drafts, waiting, and the rest."""
    from referrals.models import ReferralStatus
    from referrals.selectors import referral_list

    is_spoc = agency is not None and agency.spoc_id == user.pk
    referrals = referral_list(user, agency=agency) if is_spoc else \
        referral_list(user).filter(referred_by=user)
    needs_you = Case(
        When(status=ReferralStatus.INFO_REQUESTED, then=Value(0)),
        When(status=ReferralStatus.REJECTED, then=Value(1)),
        When(status=ReferralStatus.DRAFT, then=Value(2)),
        When(status=ReferralStatus.SUBMITTED, then=Value(3)),
        default=Value(4), output_field=IntegerField(),
    )
    shown = list(referrals.order_by(needs_you, "-updated_at", "-id")[:YOUR_REFERRALS_SHOWN])
    return {
        "agency_wide": is_spoc,
        "referrals": shown,
        "total": len(shown) if len(shown) < YOUR_REFERRALS_SHOWN else referrals.count(),
        "info_requested": sum(r.status == ReferralStatus.INFO_REQUESTED for r in shown),
    }
