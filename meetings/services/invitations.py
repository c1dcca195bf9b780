"""Invitations (§10.7, §10.8, §11): built when the meeting is scheduled, sent by email with
a calendar file once the transaction has committed, answered by the invitee. An invitee
sees the case through the case team while invited. One transaction each, with its audit
event.

Emails leave the secure system: they carry the case's reference and a link, never the
offender's name (meetings/notify.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.models import Nominal, RiskLevel, TeamMember, TeamRole
from jmappa import access
from jmappa.accounts.models import Agency, AgencyKind, User
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_change, audit_create, audit_log, snapshot
from referrals.models import Referral, ReferralStatus

from .. import notify, selectors
from ..models import (
    Invitation,
    InvitationReason,
    InvitationResponse,
    Meeting,
    MeetingStatus,
    PanelLevel,
    StandingMembership,
)
from .common import _require_manager

# Children at risk (§11): the latest RoSH to children, in the community or in custody.
CHILDREN_AT_RISK = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


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
            "email": user.email, "telephone": "", "reason": reason}


def _agency_representative(kind: str, level: str, reason: str) -> dict | None:
    """An agency of `kind` (Children's Services, Education): its standing member at the
    meeting's level, else its SPOC, else the agency itself at its secure email."""
    agency = Agency.objects.filter(kind=kind, is_active=True).order_by("name").first()
    if agency is None:
        return None
    seat = selectors.seat_for(agency.pk, level) if level in PanelLevel.values else None
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
        for seat in selectors.active_seats(level):
            candidate = _seat_holder(seat)
            if candidate is not None:
                candidates.append(candidate)
    # Whom the referrer asked for: the agencies to be involved and their named contacts.
    if referral is not None:
        for row in referral.agencies.select_related("agency"):
            email = row.contact_email.strip()
            telephone = row.contact_telephone.strip()
            user = _contact_user(row.agency, row.contact_name, email)
            if user is not None:
                candidates.append({**_person(user, row.agency, InvitationReason.REFERRAL),
                                   "telephone": telephone})
            else:
                candidates.append({"agency": row.agency, "user": None,
                                   "name": row.contact_name, "email": email,
                                   "telephone": telephone,
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

    unique, users, others, kinds = [], {}, {}, set()
    for candidate in candidates:
        if candidate is None:
            continue
        candidate.setdefault("telephone", "")
        reason = candidate["reason"]
        if reason in (InvitationReason.CHILDRENS_SERVICES, InvitationReason.EDUCATION) and \
                candidate["agency"].kind in kinds:
            continue
        user = candidate["user"]
        key = (candidate["agency"].pk, (candidate["email"] or candidate["name"]).lower())
        kept = users.get(user.pk) if user is not None else others.get(key)
        if kept is not None:
            # Invited once; the telephone number the referral gave is kept with them.
            kept["telephone"] = kept["telephone"] or candidate["telephone"]
            continue
        if user is not None:
            users[user.pk] = candidate
        else:
            others[key] = candidate
        kinds.add(candidate["agency"].kind)
        unique.append(candidate)
    return unique


def _seat_holder(seat: StandingMembership) -> dict | None:
    """Whom a standing seat invites: its named member, else the agency's SPOC, else the
    agency itself at its secure email. None when there is nobody to invite: the seat is a
    gap (seat_gaps), shown on the meeting page, never dropped silently."""
    for user in (seat.member, seat.agency.spoc):
        if user is not None and user.is_active:
            return _person(user, seat.agency, InvitationReason.STANDING)
    email = (seat.agency.secure_email or "").strip()
    if email:
        return {"agency": seat.agency, "user": None, "name": seat.agency.name, "email": email,
                "reason": InvitationReason.STANDING}
    return None


def _contact_user(agency: Agency, name: str, email: str) -> User | None:
    """The user a referral's named contact is: by email (preferring one of the agency), else
    the one active user of the agency with that very name."""
    if email:
        users = list(User.objects.filter(email__iexact=email, is_active=True))
        user = next((u for u in users if u.agency_id == agency.pk), users[0] if users else None)
        if user is not None:
            return user
    wanted = " ".join((name or "").split()).lower()
    if not wanted:
        return None
    matches = [u for u in User.objects.filter(agency=agency, is_active=True)
               if " ".join(u.get_full_name().split()).lower() == wanted]
    return matches[0] if len(matches) == 1 else None


def seat_gaps(meeting: Meeting, invitations=None) -> list[StandingMembership]:
    """The standing seats of the meeting's level (§10.7) with nobody invited from their
    agency: no member named, no SPOC and no secure email to invite instead, or an
    invitation withdrawn and not replaced. The Administrator fills each from the meeting
    page."""
    if meeting.level not in PanelLevel.values or meeting.status != MeetingStatus.SCHEDULED:
        return []
    if invitations is None:
        invitations = meeting.invitations.all()
    invited = {i.agency_id for i in invitations if i.withdrawn_at is None}
    return [seat for seat in selectors.active_seats(meeting.level)
            if seat.agency_id not in invited]


def _invite(meeting: Meeting, candidate: dict, actor) -> Invitation:
    invitation = Invitation.objects.create(meeting=meeting, **candidate)
    _give_sight(invitation, actor)
    audit_create(actor=actor, obj=invitation, case_id=meeting.nominal_id)
    return invitation


def _give_sight(invitation: Invitation, actor) -> None:
    """The invitee sees the case while invited: a case-team membership as meeting invitee,
    unless they see it already (the Co-ordinator and Administrators see every case; someone
    on the team in another role keeps that membership, which the invitation leaves alone).
    An SMB member, as such, sees no individual case: invited, they get no membership."""
    user = invitation.user
    if user is None or access.sees_every_case(user) or access.smb_member_only(user):
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
    return build_invitations(meeting, actor)


def build_invitations(meeting: Meeting, actor) -> list[Invitation]:
    """invitations_build, for a caller that has checked the actor may arrange `meeting`
    (meeting_schedule: a level 1 discussion is arranged by the referring agency, §10.3)."""
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
                audit_log(actor=actor, action=Verb.CHANGE, obj=meeting,
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
                   send: bool = False, for_seat: bool = False) -> Invitation:
    """Someone more invited by the Chair or Administrator: a user of the system (who then
    sees the case), or a person outside it by name and email. `for_seat`: they fill the
    agency's standing seat (§10.7), which had nobody invited."""
    _require_manager(actor)
    reason = InvitationReason.STANDING if for_seat else InvitationReason.OTHER
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
            previous.reason = reason if for_seat else previous.reason
            previous.save()
            _give_sight(previous, actor)
            audit_change(actor=actor, obj=previous, before=before, case_id=meeting.nominal_id)
            invitation = previous
        else:
            invitation = _invite(meeting, _person(user, agency, reason), actor)
    else:
        invitation = _invite(meeting, {"agency": agency, "user": None, "name": name.strip(),
                                       "email": (email or "").strip(),
                                       "reason": reason}, actor)
    if send:
        invitations_send(meeting=meeting, actor=actor, only=[invitation])
    return invitation


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
        notify.invitation_cancelled(current, withdrawn=True, actor=actor)
    return current


@transaction.atomic
def invitations_send(*, meeting: Meeting, actor, only: list[Invitation] | None = None) -> int:
    """Email each invitation not yet sent (those with an email address), with its calendar
    file; `sent_at` is recorded. The emails leave once the transaction has committed."""
    _require_manager(actor)
    return send_invitations(meeting, actor, only)


def send_invitations(meeting: Meeting, actor, only: list[Invitation] | None = None) -> int:
    """invitations_send, for a caller that has checked the actor may arrange `meeting`."""
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
        notify.invitation_sent(invitation, actor=actor)
    if pending:
        audit_log(actor=actor, action=Verb.CHANGE, obj=meeting, case_id=meeting.nominal_id,
                  detail=f"Invitations sent to {', '.join(i.name for i in pending)}")
    return len(pending)


def unanswered(meeting: Meeting, invitations=None) -> list[Invitation]:
    """The invitations sent by email and not answered yet: those a reminder goes to."""
    if invitations is None:
        invitations = meeting.invitations.all()
    return [i for i in invitations if i.withdrawn_at is None and i.sent_at is not None
            and i.email and i.response == InvitationResponse.PENDING]


@transaction.atomic
def invitations_remind(*, meeting: Meeting, actor) -> list[Invitation]:
    """Chasing: each invitee who was emailed and has not answered gets the invitation again;
    when is recorded on the invitation, and the reminder in the case's audit trail."""
    _require_manager(actor)
    _open_for_invitations(meeting)
    pending = unanswered(meeting, meeting.invitations.select_for_update(of=("self",))
                         .select_related("meeting__nominal", "meeting__chair"))
    now = timezone.now()
    for invitation in pending:
        invitation.reminded_at = now
        invitation.save(update_fields=["reminded_at"])
        notify.invitation_reminder(invitation, actor=actor)
    if pending:
        audit_log(actor=actor, action=Verb.CHANGE, obj=meeting, case_id=meeting.nominal_id,
                  detail="Reminder sent to " + ", ".join(i.name for i in pending)
                  + ", who had not answered their invitation")
    return pending


@transaction.atomic
def invitation_respond(*, invitation: Invitation, response: str, actor) -> Invitation:
    """The invitee's answer (or the Administrator's record of it)."""
    if not access.can_answer(actor, invitation):
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
