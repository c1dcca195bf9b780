"""Every write about arranging and holding JMAPP meetings (§10): one transaction each, with
its audit event.

- Panel dates (§10.6): the set monthly dates for level 2 and level 3 meetings.
- Standing membership (§10.7): who each agency sends, at what seniority; editable
  configuration, with the Guidance's own list to start from (DEFAULT_STANDING).
- Scheduling: a meeting of a case, from an accepted referral or as a review, on a panel
  date of its level or, for an emergency or a level 1 discussion, at a chosen time; a date
  after the meeting-due date only with the reason recorded.
- Invitations (§10.7, §10.8, §11): built when the meeting is scheduled, sent by email with
  a calendar file once the transaction has committed, answered by the invitee. An invitee
  sees the case through the case team while invited.
- Holding: attendance per agency, with the seniority check; an agency that neither came
  nor sent a report is followed up by the Chair with its SPOC (§10.10).

Emails leave the secure system: they carry the case's reference and a link, never the
offender's name.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import dateformat, timezone

from cases import services as case_services
from cases.models import Level, Nominal, RiskLevel, Status, TeamMember, TeamRole
from jmappa import access
from jmappa.accounts.models import Agency, AgencyKind, Grade, Role, User
from jmappa.audit.models import Action
from jmappa.audit.services import audit_change, audit_create, audit_log, snapshot
from jmappa.core import dates
from jmappa.core.dates import long_day, long_moment
from jmappa.core.deadlines import deadlines_changed_on_commit
from jmappa.core.mail import send_on_commit, site_link
from jmappa.workdays import add_months, is_working_day
from referrals.models import Referral, ReferralStatus

from . import ics, rules
from .models import (
    KIND_LEVEL,
    PRESENT_MODES,
    Attendance,
    AttendanceMode,
    FollowUp,
    Invitation,
    InvitationReason,
    InvitationResponse,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    PanelDate,
    PanelLevel,
    StandingMembership,
)

# Level 2 and 3 meetings sit on the set panel dates; the others at a time of their own.
PANEL_KINDS = (MeetingKind.LEVEL_2, MeetingKind.LEVEL_3)
# Children at risk (§11): the latest RoSH to children, in the community or in custody.
CHILDREN_AT_RISK = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)
MAX_SERIES_MONTHS = 24

# §10.7's standing membership, as the Guidance lists it: for each agency, the kinds of
# agency it applies to (the first kind present is used) and, per level, the seniority and
# the lowest grade that meets it (jmappa.accounts.models.Grade).
DEFAULT_STANDING = [
    ("Police", (AgencyKind.POLICE,), {
        Level.TWO: ("Inspector", Grade.FIRST_LINE_MANAGER),
        Level.THREE: ("Chief Inspector/Superintendent", Grade.SENIOR_MANAGER),
    }),
    ("Probation Service", (AgencyKind.PROBATION,), {
        Level.TWO: ("Team Leader", Grade.FIRST_LINE_MANAGER),
        Level.THREE: ("Assistant Chief Probation Officer", Grade.SENIOR_MANAGER),
    }),
    ("Social Services", (AgencyKind.CHILDRENS_SERVICES, AgencyKind.HEALTH_SOCIAL_SERVICES), {
        Level.TWO: ("Head of Children's Social Work", Grade.MIDDLE_MANAGER),
        Level.THREE: ("Co-ordinator, Children's Executive", Grade.SENIOR_MANAGER),
    }),
    ("Mental Health Services", (AgencyKind.MENTAL_HEALTH,), {
        Level.TWO: ("Head of Nursing/Operational Service Manager", Grade.MIDDLE_MANAGER),
        Level.THREE: ("Directorate Manager", Grade.SENIOR_MANAGER),
    }),
    ("Housing", (AgencyKind.HOUSING,), {
        Level.TWO: ("Housing Manager", Grade.FIRST_LINE_MANAGER),
        Level.THREE: ("Director", Grade.SENIOR_MANAGER),
    }),
]


def _require_manager(actor) -> None:
    if not access.can_manage_meetings(actor):
        raise ValidationError("Only the JMAPPA Co-ordinator or an Administrator arranges "
                              "meetings.")


def _required(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


# -- emails ----------------------------------------------------------------------------------------

FOOTER = ("This email names the case only by its reference: the case and the meeting's papers "
          "are in the JMAPPA Case Manager. Do not forward it.")


def _invitation_email(invitation: Invitation, *, cancel: bool = False, actor=None,
                      withdrawn: bool = False) -> EmailMessage:
    meeting = invitation.meeting
    what = f"{meeting.get_kind_display()} on {long_moment(meeting.starts_at)} " \
           f"(case {meeting.nominal.reference})"
    if cancel:
        subject = f"{'Invitation withdrawn' if withdrawn else 'Cancelled'}: {what}"
        text = ("Your invitation to this meeting has been withdrawn: you are no longer "
                "expected to attend." if withdrawn else "This meeting has been cancelled.")
        body = f"{text}\n\n{ics.summary(meeting)}\n{long_moment(meeting.starts_at)}\n\n{FOOTER}\n"
    else:
        subject = f"Invitation: {what}"
        lines = [
            f"You are invited to the {meeting.get_kind_display().lower()} below (JMAPPA, §10).",
            "",
            f"Case: {meeting.nominal.reference}",
            f"When: {long_moment(meeting.starts_at)}",
            f"Where: {meeting.location or 'to be confirmed'}",
        ]
        if meeting.chair_id:
            lines.append(f"Chair: {meeting.chair}")
        role = "Chair of the meeting" if invitation.user_id and \
            invitation.user_id == meeting.chair_id else invitation.get_reason_display()
        lines += [f"Invited as: {role}", ""]
        if invitation.user_id:
            lines += ["Please say whether you will attend (in person, by video or telephone), "
                      "send a report, or give your apologies:",
                      site_link("meetings:respond", invitation.pk)]
        else:
            lines.append("Please tell the JMAPPA Administrator whether you will attend (in "
                         "person, by video or telephone), send a report, or give your "
                         "apologies.")
        lines += ["", "Representatives need the authority to commit their agency (§10.9). "
                      "The offender does not attend JMAPP meetings (§3.6).", "", FOOTER]
        body = "\n".join(lines) + "\n"
    reply_to = [actor.email] if actor is not None and actor.email else []
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email],
                           reply_to=reply_to)
    method = "CANCEL" if cancel else "REQUEST"
    message.attach("meeting.ics", ics.invitation_ics(invitation, cancel=cancel),
                   f"text/calendar; method={method}; charset=utf-8")
    return message


def _follow_up_email(follow_up: FollowUp) -> None:
    chair = follow_up.chair
    if chair is None or not chair.is_active or not chair.email:
        return
    meeting = follow_up.meeting
    spoc = follow_up.spoc
    subject = (f"Follow-up needed: {follow_up.agency} after the meeting of "
               f"{dateformat.format(meeting.date, 'j F Y')} (case {meeting.nominal.reference})")
    body = (
        f"{follow_up.agency} neither attended the {meeting.get_kind_display().lower()} of "
        f"{long_day(meeting.date)} (case {meeting.nominal.reference}) nor sent a report.\n\n"
        f"As its Chair, please follow this up with the agency's SPOC"
        f"{f' ({spoc})' if spoc else ''} and record the outcome (§10.10):\n"
        f"{site_link('meetings:detail', meeting.pk)}\n\n{FOOTER}\n"
    )
    send_on_commit(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [chair.email]))


# -- panel dates (§10.6) ---------------------------------------------------------------------------


def _check_panel(level: str, starts_at: datetime) -> None:
    if level not in PanelLevel.values:
        raise ValidationError({"level": "Choose level 2 or level 3."})
    day = timezone.localtime(starts_at).date()
    if not is_working_day(day):
        raise ValidationError({"starts_at": f"{long_day(day)} is not a working day in Jersey (a "
                                            "weekend or a bank holiday): choose another day."})
    if PanelDate.objects.filter(level=level, starts_at=starts_at).exists():
        raise ValidationError({"starts_at": f"There is already a level {level} panel on "
                                            f"{long_moment(starts_at)}."})


@transaction.atomic
def panel_date_add(*, level: str, starts_at: datetime, actor, location: str = "",
                   notes: str = "") -> PanelDate:
    """One set date for level 2 or level 3 meetings. A past date may be entered, to record
    the panels held before the system was in use; the page offers future ones only."""
    _require_manager(actor)
    _check_panel(level, starts_at)
    panel = PanelDate.objects.create(level=level, starts_at=starts_at,
                                     location=(location or "").strip(),
                                     notes=(notes or "").strip(), created_by=actor)
    audit_create(actor=actor, obj=panel)
    return panel


def monthly_dates(first: datetime, months: int) -> list[datetime]:
    """The same weekday each month from `first`: the same one of the month (the second
    Thursday...), or the month's last where `first` is the fifth of its month."""
    local = timezone.localtime(first)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    nth = (day.day - 1) // 7 + 1
    weekday = day.weekday()
    dates = []
    for offset in range(months):
        month = add_months(day.replace(day=1), offset)
        last = calendar.monthrange(month.year, month.month)[1]
        first_same = 1 + (weekday - month.weekday()) % 7
        number = first_same + 7 * (nth - 1)
        if nth >= 5:
            number = first_same + 7 * ((last - first_same) // 7)
        dates.append(timezone.make_aware(datetime.combine(month.replace(day=number), clock)))
    return dates


@transaction.atomic
def panel_dates_add_monthly(*, level: str, first: datetime, months: int, actor,
                            location: str = "") -> tuple[list[PanelDate], list[str]]:
    """The same weekday each month for `months` months. A month whose date is a bank
    holiday, or already has that panel, is skipped and said why: (created, skipped)."""
    _require_manager(actor)
    if not 1 <= months <= MAX_SERIES_MONTHS:
        raise ValidationError({"months": f"Choose between 1 and {MAX_SERIES_MONTHS} months."})
    if level not in PanelLevel.values:
        raise ValidationError({"level": "Choose level 2 or level 3."})
    created, skipped = [], []
    for starts_at in monthly_dates(first, months):
        try:
            with transaction.atomic():
                created.append(panel_date_add(level=level, starts_at=starts_at, actor=actor,
                                              location=location))
        except ValidationError as error:
            skipped.append(" ".join(error.messages))
    return created, skipped


@transaction.atomic
def panel_date_cancel(*, panel: PanelDate, reason: str, actor) -> PanelDate:
    """A set date withdrawn, with the reason. The meetings booked on it move first."""
    _require_manager(actor)
    reason = _required(reason, "reason", "Give the reason for cancelling the panel date.")
    current = PanelDate.objects.select_for_update().get(pk=panel.pk)
    if current.cancelled:
        raise ValidationError("This panel date is already cancelled.")
    booked = current.meetings.filter(status=MeetingStatus.SCHEDULED).count()
    if booked:
        raise ValidationError(
            f"{booked} meeting{'s are' if booked > 1 else ' is'} booked on this date: cancel "
            f"{'them' if booked > 1 else 'it'} (and arrange {'them' if booked > 1 else 'it'} "
            "on another date) first.")
    before = snapshot(current, ["cancelled", "notes"])
    current.cancelled = True
    note = f"Cancelled on {dateformat.format(dates.today(), 'j M Y')} by {actor}: {reason}"
    current.notes = f"{current.notes}\n{note}".strip()
    current.save(update_fields=["cancelled", "notes"])
    audit_change(actor=actor, obj=current, before=before)
    return current


# -- standing membership (§10.7) -------------------------------------------------------------------


@transaction.atomic
def standing_membership_set(*, agency: Agency, level: str, seniority: str, minimum_grade: int,
                            actor, member: User | None = None,
                            is_active: bool = True) -> StandingMembership:
    """Set an agency's seat at level 2 or 3 meetings (created if it has none)."""
    _require_manager(actor)
    if level not in PanelLevel.values:
        raise ValidationError({"level": "Choose level 2 or level 3."})
    errors = {}
    seniority = (seniority or "").strip()
    if not seniority:
        errors["seniority"] = "Give the seniority the seat needs, as the Guidance puts it " \
                              "(for example “Inspector”)."
    if minimum_grade not in Grade.values:
        errors["minimum_grade"] = "Choose the lowest grade that meets this seniority."
    if member is not None:
        if member.agency_id != agency.pk:
            errors["member"] = f"The standing member must work for {agency}."
        elif not member.is_active:
            errors["member"] = "This person's account is disabled."
    if errors:
        raise ValidationError(errors)
    seat = StandingMembership.objects.select_for_update().filter(agency=agency,
                                                                 level=level).first()
    fields = {"seniority": seniority, "minimum_grade": minimum_grade, "member": member,
              "is_active": is_active}
    if seat is None:
        seat = StandingMembership.objects.create(agency=agency, level=level, **fields)
        audit_create(actor=actor, obj=seat)
        return seat
    before = snapshot(seat, fields.keys())
    for name, value in fields.items():
        setattr(seat, name, value)
    seat.save()
    audit_change(actor=actor, obj=seat, before=before)
    return seat


def _likely_member(agency: Agency, seniority: str, minimum_grade: int) -> User | None:
    """The agency's one active user whose job title is the seat's, if exactly one."""
    titles = [title.strip().lower() for title in seniority.split("/") if title.strip()]
    matches = [user for user in agency.users.filter(is_active=True)
               if user.job_title.strip().lower() in titles
               and (user.grade or 0) >= minimum_grade]
    return matches[0] if len(matches) == 1 else None


def default_seats(level: str) -> list[tuple[Agency, str, int]]:
    """(agency, seniority, minimum grade) for each seat of DEFAULT_STANDING at `level`,
    for the active agencies of the kinds it names."""
    seats = []
    for _name, kinds, by_level in DEFAULT_STANDING:
        seniority, grade = by_level[level]
        for kind in kinds:
            agencies = list(Agency.objects.filter(kind=kind, is_active=True))
            if agencies:
                seats += [(agency, seniority, grade) for agency in agencies]
                break
    return seats


@transaction.atomic
def standing_membership_fill(*, level: str, actor) -> list[StandingMembership]:
    """"Fill in from the Guidance": each agency of DEFAULT_STANDING without a seat at
    `level` gets the Guidance's; a seat already set is left as it is. Where one person of
    the agency holds that very job title, they are made its standing member."""
    _require_manager(actor)
    if level not in PanelLevel.values:
        raise ValidationError({"level": "Choose level 2 or level 3."})
    existing = set(StandingMembership.objects.filter(level=level)
                   .values_list("agency_id", flat=True))
    created = []
    for agency, seniority, grade in default_seats(level):
        if agency.pk in existing:
            continue
        created.append(standing_membership_set(
            agency=agency, level=level, seniority=seniority, minimum_grade=grade,
            member=_likely_member(agency, seniority, grade), actor=actor))
    return created


def seat_for(agency_id: int, level: str) -> StandingMembership | None:
    return StandingMembership.objects.filter(agency_id=agency_id, level=level,
                                             is_active=True).first()


# -- scheduling ------------------------------------------------------------------------------------


def chair_problem(user: User | None, level: str) -> str:
    """Why `user` cannot chair a meeting of `level`, or "" if they can. A chair holds the
    Chair role (the Co-ordinator chairs by office); at level 2 and 3 the Co-ordinator or a
    middle or senior manager of a JMAPPA agency (§9.2)."""
    if user is None:
        return "Choose the Chair." if level in (Level.TWO, Level.THREE) else ""
    if not user.is_active:
        return f"{user}'s account is disabled: choose another Chair."
    if not user.has_role(Role.CHAIR, Role.COORDINATOR):
        return f"{user} does not have the Chair role: choose someone who chairs JMAPP meetings."
    if level in (Level.TWO, Level.THREE) and not user.has_role(Role.COORDINATOR) and (
            user.grade or 0) < Grade.MIDDLE_MANAGER:
        grade = Grade(user.grade).label.split(" (")[0].lower() if user.grade else "no grade"
        return (f"A level {level} meeting is chaired by the JMAPPA Co-ordinator or a middle or "
                f"senior manager of a JMAPPA agency (§9.2); {user} is recorded as {grade}.")
    return ""


def review_due(meeting: Meeting) -> date:
    """The latest date of the review that follows a held meeting (§10.11): the date its
    minutes set, or else the latest the rule allows."""
    return meeting.next_review_by or rules.latest_review_date(meeting.date, meeting.level)


def last_held(nominal: Nominal, level: str | None = None) -> Meeting | None:
    meetings = Meeting.objects.filter(nominal=nominal, status=MeetingStatus.HELD)
    if level is not None:
        meetings = meetings.filter(level=level)
    return meetings.order_by("-starts_at", "-id").first()


def due_date(nominal: Nominal, level: str, referral: Referral | None = None
             ) -> tuple[date | None, str]:
    """The date a meeting of `level` must be held by, and what sets it: the referral's
    meeting-due date (§10.4), or the review date after the last meeting of that level
    (§10.11). (None, "") when neither applies."""
    if referral is not None and referral.meeting_due_by:
        return referral.meeting_due_by, f"the meeting-due date of referral {referral.reference}"
    previous = last_held(nominal, level)
    if previous is not None:
        return review_due(previous), (f"the review date after the meeting of "
                                      f"{dateformat.format(previous.date, 'j F Y')}")
    return None, ""


def late_message(day: date, due: date) -> str:
    return (f"{long_day(day)} would miss the due date of {long_day(due)}: choose an earlier "
            "date, or give the reason for holding the meeting later.")


@transaction.atomic
def meeting_schedule(*, nominal: Nominal, kind: str, actor, panel: PanelDate | None = None,
                     starts_at: datetime | None = None, referral: Referral | None = None,
                     chair: User | None = None, location: str = "", late_reason: str = "",
                     send: bool = False) -> Meeting:
    """A meeting of the case: level 2 and 3 on a panel date of their level, an emergency
    meeting or a level 1 discussion at `starts_at`. From an accepted referral, it must be
    held by the referral's meeting-due date (a review, by the review date): a later date
    needs `late_reason`. The invitations are built at once, and sent if `send`."""
    _require_manager(actor)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": "Choose the kind of meeting."})
    if nominal.status == Status.ARCHIVED:
        raise ValidationError("This case is archived: re-activate it before arranging a "
                              "meeting.")
    level = KIND_LEVEL[kind]
    errors = {}
    if referral is not None:
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        arranged = Meeting.objects.filter(referral=referral).exclude(
            status=MeetingStatus.CANCELLED).first()
        if referral.nominal_id != nominal.pk:
            errors["referral"] = "This referral is about another case."
        elif referral.status != ReferralStatus.ACCEPTED:
            errors["referral"] = "Only an accepted referral is arranged for a meeting."
        elif referral.level_agreed != level:
            errors["kind"] = (f"Referral {referral.reference} was accepted for a level "
                              f"{referral.level_agreed} meeting.")
        elif arranged is not None:
            errors["referral"] = (f"A meeting is already arranged for referral "
                                  f"{referral.reference}: {arranged}.")
    if kind in PANEL_KINDS:
        if panel is None:
            errors["panel"] = f"Choose a level {level} panel date."
        elif panel.level != level:
            errors["panel"] = (f"That is a level {panel.level} panel date: choose a level "
                               f"{level} one.")
        elif panel.cancelled:
            errors["panel"] = "That panel date is cancelled: choose another."
        else:
            starts_at = panel.starts_at
            location = location or panel.location
    else:
        panel = None
        if starts_at is None:
            errors["starts_at"] = "Enter the date and time of the meeting."
    problem = chair_problem(chair, level)
    if problem:
        errors["chair"] = problem
    if errors:
        raise ValidationError(errors)

    day = timezone.localtime(starts_at).date()
    due, _why = due_date(nominal, level, referral)
    late = due is not None and day > due
    late_reason = (late_reason or "").strip() if late else ""
    if late and not late_reason:
        raise ValidationError({"late_reason": late_message(day, due)})
    meeting = Meeting.objects.create(
        nominal=nominal, kind=kind, panel=panel, referral=referral, starts_at=starts_at,
        location=(location or "").strip(), chair=chair, late_reason=late_reason,
        is_review=Meeting.objects.filter(nominal=nominal, level=level,
                                         status=MeetingStatus.HELD,
                                         starts_at__lt=starts_at).exists(),
        created_by=actor,
    )
    audit_create(actor=actor, obj=meeting, case_id=nominal.pk)
    invitations_build(meeting=meeting, actor=actor)
    if send:
        invitations_send(meeting=meeting, actor=actor)
    return meeting


def _end_memberships(invitations, actor) -> None:
    """The invitees no longer invited lose the sight of the case the invitation gave them,
    unless another invitation to a meeting still to be held keeps it (their other roles on
    the team are memberships of their own, untouched)."""
    for invitation in invitations:
        member = invitation.membership
        if member is None or member.date_to is not None:
            continue
        still_invited = Invitation.objects.filter(
            membership=member, withdrawn_at__isnull=True,
            meeting__status=MeetingStatus.SCHEDULED).exclude(pk=invitation.pk).exists()
        if not still_invited:
            case_services.team_member_end(member=member, actor=actor)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, actor) -> Meeting:
    """A meeting called off, with the reason; those invited are told, and lose the sight of
    the case it gave them."""
    _require_manager(actor)
    reason = _required(reason, "reason", "Give the reason for cancelling the meeting.")
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status != MeetingStatus.SCHEDULED:
        raise ValidationError(f"This meeting is {current.get_status_display().lower()}: only "
                              "a meeting still to be held can be cancelled.")
    before = snapshot(current, ["status", "cancelled_reason"])
    current.status = MeetingStatus.CANCELLED
    current.cancelled_reason = reason
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    live = list(current.invitations.filter(withdrawn_at__isnull=True)
                .select_related("membership", "meeting__nominal", "meeting__chair"))
    _end_memberships(live, actor)
    for invitation in live:
        if invitation.sent_at and invitation.email:
            invitation.meeting = current
            send_on_commit(_invitation_email(invitation, cancel=True, actor=actor))
    return current


