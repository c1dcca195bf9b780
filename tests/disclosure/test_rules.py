"""The disclosure time rules (§5.2, §5.5), in working days, and their alerts in the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from alerts.models import Alert, Rule
from alerts.sweep import sweep
from disclosure import rules
from disclosure.models import Deferral, Disclosure
from disclosure.services import disclosures, requests
from jmappa.workdays import add_working_days
from meetings.models import Minutes, MinutesStatus

from .conftest import make_meeting

pytestmark = pytest.mark.django_db


def _ids(rows) -> set[int]:
    return {row["subject_id"] for row in rows}


def _log(nominal, coordinator, received_on):
    return requests.minutes_request_log(
        nominal=nominal, actor=coordinator, requester_kind="court", requester_name="Court",
        received_on=received_on, chair=coordinator, what_is_sought="x")


def test_a_request_not_clarified_is_due_five_working_days_after_receipt(nominal, coordinator):
    today = timezone.localdate()
    item = _log(nominal, coordinator, today)
    due = add_working_days(today, 5)
    assert _ids(rules.request_not_clarified(today, horizon=due - timedelta(days=1))) == set()
    assert _ids(rules.request_not_clarified(today, horizon=due)) == {item.pk}
    requests.minutes_request_clarify(minutes_request=item, actor=coordinator, sought="What?",
                                     answer="The summary.", clarified_on=today)
    assert _ids(rules.request_not_clarified(today, horizon=due)) == set()


@override_settings(DISCLOSURE_WORKING_DAYS={"clarify": 2})
def test_the_working_days_are_configurable(nominal, coordinator):
    today = timezone.localdate()
    item = _log(nominal, coordinator, today)
    assert _ids(rules.request_not_clarified(today, horizon=add_working_days(today, 2))) == \
        {item.pk}


def test_a_clarified_request_without_an_issued_summary_is_due_after_twenty_working_days(
        nominal, coordinator):
    today = timezone.localdate()
    item = _log(nominal, coordinator, today)
    requests.minutes_request_clarify(minutes_request=item, actor=coordinator, sought="What?",
                                     answer="The summary.", clarified_on=today)
    due = add_working_days(today, 20)
    assert _ids(rules.summary_not_issued(today, horizon=due)) == {item.pk}
    requests.minutes_request_decline(minutes_request=item, actor=coordinator, reason="Gone")
    assert _ids(rules.summary_not_issued(today, horizon=due)) == set()


def test_a_disclosure_agreed_but_not_endorsed_is_due_five_working_days_on(agreed):
    today = timezone.localdate()
    due = add_working_days(today, 5)
    assert _ids(rules.disclosure_not_endorsed(today, horizon=due)) == {agreed.pk}
    assert [row["assigned_to_id"] for row in rules.disclosure_not_endorsed(
        today, horizon=due)] == [agreed.created_by_id]


def test_an_endorsed_disclosure_not_made_by_its_planned_date(agreed, senior_officer):
    endorsed = disclosures.disclosure_endorse(disclosure=agreed, actor=senior_officer,
                                              endorse=True)
    Disclosure.objects.filter(pk=agreed.pk).update(
        planned_by=timezone.localdate() - timedelta(days=1))
    today = timezone.localdate()
    assert _ids(rules.disclosure_not_carried_out(today, horizon=today)) == {endorsed.pk}


def test_a_deferral_past_its_date_with_no_later_decision_raises_an_alert(
        nominal, meeting, coordinator):
    today = timezone.localdate()
    meeting = make_meeting(nominal, chair=coordinator, on=today - timedelta(days=21))
    minutes = Minutes.objects.create(meeting=meeting, status=MinutesStatus.FINAL,
                                     drafted_by=coordinator, disclosure_decision="defer")
    deferral = Deferral.objects.create(nominal=nominal, minutes=minutes,
                                       decide_by=today - timedelta(days=1),
                                       awaited="The employer's name.", created_by=coordinator)
    sweep(today, rules=[Rule.DEFERRAL_PAST_DATE])
    assert Alert.objects.filter(rule=Rule.DEFERRAL_PAST_DATE, subject_id=deferral.pk,
                                resolved_at__isnull=True).exists()

    later = make_meeting(nominal, chair=coordinator, on=today)
    Minutes.objects.create(meeting=later, status=MinutesStatus.FINAL, drafted_by=coordinator,
                           disclosure_decision="not_disclose")
    sweep(today, rules=[Rule.DEFERRAL_PAST_DATE])
    assert not Alert.objects.filter(rule=Rule.DEFERRAL_PAST_DATE,
                                    resolved_at__isnull=True).exists()
