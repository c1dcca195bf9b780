"""A benchmark's signed-in session, as a person has it after the second factor.

The Co-ordinator, Administrators and holders of the victim permission must prove a second
factor (jmappa/middleware.py); a benchmark measures the pages they reach, not the page that
asks for it, so their session is marked as proven with a confirmed device of their own."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def signed_in(user) -> Client:
    """A test client signed in as `user`, the second factor proven."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
