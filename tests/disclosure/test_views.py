"""The disclosure pages: the case's Disclosures section, a disclosure's steps, the minutes'
deferral step, the register and a request's steps, the Executive Summary and its PDF."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Deferral, Disclosure, DisclosureStatus, MinutesRequest
from disclosure.services import requests, summaries
from jmappa.audit.models import AuditEvent, Verb
from meetings.models import MinutesStatus
from tests.helpers import content, pdf_text, sign_in

from .conftest import agreed_fields

pytestmark = pytest.mark.django_db


def _post_agree(client, nominal, meeting, senior_officer, **overrides):
    fields = agreed_fields(**overrides)
    data = {name: ("True" if value is True else "False" if value is False else value)
            for name, value in fields.items()}
    data["recipient_told_offender_unaware"] = "on" if fields[
        "recipient_told_offender_unaware"] else ""
    data["planned_by"] = fields["planned_by"].isoformat()
    data["endorser"] = senior_officer.pk
    return client.post(reverse("disclosure:add", args=[nominal.pk]) + f"?meeting={meeting.pk}",
                       data)


def test_a_chair_records_disclose_to_employer_the_officer_endorses_the_police_make_it(
        client, nominal, meeting, coordinator, senior_officer, practitioner):
    sign_in(client, coordinator)
    answer = _post_agree(client, nominal, meeting, senior_officer)
    disclosure = Disclosure.objects.get()
    assert answer.status_code == 302 and disclosure.meeting == meeting
    assert disclosure.status == DisclosureStatus.AGREED

    client.logout()
    sign_in(client, senior_officer)
    page = client.get(reverse("disclosure:detail", args=[disclosure.pk]))
    assert "Endorse or refuse" in content(page)
    client.post(reverse("disclosure:endorse", args=[disclosure.pk]),
                {"decision": "True", "reasons": "Proportionate."})
    client.logout()
    sign_in(client, practitioner)
    client.post(reverse("disclosure:carry_out", args=[disclosure.pk]), {
        "disclosed_by": "police", "disclosed_on": timezone.localdate().isoformat(),
        "method": "in_person", "what_was_said": "His conditions.",
        "acknowledgement": "Tells no one.", "version": disclosure.version + 1})
    assert Disclosure.objects.get().status == DisclosureStatus.DISCLOSED
    assert AuditEvent.objects.filter(action=Verb.VIEW, object_id=str(disclosure.pk),
                                     object_type="disclosure.disclosure").exists()


def test_the_offender_not_told_is_refused_beside_the_field_and_nothing_typed_is_lost(
        client, nominal, meeting, coordinator, senior_officer):
    sign_in(client, coordinator)
    answer = _post_agree(client, nominal, meeting, senior_officer, offender_told=False,
                         recipient_name="Gerald Pallot")
    assert answer.status_code == 200
    assert "the recipient will be told that the offender does not" in content(answer)
    assert "Gerald Pallot" in content(answer)
    assert not Disclosure.objects.exists()


def test_a_disclosure_page_answers_404_outside_the_case_and_without_the_permission(
        client, agreed, outsider, police, nominal):
    from tests.factories import add_to_team, make_user

    colleague = make_user("dave", agency=police)
    add_to_team(nominal, colleague)
    for user in (outsider, colleague):
        client.logout()
        sign_in(client, user)
        for name in ("detail", "endorse", "carry_out"):
            assert client.get(reverse(f"disclosure:{name}", args=[agreed.pk])).status_code \
                == 404
    assert client.get(reverse("disclosure:case", args=[nominal.pk])).status_code == 200
    assert "Pallot" not in content(client.get(reverse("disclosure:case", args=[nominal.pk])))


def test_the_case_disclosures_section_answers_404_outside_the_case(client, nominal, outsider):
    sign_in(client, outsider)
    for name in ("case", "add", "request_log"):
        assert client.get(reverse(f"disclosure:{name}", args=[nominal.pk])).status_code == 404


def test_the_disclosures_section_lists_them_for_the_permission_holder(client, agreed, nominal,
                                                                      practitioner):
    sign_in(client, practitioner)
    page = content(client.get(reverse("disclosure:case", args=[nominal.pk])))
    assert "Gerald Pallot" in page and "Disclosures" in page


def test_the_minutes_deferral_step_records_the_date_and_what_is_awaited(
        client, draft, meeting, administrator):
    sign_in(client, administrator)
    url = reverse("disclosure:deferral", args=[meeting.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"decide_by": (meeting.date + timedelta(days=10)).isoformat(),
                      "awaited": "The employer's name."})
    assert Deferral.objects.get(minutes=draft).awaited == "The employer's name."


def test_the_deferral_step_answers_404_outside_the_case(client, draft, meeting, outsider):
    sign_in(client, outsider)
    assert client.get(reverse("disclosure:deferral", args=[meeting.pk])).status_code == 404


def test_a_court_request_is_logged_and_the_chair_issues_the_summary_read_back_as_pdf(
        client, nominal, meeting, coordinator, practitioner):
    from meetings.models import Minutes

    Minutes.objects.create(meeting=meeting, status=MinutesStatus.FINAL, drafted_by=coordinator,
                           rosh_overall="high", level_decision="3")
    sign_in(client, practitioner)
    client.post(reverse("disclosure:request_log", args=[nominal.pk]), {
        "requester_kind": "court", "requester_name": "The Royal Court",
        "received_on": timezone.localdate().isoformat(), "chair": coordinator.pk,
        "what_is_sought": "The minutes."})
    minutes_request = MinutesRequest.objects.get()
    client.logout()
    sign_in(client, coordinator)
    client.post(reverse("disclosure:summary_start", args=[minutes_request.pk]))
    summary = minutes_request.__class__.objects.get().summary
    edit = reverse("disclosure:summary_edit", args=[minutes_request.pk])
    data = {name: getattr(summary, name) for name in (
        "personal_details", "referral", "meetings_summary", "plan_outline", "meeting_details",
        "chair_details")}
    answer = client.post(edit, {**data, "victim_check_confirmed": "on",
                                "version": summary.version, "finalise": "1"})
    assert answer.status_code == 302
    client.post(reverse("disclosure:summary_issue", args=[minutes_request.pk]),
                {"issued_to": "The Judicial Greffe"})
    minutes_request.refresh_from_db()
    assert minutes_request.outcome == "summary_issued"
    pdf = client.get(reverse("disclosure:summary_pdf", args=[minutes_request.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "EXECUTIVE SUMMARY" in text and "Issued to The Judicial Greffe" in text
    assert AuditEvent.objects.filter(action=Verb.PRINT,
                                     object_type="disclosure.executivesummary").exists()


def test_a_stale_save_of_the_summary_keeps_what_was_typed(client, nominal, meeting,
                                                          coordinator):
    minutes_request = requests.minutes_request_log(
        nominal=nominal, actor=coordinator, requester_kind="court", requester_name="Court",
        received_on=date.today(), chair=coordinator, what_is_sought="x")
    summary = summaries.summary_draft(minutes_request=minutes_request, actor=coordinator)
    summaries.summary_update(summary=summary, actor=coordinator, version=summary.version,
                             plan_outline="Someone else's words")
    sign_in(client, coordinator)
    answer = client.post(reverse("disclosure:summary_edit", args=[minutes_request.pk]), {
        "personal_details": "a", "referral": "b", "meetings_summary": "c",
        "plan_outline": "My own words", "meeting_details": "d", "chair_details": "e",
        "version": summary.version})
    assert answer.status_code == 200
    assert "Someone else saved the summary" in content(answer)
    assert "My own words" in content(answer)


def test_the_register_and_request_pages_answer_404_outside(client, nominal, coordinator,
                                                           outsider):
    minutes_request = requests.minutes_request_log(
        nominal=nominal, actor=coordinator, requester_kind="court",
        requester_name="Samedi Division", received_on=date.today(), chair=coordinator,
        what_is_sought="x")
    sign_in(client, outsider)
    assert "Samedi Division" not in content(client.get(reverse("disclosure:register")))
    for name in ("request", "clarify", "letter_add", "redirect", "decline", "summary_edit",
                 "summary_issue", "summary_pdf"):
        assert client.get(reverse(f"disclosure:{name}",
                                  args=[minutes_request.pk])).status_code == 404
    assert client.post(reverse("disclosure:summary_start",
                               args=[minutes_request.pk])).status_code == 404


def test_the_register_filters_by_outcome(client, nominal, coordinator):
    requests.minutes_request_log(
        nominal=nominal, actor=coordinator, requester_kind="court",
        requester_name="The Royal Court", received_on=date.today(), chair=coordinator,
        what_is_sought="x")
    sign_in(client, coordinator)
    assert "The Royal Court" in content(client.get(reverse("disclosure:register")))
    assert "The Royal Court" not in content(
        client.get(reverse("disclosure:register") + "?outcome=declined"))


def test_a_stale_record_of_the_disclosure_made_is_refused_and_keeps_what_was_typed(
        client, agreed, senior_officer, practitioner):
    from disclosure.services import disclosures as disclosure_services

    endorsed = disclosure_services.disclosure_endorse(disclosure=agreed, actor=senior_officer,
                                                      endorse=True, reasons="Proportionate.")
    sign_in(client, practitioner)
    answer = client.post(reverse("disclosure:carry_out", args=[agreed.pk]), {
        "disclosed_by": "police", "disclosed_on": timezone.localdate().isoformat(),
        "method": "in_person", "what_was_said": "His licence conditions.",
        "acknowledgement": "Tells no one.", "version": endorsed.version - 1})
    assert answer.status_code == 200
    page = content(answer)
    assert "Someone else saved this record while you were changing it" in page
    assert "His licence conditions." in page
    assert Disclosure.objects.get().status == DisclosureStatus.ENDORSED
