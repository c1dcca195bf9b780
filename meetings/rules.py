"""The meeting's time rules, shared by the pages, the API and the deadline sweep.

- Review (§10.11): level 3 no later than 6 weeks after the previous meeting; level 2 and
  level 1 no later than 12 weeks. These are the latest dates: a meeting may set an
  earlier one, and a later one needs a recorded deviation (§1.1).
- Minutes (§10.12): level 3 within 5 working days of the meeting, level 2 within 10
  (Jersey working days). The Guidance sets no date for a level 1 discussion's notes.
- Before release (§10.4): a meeting no later than 6 months before eligibility for temporary
  release, for every eligible nominal in custody or hospital, referred or not.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from cases.models import Level
from jmappa.workdays import add_working_days

REVIEW_WEEKS = {Level.ONE: 12, Level.TWO: 12, Level.THREE: 6}
MINUTES_WORKING_DAYS = {Level.TWO: 10, Level.THREE: 5}


def latest_review_date(meeting_date: date, level: str) -> date:
    """The latest date the next review meeting may be held."""
    return meeting_date + timedelta(weeks=REVIEW_WEEKS[level])


def minutes_due_by(meeting_date: date, level: str) -> date | None:
    """The date the minutes must be produced by, or None where no rule applies."""
    days = MINUTES_WORKING_DAYS.get(level)
    return add_working_days(meeting_date, days) if days else None


# -- The deadline sweep's rules ----------------------------------------------------------
# One query each, whatever the number of cases: rows of subject_id, nominal_id, due_on,
# assigned_to_id for every subject due on or before `horizon` (alerts/registry.py).


def review_due(day: date, *, horizon: date) -> QuerySet:
    """Active cases at level 2 or 3 whose review meeting is due (§10.11): after each
    case's latest held meeting, by the date its minutes set, or else 6 weeks after a level 3
    meeting and 12 after a level 2 or level 1 one (as meetings.selectors.review_due), until
    a later meeting is arranged or held. The case manager acts. A level 1 case has one
    review obligation, the level 1 review (plans.rules.level1_review_due_rows), which a
    level 1 discussion also meets."""
    from cases.models import Status
    from jmappa.core.rules import local_date, rows

    from .models import Meeting, MeetingStatus

    later = Meeting.objects.filter(nominal=OuterRef("nominal_id")).exclude(
        status=MeetingStatus.CANCELLED).filter(
        Q(starts_at__gt=OuterRef("starts_at"))
        | Q(starts_at=OuterRef("starts_at"), pk__gt=OuterRef("pk")))
    weeks = Case(*[When(level=level, then=Value(n * 7)) for level, n in REVIEW_WEEKS.items()],
                 output_field=IntegerField())
    latest = ExpressionWrapper(local_date("starts_at") + weeks, output_field=DateField())
    meetings = Meeting.objects.filter(
        status=MeetingStatus.HELD, nominal__status=Status.ACTIVE,
        nominal__level__in=[Level.TWO, Level.THREE],
    ).exclude(Exists(later)).annotate(due=Coalesce(F("next_review_by"), latest)) \
        .filter(due__lte=horizon)
    return rows(meetings, due=F("due"), assigned=F("nominal__case_manager_id"))


def minutes_due(day: date, *, horizon: date) -> QuerySet:
    """Held level 2 and 3 meetings whose minutes are not yet final (§10.12): due 5 or 10
    working days after the meeting (`minutes_due_by`). The Chair acts."""
    from jmappa.core.rules import rows

    from .models import Meeting, MeetingStatus, Minutes, MinutesStatus

    final = Minutes.objects.filter(
        meeting=OuterRef("pk"), status__in=[MinutesStatus.FINAL, MinutesStatus.SUPERSEDED])
    meetings = Meeting.objects.filter(
        status=MeetingStatus.HELD, level__in=list(MINUTES_WORKING_DAYS),
        minutes_due_by__lte=horizon,
    ).exclude(Exists(final))
    return rows(meetings, due=F("minutes_due_by"), assigned=F("chair_id"))


def follow_up_open(day: date, *, horizon: date) -> QuerySet:
    """Agencies that neither attended nor reported, not yet followed up (§10.10): due from
    the day the follow-up was opened. The meeting's Chair acts."""
    from jmappa.core.rules import rows

    from .models import FollowUp

    follow_ups = FollowUp.objects.filter(closed_on__isnull=True, opened_on__lte=horizon)
    return rows(follow_ups, nominal=F("meeting__nominal_id"), due=F("opened_on"),
                assigned=Coalesce(F("chair_id"), F("meeting__chair_id")))


def meeting_due(day: date, *, within: int = 0) -> QuerySet:
    """Referrals still waiting for their meeting that are due by `within` working days
    after `day` (0: due today or overdue). One query, whatever the number of referrals.

    A referral waits for its meeting while it is being screened, and once accepted until
    a meeting on it is held (§10.4; referrals.rules.is_overdue for one referral).
    """
    horizon = add_working_days(day, within) if within else day
    return awaiting_meeting_by(horizon)


def awaiting_meeting_by(horizon: date) -> QuerySet:
    """Referrals still waiting for their meeting, due on or before `horizon`."""
    from referrals.models import AWAITING_MEETING_STATUSES, Referral

    from .models import Meeting, MeetingStatus

    held = Meeting.objects.filter(referral=OuterRef("pk"), status=MeetingStatus.HELD)
    return Referral.objects.filter(
        status__in=AWAITING_MEETING_STATUSES, meeting_due_by__lte=horizon
    ).exclude(Exists(held))


def referral_meeting_due(day: date, *, horizon: date) -> QuerySet:
    """The deadline sweep's rule (alerts/registry.py): referrals waiting for their
    meeting, as rows of subject_id, nominal_id, due_on, assigned_to_id in one query. The
    Co-ordinator acts (no one named); a referral not yet accepted may have no case yet
    (nominal_id NULL)."""
    from jmappa.core.rules import NOBODY, rows

    return rows(awaiting_meeting_by(horizon), due=F("meeting_due_by"), assigned=NOBODY)


# §10.4: "For cases in custody, JMAPPA eligible offenders will be subject to a JMAPPA meeting,
# no later than 6 months prior to their eligibility for release on a temporary licence."
PRE_RELEASE_MONTHS = 6


def pre_release_meeting_due(day: date, *, horizon: date) -> QuerySet:
    """Every JMAPPA-eligible nominal in custody or hospital with a temporary release (or
    discharge) eligibility date, referred or not: due 6 months before it, until a meeting of
    the case is held in the 6 months before that due date or since. The case manager (the
    Co-ordinator arranges it where there is none)."""
    from cases.models import CustodyStatus, Eligibility, Nominal, Status
    from jmappa.core.rules import AddMonths, local_date, rows

    from .models import Meeting, MeetingStatus

    considered = Meeting.objects.filter(
        nominal=OuterRef("pk"), status=MeetingStatus.HELD).annotate(
        on=local_date("starts_at")).filter(on__gte=AddMonths(OuterRef("due"), -6))
    nominals = Nominal.objects.filter(
        status=Status.ACTIVE, eligibility=Eligibility.ELIGIBLE,
        custody_status__in=[CustodyStatus.CUSTODY, CustodyStatus.HOSPITAL],
        temporary_release_date__isnull=False,
    ).annotate(due=AddMonths(F("temporary_release_date"), -PRE_RELEASE_MONTHS)).filter(
        due__lte=horizon).exclude(Exists(considered))
    return rows(nominals, nominal=F("pk"), due=F("due"), assigned=F("case_manager_id"))
