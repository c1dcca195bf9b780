"""Reads of meetings that the pages (and the API) share: already restricted to the cases the
user may see (Meeting.objects.visible_to, jmappa/access.py) and joined to what they show,
so that a list costs the same few queries whatever its length."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone

from cases.decisions import Decision
from cases.models import Level, Nominal
from jmappa import access
from jmappa.accounts.models import Grade, Role, User
from referrals.models import Referral, ReferralStatus

from . import rules
from .models import (
    Attendance,
    FollowUp,
    Invitation,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    PanelDate,
    StandingMembership,
)

RECENT_WEEKS = 12
LIST_LENGTH = 100


def meetings_for(user) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).select_related(
        "nominal", "chair", "chair__agency", "panel", "referral")


def _mine(user) -> Q:
    invited = Invitation.objects.filter(meeting=OuterRef("pk"), user=user,
                                        withdrawn_at__isnull=True)
    return Q(chair=user) | Q(Exists(invited))


def meeting_list(user, *, mine: bool = False, now: datetime | None = None
                 ) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, recent): the meetings still to be held from today on, soonest first, and
    the others of the last RECENT_WEEKS weeks (held, cancelled, or past and not yet
    recorded), latest first. Each meeting carries `invited` (how many are invited) and
    `my_invitation` (the user's own, or None). Two queries, whatever the number."""
    now = now or timezone.now()
    today_start = timezone.make_aware(datetime.combine(timezone.localtime(now).date(),
                                                       datetime.min.time()))
    meetings = meetings_for(user).filter(
        starts_at__gte=today_start - timedelta(weeks=RECENT_WEEKS),
    ).annotate(
        invited=Count("invitations", filter=Q(invitations__withdrawn_at__isnull=True)),
        minutes_final=Exists(Minutes.objects.filter(meeting=OuterRef("pk"),
                                                    status=MinutesStatus.FINAL)),
    ).prefetch_related(
        Prefetch("invitations", to_attr="mine",
                 queryset=Invitation.objects.filter(user=user, withdrawn_at__isnull=True)))
    if mine:
        meetings = meetings.filter(_mine(user))
    upcoming, recent = [], []
    for meeting in meetings.order_by("starts_at", "id")[:LIST_LENGTH * 3]:
        meeting.my_invitation = meeting.mine[0] if meeting.mine else None
        if meeting.status == MeetingStatus.SCHEDULED and meeting.starts_at >= today_start:
            upcoming.append(meeting)
        else:
            recent.append(meeting)
    recent.reverse()
    return upcoming[:LIST_LENGTH], recent[:LIST_LENGTH]


def meeting_page(user) -> QuerySet[Meeting]:
    """One meeting with its invitations, attendance and follow-ups."""
    return meetings_for(user).select_related("nominal__case_manager", "nominal__lead_agency",
                                             "created_by").prefetch_related(
        Prefetch("invitations", queryset=Invitation.objects.select_related(
            "agency", "agency__spoc", "user").order_by("withdrawn_at", "agency__name", "name")),
        Prefetch("attendance", queryset=Attendance.objects.select_related(
            "agency", "attendee")),
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related(
            "agency", "spoc", "chair")),
    )


def meetings_of_case(nominal: Nominal) -> list[Meeting]:
    """The case's meetings, latest first (the case page has checked the user sees it)."""
    return list(Meeting.objects.filter(nominal=nominal).select_related("chair", "panel")
                .order_by("-starts_at", "-id"))


def referrals_awaiting_meeting(user, nominal: Nominal) -> list[Referral]:
    """The case's accepted referrals with no meeting arranged (or only cancelled ones)."""
    arranged = Meeting.objects.filter(referral=OuterRef("pk")).exclude(
        status=MeetingStatus.CANCELLED)
    return list(Referral.objects.visible_to(user).filter(
        nominal=nominal, status=ReferralStatus.ACCEPTED).exclude(Exists(arranged))
        .order_by("meeting_due_by", "id"))


