"""The second factor: a time-based code from an authenticator app (TOTP), or one of ten
single-use recovery codes, kept by django-otp. Who must use one is access.must_use_mfa;
jmappa/middleware.py holds every page to it, the views are in second_factor_views.py.
"""

from __future__ import annotations

import re
from base64 import b32decode, b32encode
from binascii import hexlify
from io import BytesIO

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log

from .models import User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
_DIGITS = re.compile(r"^\d{6}$")


# -- reads ----------------------------------------------------------------------------------


def has_second_factor(user) -> bool:
    """Whether `user` has set up an authenticator app (recovery codes come with it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_of(device: TOTPDevice) -> str:
    """The device's secret as authenticator apps take it typed in: base32, in groups of 4."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code, drawn here: no request leaves."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage,
                        box_size=8)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg"):]


# -- writes ---------------------------------------------------------------------------------


def hex_key_of(base32_secret: str) -> str:
    """A base32 secret (as authenticator apps show it) as django-otp's hex key."""
    cleaned = base32_secret.replace(" ", "").upper()
    cleaned += "=" * (-len(cleaned) % 8)
    return hexlify(b32decode(cleaned)).decode()


@transaction.atomic
def enrolment_device(user: User) -> TOTPDevice:
    """The app device being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_enrolment(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app device with a code it shows; return the new recovery codes (shown
    once), or None if the code is not right. The user's older devices are replaced and this
    session counts as verified."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    if not device.verify_token(code.strip().replace(" ", "")):
        return None
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    _verified(request, device)
    audit_log(actor=user, action=Verb.CHANGE, obj=user, detail="Set up a second factor.")
    return codes


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    codes = _new_recovery_codes(user)
    audit_log(actor=user, action=Verb.CHANGE, obj=user, detail="New recovery codes.")
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def remove_second_factor(*, user: User, actor) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(actor=actor, action=Verb.CHANGE, obj=user, detail="Removed the second factor.")


def verify(*, request, code: str) -> bool:
    """Check a code from the app, or a recovery code (used up), for the signed-in user. A
    wrong code counts as a failed sign-in: it is audited and counts towards the lock-out,
    and django-otp slows down further tries on the device."""
    user = request.user
    code = code.strip().replace(" ", "").lower()
    model = TOTPDevice if _DIGITS.match(code) else StaticDevice
    device = None
    if code:
        with transaction.atomic():
            for candidate in model.objects.devices_for_user(user).select_for_update():
                if candidate.verify_token(code):
                    device = candidate
                    break
    if device is None:
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()},
                               request=request)
        return False
    _verified(request, device)
    audit_log(actor=user, action=Verb.LOGIN, obj=user,
              detail="Second factor: " + ("recovery code" if model is StaticDevice
                                          else "authenticator app"))
    return True


def _verified(request, device) -> None:
    # A new session key once the second factor is proven, as at sign-in.
    request.session.cycle_key()
    django_otp.login(request, device)
