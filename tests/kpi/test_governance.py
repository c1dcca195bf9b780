"""The Board's governance documents (§14.11, §15.1): kept by its secretariat with an owner and
a next review; a review that falls due is an alert to the owner (the Administrator where
there is none) until the review is recorded; members read them; nobody else reaches them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, Rule
from alerts.selectors import alerts_for, subject_link
from alerts.sweep import sweep
from jmappa.accounts.models import Role
from jmappa.audit.models import AuditEvent, Verb
from kpi import services
from kpi.models import GovernanceDocument, GovernanceKind
from tests.factories import make_user
from tests.helpers import content, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(police):
    return make_user("ada", roles=[Role.ADMINISTRATOR], agency=police)


def add(actor, **overrides):
    today = timezone.localdate()
    fields = {"kind": GovernanceKind.MEDIA_STRATEGY, "title": "JMAPPA media strategy",
              "owner": None, "approved_on": today - timedelta(days=300),
              "next_review": today + timedelta(days=60), "notes": "", "is_active": True}
    fields.update(overrides)
    return services.governance_document_add(actor=actor, **fields)


def test_the_next_review_comes_after_the_approval_and_approval_is_not_in_the_future(
        administrator):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        add(administrator, approved_on=today, next_review=today - timedelta(days=1))
    assert "next_review" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        add(administrator, approved_on=today + timedelta(days=1),
            next_review=today + timedelta(days=365))
    assert "approved_on" in refused.value.message_dict
    assert not GovernanceDocument.objects.exists()


def test_a_lapsed_review_alerts_the_administrator_until_the_review_is_recorded(
        administrator, coordinator):
    today = timezone.localdate()
    document = add(administrator, next_review=today - timedelta(days=3))
    sweep(today, rules=[Rule.GOVERNANCE_REVIEW_DUE])
    alert = Alert.objects.get(rule=Rule.GOVERNANCE_REVIEW_DUE, subject_id=document.pk)
    assert alert.nominal is None and alert.assigned_role == Role.ADMINISTRATOR
    assert alerts_for(administrator, mine=True, rule=Rule.GOVERNANCE_REVIEW_DUE).exists()
    assert subject_link(alert) == ("Board governance document",
                                   reverse("kpi:governance_edit", args=[document.pk]))

    services.governance_document_update(document=document, actor=administrator,
                                        version=document.version, approved_on=today,
                                        next_review=today + timedelta(days=365))
    sweep(today, rules=[Rule.GOVERNANCE_REVIEW_DUE])
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_a_withdrawn_document_is_no_longer_reviewed(administrator):
    today = timezone.localdate()
    document = add(administrator, next_review=today - timedelta(days=3))
    services.governance_document_update(document=document, actor=administrator,
                                        version=document.version, is_active=False)
    sweep(today, rules=[Rule.GOVERNANCE_REVIEW_DUE])
    assert not Alert.objects.filter(rule=Rule.GOVERNANCE_REVIEW_DUE).exists()


def test_the_board_alert_is_not_shown_to_a_practitioner(administrator, practitioner):
    add(administrator, next_review=timezone.localdate() - timedelta(days=3))
    sweep(timezone.localdate(), rules=[Rule.GOVERNANCE_REVIEW_DUE])
    assert not alerts_for(practitioner).filter(rule=Rule.GOVERNANCE_REVIEW_DUE).exists()


def test_the_secretariat_adds_a_document_with_its_copy_and_a_member_downloads_it(
        client, administrator, police, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, administrator)
    today = timezone.localdate()
    answer = client.post(reverse("kpi:governance_add"), {
        "kind": GovernanceKind.BUSINESS_PLAN, "title": "JMAPPA business plan",
        "approved_on": (today - timedelta(days=10)).isoformat(),
        "next_review": (today + timedelta(days=355)).isoformat(), "is_active": "on",
        "upload": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 the plan")})
    assert answer.status_code == 302
    document = GovernanceDocument.objects.get()
    assert document.file_name == "plan.pdf"
    member = make_user("smb", roles=[Role.SMB_MEMBER], agency=police)
    client.logout()
    sign_in(client, member)
    page = content(client.get(reverse("kpi:governance")))
    assert "JMAPPA business plan" in page
    download = client.get(reverse("kpi:governance_file", args=[document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 the plan"
    assert AuditEvent.objects.filter(action=Verb.VIEW, detail="Downloaded",
                                     object_id=str(document.pk)).exists()
    assert client.get(reverse("kpi:governance_edit", args=[document.pk])).status_code == 403


def test_a_refused_review_keeps_what_was_typed(client, administrator):
    document = add(administrator)
    sign_in(client, administrator)
    today = timezone.localdate()
    answer = client.post(reverse("kpi:governance_edit", args=[document.pk]), {
        "kind": document.kind, "title": "Media strategy, revised",
        "approved_on": today.isoformat(), "next_review": today.isoformat(),
        "is_active": "on", "version": document.version})
    assert answer.status_code == 200
    page = content(answer)
    assert "The next review comes after the approval." in page
    assert "Media strategy, revised" in page


def test_governance_pages_are_the_boards_only(client, administrator, outsider):
    document = add(administrator)
    sign_in(client, outsider)
    for url in (reverse("kpi:governance"), reverse("kpi:governance_add"),
                reverse("kpi:governance_edit", args=[document.pk]),
                reverse("kpi:governance_file", args=[document.pk])):
        assert client.get(url).status_code == 403, url