# -- invitations (§10.7, §10.8, §11) ---------------------------------------------------------------


def children_at_risk(nominal: Nominal) -> bool:
    """The latest RoSH assessment puts children at high or very high risk."""
    latest = nominal.rosh_history.order_by("-assessed_on", "-id").first()
    return latest is not None and (latest.community_children in CHILDREN_AT_RISK
                                   or latest.custody_children in CHILDREN_AT_RISK)


def _barred(user: User, nominal: Nominal) -> bool:
    """Excluded from the case, or not named on a restricted one: an invitation would not
    let them see it."""
    if nominal.exclusions.filter(user=user).exists():
        return True
    return nominal.restricted and not nominal.named_access.filter(user=user).exists()


def _person(user: User, agency: Agency, reason: str) -> dict:
    return {"agency": agency, "user": user, "name": user.get_full_name() or user.username,
            "email": user.email, "reason": reason}


def _agency_representative(kind: str, level: str, reason: str) -> dict | None:
    """An agency of `kind` (Children's Services, Education): its standing member at the
    meeting's level, else its SPOC, else the agency itself at its secure email."""
    agency = Agency.objects.filter(kind=kind, is_active=True).order_by("name").first()
    if agency is None:
        return None
    seat = seat_for(agency.pk, level) if level in PanelLevel.values else None
    for user in (seat.member if seat else None, agency.spoc):
        if user is not None and user.is_active:
            return _person(user, agency, reason)
    return {"agency": agency, "user": None, "name": agency.name,
            "email": agency.secure_email, "reason": reason}


