"""The referral's time rule (§10.4), shared by the pages, the API and the deadline sweep.

- In the community: a meeting within 15 working days of receiving the referral (Jersey
  working days: weekends and bank holidays do not count).
- In custody (or detained in hospital): a meeting no later than 6 months before the
  eligibility date for release on temporary licence; failing that date, the earliest
  release (or discharge) date (§3.3: "6 months prior to the planned release/discharge").
- An emergency: due at once, on the day it is received.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, F, OuterRef, QuerySet

from cases.models import CustodyStatus, Eligibility, Nominal, Status
from jmappa.core.rules import AddMonths, rows
from jmappa.workdays import add_months, add_working_days

from .models import AWAITING_MEETING_STATUSES, Referral, ReferralStatus, Urgency

COMMUNITY_WORKING_DAYS = 15
CUSTODY_MONTHS_BEFORE_RELEASE = 6
DETAINED = (CustodyStatus.CUSTODY, CustodyStatus.HOSPITAL)


def months_before(day: date, months: int) -> date:
    return add_months(day, -months)


def release_date_for_rule(*, temporary_release_date: date | None,
                          earliest_release_date: date | None) -> date | None:
    return temporary_release_date or earliest_release_date


def meeting_due_by(*, received_on: date, urgency: str, custody_status: str,
                   temporary_release_date: date | None = None,
                   earliest_release_date: date | None = None) -> date:
    """The date by which the referral's meeting must be held (§10.4)."""
    if urgency == Urgency.EMERGENCY:
        return received_on
    if custody_status in DETAINED:
        release = release_date_for_rule(temporary_release_date=temporary_release_date,
                                        earliest_release_date=earliest_release_date)
        if release is not None:
            return months_before(release, CUSTODY_MONTHS_BEFORE_RELEASE)
    return add_working_days(received_on, COMMUNITY_WORKING_DAYS)


def meeting_due_by_for(referral: Referral, received_on: date) -> date:
    return meeting_due_by(
        received_on=received_on, urgency=referral.urgency,
        custody_status=referral.custody_status,
        temporary_release_date=referral.temporary_release_date,
        earliest_release_date=referral.earliest_release_date,
    )


def meeting_held(referral: Referral) -> bool:
    """Whether a meeting on the referral has been held (lists prefetch `meetings`). The
    meetings app, above this one, declares the relation and what "held" means."""
    return referral.pk is not None and referral.status == ReferralStatus.ACCEPTED and any(
        meeting.is_held for meeting in referral.meetings.all())


def is_overdue(referral: Referral, day: date) -> bool:
    """Still waiting for its meeting after the day it was due. The same rule over every
    referral at once, for lists and the deadline sweep, is meetings.rules.awaiting_meeting_by
    (it needs the meetings, which sit above the referrals)."""
    return (
        referral.status in AWAITING_MEETING_STATUSES
        and referral.meeting_due_by is not None
        and referral.meeting_due_by < day
        and not meeting_held(referral)
    )

RELEASE_REFERRAL_MONTHS = 6


def release_without_referral(day: date, *, horizon: date) -> QuerySet:
    """JMAPPA-eligible nominals in custody released within 6 months of `day` with no
    referral made (§3.3): due 6 months before the earliest release date."""
    referred = Referral.objects.filter(nominal=OuterRef("pk")).exclude(
        status=ReferralStatus.DRAFT)
    nominals = Nominal.objects.filter(
        status=Status.ACTIVE, eligibility=Eligibility.ELIGIBLE,
        custody_status=CustodyStatus.CUSTODY, earliest_release_date__gte=day,
    ).annotate(due=AddMonths(F("earliest_release_date"), -RELEASE_REFERRAL_MONTHS)) \
        .filter(due__lte=horizon).exclude(Exists(referred))
    return rows(nominals, nominal=F("pk"), due=F("due"), assigned=F("case_manager_id"))
