"""Writes to agencies, users and API tokens, each audited in its own transaction."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jmappa.audit.services import audit_change, audit_create, snapshot

from .models import ApiToken, User


@transaction.atomic
def api_token_issue(*, user: User, actor, name: str = "", days: int | None = None) -> str:
    """Create a token for `user` and return it; only its digest is stored."""
    if not user.is_active:
        raise ValueError(f"{user.username} is not an active user.")
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: ApiToken.PREFIX_LENGTH],
        digest=ApiToken.digest_of(raw),
        expires_at=timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS),
    )
    audit_create(actor=actor, obj=token)
    return raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        before = snapshot(token, ["revoked_at"])
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_change(actor=actor, obj=token, before=before)
    return token