def _referral_for(meeting: Meeting) -> Referral | None:
    """The meeting's referral, or, for a review, the case's latest accepted one."""
    if meeting.referral_id:
        return meeting.referral
    return Referral.objects.filter(nominal=meeting.nominal_id,
                                   status=ReferralStatus.ACCEPTED).order_by(
        "-received_on", "-id").first()


def invitation_candidates(meeting: Meeting) -> list[dict]:
    """Who is to be invited to `meeting`, each once: {agency, user, name, email, reason}.

    The offender is never among them (§3.6): there is no offender user to invite, and
    nothing here reads the case's subject as a person to ask. Their written information
    reaches the meeting through their case manager (meeting_offender_information_set)."""
    nominal, level = meeting.nominal, meeting.level
    candidates: list[dict] = []
    referral = _referral_for(meeting)

    # The referrer always attends (§10.8).
    if referral is not None and referral.referred_by.is_active:
        candidates.append(_person(referral.referred_by, referral.referring_agency,
                                  InvitationReason.REFERRER))
    # The standing members of the level (§10.7).
    if level in PanelLevel.values:
        seats = StandingMembership.objects.filter(level=level, is_active=True,
                                                  agency__is_active=True).select_related(
            "agency", "member", "agency__spoc")
        for seat in seats:
            user = seat.member if seat.member and seat.member.is_active else seat.agency.spoc
            if user is not None and user.is_active:
                candidates.append(_person(user, seat.agency, InvitationReason.STANDING))
    # Whom the referrer asked for: the agencies to be involved and their named contacts.
    if referral is not None:
        for row in referral.agencies.select_related("agency"):
            email = row.contact_email.strip()
            users = list(User.objects.filter(email__iexact=email, is_active=True)) if email \
                else []
            user = next((u for u in users if u.agency_id == row.agency_id),
                        users[0] if users else None)
            if user is not None:
                candidates.append(_person(user, row.agency, InvitationReason.REFERRAL))
            else:
                candidates.append({"agency": row.agency, "user": None,
                                   "name": row.contact_name, "email": email,
                                   "reason": InvitationReason.REFERRAL})
    # Children's Services for a child or where children are at risk; Education for a
    # child of school age (§11). Not twice if the agency is already invited.
    if nominal.is_child or children_at_risk(nominal):
        candidates.append(_agency_representative(AgencyKind.CHILDRENS_SERVICES, level,
                                                 InvitationReason.CHILDRENS_SERVICES))
    if nominal.is_school_age:
        candidates.append(_agency_representative(AgencyKind.EDUCATION, level,
                                                 InvitationReason.EDUCATION))
    # The case manager presents the case and brings the offender's written information.
    manager = nominal.case_manager
    if manager is not None and manager.is_active:
        agency = manager.agency or nominal.lead_agency
        if agency is not None:
            candidates.append(_person(manager, agency, InvitationReason.CASE_TEAM))
    # The Chair, unless invited already for another reason: the calendar entry, and the
    # sight of the case a chair from an agency needs to chair it and finalise its minutes.
    chair = meeting.chair
    if chair is not None and chair.is_active and chair.agency_id:
        candidates.append(_person(chair, chair.agency, InvitationReason.CHAIR))

    unique, users, others, kinds = [], set(), set(), set()
    for candidate in candidates:
        if candidate is None:
            continue
        reason = candidate["reason"]
        if reason in (InvitationReason.CHILDRENS_SERVICES, InvitationReason.EDUCATION) and \
                candidate["agency"].kind in kinds:
            continue
        user = candidate["user"]
        key = (candidate["agency"].pk, (candidate["email"] or candidate["name"]).lower())
        if (user is not None and user.pk in users) or (user is None and key in others):
            continue
        if user is not None:
            users.add(user.pk)
        else:
            others.add(key)
        kinds.add(candidate["agency"].kind)
        unique.append(candidate)
    return unique


