"""What each persona's home page shows."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from jmappa import access
from jmappa.accounts.models import Agency, Role, User
from jmappa.audit.models import Action, AuditEvent

from . import health


def home_panels(user) -> dict:
    panels: dict = {}
    if user.agency_id:
        panels["agency"] = Agency.objects.select_related("spoc").get(pk=user.agency_id)
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
            action=Action.LOGIN_FAILED, occurred_at__gte=since
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
    if access.has_role(user, Role.SMB_MEMBER):
        panels["agency_counts"] = Agency.objects.filter(is_active=True).aggregate(
            total=Count("id"), duty_to_cooperate=Count("id", filter=Q(duty_to_cooperate=True))
        )
    if access.has_role(user, Role.SPOC):
        panels["spoc_of"] = list(Agency.objects.filter(spoc=user))
    return panels
