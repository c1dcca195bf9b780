"""Reads of support planning that the pages, the API and the PDFs share: everything under a
case follows the case's access rule (whoever reads the case reads its support planning)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import (
    DisclosedOffending,
    NetworkConsent,
    NetworkSending,
    SafetyPlan,
    SupportMeeting,
    SupportPerson,
    SupportPlanning,
)


def planning_visible(user) -> QuerySet:
    return SupportPlanning.objects.visible_to(user).select_related("nominal")


def people_visible(user) -> QuerySet:
    return SupportPerson.objects.visible_to(user).select_related("nominal")


def meetings_visible(user) -> QuerySet:
    return SupportMeeting.objects.visible_to(user).select_related("nominal", "finalised_by")


def safety_plans_visible(user) -> QuerySet:
    return SafetyPlan.objects.visible_to(user).select_related("nominal", "reviewed_at",
                                                              "created_by")


def consents_visible(user) -> QuerySet:
    return NetworkConsent.objects.visible_to(user).select_related("nominal", "recorded_by")


def sendings_visible(user) -> QuerySet:
    return NetworkSending.objects.visible_to(user).select_related(
        "nominal", "person", "consent", "safety_plan", "sent_by")


def offending_visible(user) -> QuerySet:
    return DisclosedOffending.objects.visible_to(user).select_related(
        "nominal", "meeting", "police_contact", "recorded_by")


def case_support(user, nominal) -> dict:
    """Everything of the case's support planning, for its page: a constant number of
    queries however large the network or the history."""
    from django.db.models import Count

    return {
        "planning": planning_visible(user).filter(nominal=nominal).first(),
        "people": list(people_visible(user).filter(nominal=nominal)),
        "meetings": list(meetings_visible(user).filter(nominal=nominal).annotate(
            present=Count("attendees"))),
        "plans": list(safety_plans_visible(user).filter(nominal=nominal)),
        "consents": list(consents_visible(user).filter(nominal=nominal)),
        "sendings": list(sendings_visible(user).filter(nominal=nominal)),
        "offending": list(offending_visible(user).filter(nominal=nominal)),
    }