def _invite(meeting: Meeting, candidate: dict, actor) -> Invitation:
    invitation = Invitation.objects.create(meeting=meeting, **candidate)
    _give_sight(invitation, actor)
    audit_create(actor=actor, obj=invitation, case_id=meeting.nominal_id)
    return invitation


def _give_sight(invitation: Invitation, actor) -> None:
    """The invitee sees the case while invited: a case-team membership as meeting invitee,
    unless they see it already (the Co-ordinator and Administrators see every case; someone
    on the team in another role keeps that membership, which the invitation leaves alone)."""
    user = invitation.user
    if user is None or access.sees_every_case(user):
        return
    if TeamMember.objects.current().filter(nominal=invitation.meeting.nominal_id,
                                           user=user).exclude(
            role=TeamRole.MEETING_INVITEE).exists():
        return
    invitation.membership = case_services.team_member_add(
        nominal=invitation.meeting.nominal, user=user, role=TeamRole.MEETING_INVITEE,
        actor=actor)
    invitation.save(update_fields=["membership"])


@transaction.atomic
def invitations_build(*, meeting: Meeting, actor) -> list[Invitation]:
    """Invite whoever invitation_candidates names and is not invited yet (one withdrawn
    stays withdrawn). Someone excluded from the case, or not named on a restricted one, is
    left out: the Administrator sees the list and decides."""
    _require_manager(actor)
    existing = list(meeting.invitations.all())
    invited_users = {i.user_id for i in existing if i.user_id}
    invited_others = {(i.agency_id, (i.email or i.name).lower()) for i in existing
                      if not i.user_id}
    created = []
    for candidate in invitation_candidates(meeting):
        user = candidate["user"]
        if user is not None:
            if user.pk in invited_users:
                continue
            if _barred(user, meeting.nominal):
                audit_log(actor=actor, action=Action.CHANGE, obj=meeting,
                          case_id=meeting.nominal_id,
                          detail=f"{user} not invited: they may not see this case")
                continue
        elif (candidate["agency"].pk, (candidate["email"] or candidate["name"]).lower()) \
                in invited_others:
            continue
        created.append(_invite(meeting, candidate, actor))
    return created


