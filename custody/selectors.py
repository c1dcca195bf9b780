"""Reads of custody and joined-up planning that the pages, the API and the sweep share:
everything under a case follows the case's access rule."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import (
    Breach,
    Condition,
    CustodyEvent,
    JoinedUpMember,
    JoinedUpPlanning,
    JointVisit,
    MyPlan,
    PathwayPlanReview,
    PlanningMeeting,
    Recall,
    Sentence,
    TeamAction,
    TeamActionUpdate,
)


def sentences_visible(user) -> QuerySet:
    return Sentence.objects.visible_to(user).select_related("nominal")


def events_visible(user) -> QuerySet:
    return CustodyEvent.objects.visible_to(user).select_related("nominal")


def conditions_visible(user) -> QuerySet:
    return Condition.objects.visible_to(user).select_related("nominal")


def breaches_visible(user) -> QuerySet:
    return Breach.objects.visible_to(user).select_related(
        "nominal", "condition", "recall", "intervention__intervention")


def recalls_visible(user) -> QuerySet:
    return Recall.objects.visible_to(user).select_related("nominal", "breach", "decided_by")


def members_visible(user) -> QuerySet:
    return JoinedUpMember.objects.visible_to(user).select_related("nominal", "user")


def planning_meetings_visible(user) -> QuerySet:
    return PlanningMeeting.objects.visible_to(user).select_related("nominal")


def actions_visible(user) -> QuerySet:
    return TeamAction.objects.visible_to(user).select_related(
        "nominal", "owner", "owner__user", "agreed_at")


def my_plans_visible(user) -> QuerySet:
    return MyPlan.objects.visible_to(user).select_related("nominal", "uploaded_by")


def pathway_reviews_visible(user) -> QuerySet:
    return PathwayPlanReview.objects.visible_to(user).select_related(
        "nominal", "reviewed_by", "reviewed_by__user")


def case_custody(user, nominal) -> dict:
    """Everything of the case's custody and joined-up planning, for its page: a constant
    number of queries however long the history."""
    updates = TeamActionUpdate.objects.select_related("meeting", "by").order_by("at", "id")
    return {
        "planning": JoinedUpPlanning.objects.filter(nominal=nominal).first(),
        "sentences": list(sentences_visible(user).filter(nominal=nominal)),
        "events": list(events_visible(user).filter(nominal=nominal)),
        "conditions": list(conditions_visible(user).filter(nominal=nominal)),
        "breaches": list(breaches_visible(user).filter(nominal=nominal)),
        "members": list(members_visible(user).filter(nominal=nominal)),
        "meetings": list(planning_meetings_visible(user).filter(nominal=nominal)),
        "actions": list(actions_visible(user).filter(nominal=nominal).prefetch_related(
            Prefetch("updates", queryset=updates))),
        "my_plans": list(my_plans_visible(user).filter(nominal=nominal)),
        "joint_visits": list(JointVisit.objects.visible_to(user).filter(
            nominal=nominal).select_related("police_officer", "probation_officer")),
        "pathway_reviews": list(pathway_reviews_visible(user).filter(nominal=nominal)),
    }
