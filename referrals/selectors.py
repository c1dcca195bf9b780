"""Reads of referrals that the pages, the API and the PDF share, already restricted by
jmappa/access.py and already joined to what they show."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from cases import selectors as case_selectors
from cases.models import Nominal
from jmappa import access

from .models import OPEN_STATUSES, Referral, ReferralAgency, ReferralStatus, ReferralStep


def referrals_for(user) -> QuerySet[Referral]:
    # `meetings`: whether one was held, for the overdue rule (referrals/rules.py).
    return Referral.objects.visible_to(user).select_related(
        "referred_by", "referring_agency", "lead_agency", "nominal", "screened_by",
    ).prefetch_related("meetings")


def referral_list(user, *, status: str | None = None, agency=None,
                  open_only: bool = False) -> QuerySet[Referral]:
    """The referrals `user` may see: open ones first, each group by its meeting-due date."""
    referrals = referrals_for(user)
    if status:
        referrals = referrals.filter(status=status)
    if open_only:
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    if agency is not None:
        referrals = referrals.filter(referring_agency=agency)
    drafts_last = Case(
        When(status__in=OPEN_STATUSES, then=Value(0)),
        When(status=ReferralStatus.DRAFT, then=Value(1)),
        default=Value(2), output_field=IntegerField(),
    )
    return referrals.order_by(drafts_last, "meeting_due_by", "-created_at", "-id")


def screening_queue(user) -> QuerySet[Referral]:
    """The Co-ordinator's queue: waiting referrals, the one whose meeting is due first
    at the top (an emergency is due the day it arrives)."""
    if not access.can_screen_referrals(user):
        return Referral.objects.none()
    return referrals_for(user).filter(status__in=OPEN_STATUSES).order_by(
        "meeting_due_by", "received_on", "id")


def referral_page(user) -> QuerySet[Referral]:
    """One referral with its agencies to be involved and its history."""
    return referrals_for(user).prefetch_related(
        Prefetch("agencies", queryset=ReferralAgency.objects.select_related("agency")),
        Prefetch("steps", queryset=ReferralStep.objects.select_related("actor")),
    )


def referrals_of_case(user, nominal: Nominal) -> QuerySet[Referral]:
    return referrals_for(user).filter(nominal=nominal).order_by("-received_on", "-id")


def possible_matches(referral: Referral) -> QuerySet[Nominal]:
    """Records on the register that may be the referral's subject (the register's own
    duplicate check), whoever may see them: referrals.services.register_check splits them
    by what the screener may see."""
    if referral.nominal_id or not referral.date_of_birth and not referral.pnc_number:
        return Nominal.objects.none()
    return case_selectors.possible_duplicates(
        given_names=referral.given_names, family_name=referral.family_name,
        date_of_birth=referral.date_of_birth, pnc_number=referral.pnc_number,
        aliases=referral.alias_list,
    ).select_related("lead_agency")
