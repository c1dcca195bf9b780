"""The production settings for `bench_load`'s gunicorn: static files by name (no collectstatic
is run for a benchmark), everything else as deployed."""

from jmappa.settings import *  # noqa: F403
from jmappa.settings import STORAGES as _STORAGES

STORAGES = {**_STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
