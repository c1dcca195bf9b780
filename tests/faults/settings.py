"""The production settings, but static files by name (the fault tests run no collectstatic)."""

from jmappa.settings import *  # noqa: F403
from jmappa.settings import STORAGES as _STORAGES

STORAGES = {**_STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