def _open_for_invitations(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(f"This meeting is {meeting.get_status_display().lower()}: "
                              "invitations are for a meeting still to be held.")


@transaction.atomic
def invitation_add(*, meeting: Meeting, actor, user: User | None = None,
                   agency: Agency | None = None, name: str = "", email: str = "",
                   send: bool = False) -> Invitation:
    """Someone more invited by the Chair or Administrator: a user of the system (who then
    sees the case), or a person outside it by name and email."""
    _require_manager(actor)
    _open_for_invitations(meeting)
    agency = agency or (user.agency if user is not None else None)
    errors = {}
    if agency is None:
        errors["agency"] = "Choose the agency they represent."
    if user is None and not (name or "").strip():
        errors["name"] = "Choose a person, or enter the name of the person to invite."
    if user is not None:
        if not user.is_active:
            errors["user"] = f"{user}'s account is disabled."
        elif _barred(user, meeting.nominal):
            errors["user"] = (f"{user} may not see this case (excluded from it, or not named "
                              "on it while it is restricted): ask the JMAPPA Co-ordinator.")
    if errors:
        raise ValidationError(errors)
    if user is not None:
        previous = meeting.invitations.filter(user=user).first()
        if previous is not None and previous.withdrawn_at is None:
            raise ValidationError({"user": f"{user} is already invited."})
        if previous is not None:
            # Invited again after a withdrawal: the same invitation, fresh.
            before = snapshot(previous, ["withdrawn_at", "response", "sent_at", "agency"])
            previous.withdrawn_at = previous.sent_at = previous.responded_at = None
            previous.response = InvitationResponse.PENDING
            previous.agency = agency
            previous.save()
            _give_sight(previous, actor)
            audit_change(actor=actor, obj=previous, before=before, case_id=meeting.nominal_id)
            invitation = previous
        else:
            invitation = _invite(meeting, _person(user, agency, InvitationReason.OTHER), actor)
    else:
        invitation = _invite(meeting, {"agency": agency, "user": None, "name": name.strip(),
                                       "email": (email or "").strip(),
                                       "reason": InvitationReason.OTHER}, actor)
    if send:
        invitations_send(meeting=meeting, actor=actor, only=[invitation])
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, actor) -> Invitation:
    """No longer invited: told so if the invitation was sent, and no longer sees the case
    through it."""
    _require_manager(actor)
    current = Invitation.objects.select_for_update(of=("self",)).select_related(
        "meeting__nominal", "membership").get(pk=invitation.pk)
    _open_for_invitations(current.meeting)
    if current.withdrawn_at is not None:
        raise ValidationError("This invitation is already withdrawn.")
    before = snapshot(current, ["withdrawn_at"])
    current.withdrawn_at = timezone.now()
    current.save(update_fields=["withdrawn_at"])
    audit_change(actor=actor, obj=current, before=before, case_id=current.meeting.nominal_id)
    _end_memberships([current], actor)
    if current.sent_at and current.email:
        send_on_commit(_invitation_email(current, cancel=True, withdrawn=True, actor=actor))
    return current


