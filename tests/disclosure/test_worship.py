"""Attendance at a place of worship (§5.4) and the behaviour contract (§14.10): the
assessment, the contract from the specimen, signed (date and scan) or refused (licence
condition, Restraining Order, ViSOR), and a breach that alerts the case manager at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, Rule
from alerts.selectors import subject_link
from alerts.sweep import sweep
from disclosure.models import (
    ContractBreach,
    Disclosure,
    RecipientKind,
    WorshipArrangement,
    WorshipConcern,
    WorshipStatus,
)
from disclosure.pdf import render_contract_pdf
from disclosure.services import worship
from jmappa.audit.models import AuditEvent, Verb
from jmappa.core.deadlines import deadlines_changed
from tests.factories import add_to_team, make_user
from tests.helpers import content, pdf_pages, pdf_text, sign_in

from .conftest import agreed_fields

pytestmark = pytest.mark.django_db

PLACE = "St Aubin's Chapel"


def assessment(**overrides) -> dict:
    fields = {
        "place_of_worship": PLACE, "place_address": "High Street, St Aubin",
        "religious_leader": "Pastor Nathan Gallichan", "leader_contact": "01534 111111",
        "concern": WorshipConcern.RSO_CHILD_VICTIMS,
        "risk_assessment": "Families with young children attend the Sunday service.",
        "discussed_with_offender": True,
        "discussion": "He knows the pastor will be told and that he must sign a contract.",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def arrangement(nominal, practitioner):
    return worship.worship_assess(nominal=nominal, actor=practitioner, **assessment())


def scan(name="signed.pdf", data=b"%PDF-1.4 signed contract"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def signed(arrangement, practitioner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return worship.worship_contract_signed(
        arrangement=arrangement, actor=practitioner, version=arrangement.version,
        signed_on=timezone.localdate(), upload=scan())


# -- the rules ------------------------------------------------------------------------------


def test_worship_needs_the_case_managers_risk_assessment(nominal, practitioner):
    with pytest.raises(ValidationError) as refused:
        worship.worship_assess(nominal=nominal, actor=practitioner,
                               **assessment(risk_assessment="  "))
    assert "risk_assessment" in refused.value.message_dict
    assert not WorshipArrangement.objects.exists()


def test_worship_records_the_discussion_or_why_it_would_put_a_victim_at_greater_risk(
        nominal, practitioner):
    with pytest.raises(ValidationError) as refused:
        worship.worship_assess(nominal=nominal, actor=practitioner,
                               **assessment(discussed_with_offender=False, discussion=""))
    assert "no_discussion_reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        worship.worship_assess(nominal=nominal, actor=practitioner,
                               **assessment(discussion=""))
    assert "discussion" in refused.value.message_dict
    kept = worship.worship_assess(
        nominal=nominal, actor=practitioner,
        **assessment(discussed_with_offender=False,
                     no_discussion_reason="He would blame the victim, who attends."))
    assert kept.discussion == ""


def test_the_contract_starts_from_the_specimen_for_the_place(arrangement):
    terms = arrangement.contract_terms
    assert f"I will ensure that I sit apart from children and young people at {PLACE}" in terms
    assert "never alone with children" in terms
    assert "I will not involve myself in any way with children and young people" in terms
    assert "“need to know” basis" in terms
    assert "report this to my Offender Manager" in terms


def test_only_the_case_managers_chairs_and_the_coordinator_record_worship(nominal, police):
    colleague = make_user("dave", agency=police)
    add_to_team(nominal, colleague)
    with pytest.raises(PermissionDenied):
        worship.worship_assess(nominal=nominal, actor=colleague, **assessment())


def test_a_signed_contract_needs_its_date_and_a_scan_and_the_date_is_not_in_the_future(
        arrangement, practitioner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as refused:
        worship.worship_contract_signed(
            arrangement=arrangement, actor=practitioner, version=arrangement.version,
            signed_on=timezone.localdate() + timedelta(days=1), upload=None)
    assert set(refused.value.message_dict) == {"signed_on", "upload"}
    with pytest.raises(ValidationError) as refused:
        worship.worship_contract_signed(
            arrangement=arrangement, actor=practitioner, version=arrangement.version,
            signed_on=timezone.localdate(), upload=scan("signed.exe", b"MZ\x90\x00"))
    assert "upload" in refused.value.message_dict
    assert list(tmp_path.rglob("*.*")) == []  # nothing stored for a refusal
    done = worship.worship_contract_signed(
        arrangement=arrangement, actor=practitioner, version=arrangement.version,
        signed_on=timezone.localdate(), upload=scan())
    assert done.status == WorshipStatus.SIGNED and done.countersigned_by == practitioner
    assert done.scan_name == "signed.pdf" and "signed.pdf" not in done.scan.name


def test_unwilling_to_sign_records_licence_condition_restraining_order_and_visor(
        arrangement, practitioner):
    with pytest.raises(ValidationError) as refused:
        worship.worship_refused(arrangement=arrangement, actor=practitioner,
                                version=arrangement.version, licence_condition_sought=None,
                                restraining_order_sought=None, refusal_decision="",
                                visor_recorded_on=None)
    assert set(refused.value.message_dict) == {
        "licence_condition_sought", "restraining_order_sought", "refusal_decision",
        "visor_recorded_on"}
    done = worship.worship_refused(
        arrangement=arrangement, actor=practitioner, version=arrangement.version,
        licence_condition_sought=True, restraining_order_sought=False,
        refusal_decision="A licence condition keeps him from the chapel.",
        visor_recorded_on=timezone.localdate())
    assert done.status == WorshipStatus.REFUSED
    with pytest.raises(ValidationError):  # decided: no longer signed or changed
        worship.worship_contract_signed(arrangement=done, actor=practitioner,
                                        version=done.version, signed_on=timezone.localdate(),
                                        upload=scan())


def test_a_breach_alerts_the_case_manager_at_once_until_the_action_is_recorded(
        signed, nominal, practitioner, coordinator, django_capture_on_commit_callbacks):
    practitioner.email = "bob@example.je"
    practitioner.save()
    changed = []

    def heard(sender, *, nominal_id, **kwargs):
        changed.append(nominal_id)

    deadlines_changed.connect(heard)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            breach = worship.breach_report(
                arrangement=signed, actor=coordinator, occurred_on=timezone.localdate(),
                reported_by="The pastor", what_happened="He went into the crèche.")
    finally:
        deadlines_changed.disconnect(heard)
    assert changed == [nominal.pk]  # the case's alerts are refreshed at once
    [message] = mail.outbox
    assert message.to == ["bob@example.je"] and nominal.reference in message.subject
    assert nominal.family_name not in message.subject + message.body
    assert "crèche" not in message.body

    today = timezone.localdate()
    sweep(today, rules=[Rule.CONTRACT_BREACH])
    alert = Alert.objects.get(rule=Rule.CONTRACT_BREACH, subject_id=breach.pk)
    assert alert.assigned_to == practitioner and alert.due_on == today
    assert alert.resolved_at is None
    assert subject_link(alert) == ("Breach of a worship contract",
                                   reverse("disclosure:breach_action", args=[breach.pk]))

    worship.breach_action(breach=breach, actor=practitioner, version=breach.version,
                          action_taken="The pastor prohibited attendance; warning given.")
    sweep(today, rules=[Rule.CONTRACT_BREACH])
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_only_a_signed_contract_can_be_breached(arrangement, coordinator):
    with pytest.raises(ValidationError, match="Only a signed contract"):
        worship.breach_report(arrangement=arrangement, actor=coordinator,
                              occurred_on=timezone.localdate(), reported_by="The pastor",
                              what_happened="Something.")
    assert not ContractBreach.objects.exists()


def test_the_contract_pdf_has_the_terms_signature_lines_and_the_marking_on_every_page(
        arrangement, settings):
    settings.PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
    pdf = render_contract_pdf(arrangement)
    text = pdf_text(pdf)
    assert f"sit apart from children and young people at {PLACE}" in text
    assert "Offender's signature" in text and "Offender Manager's signature" in text
    assert "Pastor Nathan Gallichan" in text
    for page in pdf_pages(pdf):
        assert page.count("OFFICIAL-SENSITIVE") >= 2


# -- the pages ------------------------------------------------------------------------------


def test_a_case_manager_records_worship_tells_the_leader_and_records_the_contract_signed(
        client, nominal, practitioner, senior_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, practitioner)
    data = {**assessment(), "discussed_with_offender": "True"}
    answer = client.post(reverse("disclosure:worship_add", args=[nominal.pk]), data)
    arrangement = WorshipArrangement.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("disclosure:worship", args=[arrangement.pk])

    # The disclosure to the religious leader, started from the arrangement, is linked to it.
    url = reverse("disclosure:add", args=[nominal.pk]) + f"?worship={arrangement.pk}"
    form = client.get(url).context["form"]
    assert form.initial["recipient_kind"] == RecipientKind.RELIGIOUS_LEADER
    assert form.initial["recipient_name"] == "Pastor Nathan Gallichan"
    fields = agreed_fields(recipient_kind=RecipientKind.RELIGIOUS_LEADER,
                           recipient_name="Pastor Nathan Gallichan")
    posted = {name: ("True" if value is True else "False" if value is False else value)
              for name, value in fields.items()}
    posted.update(recipient_told_offender_unaware="", endorser=senior_officer.pk,
                  planned_by=fields["planned_by"].isoformat())
    client.post(url, posted)
    arrangement.refresh_from_db()
    assert arrangement.disclosure == Disclosure.objects.get()

    page = content(client.get(reverse("disclosure:worship", args=[arrangement.pk])))
    assert "Disclosure to Pastor Nathan Gallichan" in page
    assert "The religious leader has not yet been told" in page

    pdf = client.get(reverse("disclosure:contract_pdf", args=[arrangement.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "Offender's signature" in pdf_text(pdf.content)
    assert AuditEvent.objects.filter(action=Verb.PRINT, object_id=str(arrangement.pk)).exists()

    answer = client.post(reverse("disclosure:signed", args=[arrangement.pk]), {
        "signed_on": timezone.localdate().isoformat(), "upload": scan(),
        "version": arrangement.version})
    assert answer.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.status == WorshipStatus.SIGNED
    download = client.get(reverse("disclosure:signed_scan", args=[arrangement.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Cache-Control"] == "no-store, private"
    assert AuditEvent.objects.filter(action=Verb.VIEW, object_id=str(arrangement.pk),
                                     detail="Signed contract downloaded").exists()


def test_a_refused_assessment_keeps_what_was_typed_and_says_what_is_missing(
        client, nominal, practitioner):
    sign_in(client, practitioner)
    answer = client.post(reverse("disclosure:worship_add", args=[nominal.pk]), {
        **assessment(risk_assessment=""), "discussed_with_offender": "False",
        "discussion": "", "no_discussion_reason": ""})
    assert answer.status_code == 200
    page = content(answer)
    assert "assessment of the risk of harm attending could present" in page
    assert "would put a victim at greater risk" in page
    assert PLACE.replace("'", "&#x27;") in page or PLACE in page
    assert not WorshipArrangement.objects.exists()


def test_every_worship_page_answers_404_outside_the_case_and_without_the_permission(
        client, signed, nominal, coordinator, outsider, police):
    breach = worship.breach_report(arrangement=signed, actor=coordinator,
                                   occurred_on=timezone.localdate(), reported_by="The pastor",
                                   what_happened="He went into the crèche.")
    colleague = make_user("dave", agency=police)
    add_to_team(nominal, colleague)  # sees the case, not its disclosures
    for user in (outsider, colleague):
        client.logout()
        sign_in(client, user)
        for name in ("worship", "worship_edit", "contract_pdf", "signed", "signed_scan",
                     "refused", "breach_add"):
            assert client.get(reverse(f"disclosure:{name}", args=[signed.pk])).status_code \
                == 404, (user, name)
        assert client.post(reverse("disclosure:breach_add", args=[signed.pk]), {
            "occurred_on": timezone.localdate().isoformat(), "reported_by": "x",
            "what_happened": "y"}).status_code == 404
        assert client.get(reverse("disclosure:breach_action", args=[breach.pk])).status_code \
            == 404
    assert PLACE not in content(client.get(reverse("disclosure:case", args=[nominal.pk])))
    client.logout()
    sign_in(client, outsider)
    assert client.get(reverse("disclosure:worship_add", args=[nominal.pk])).status_code == 404


def test_the_disclosures_section_lists_worship_for_the_permission_holder_and_audits_it(
        client, arrangement, nominal, practitioner):
    sign_in(client, practitioner)
    page = content(client.get(reverse("disclosure:case", args=[nominal.pk])))
    assert PLACE.replace("'", "&#x27;") in page or PLACE in page
    assert AuditEvent.objects.filter(action=Verb.LIST,
                                     object_type="disclosure.worshiparrangement").exists()
