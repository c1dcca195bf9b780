from celery import shared_task

from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel

from . import services


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def refresh_leads() -> int:
    """Each joined-up team's lead, today (idempotent): answers how many changed."""
    with audit_context(Channel.JOB):
        return services.leads_refresh()