def review_due(meeting: Meeting) -> date:
    """The latest date of the review that follows a held meeting (§10.11): the date its
    minutes set, or else the latest the rule allows."""
    return meeting.next_review_by or rules.latest_review_date(meeting.date, meeting.level)


def last_held(nominal: Nominal, level: str | None = None) -> Meeting | None:
    meetings = Meeting.objects.filter(nominal=nominal, status=MeetingStatus.HELD)
    if level is not None:
        meetings = meetings.filter(level=level)
    return meetings.order_by("-starts_at", "-id").first()


def next_review(meetings: list[Meeting]) -> tuple[Meeting, date] | None:
    """The latest held meeting among `meetings` and the review date it sets (§10.11)."""
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    if not held:
        return None
    last = max(held, key=lambda m: (m.starts_at, m.pk))
    return last, review_due(last)


def panels(*, level: str | None = None, since: datetime | None = None,
           include_cancelled: bool = False) -> QuerySet[PanelDate]:
    """Panel dates from `since` (now, unless given), each with `booked`: the number of
    meetings arranged on it (cancelled ones not counted)."""
    since = since or timezone.now()
    dates = PanelDate.objects.filter(starts_at__gte=since).annotate(
        booked=Count("meetings", filter=~Q(meetings__status=MeetingStatus.CANCELLED)))
    if level:
        dates = dates.filter(level=level)
    if not include_cancelled:
        dates = dates.filter(cancelled=False)
    return dates.order_by("starts_at", "level")


def panel_choices(level: str, due: date | None) -> list[dict]:
    """The upcoming panel dates of `level` to choose from, each saying whether it is on or
    before the due date."""
    rows = []
    for panel in panels(level=level):
        day = timezone.localtime(panel.starts_at).date()
        rows.append({"panel": panel, "day": day,
                     "late": due is not None and day > due})
    return rows


def eligible_chairs(level: str) -> QuerySet[User]:
    """Who may chair a meeting of `level` (services.scheduling.chair_problem says why not)."""
    users = User.objects.filter(is_active=True).filter(
        Q(roles__contains=[Role.CHAIR]) | Q(roles__contains=[Role.COORDINATOR]))
    if level in (Level.TWO, Level.THREE):
        users = users.filter(Q(roles__contains=[Role.COORDINATOR])
                             | Q(grade__gte=Grade.MIDDLE_MANAGER))
    return users.select_related("agency").order_by("last_name", "first_name", "username")


def standing_seats(level: str) -> dict[int, StandingMembership]:
    """The seats at `level`, by agency id."""
    return {seat.agency_id: seat for seat in StandingMembership.objects.filter(
        level=level).select_related("agency", "member")}


def active_seats(level: str) -> list[StandingMembership]:
    """The seats in use at `level` (§10.7), of active agencies, with whom each invites."""
    return list(StandingMembership.objects.filter(
        level=level, is_active=True, agency__is_active=True).select_related(
        "agency", "member", "agency__spoc").order_by("agency__name"))


def seat_for(agency_id: int, level: str) -> StandingMembership | None:
    return StandingMembership.objects.filter(agency_id=agency_id, level=level,
                                             is_active=True).first()


def open_follow_ups(user) -> QuerySet[FollowUp]:
    """Follow-ups still open that the user is to close: as the Chair, or all of them for the
    Co-ordinator; of cases the user sees."""
    follow_ups = FollowUp.objects.filter(
        closed_on__isnull=True,
        meeting__in=Meeting.objects.visible_to(user)).select_related(
        "agency", "spoc", "chair", "meeting", "meeting__nominal")
    if not user.has_role(Role.COORDINATOR):
        follow_ups = follow_ups.filter(Q(chair=user) | Q(meeting__chair=user))
    return follow_ups.order_by("opened_on", "id")


