""""Overdue" is one thing everywhere: a red tag, on alerts, plan actions, home visits and
referrals alike."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django.template.loader import render_to_string

RED = '<strong class="govuk-tag govuk-tag--red">Overdue'


def test_an_overdue_alert_is_a_red_tag():
    alert = SimpleNamespace(resolved_at=None, is_overdue=True, due_today=False)
    assert RED in render_to_string("alerts/_badge.html", {"alert": alert})


def test_an_overdue_referral_is_the_same_red_tag():
    referral = SimpleNamespace(status="submitted", meeting_due_by=date(2026, 1, 5),
                               is_overdue=True, is_emergency=False)
    html = render_to_string("referrals/_due.html", {"referral": referral})
    assert RED in html and "text-bg-warning" not in html


def test_an_overdue_plan_action_is_the_same_red_tag():
    action = SimpleNamespace(status="open", due_date=date(2026, 1, 5), is_overdue=True,
                             days_overdue=3, completed_on=None)
    assert RED in render_to_string("plans/_due.html", {"action": action})