@transaction.atomic
def invitations_send(*, meeting: Meeting, actor, only: list[Invitation] | None = None) -> int:
    """Email each invitation not yet sent (those with an email address), with its calendar
    file; `sent_at` is recorded. The emails leave once the transaction has committed."""
    _require_manager(actor)
    _open_for_invitations(meeting)
    pending = meeting.invitations.filter(withdrawn_at__isnull=True, sent_at__isnull=True) \
        .exclude(email="").select_related("meeting__nominal", "meeting__chair")
    if only is not None:
        pending = pending.filter(pk__in=[i.pk for i in only])
    pending = list(pending)
    now = timezone.now()
    for invitation in pending:
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
        send_on_commit(_invitation_email(invitation, actor=actor))
    if pending:
        audit_log(actor=actor, action=Action.CHANGE, obj=meeting, case_id=meeting.nominal_id,
                  detail=f"Invitations sent to {', '.join(i.name for i in pending)}")
    return len(pending)


def can_answer(user, invitation: Invitation) -> bool:
    return invitation.user_id == getattr(user, "pk", None) or access.can_manage_meetings(user)


@transaction.atomic
def invitation_respond(*, invitation: Invitation, response: str, actor) -> Invitation:
    """The invitee's answer (or the Administrator's record of it)."""
    if not can_answer(actor, invitation):
        raise ValidationError("Only the person invited, or the JMAPPA Administrator, answers "
                              "an invitation.")
    current = Invitation.objects.select_for_update(of=("self",)).select_related(
        "meeting").get(pk=invitation.pk)
    if current.withdrawn_at is not None:
        raise ValidationError("This invitation has been withdrawn.")
    _open_for_invitations(current.meeting)
    if response not in InvitationResponse.values or response == InvitationResponse.PENDING:
        raise ValidationError({"response": "Choose an answer."})
    before = snapshot(current, ["response", "responded_at"])
    current.response = response
    current.responded_at = timezone.now()
    current.save(update_fields=["response", "responded_at"])
    audit_change(actor=actor, obj=current, before=before, case_id=current.meeting.nominal_id)
    return current


