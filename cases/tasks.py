from datetime import date

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel

from .models import Nominal, NominalUserObjectPermission, TeamMember
from .services import TEAM_PERMISSIONS, TEAM_ROLES_THAT_CHANGE, sync_case_permissions


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def sync_dated_team_permissions(day: str | None = None) -> int:
    """Make case access match the memberships current on `day` (today by default).

    Memberships are granted and revoked at once when added or ended for today; this catches
    those dated ahead, and every one whose start or end has passed since, however many days
    the job did not run. Idempotent: it touches only the (case, user) pairs whose permissions
    differ from their current memberships, and answers how many.
    """
    today = date.fromisoformat(day) if day else timezone.localdate()
    pairs = permissions_out_of_step(today)
    with audit_context(Channel.JOB):
        for nominal_id, user_id in sorted(pairs):
            sync_case_permissions(nominal=Nominal.objects.get(pk=nominal_id),
                                  user=get_user_model().objects.get(pk=user_id), day=today)
    return len(pairs)


def permissions_out_of_step(day: date) -> set[tuple[int, int]]:
    """The (case, user) pairs whose case permissions differ from what their memberships
    current on `day` grant."""
    wanted = set()
    for nominal_id, user_id, role, sees_victims in TeamMember.objects.current(day).values_list(
            "nominal_id", "user_id", "role", "sees_victims"):
        wanted.add((nominal_id, user_id, "view_nominal"))
        if role in TEAM_ROLES_THAT_CHANGE:
            wanted.add((nominal_id, user_id, "change_nominal"))
        if sees_victims:
            wanted.add((nominal_id, user_id, "view_victims"))
    held = set(NominalUserObjectPermission.objects.filter(
        permission__codename__in=TEAM_PERMISSIONS).values_list(
        "content_object_id", "user_id", "permission__codename"))
    return {(nominal_id, user_id) for nominal_id, user_id, _ in wanted ^ held}
