"""Settings for the test suite: production settings with test-only conveniences.

Tests run against a real PostgreSQL and Redis (DATABASE_URL/REDIS_URL, or the
embedded ones), on Redis database 15 so that they never touch the data of a
running development server.
"""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("SECRET_KEY", "tests-only-8f3Kq1Zp0vX7mB2nW9cR4tY6uJ5hL3gD1sA0eQ8iO7kP")

from jmappa.settings import *  # noqa: E402,F403
from jmappa.settings import REDIS_URL as _REDIS_URL  # noqa: E402


def _redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


REDIS_URL = os.environ.get("TEST_REDIS_URL") or _redis_db(_REDIS_URL, 15)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Each run its own keys: runs side by side never see each other's throttles.
        "KEY_PREFIX": f"jmappa-test-{os.getpid()}",
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client and the browser tests speak plain HTTP to the test server.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
