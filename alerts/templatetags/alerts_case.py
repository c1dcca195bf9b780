"""The case page's section on what is due and overdue on the case: its open alerts, read
from the same rows as every other page (two queries)."""

from django import template
from django.utils import timezone

from alerts import selectors

register = template.Library()

SHOWN = 10


@register.inclusion_tag("alerts/case_alerts.html", takes_context=True)
def case_alerts(context, nominal):
    user = context["request"].user
    today = context.get("today") or timezone.localdate()
    alerts = selectors.shown(
        selectors.alerts_for(user, case=nominal, today=today)[:SHOWN + 1], today)
    return {"nominal": nominal, "alerts": alerts[:SHOWN], "more": len(alerts) > SHOWN,
            "today": today}
