from celery import shared_task
from django.utils import timezone

from . import health


@shared_task(ignore_result=True)
def heartbeat() -> str:
    """Beat runs this every HEARTBEAT_SECONDS: proof that beat, broker and worker all work."""
    now = timezone.now().isoformat()
    health.record_heartbeat(now)
    return now