# -- the offender's written information (§3.6) -----------------------------------------------------


def can_attach_offender_information(user, meeting: Meeting) -> bool:
    """The offender's case manager brings it; the Administrator may enter it for them."""
    return access.can_manage_meetings(user) or (
        meeting.nominal.case_manager_id is not None
        and meeting.nominal.case_manager_id == getattr(user, "pk", None))


@transaction.atomic
def meeting_offender_information_set(*, meeting: Meeting, text: str, actor) -> Meeting:
    """What the offender wrote for the meeting, which they do not attend (§3.6)."""
    if not can_attach_offender_information(actor, meeting):
        raise ValidationError("Only the offender's case manager, or the JMAPPA Administrator, "
                              "attaches the offender's written information.")
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status != MeetingStatus.SCHEDULED:
        raise ValidationError(f"This meeting is {current.get_status_display().lower()}: the "
                              "offender's information is attached before it is held.")
    before = snapshot(current, ["offender_information"])
    current.offender_information = (text or "").strip()
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    return current


# -- holding the meeting ---------------------------------------------------------------------------


def meets_seniority(agency_id: int, level: str, grade: int | None, mode: str,
                    seats: dict | None = None) -> bool | None:
    """Whether someone of `grade` attending for the agency meets the seniority of its seat
    at `level` (§10.7); None where it does not apply: nobody attended, the agency has no
    seat at that level (or it is a level 1 discussion), or the grade is not known."""
    if mode not in PRESENT_MODES or level not in PanelLevel.values:
        return None
    seat = seats.get(agency_id) if seats is not None else seat_for(agency_id, level)
    if seat is None or grade is None:
        return None
    return grade >= seat.minimum_grade


def minutes_final(meeting: Meeting) -> bool:
    """Final minutes (or a version corrected since) record the attendance for good."""
    return meeting.minutes.filter(
        status__in=[MinutesStatus.FINAL, MinutesStatus.SUPERSEDED]).exists()


def can_record_attendance(user, meeting: Meeting) -> bool:
    return access.can_draft_minutes(user, meeting)


