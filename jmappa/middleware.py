import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, get_resolver, resolve
from django.utils.cache import add_never_cache_headers

from jmappa import access
from jmappa.accounts.second_factor import has_second_factor
from jmappa.accounts.signals import SESSION_STARTED_KEY
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel


class AbsoluteSessionTimeoutMiddleware:
    """End a session 12 hours (SESSION_ABSOLUTE_TIMEOUT) after sign-in, however active.

    The idle timeout is the session cookie's age, renewed on each request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, "Your session has ended. Please sign in again.")
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class SecondFactorMiddleware:
    """Hold a signed-in user who must use a second factor (access.must_use_mfa), or has set
    one up, to it before anything else: every page and the admin send them to verify it (or
    to set it up first), the API answers 403 to their session. Placed after django-otp's
    OTPMiddleware, which tells whether this session is verified. API token clients are not
    concerned: their tokens are issued from verified sessions only."""

    # What an unverified user may reach: the second factor's own pages and signing out.
    OPEN_URLS = ("second_factor:verify", "second_factor:enrol", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and request.path not in {resolve_url(name) for name in self.OPEN_URLS}
        ):
            enrolled = has_second_factor(user)
            required = (enrolled or request.path.startswith("/admin/")
                        or access.must_use_mfa(user))
            if not required:
                return self.get_response(request)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Verify your second factor first, or use an API token."},
                    status=403,
                )
            target = "second_factor:verify" if enrolled else "second_factor:enrol"
            return redirect_to_login(request.get_full_path(), resolve_url(target))
        return self.get_response(request)


class AuditContextMiddleware:
    """Tell the audit trail whether a request came through the browser or the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        with audit_context(channel, client_ip(request)):
            return self.get_response(request)


def client_ip(request) -> str | None:
    """The user's address. Behind the project's own proxy, the one it appended last:
    earlier X-Forwarded-For entries come from the client and can be forged."""
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


class NoStoreMiddleware:
    """Nothing the application answers is kept by a browser or a proxy: pages and API answers
    carry case data (a shared or stolen machine's cache, the back button after sign-out).
    Static files, which carry none, are left to their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.static_prefix):
            return response
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        elif "no-store" not in response["Cache-Control"]:
            response["Cache-Control"] += ", no-store"
        return response


class NotFoundPageMiddleware:
    """A page not found answers the project's own 404 page (`handler404`), whatever DEBUG
    says: Django's debug 404 lists every URL pattern of the site, which no user (nor a
    demonstration under `make run`, which runs with DEBUG) should see.

    An address that matches no URL is answered here, before any view (Django would turn
    the resolver's miss into its debug page before any other middleware sees it); a view
    that raises Http404 is answered in `process_exception`. Placed after CommonMiddleware,
    so that an address missing its final slash is still redirected to it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        urlconf = getattr(request, "urlconf", None)
        try:
            resolve(request.path_info, urlconf)
        except Resolver404 as missing:
            return self.not_found(request, missing, urlconf)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self.not_found(request, exception, getattr(request, "urlconf", None))
        return None

    @staticmethod
    def not_found(request, exception, urlconf):
        return get_resolver(urlconf).resolve_error_handler(404)(request, exception=exception)
