"""Sign-ins, sign-outs and failed sign-ins go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log

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
