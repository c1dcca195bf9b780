"""The audit trail is read by whom the rule says, and shows each reader only the events of
the cases and referrals they may see (one selector: the page, its export, the admin's
pages). A record hidden from the Co-ordinator (an exclusion, a restriction not naming them,
another agency's draft referral) leaves no trace in what they read; a superuser reads all."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from cases.services import exclusion_add
from jmappa.audit.models import AuditEvent, Verb
from jmappa.audit.selectors import audit_events
from jmappa.audit.services import audit_log
from tests.factories import make_nominal, make_referral, make_user
from tests.helpers import content

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(coordinator, outsider):
    """Events of a case the Co-ordinator sees, of one they are excluded from, and of a draft
    referral of another agency."""
    seen = make_nominal(actor=coordinator, family_name="Seen")
    hidden = make_nominal(actor=coordinator, family_name="Hidden")
    exclusion_add(nominal=hidden, user=coordinator, reason="Knows the family",
                  actor=make_user(roles=["coordinator"]))
    draft = make_referral(outsider, submit=False)
    return {
        "seen": audit_log(actor=outsider, action=Verb.VIEW, obj=seen, case_id=seen.pk,
                          object_repr="SEEN-CASE-EVENT"),
        "hidden": audit_log(actor=outsider, action=Verb.VIEW, obj=hidden, case_id=hidden.pk,
                            object_repr="HIDDEN-CASE-EVENT"),
        "draft": audit_log(actor=outsider, action=Verb.VIEW, obj=draft,
                           object_repr="DRAFT-REFERRAL-EVENT"),
    }


def test_the_audit_selector_hides_events_of_records_hidden_from_the_reader(
        trail, coordinator):
    shown = set(audit_events(user=coordinator).values_list("pk", flat=True))
    assert trail["seen"].pk in shown
    assert trail["hidden"].pk not in shown
    assert trail["draft"].pk not in shown
    # Events about no case or referral (sign-ins, agencies) are read as before.
    sign_in = audit_log(actor=coordinator, action=Verb.LOGIN)
    assert audit_events(user=coordinator).filter(pk=sign_in.pk).exists()


def test_a_superuser_reads_every_event(trail, police):
    root = make_user("root", roles=[], agency=police, is_staff=True, is_superuser=True)
    shown = set(audit_events(user=root).values_list("pk", flat=True))
    assert {event.pk for event in trail.values()} <= shown


def test_the_audit_page_and_export_show_no_event_of_a_record_hidden_from_the_coordinator(
        trail, coordinator_client):
    page = coordinator_client.get(reverse("audit:list")).content.decode()
    export = content(coordinator_client.get(reverse("audit:export")))
    for body in (page, export):
        assert "SEEN-CASE-EVENT" in body
        assert "HIDDEN-CASE-EVENT" not in body
        assert "DRAFT-REFERRAL-EVENT" not in body


def test_the_admin_audit_pages_read_through_the_same_selector(trail, coordinator):
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = coordinator
    shown = set(site._registry[AuditEvent].get_queryset(request).values_list("pk", flat=True))
    assert trail["seen"].pk in shown
    assert trail["hidden"].pk not in shown and trail["draft"].pk not in shown
