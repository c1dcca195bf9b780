"""The second factor's pages: set it up, prove it after the password, manage it.

Every signed-in user reaches them (they are one's own); jmappa/middleware.py sends those who
must use a second factor here before any other page.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jmappa import access

from . import second_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=20, strip=True,
        help_text="The 6-digit code your authenticator app shows now, or a recovery code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                      "autofocus": True}),
    )


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return resolve_url("home")


def _to(name: str, next_url: str):
    return redirect(f"{resolve_url(name)}?{urlencode({'next': next_url})}")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """After the password: the code from the app or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not second_factor.has_second_factor(request.user):
        return _to("second_factor:enrol", _next_url(request))
    credentials = {"username": request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request=request, code=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return get_lockout_response(request, None, credentials)
        form.add_error("code", "That code is not right, or was used already. Wait for the next "
                               "code and try again. After repeated failures the account is "
                               "locked for a while.")
    return render(request, "second_factor/verify.html",
                  {"form": form, "next": _next_url(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app: its secret as a QR code and as text, confirmed by a code
    it shows. Someone who already has one must prove it before replacing it."""
    user = request.user
    if not user.is_verified() and second_factor.has_second_factor(user):
        return _to("second_factor:verify", _next_url(request))
    device = second_factor.enrolment_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_enrolment(request=request, device=device,
                                                code=form.cleaned_data["code"])
        if codes is not None:
            return render(request, "second_factor/recovery_codes.html",
                          {"codes": codes, "next": _next_url(request)})
        form.add_error("code", "That code is not right. Check the clock of your phone, wait "
                               "for the next code and try again.")
    return render(request, "second_factor/enrol.html", {
        "form": form, "next": _next_url(request),
        "qr_code": second_factor.qr_code_svg(device),
        "secret": second_factor.secret_of(device),
        "required": access.must_use_mfa(user),
    })


@never_cache
@login_required
def manage(request):
    """Manage my second factor: whether it is set up, recovery codes left."""
    user = request.user
    return render(request, "second_factor/manage.html", {
        "enrolled": second_factor.has_second_factor(user),
        "codes_left": second_factor.recovery_codes_left(user),
        "required": access.must_use_mfa(user),
    })


@never_cache
@login_required
@require_POST
def recovery_codes(request):
    """Ten new recovery codes (the old stop working): only in a verified session."""
    if not request.user.is_verified():
        return _to("second_factor:verify", resolve_url("second_factor:manage"))
    codes = second_factor.new_recovery_codes(user=request.user)
    return render(request, "second_factor/recovery_codes.html",
                  {"codes": codes, "next": resolve_url("second_factor:manage")})


@never_cache
@login_required
@require_POST
def remove(request):
    """Turn the second factor off: only for whom it is optional, in a verified session."""
    user = request.user
    if not user.is_verified():
        return _to("second_factor:verify", resolve_url("second_factor:manage"))
    if access.must_use_mfa(user):
        raise PermissionDenied
    second_factor.remove_second_factor(user=user, actor=user)
    messages.success(request, "Your second factor is turned off.")
    return redirect("second_factor:manage")
