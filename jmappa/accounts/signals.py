"""Sign-ins, sign-outs and failed sign-ins go to the audit trail; a new password revokes
the user's API tokens."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log

from .models import User
from .services import api_token_revoke

SESSION_STARTED_KEY = "jmappa_signed_in_at"


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = timezone.now().timestamp()
    audit_log(actor=user, action=Verb.LOGIN, obj=user)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_log(actor=user, action=Verb.LOGOUT, obj=user)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_log(
        actor=None,
        action=Verb.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=username,
        username=username,
    )


@receiver(pre_save, sender=User)
def _note_password_change(sender, instance, update_fields=None, raw=False, **kwargs):
    """Whatever the path (reset, change, the admin, set_password and save, a hash set by
    hand), a password that differs from the stored one is a change."""
    instance._jmappa_password_changed = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._jmappa_password_changed = stored is not None and stored != instance.password


@receiver(post_save, sender=User)
def _revoke_tokens_on_password_change(sender, instance, created, raw=False, **kwargs):
    """A new password ends every API token of the user: one taken with the old password (or
    issued by whoever held it) stops working."""
    if raw or created or not getattr(instance, "_jmappa_password_changed", False):
        return
    instance._jmappa_password_changed = False
    for token in instance.api_tokens.filter(revoked_at__isnull=True):
        api_token_revoke(token=token, actor=None)
