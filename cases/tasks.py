from datetime import date

from celery import shared_task
from django.utils import timezone

from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel

from .models import TeamMember
from .services import sync_case_permissions


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def sync_dated_team_permissions(day: str | None = None) -> int:
    """Grant and revoke case access on the days memberships start or end.

    Memberships are granted and revoked at once when added or ended for today;
    this catches those dated ahead. Idempotent: it only makes permissions
    match the memberships current today.
    """
    today = date.fromisoformat(day) if day else timezone.localdate()
    changed = TeamMember.objects.filter(date_from=today) | TeamMember.objects.filter(
        date_to=today
    )
    pairs = set(changed.values_list("nominal_id", "user_id"))
    with audit_context(Channel.JOB):
        for nominal_id, user_id in pairs:
            member = TeamMember.objects.select_related("nominal", "user").filter(
                nominal_id=nominal_id, user_id=user_id
            ).first()
            sync_case_permissions(nominal=member.nominal, user=member.user, day=today)
    return len(pairs)