@transaction.atomic
def meeting_record_attendance(*, meeting: Meeting, rows: list[dict], actor,
                              on: date | None = None) -> Meeting:
    """The meeting is held: who came for each invited agency, how, at what grade (the
    attendee's unless given). An invited agency not in `rows` was absent. The minutes are
    due from the meeting's date (§10.12); an agency that neither attended nor sent a report
    is followed up by the Chair with its SPOC (§10.10). Recording again replaces the rows.

    rows: [{agency, mode, attendee (User or None), attendee_name, grade}]."""
    if not can_record_attendance(actor, meeting):
        raise ValidationError("Only the JMAPPA Administrator or the meeting's Chair records "
                              "attendance.")
    current = Meeting.objects.select_for_update(of=("self",)).select_related(
        "nominal", "chair").get(pk=meeting.pk)
    on = on or dates.today()
    if current.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled: there is no attendance to record.")
    if current.date > on:
        raise ValidationError(f"The meeting is on {long_day(current.date)}: record who attended on "
                              "the day or after.")
    if minutes_final(current):
        raise ValidationError("The minutes of this meeting are final: the attendance they "
                              "record can no longer be changed.")
    invited = {}
    for invitation in current.invitations.filter(withdrawn_at__isnull=True).select_related(
            "agency__spoc"):
        invited.setdefault(invitation.agency_id, invitation)
    seats = {seat.agency_id: seat for seat in StandingMembership.objects.filter(
        level=current.level, is_active=True)}

    errors, seen, records = [], set(), []
    for row in rows:
        agency, mode = row.get("agency"), row.get("mode")
        if agency is None:
            errors.append("Choose the agency of each attendance row.")
            continue
        if agency.pk in seen:
            errors.append(f"{agency} is listed twice: give one row per agency.")
            continue
        seen.add(agency.pk)
        if mode not in AttendanceMode.values:
            errors.append(f"{agency}: choose how they attended, or that they were absent.")
            continue
        attendee = row.get("attendee") if mode in PRESENT_MODES else None
        name = (row.get("attendee_name") or "").strip() if mode in PRESENT_MODES else ""
        if mode in PRESENT_MODES and attendee is None and not name:
            errors.append(f"{agency}: name who attended.")
            continue
        grade = row.get("grade") if mode in PRESENT_MODES else None
        if grade is None and attendee is not None:
            grade = attendee.grade
        records.append(Attendance(
            meeting=current, agency=agency, invitation=invited.get(agency.pk),
            attendee=attendee, attendee_name=name or (str(attendee) if attendee else ""),
            grade=grade, mode=mode, recorded_by=actor,
            meets_seniority=meets_seniority(agency.pk, current.level, grade, mode, seats)))
    if errors:
        raise ValidationError({"rows": errors})
    for agency_id, invitation in invited.items():
        if agency_id not in seen:
            records.append(Attendance(meeting=current, agency=invitation.agency,
                                      invitation=invitation, mode=AttendanceMode.ABSENT,
                                      recorded_by=actor))

    replaced = current.attendance.count()
    current.attendance.all().delete()
    for record in records:
        record.save()
    if replaced:
        audit_log(actor=actor, action=Action.CHANGE, obj=current, case_id=current.nominal_id,
                  detail="Attendance recorded again")
    for record in records:
        audit_create(actor=actor, obj=record, case_id=current.nominal_id)
    _follow_ups(current, records, invited, actor, on)

    before = snapshot(current, ["status", "minutes_due_by"])
    current.status = MeetingStatus.HELD
    current.minutes_due_by = rules.minutes_due_by(current.date, current.level)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    deadlines_changed_on_commit(current.nominal_id)
    return current


def _follow_ups(meeting: Meeting, records: list[Attendance], invited: dict, actor,
                on: date) -> None:
    """A follow-up for each invited agency that neither attended nor sent a report; one no
    longer needed (attendance corrected) and still open is taken away."""
    engaged = {r.agency_id for r in records if r.mode != AttendanceMode.ABSENT}
    missing = {agency_id for agency_id in invited if agency_id not in engaged}
    for follow_up in meeting.follow_ups.filter(closed_on__isnull=True).exclude(
            agency_id__in=missing):
        audit_log(actor=actor, action=Action.CHANGE, obj=follow_up, case_id=meeting.nominal_id,
                  detail="Follow-up no longer needed: attendance corrected")
        follow_up.delete()
    for agency_id in sorted(missing):
        agency = invited[agency_id].agency
        follow_up, created = FollowUp.objects.get_or_create(
            meeting=meeting, agency=agency,
            defaults={"chair": meeting.chair, "spoc": agency.spoc, "opened_on": on})
        if created:
            audit_create(actor=actor, obj=follow_up, case_id=meeting.nominal_id)
            _follow_up_email(follow_up)


def can_close_follow_up(user, follow_up: FollowUp) -> bool:
    """The Chair follows up non-attendance (§10.10); the Co-ordinator may close it too."""
    pk = getattr(user, "pk", None)
    return pk is not None and (follow_up.chair_id == pk or follow_up.meeting.chair_id == pk
                               or access.has_role(user, Role.COORDINATOR))


@transaction.atomic
def follow_up_close(*, follow_up: FollowUp, outcome: str, actor,
                    on: date | None = None) -> FollowUp:
    if not can_close_follow_up(actor, follow_up):
        raise ValidationError("Only the meeting's Chair (or the JMAPPA Co-ordinator) closes a "
                              "follow-up.")
    outcome = _required(outcome, "outcome", "Say what the agency's SPOC answered and what "
                                            "was agreed.")
    current = FollowUp.objects.select_for_update(of=("self",)).select_related("meeting").get(
        pk=follow_up.pk)
    if current.closed_on is not None:
        raise ValidationError("This follow-up is already closed.")
    before = snapshot(current, ["closed_on", "outcome"])
    current.closed_on = on or dates.today()
    current.outcome = outcome
    current.save(update_fields=["closed_on", "outcome"])
    audit_change(actor=actor, obj=current, before=before, case_id=current.meeting.nominal_id)
    return current


def local_datetime(day: date, clock: time) -> datetime:
    """A date and time as the island's clock reads them."""
    return timezone.make_aware(datetime.combine(day, clock))


def upcoming_from() -> datetime:
    """The start of today: "upcoming" includes today's meetings."""
    return local_datetime(dates.today(), time.min)

