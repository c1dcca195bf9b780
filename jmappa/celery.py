"""The Celery app: broker and results on Redis, configured from CELERY_* settings."""

import os
import sys
from pathlib import Path

from celery import Celery
from celery.signals import task_postrun, task_prerun

from jmappa import embedded

# A `celery` command (worker, beat, ...) is an entry point: with no URLs set it
# starts the embedded servers, as manage.py does. Importing this package from
# anywhere else (the web server, the test suite) neither starts nor chooses anything.
_program = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path()
if _program.name == "celery" or _program.parent.name == "celery":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jmappa.settings")
    embedded.activate()

app = Celery("jmappa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_stale_connections(**kwargs):
    # A worker lives for days; PostgreSQL may restart under it. Drop connections
    # that are broken or past their age around every task instead of failing.
    from django.db import close_old_connections

    close_old_connections()