def minutes_page(user) -> QuerySet[Meeting]:
    """One meeting, for the pages and the PDF of its minutes: of a case the user sees, or
    whose minutes were sent to them (access.restrict_minutes_meetings)."""
    return access.restrict_minutes_meetings(Meeting.objects.all(), user).select_related(
        "nominal", "chair", "panel")


def invitation_page(user) -> QuerySet[Invitation]:
    """One invitation of a meeting whose case `user` sees."""
    return Invitation.objects.filter(
        meeting__in=Meeting.objects.visible_to(user)).select_related(
        "meeting", "meeting__nominal", "meeting__chair", "agency", "user")


def follow_up_page(user) -> QuerySet[FollowUp]:
    """One follow-up of non-attendance of a meeting whose case `user` sees."""
    return FollowUp.objects.filter(
        meeting__in=Meeting.objects.visible_to(user)).select_related(
        "meeting", "meeting__nominal", "meeting__chair", "agency", "spoc", "chair")


def meeting_label(meeting: Meeting) -> str:
    """"the level 3 meeting of 5 December 2026": a meeting named in a sentence."""
    kind = meeting.get_kind_display()
    kind = kind if kind[:2].isupper() else kind[:1].lower() + kind[1:]
    return f"the {kind} of {dateformat.format(timezone.localtime(meeting.starts_at), 'j F Y')}"


def withholding_decision(nominal: Nominal) -> Decision | None:
    """The meeting that agreed the case's decision on withholding from the offender (§3.6):
    the one whose final minutes were the last to be applied to the case, where they say what
    the case says (one query)."""
    minutes = (Minutes.objects.filter(meeting__nominal=nominal, status=MinutesStatus.FINAL)
               .select_related("meeting").order_by("-finalised_at", "-pk").first())
    if minutes is None or minutes.withhold_from_offender != nominal.withhold_from_offender:
        return None
    return Decision(label=meeting_label(minutes.meeting),
                    url=reverse("meetings:minutes", args=[minutes.meeting_id]))
def panel_day(user, day: date) -> list[Meeting]:
    """Every meeting on `day` of the cases `user` sees, not cancelled, in the order they
    sit, each with its papers: `invited` (the invitations not withdrawn), `last_minutes`
    (the case's latest final minutes before the day, if any). A fixed number of queries,
    whatever the number of cases."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    end = start + timedelta(days=1)
    meetings = list(meetings_for(user).filter(starts_at__gte=start, starts_at__lt=end).exclude(
        status=MeetingStatus.CANCELLED).select_related("nominal__lead_agency").prefetch_related(
        Prefetch("invitations", queryset=Invitation.objects.filter(
            withdrawn_at__isnull=True).select_related("agency"))).order_by("starts_at", "id"))
    earlier = Minutes.objects.filter(
        meeting__nominal__in={m.nominal_id for m in meetings}, status=MinutesStatus.FINAL,
        meeting__starts_at__lt=start).select_related("meeting").order_by(
        "meeting__nominal", "-meeting__starts_at")
    latest: dict[int, Minutes] = {}
    for minutes in earlier:
        latest.setdefault(minutes.meeting.nominal_id, minutes)
    for meeting in meetings:
        meeting.invited = list(meeting.invitations.all())
        meeting.last_minutes = latest.get(meeting.nominal_id)
    return meetings


def panel_days(user, after: date, count: int = 8) -> list[date]:
    """The next days, from `after`, with a meeting of a case `user` sees."""
    start = timezone.make_aware(datetime.combine(after, datetime.min.time()))
    moments = meetings_for(user).filter(starts_at__gte=start).exclude(
        status=MeetingStatus.CANCELLED).order_by("starts_at").values_list("starts_at", flat=True)
    days: list[date] = []
    for moment in moments[:200]:
        local = timezone.localtime(moment).date()
        if local not in days:
            days.append(local)
        if len(days) == count:
            break
    return days
