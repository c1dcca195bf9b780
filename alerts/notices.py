"""Notices: telling a person, in the application, of something that happened to them.

- their referral decided by the Co-ordinator (accepted, level 1 confirmed, rejected, or
  sent back for more information, §3.5, §10.3-10.4);
- an invitation to a meeting sent to them (§10.7-10.8);
- a change of lead in a joined-up team they belong to (custody/, seed 003).

The referrals and meetings apps know nothing of notifications (they sit below this app):
`AlertsConfig.ready` connects `referral_saved` and `invitation_saved` to their models'
saves. Each notice is written in the transaction of the change that caused it, once per
event (unique per user and `key`), so that saving the same decision again tells nobody
twice. While bulk loading (the demo data) nobody is told.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from jmappa.core.mail import is_bulk_loading

from .models import NoticeKind, Notification

DECIDED = {
    "accepted": "was accepted for a level 2/3 meeting",
    "level_1": "is to be managed at level 1 (no JMAPP meeting needed now)",
    "rejected": "was rejected: the decision gives the reasons",
    "info_requested": "needs more information before it can be decided",
}


def notify(*, user_id: int, kind: str, key: str, text: str, url: str,
           nominal_id: int | None) -> None:
    """One notice to one person, once per `key`."""
    Notification.objects.bulk_create(
        [Notification(user_id=user_id, kind=kind, key=key[:80], text=text[:300], url=url,
                      nominal_id=nominal_id, created_at=timezone.now())],
        ignore_conflicts=True)


def referral_saved(sender, instance, created=False, update_fields=None, raw=False,
                   **kwargs) -> None:
    if raw or is_bulk_loading() or instance.status not in DECIDED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    notify(user_id=instance.referred_by_id, kind=NoticeKind.REFERRAL_DECIDED,
           key=f"referral:{instance.pk}:{instance.status}",
           text=f"Your referral {instance.reference} {DECIDED[instance.status]}.",
           url=reverse("referrals:detail", args=[instance.pk]), nominal_id=instance.nominal_id)


def invitation_saved(sender, instance, created=False, update_fields=None, raw=False,
                     **kwargs) -> None:
    if (raw or is_bulk_loading() or instance.user_id is None or instance.sent_at is None
            or instance.withdrawn_at is not None):
        return
    meeting = instance.meeting
    when = timezone.localtime(meeting.starts_at)
    notify(user_id=instance.user_id, kind=NoticeKind.INVITED,
           key=f"invitation:{instance.pk}:{instance.sent_at.timestamp():.0f}",
           text=(f"You are invited to the {meeting.get_kind_display().lower()} of case "
                 f"{meeting.nominal.reference} on {when:%-d %B %Y at %H:%M}: please answer."),
           url=reverse("meetings:detail", args=[meeting.pk]), nominal_id=meeting.nominal_id)


def lead_changed(sender, nominal, planning, previous="", **kwargs) -> None:
    """The team is told who leads now: each member who uses the service, and the case
    manager. A first lead is news to nobody yet."""
    from custody.models import JoinedUpMember

    if not previous or is_bulk_loading():
        return
    people = set(JoinedUpMember.objects.filter(
        nominal=nominal, left_on__isnull=True, user__isnull=False).values_list(
        "user_id", flat=True))
    if nominal.case_manager_id:
        people.add(nominal.case_manager_id)
    for user_id in people:
        notify(user_id=user_id, kind=NoticeKind.LEAD_CHANGED,
               key=f"lead:{planning.pk}:{planning.lead}:{planning.lead_since:%Y%m%d}",
               text=(f"The joined-up team of case {nominal.reference} is now led by the "
                     f"{planning.get_lead_display()} ({planning.lead_reason}), from "
                     f"{planning.lead_since:%-d %B %Y}."),
               url=reverse("custody:case", args=[nominal.pk]), nominal_id=nominal.pk)
