"""Reads of coordinated services plans and their panel that the pages and the API share:
a plan and what hangs from it follow the case's access rule."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import (
    Endorsement,
    OversightNotice,
    PanelMeeting,
    PanelMember,
    PlannedService,
    ServicesPlan,
    SystemicIssue,
    UpdateRequest,
)


def plans_visible(user) -> QuerySet:
    return ServicesPlan.objects.visible_to(user).select_related("nominal")


def services_visible(user) -> QuerySet:
    return PlannedService.objects.filter(plan__in=plans_visible(user)).select_related(
        "plan", "plan__nominal", "provider")


def updates_visible(user) -> QuerySet:
    return UpdateRequest.objects.visible_to(user).select_related(
        "nominal", "plan", "provider", "meeting", "requested_by")


def notices_visible(user) -> QuerySet:
    return OversightNotice.objects.visible_to(user).select_related("nominal", "plan")


def case_plans(user, nominal) -> list[ServicesPlan]:
    """The case's plans, the one in force first, each with what hangs from it: a constant
    number of queries however many services, endorsements or requests."""
    return list(plans_visible(user).filter(nominal=nominal).order_by(
        "ended_on", "-order_start").prefetch_related(
        Prefetch("services", queryset=PlannedService.objects.select_related("provider")),
        Prefetch("endorsements", queryset=Endorsement.objects.select_related(
            "meeting", "endorsed_by").prefetch_related("members__member")),
        Prefetch("update_requests", queryset=UpdateRequest.objects.select_related(
            "provider", "meeting")),
        "notices", "sharings__shared_by"))


def current_members():
    return PanelMember.objects.filter(date_to__isnull=True).select_related("member", "agency")


def panel_meetings():
    return PanelMeeting.objects.all()


def held_panel_meetings():
    return PanelMeeting.objects.filter(status="held")


def coming_panel_meetings():
    return PanelMeeting.objects.filter(date__gte=timezone.localdate()).order_by("date")


def systemic_issues():
    return SystemicIssue.objects.select_related("raised_by").prefetch_related("agencies")
