"""Reads of the disclosure app, restricted by jmappa/access.py: a disclosure names a third
party, so only the Co-ordinator and holders of the case's disclosure permission read it."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import SUMMARY_MEETINGS, Deferral, Disclosure


def disclosures_visible(user) -> QuerySet:
    return Disclosure.objects.visible_to(user).select_related(
        "nominal", "meeting", "action", "endorser", "officer")


def case_disclosures(user, nominal) -> QuerySet:
    return disclosures_visible(user).filter(nominal=nominal)


def minutes_deferral(minutes) -> Deferral | None:
    return Deferral.objects.filter(minutes=minutes).first()


def minutes_requests_visible(user) -> QuerySet:
    from .models import MinutesRequest

    return MinutesRequest.objects.visible_to(user).select_related(
        "nominal", "chair", "received_by", "redirected_to")


def last_meeting_chair(nominal):
    """The Chair of the case's last meeting held: who prepares the Executive Summary."""
    from meetings.models import Meeting, MeetingStatus

    meeting = (Meeting.objects.filter(nominal=nominal, status=MeetingStatus.HELD,
                                      chair__isnull=False)
               .select_related("chair").order_by("-starts_at").first())
    return meeting.chair if meeting else None


def summary_sources(nominal) -> dict:
    """What the Executive Summary is drafted from (§5.6): the case, the original referral,
    every final set of minutes, the plan's actions, the case's meetings held."""
    from meetings.models import Meeting, MeetingStatus, Minutes, MinutesStatus
    from plans.models import PlanAction
    from referrals.models import Referral, ReferralStatus

    referral = (Referral.objects.filter(nominal=nominal).exclude(
        status__in=[ReferralStatus.DRAFT, ReferralStatus.REJECTED])
        .select_related("referring_agency", "referred_by").order_by("created_at").first())
    meetings = list(Meeting.objects.filter(nominal=nominal, status=MeetingStatus.HELD)
                    .order_by("-starts_at")[:SUMMARY_MEETINGS])
    minutes = list(Minutes.objects.filter(meeting__nominal=nominal,
                                          status=MinutesStatus.FINAL)
                   .select_related("meeting").order_by("meeting__starts_at"))
    actions = list(PlanAction.objects.filter(nominal=nominal)
                   .select_related("owner_agency").order_by("due_date", "id"))
    return {"nominal": nominal, "referral": referral, "meetings": meetings,
            "minutes": minutes, "actions": actions,
            "aliases": [alias.name for alias in nominal.aliases.all()]}


def worship_visible(user) -> QuerySet:
    """Attendance at places of worship (§5.4): read as disclosures are."""
    from .models import WorshipArrangement

    return WorshipArrangement.objects.visible_to(user).select_related(
        "nominal", "disclosure", "countersigned_by", "created_by")


def case_worship(user, nominal) -> QuerySet:
    return worship_visible(user).filter(nominal=nominal)


def breaches_visible(user) -> QuerySet:
    from .models import ContractBreach

    return ContractBreach.objects.visible_to(user).select_related(
        "nominal", "arrangement", "recorded_by", "action_by")
