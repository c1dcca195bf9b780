"""The audit trail in words (jmappa/audit/wording.py): what the case's History and the audit
trail page say of a change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jmappa.audit.models import AuditEvent, Verb
from jmappa.audit.services import WITHHELD
from jmappa.audit.wording import describe

pytestmark = pytest.mark.django_db


def finalised(coordinator) -> AuditEvent:
    """The event finalising minutes writes: status, who and when, and the plan's snapshot."""
    return AuditEvent(
        action=Verb.CHANGE, object_type="meetings.minutes", object_id="1",
        object_repr="Minutes, version 1",
        changes={
            "status": {"from": "draft", "to": "final"},
            "finalised_by": {"from": None, "to": coordinator.pk},
            "finalised_at": {"from": None, "to": "2026-12-05T14:30:00Z"},
            "plan_snapshot": {"from": [], "to": [{"description": "Home visits", "id": 3}]},
        })


def test_finalising_minutes_reads_as_words_not_codes(coordinator):
    event = describe([finalised(coordinator)])[0]
    assert event.summary == "Minutes changed"
    assert event.change_words == [
        "Status changed from Draft to Final",
        "Finalised by set to Alice Coordinator",
        "Finalised at set to 5 December 2026, 14:30",
        "Plan snapshot changed",
    ]


def test_a_withheld_or_hidden_value_is_named_without_its_value(coordinator):
    event = AuditEvent(action=Verb.CHANGE, object_type="cases.nominal",
                       changes={"restricted_reason": {"from": "", "to": "Serving officer"},
                                "pnc_number": WITHHELD})
    lines = describe([event], hidden_fields={"restricted_reason"})[0].change_words
    assert lines == ["Restricted reason changed", "PNC number changed"]


def test_the_audit_trail_page_says_the_change_in_words(coordinator_client, coordinator):
    event = finalised(coordinator)
    event.actor = coordinator
    event.save()
    content = coordinator_client.get(reverse("audit:list")).content.decode()
    assert "Finalised by set to Alice Coordinator" in content
    assert "finalised_by" not in content and "→" not in content
