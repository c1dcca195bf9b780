"""The Celery app: broker and results on Redis, configured from CELERY_* settings."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jmappa.settings")

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
