"""Settings, all read from the environment (see README "Configuration")."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Without DATABASE_URL and REDIS_URL the project runs on its own embedded
# PostgreSQL and Redis under ./var/: a developer's machine, never production.
# The entry points start them (embedded.activate()) and export their URLs;
# importing the settings starts nothing, it reads the addresses last recorded.
from jmappa import embedded  # noqa: E402  (standard library only)

EMBEDDED = embedded.in_use() or os.environ.get("JMAPPA_EMBEDDED") == "1"
if embedded.in_use():
    _database_url, _redis_url = embedded.recorded_urls()
    os.environ.setdefault("DATABASE_URL", _database_url)
    os.environ.setdefault("REDIS_URL", _redis_url)
elif not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
    raise ImproperlyConfigured("Set both DATABASE_URL and REDIS_URL, or neither.")

DEBUG = env.bool("DEBUG", default=EMBEDDED)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The Django admin, for superusers only (jmappa/accounts/sites.py).
    "jmappa.accounts.sites.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "jmappa.accounts",
    "jmappa.audit",
    "jmappa.core",
    "kpi",
    "alerts",
    "home",
    "bench",
    "cases",
    "referrals",
    "meetings",
    "plans",
    "documents",
    "disclosure",
    "support",
    "coordination",
    "custody",
    "interventions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jmappa.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jmappa.middleware.AbsoluteSessionTimeoutMiddleware",
    "jmappa.middleware.SecondFactorMiddleware",
    "jmappa.middleware.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "jmappa.middleware.NotFoundPageMiddleware",
]

ROOT_URLCONF = "jmappa.urls"
WSGI_APPLICATION = "jmappa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
        },
    }
]
# Every form renders with the accessible pattern: an error summary at the top,
# each error beside its field.
FORM_RENDERER = "jmappa.core.forms.AccessibleFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The case list's access filter is cheap but can be estimated dear; PostgreSQL would then
# spend a second compiling it (JIT) to save milliseconds. Short OLTP queries want no JIT.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# The role the application runs as, named to the migrations (run as the owner of the schema,
# with the owner's DATABASE_URL): after every `migrate` it is granted read and write on the
# application's tables but only INSERT and SELECT on the audit trail (jmappa/core/dbroles.py).
# Empty: no grants (the embedded development server, one superuser for everything).
DATABASE_RUNTIME_ROLE = env.str("DATABASE_RUNTIME_ROLE", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "jmappa",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: 30 minutes idle (the cookie is renewed on every request), and
# never longer than 12 hours from sign-in whatever the activity.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# A password reset link works for one hour, once.
PASSWORD_RESET_TIMEOUT = 60 * 60

# The second factor (django-otp): a time-based code from an authenticator app, or one of
# ten single-use recovery codes. Required of the Co-ordinator, Administrators and anyone who
# sees victims (access.must_use_mfa), offered to everyone.
OTP_TOTP_ISSUER = "JMAPPA Case Manager"

# Lock-out after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
# Locked by username and address (five failures lock that username from that address only,
# so no one can lock a colleague out from elsewhere), and by address alone after
# LOGIN_ADDRESS_FAILURE_LIMIT failures whatever the usernames (one guess sprayed across many
# accounts). The agencies sit behind shared office addresses: the address limit is high.
AXES_HANDLER = "jmappa.core.lockout.UsernameAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False

# Secure transport and cookies whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): the application's own scripts and styles only; the
# little inline script or style there is runs by the nonce of its page (request.csp_nonce).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a reverse proxy, the audit trail records the address it forwards.
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/Jersey"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "jmappa" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Uploaded case documents: kept under MEDIA_ROOT, which no server serves (downloads go
# through an access-checked view); the largest accepted, in bytes.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)

# Email: console in development; EMAIL_URL (smtp+tls://user:password@host:587) in production.
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="JMAPPA Case Manager <jmappa@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people use to reach the application, for links in emails.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
# The protective marking of every page and every PDF (one scheme for the whole service).
PROTECTIVE_MARKING = env.str("PROTECTIVE_MARKING", default="OFFICIAL-SENSITIVE")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jmappa.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_THROTTLE_RATE", default="600/minute")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "jmappa.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "JMAPPA Case Manager API",
    "DESCRIPTION": (
        "For partner agencies. Authenticate with `Authorization: Token <token>`; "
        "a client sees exactly what its user sees in the browser."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "jmappa.core.api.document_no_such_page",
    ],
    # One name for each set of choices that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "RiskLevelEnum": "cases.models.RiskLevel",
        "CategoryEnum": "cases.models.Category",
        "LevelEnum": "cases.models.Level",
        "ReferralStatusEnum": "referrals.models.ReferralStatus",
        "MeetingStatusEnum": "meetings.models.MeetingStatus",
        "MinutesStatusEnum": "meetings.models.MinutesStatus",
        "ActionStatusEnum": "plans.models.ActionStatus",
        "InterventionStageEnum": "interventions.models.Stage",
        "DeliveryStageEnum": "interventions.models.DELIVERY_CHOICES",
        "LogEntryKindEnum": "interventions.models.EntryKind",
    },
}
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)

# guardian: object permissions are granted to real users only.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Celery: broker and results on Redis; tasks are retried safely if a worker dies.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task taken by a worker that died before acknowledging it (acks_late) goes back to the
# queue this long after it was taken: longer than any task may run (CELERY_TASK_TIME_LIMIT).
_VISIBILITY_TIMEOUT = env.int("BROKER_VISIBILITY_TIMEOUT_SECONDS", default=60 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _VISIBILITY_TIMEOUT,
    # Workers look for such tasks every quarter of that (at most each minute), rather than
    # kombu's default of about every 100 s, so that a short timeout is honoured too.
    "unacked_restore_interval": max(1, min(60, _VISIBILITY_TIMEOUT // 4)),
    "unacked_restore_throttle": 1,
}
HEARTBEAT_SECONDS = env.float("HEARTBEAT_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "jmappa.core.tasks.heartbeat",
        "schedule": HEARTBEAT_SECONDS,
        # A beat missed while the worker was down is worthless later: drop it.
        "options": {"expires": HEARTBEAT_SECONDS},
    },
    "case-team-dated-permissions": {
        "task": "cases.tasks.sync_dated_team_permissions",
        "schedule": crontab(hour=0, minute=5),
    },
    # The joined-up team's lead follows the time left (custody/, seed 003): a sentence passes
    # the 10-month line without anyone writing anything.
    "custody-leads": {
        "task": "custody.tasks.refresh_leads",
        "schedule": crontab(hour=0, minute=10),
    },
    # Freeze the KPIs of the quarter just ended (kpi/snapshots.py); daily, so that a
    # quarter-end missed while the workers were down is caught up the next day. It measures
    # the running quarter's rows for the new day too (kpi/indicators/running.py).
    "kpi-quarter-snapshots": {
        "task": "kpi.tasks.freeze_quarters",
        "schedule": crontab(hour=0, minute=20),
    },
}

# The deadline sweep (alerts): every morning at this local time. Two beat
# schedulers would both send it; the sweep's Redis lock lets only one run.
DEADLINE_SWEEP_HOUR = env.int("DEADLINE_SWEEP_HOUR", default=6)
DEADLINE_SWEEP_MINUTE = env.int("DEADLINE_SWEEP_MINUTE", default=0)
# The sweep's lock lapses this long after its holder dies (it is renewed while it runs).
DEADLINE_SWEEP_LOCK_SECONDS = env.int("DEADLINE_SWEEP_LOCK_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["deadline-sweep"] = {
    "task": "alerts.tasks.deadline_sweep",
    "schedule": crontab(hour=DEADLINE_SWEEP_HOUR, minute=DEADLINE_SWEEP_MINUTE),
    # A sweep still queued hours later is replaced by the next morning's.
    "options": {"expires": 6 * 60 * 60},
}
# How many working days before its date an alert starts to show as "due soon", per rule
# code where the default of the rule (alerts/registry.py) is not wanted, e.g.
# ALERT_SOON_WORKING_DAYS=review_due=10,minutes_due=3
ALERT_SOON_WORKING_DAYS = {
    rule.strip(): int(days)
    for rule, _, days in (item.partition("=") for item in
                          env.list("ALERT_SOON_WORKING_DAYS", default=[]))
}

JMAPPA_DEMO_PASSWORD = env.str("JMAPPA_DEMO_PASSWORD", default="jmappa-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_without_traceback": {
        "()": "jmappa.core.logfilters.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "pgserver": {"level": "WARNING"},
                "django.request": {"filters": ["refusal_without_traceback"]},
                # Its INFO is a line per rendering step of every PDF.
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
