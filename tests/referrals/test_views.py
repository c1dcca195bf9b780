"""The referral pages (referrals/views.py): the Appendix A form, the referral page, the lists,
the Co-ordinator's screening, and the need-to-know rule on every page (a referral the user
may not see answers 404; one they see but may not change or screen, 403)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Category, Level, Nominal, TeamRole
from cases.services import exclusion_add
from jmappa.accounts.models import Role
from jmappa.audit.models import AuditEvent, Verb
from referrals.models import SEX_OFFENDER_MESSAGE, Referral, ReferralAgency, ReferralStatus
from referrals.services import (
    referral_accept,
    referral_reject,
    referral_request_info,
    referral_submit,
    referral_update,
)
from tests.factories import add_to_team, make_nominal, make_referral, make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

DECISIONS = ["accept", "reject", "request_info", "confirm_level_1"]


def today() -> date:
    return timezone.localdate()


def client_for(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def url(name: str, referral=None) -> str:
    return reverse(f"referrals:{name}", args=[referral.pk] if referral else [])


def body(response) -> str:
    return response.content.decode()


def errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def new_referral_data(lead_agency, *, action="draft", rows=None, **overrides) -> dict:
    """What the browser posts for a complete referral (one agency to be involved)."""
    data = {
        "given_names": "Darren", "family_name": "Le Vraicquet", "date_of_birth": "1985-06-15",
        "address": "12 Rue de la Mer, St Helier", "conviction": "Wounding with intent (2024)",
        "custody_status": "community", "lead_agency": str(lead_agency.pk),
        "contact_name": "Bob Practitioner", "contact_telephone": "01534 000000",
        "reasons": "Threats to a former partner since release.",
        "why_not_level_1": "Police, Probation and Housing must act together.",
        "victims": "Former partner, St Brelade.", "level_proposed": "2",
        "category_proposed": "2", "urgency": "next_meeting", "action": action,
    }
    data.update(overrides)
    rows = [{"agency": lead_agency.pk, "person": "Sam Contact",
             "person_email": "sam@example.je"}] if rows is None else rows
    data.update(agency_rows(rows))
    return data


def agency_rows(rows, initial: int = 0) -> dict:
    data = {"agencies-TOTAL_FORMS": str(len(rows)), "agencies-INITIAL_FORMS": str(initial),
            "agencies-MIN_NUM_FORMS": "0", "agencies-MAX_NUM_FORMS": "30"}
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"agencies-{i}-{name}"] = str(getattr(value, "pk", value))
    return data


def shown_form_data(response) -> dict:
    """What a browser posts back for the form and its agency rows, as shown."""
    data = {}
    forms_shown = [response.context["form"], *response.context["formset"].forms,
                   response.context["formset"].management_form]
    for form in forms_shown:
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            value = form[name].value()
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
                continue
            if value is None:
                value = ""
            data[key] = value.isoformat() if isinstance(value, date) else str(value)
    return data


@pytest.fixture
def referral(practitioner):
    """Bob's referral (police), sent to the Co-ordinator."""
    return make_referral(practitioner, given_names="Terry", family_name="Tester")


@pytest.fixture
def draft(practitioner):
    return make_referral(practitioner, submit=False, given_names="Dana", family_name="Draft")


# -- access ------------------------------------------------------------------------------------


def test_an_agency_outside_the_referral_finds_none_of_its_pages(outsider, referral, draft):
    client = client_for(outsider)
    for name in ["detail", "edit", *DECISIONS]:
        assert client.get(url(name, referral)).status_code == 404, name
        assert client.post(url(name, referral), {"reason": "x", "note": "x"}).status_code \
            == 404, name
    assert client.post(url("submit", draft)).status_code == 404
    assert client.get(url("edit", draft)).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED


def test_a_case_the_user_does_not_see_cannot_start_a_referral(outsider, coordinator):
    nominal = make_nominal(actor=coordinator)
    response = client_for(outsider).get(url("create") + f"?nominal={nominal.pk}")
    assert response.status_code == 404


def test_practitioner_may_not_open_the_screening_queue_or_decide(practitioner, referral):
    client = client_for(practitioner)
    assert client.get(url("screening")).status_code == 403
    for name in DECISIONS:
        assert client.get(url(name, referral)).status_code == 403, name
        assert client.post(url(name, referral), {"reason": "x", "note": "x", "level": "2",
                                                 "category": "2"}).status_code == 403, name
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED


def test_only_the_referrer_changes_or_sends_a_referral(coordinator, practitioner, police):
    info_requested = make_referral(practitioner)
    referral_request_info(referral=info_requested, actor=coordinator, note="Add the PNC.")
    client = client_for(coordinator)
    assert client.get(url("edit", info_requested)).status_code == 403
    assert client.post(url("submit", info_requested)).status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(client, referral):
    for name in ["detail", "edit", "accept"]:
        response = client.get(url(name, referral))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(url("list"))["Location"].startswith("/accounts/login/")


# -- the form: drafting and sending ----------------------------------------------------------------


def test_new_referral_form_starts_from_the_user_and_their_agency(practitioner, police):
    police.address = "Police HQ, Route du Fort, St Helier"
    police.save()
    practitioner.email, practitioner.phone = "bob@police.je", "01534 612612"
    practitioner.save()
    response = client_for(practitioner).get(url("create"))
    initial = response.context["form"].initial
    assert initial["lead_agency"] == police
    assert initial["contact_name"] == "Bob Practitioner"
    assert initial["contact_email"] == "bob@police.je"
    assert initial["contact_telephone"] == "01534 612612"
    assert initial["contact_address"] == "Police HQ, Route du Fort, St Helier"
    page = body(response)
    assert "Save as draft" in page and "Save and send to the Co-ordinator" in page
    assert "Add another agency" in page


def test_a_referral_started_from_a_case_takes_what_its_record_says(practitioner, coordinator,
                                                                    police):
    nominal = make_nominal(actor=coordinator, given_names="Kevin", family_name="Mielbrun",
                           date_of_birth=date(1979, 2, 3), pnc_number="09/123456X",
                           index_offence="Robbery (2019)", custody_status="custody",
                           temporary_release_date=date(2031, 5, 1), lead_agency=police,
                           case_manager=practitioner)
    response = client_for(practitioner).get(url("create") + f"?nominal={nominal.pk}")
    initial = response.context["form"].initial
    assert initial["nominal"] == nominal.pk
    assert (initial["given_names"], initial["family_name"]) == ("Kevin", "Mielbrun")
    assert initial["pnc_number"] == "09/123456X"
    assert initial["conviction"] == "Robbery (2019)"
    assert initial["custody_status"] == "custody"
    assert initial["temporary_release_date"] == date(2031, 5, 1)
    assert initial["category_proposed"] == Category.TWO

    response = client_for(practitioner).post(
        url("create") + f"?nominal={nominal.pk}",
        new_referral_data(police, nominal=str(nominal.pk), given_names="Kevin",
                          family_name="Mielbrun"))
    assert Referral.objects.get(family_name="Mielbrun").nominal == nominal


def test_custody_fields_say_they_are_needed_in_custody_or_hospital(practitioner):
    page = body(client_for(practitioner).get(url("create")))
    assert "In custody or in hospital" in page
    assert "Offender Supervisor or Responsible Medical Officer" in page
    assert "(needed in custody or hospital)" in page


def test_a_draft_is_saved_with_its_agencies_to_be_involved(practitioner, police, housing):
    rows = [{"agency": police.pk, "person": "Sam Contact", "person_email": "sam@example.je"},
            {"agency": housing.pk, "person": "Hugh Housing", "person_telephone": "01534 1"},
            {"agency": "", "person": "", "person_email": ""}]
    client = client_for(practitioner)
    response = client.post(url("create"), new_referral_data(police, rows=rows))
    referral = Referral.objects.get(family_name="Le Vraicquet")
    assert response.status_code == 302 and response["Location"] == url("detail", referral)
    assert referral.status == ReferralStatus.DRAFT
    assert referral.referred_by == practitioner and referral.referring_agency == police
    assert [(r.agency, r.contact_name, r.contact_email, r.contact_telephone)
            for r in referral.agencies.order_by("id")] == [
        (police, "Sam Contact", "sam@example.je", ""), (housing, "Hugh Housing", "", "01534 1")]
    page = client.get(response["Location"])
    assert "is saved. It is not yet sent" in " ".join(shown_messages(page))


def test_a_row_naming_a_person_without_an_agency_is_refused_and_nothing_typed_is_lost(
        practitioner, police):
    rows = [{"agency": "", "person": "Nobody Known", "person_email": "n@example.je"}]
    response = client_for(practitioner).post(url("create"),
                                             new_referral_data(police, rows=rows))
    assert response.status_code == 200
    assert not Referral.objects.exists()
    row = response.context["formset"].forms[0]
    assert row.errors["agency"] == ["Choose the agency, or clear this row."]
    assert errors(response, "agencies") == ["Check the rows marked below."]
    page = body(response)
    assert 'value="Nobody Known"' in page and 'href="#id_agencies"' in page


def test_sending_with_missing_fields_keeps_the_draft_and_shows_what_is_missing(practitioner,
                                                                             police):
    client = client_for(practitioner)
    data = new_referral_data(police, action="send", rows=[], date_of_birth="", reasons="",
                             custody_status="custody", address="HMP La Moye")
    response = client.post(url("create"), data)
    referral = Referral.objects.get(family_name="Le Vraicquet")
    assert referral.status == ReferralStatus.DRAFT
    assert referral.address == "HMP La Moye"  # nothing typed is lost
    assert response["Location"] == url("edit", referral) + "?check=1"

    page = client.get(response["Location"])
    assert "saved as a draft but not yet sent" in " ".join(shown_messages(page))
    assert errors(page, "date_of_birth") == ["Enter the date of birth."]
    assert errors(page, "reasons")[0].startswith("Give the reasons for the referral")
    assert "name the institution's Offender Supervisor" in errors(page,
                                                                  "institution_contact")[0]
    assert errors(page, "temporary_release_date")
    assert errors(page, "agencies")[0].startswith("Name at least one agency")
    text = body(page)
    assert "There is a problem" in text
    assert 'href="#id_reasons"' in text and 'aria-invalid="true"' in text


def test_sending_a_complete_referral_shows_when_the_meeting_is_due(practitioner, police):
    client = client_for(practitioner)
    response = client.post(url("create"), new_referral_data(police, action="send"),
                           follow=True)
    referral = Referral.objects.get(family_name="Le Vraicquet")
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.received_on == today()
    due = referral.meeting_due_by.strftime("%A %-d %B %Y")
    assert f"The meeting is due by {due}" in " ".join(shown_messages(response))
    assert referral.meeting_due_by.strftime("%A %-d %B %Y") in body(response)


def test_an_emergency_referral_is_due_at_once_and_says_so(practitioner, police):
    response = client_for(practitioner).post(
        url("create"), new_referral_data(police, action="send", urgency="emergency"),
        follow=True)
    referral = Referral.objects.get(family_name="Le Vraicquet")
    assert referral.meeting_due_by == today()
    assert "It is marked as an emergency" in " ".join(shown_messages(response))
    assert ">Emergency</strong>" in body(response)


# -- the form: editing ---------------------------------------------------------------------------


def test_referrer_changes_a_draft_and_removes_an_agency(practitioner, police, housing, draft):
    client = client_for(practitioner)
    ReferralAgency.objects.create(referral=draft, agency=housing, contact_name="Hugh")
    data = shown_form_data(client.get(url("edit", draft)))
    data.update({"address": "3 New Street", "agencies-1-DELETE": "on", "action": "draft"})
    response = client.post(url("edit", draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.address == "3 New Street" and draft.version == 2
    assert [row.agency for row in draft.agencies.all()] == [police]


def test_a_sent_referral_can_no_longer_be_changed_by_its_referrer(practitioner, referral):
    client = client_for(practitioner)
    response = client.get(url("edit", referral), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", referral)
    assert "it can no longer be changed" in " ".join(shown_messages(response))
    posted = client.post(url("edit", referral), {"given_names": "Changed",
                                                 "family_name": "Changed", "version": "2"})
    assert posted.status_code == 302
    referral.refresh_from_db()
    assert referral.given_names == "Terry"
    assert "Edit</a>" not in body(client.get(url("detail", referral)))


def test_a_stale_edit_says_what_changed_and_keeps_what_was_typed(practitioner, draft):
    client = client_for(practitioner)
    data = shown_form_data(client.get(url("edit", draft)))
    # Someone (the same referrer, in another window) saves first.
    referral_update(referral=draft, actor=practitioner, version=draft.version,
                    address="Changed elsewhere", prison_number="P123")
    data.update({"address": "Typed here", "action": "draft"})
    response = client.post(url("edit", draft), data)
    assert response.status_code == 200
    text = body(response)
    assert "Someone else saved this referral while you were editing it" in text
    assert "Address: now “Changed elsewhere”" in text
    assert "Prison number: now “P123”" in text
    form = response.context["form"]
    assert form["address"].value() == "Typed here"  # what they typed is kept, and marked
    assert "Someone else changed this to “Changed elsewhere”" in errors(response, "address")[0]
    assert form["prison_number"].value() == "P123"  # what they left alone takes the new value
    draft.refresh_from_db()
    assert draft.address == "Changed elsewhere"
    # Saving again now works.
    data = shown_form_data(response)
    data["action"] = "draft"
    assert client.post(url("edit", draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.address == "Typed here" and draft.prison_number == "P123"


def test_a_referral_sent_back_for_information_is_completed_and_sent_again(
        practitioner, coordinator, referral):
    referral_request_info(referral=referral, actor=coordinator, note="Which prison wing?")
    client = client_for(practitioner)
    page = client.get(url("edit", referral))
    assert "Which prison wing?" in body(page)
    assert "Save without sending" in body(page)
    data = shown_form_data(page)
    data.update({"address": "HMP La Moye, wing B", "action": "send"})
    response = client.post(url("edit", referral), data, follow=True)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.address == "HMP La Moye, wing B"
    assert "is sent to the JMAPPA Co-ordinator" in " ".join(shown_messages(response))


def test_the_send_button_on_the_referral_page_sends_the_draft(practitioner, draft):
    client = client_for(practitioner)
    assert "Send to the Co-ordinator" in body(client.get(url("detail", draft)))
    response = client.post(url("submit", draft), {"version": draft.version}, follow=True)
    draft.refresh_from_db()
    assert draft.status == ReferralStatus.SUBMITTED
    assert "The meeting is due by" in " ".join(shown_messages(response))


def test_sending_an_incomplete_draft_from_its_page_leads_to_what_is_missing(practitioner,
                                                                            police):
    draft = make_referral(practitioner, submit=False, reasons="")
    response = client_for(practitioner).post(url("submit", draft), {"version": draft.version})
    assert response["Location"] == url("edit", draft) + "?check=1"
    draft.refresh_from_db()
    assert draft.status == ReferralStatus.DRAFT


# -- the referral page ---------------------------------------------------------------------------


def test_referral_page_shows_status_dates_overdue_and_emergency(practitioner, coordinator):
    late = make_referral(practitioner, submit=False, urgency="emergency")
    late = referral_submit(referral=late, actor=practitioner, on=today() - timedelta(days=30))
    text = body(client_for(coordinator).get(url("detail", late)))
    assert "Awaiting screening" in text
    assert late.received_on.strftime("%-d %B %Y") in text
    assert late.meeting_due_by.strftime("%A %-d %B %Y") in text
    assert ">Emergency</strong>" in text and ">Overdue</strong>" in text
    assert "working days overdue" in text


def test_reading_a_referral_is_in_the_audit_trail(practitioner, coordinator, referral):
    client_for(coordinator).get(url("detail", referral))
    event = AuditEvent.objects.filter(action=Verb.VIEW, object_type="referrals.referral",
                                      object_id=str(referral.pk)).get()
    assert event.actor == coordinator and event.case_id == referral.nominal_id


def test_rejected_referral_tells_the_referring_agency_why(practitioner, coordinator, referral):
    referral_reject(referral=referral, actor=coordinator,
                    reason="No conviction showing a capacity for serious harm (§3.9).")
    text = body(client_for(practitioner).get(url("detail", referral)))
    assert "Not accepted for JMAPPA level 2 or 3" in text
    assert "No conviction showing a capacity for serious harm (§3.9)." in text


def test_the_referrer_sees_what_information_the_coordinator_asked_for(practitioner,
                                                                       coordinator, referral):
    referral_request_info(referral=referral, actor=coordinator,
                          note="Give the release date and the prison's contact.")
    text = body(client_for(practitioner).get(url("detail", referral)))
    assert "The JMAPPA Co-ordinator has asked for more information" in text
    assert "Give the release date and the prison&#x27;s contact." in text
    assert "Send again to the Co-ordinator" in text


def test_victims_are_withheld_from_someone_on_the_case_without_the_victim_permission(
        practitioner, coordinator, housing, referral):
    referral = referral_accept(referral=referral, actor=coordinator, level=Level.TWO,
                               category=Category.TWO, create_new=True)
    dora = make_user("dora", agency=housing)
    add_to_team(referral.nominal, dora, TeamRole.AGENCY_CONTACT, actor=coordinator)
    withheld = body(client_for(dora).get(url("detail", referral)))
    assert "Former partner, now living in St Brelade." not in withheld
    assert "Withheld: victim details are shown only to" in withheld
    assert "Former partner, now living in St Brelade." in \
        body(client_for(practitioner).get(url("detail", referral)))


def test_the_linked_case_is_a_link_only_for_those_who_see_it(practitioner, coordinator,
                                                              referral):
    referral = referral_accept(referral=referral, actor=coordinator, level=Level.TWO,
                               category=Category.TWO, create_new=True)
    link = f'href="{reverse("cases:detail", args=[referral.nominal_id])}"'
    assert link in body(client_for(coordinator).get(url("detail", referral)))
    spoc = make_user("spoc", agency=referral.referring_agency)
    referral.referring_agency.spoc = spoc
    referral.referring_agency.save()
    text = body(client_for(spoc).get(url("detail", referral)))
    assert link not in text and "Linked to a record on the register" in text


def test_the_referral_page_links_to_its_pdf(practitioner, referral):
    text = body(client_for(practitioner).get(url("detail", referral)))
    assert f'href="{reverse("referrals:pdf", args=[referral.pk])}"' in text


def test_coordinator_screens_from_the_referral_page_with_possible_matches(coordinator,
                                                                          practitioner):
    existing = make_nominal(actor=coordinator, given_names="Terence", family_name="Tester",
                            date_of_birth=date(1985, 6, 15))
    referral = make_referral(practitioner, given_names="Terry", family_name="Tester")
    text = body(client_for(coordinator).get(url("detail", referral)))
    assert "Possible matches on the register" in text
    assert existing.reference in text
    for name in DECISIONS:
        assert f'href="{url(name, referral)}"' in text
    # The referrer sees none of it.
    assert "Possible matches" not in body(client_for(practitioner).get(url("detail", referral)))


def test_a_possible_match_the_screener_may_not_see_is_named_nowhere_on_their_pages(
        coordinator, practitioner):
    other = make_user("olga", roles=[Role.COORDINATOR])
    existing = make_nominal(actor=other, given_names="Terence", family_name="Tester",
                            date_of_birth=date(1985, 6, 15))
    exclusion_add(nominal=existing, user=coordinator, reason="Relative", actor=other)
    referral = make_referral(practitioner, given_names="Terry", family_name="Tester")
    client = client_for(coordinator)
    text = body(client.get(url("detail", referral)))
    assert "a possible match that you cannot see" in text
    assert existing.reference not in text and f"/cases/{existing.pk}/" not in text
    page = client.get(url("accept", referral))
    text = body(page)
    assert existing.reference not in text
    assert f'name="record" value="{existing.pk}"' not in text
    assert [value for value, _ in page.context["form"].fields["record"].choices] == ["new"]


# -- the Co-ordinator's decisions --------------------------------------------------------------


def test_coordinator_accepts_at_level_2_creating_a_new_record(coordinator, practitioner,
                                                              referral):
    client = client_for(coordinator)
    page = client.get(url("accept", referral))
    assert page.context["form"].initial == {"level": "2", "category": "2"}
    assert "record" not in page.context["form"].fields  # nobody on the register matches
    response = client.post(url("accept", referral), {"level": "2", "category": "2",
                                                     "note": "Meeting on the 14th."})
    # Straight on to arranging its meeting.
    assert response["Location"] == reverse("meetings:schedule_referral", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.level_agreed == "2"
    assert referral.nominal.family_name == "Tester" and referral.nominal.level == Level.TWO
    after = client.get(response["Location"])
    assert "accepted for a Level 2 meeting" in " ".join(shown_messages(after))


def test_accepting_asks_which_record_when_the_register_may_hold_the_person(coordinator,
                                                                          practitioner):
    existing = make_nominal(actor=coordinator, given_names="Terence", family_name="Tester",
                            date_of_birth=date(1985, 6, 15))
    referral = make_referral(practitioner, given_names="Terry", family_name="Tester")
    client = client_for(coordinator)
    response = client.post(url("accept", referral), {"level": "3", "category": "2"})
    assert errors(response, "record")[0].startswith("Choose the record to link")
    response = client.post(url("accept", referral), {"level": "3", "category": "2",
                                                     "record": str(existing.pk)})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.nominal == existing
    assert Nominal.objects.filter(family_name="Tester").count() == 1


def test_category_3_needs_the_coordinators_two_tests(coordinator, practitioner, referral):
    client = client_for(coordinator)
    page = body(client.get(url("accept", referral)))
    assert "Offence shows capacity to cause serious harm" in page
    response = client.post(url("accept", referral), {
        "level": "2", "category": "3", "cat3_capacity_for_serious_harm": "True",
        "cat3_needs_multi_agency_management": "False"})
    assert response.status_code == 200
    assert "satisfied of this test" in errors(response,
                                              "cat3_needs_multi_agency_management")[0]
    assert errors(response, "cat3_disposal")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    response = client.post(url("accept", referral), {
        "level": "2", "category": "3", "cat3_capacity_for_serious_harm": "True",
        "cat3_needs_multi_agency_management": "True", "cat3_disposal": "conviction"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.nominal.category == Category.THREE
    assert referral.nominal.cat3_disposal == "conviction"


def test_coordinator_rejects_with_the_reason_the_agency_is_told(coordinator, referral):
    client = client_for(coordinator)
    response = client.post(url("reject", referral), {"reason": "  "})
    assert errors(response, "reason")[0].startswith("Give the reason")
    response = client.post(url("reject", referral), {"reason": "Below the threshold."})
    assert response["Location"] == url("screening")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REJECTED
    assert referral.decision_reason == "Below the threshold."


def test_a_reason_longer_than_ten_thousand_characters_is_refused_beside_the_field(
        coordinator, referral):
    response = client_for(coordinator).post(url("reject", referral), {"reason": "x" * 10_001})
    assert response.status_code == 200
    assert "at most 10000 characters" in errors(response, "reason")[0]
    referral.refresh_from_db()
    assert referral.status != ReferralStatus.REJECTED


def test_coordinator_asks_for_more_information_with_a_note(coordinator, referral):
    client = client_for(coordinator)
    response = client.post(url("request_info", referral), {"note": ""})
    assert errors(response, "note") == ["Say what information is needed."]
    response = client.post(url("request_info", referral), {"note": "The PNC number."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.INFO_REQUESTED
    again = body(client.get(url("request_info", referral)))
    assert "More information has already been asked for" in again


def test_coordinator_confirms_level_1_management(coordinator, referral):
    client = client_for(coordinator)
    response = client.post(url("confirm_level_1", referral), {"category": "2",
                                                              "note": "Lead agency to meet."})
    assert response["Location"] == url("screening")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.LEVEL_1
    assert referral.nominal.level == Level.ONE


def test_a_sex_offender_cannot_be_rejected_or_kept_at_level_1_from_the_pages(
        coordinator, practitioner):
    referral = make_referral(practitioner, sexual_offence=True)
    client = client_for(coordinator)
    for name in ("reject", "confirm_level_1"):
        page = client.get(url(name, referral))
        text = body(page)
        assert SEX_OFFENDER_MESSAGE in text.replace("&#x27;", "'"), name
        assert "<textarea" not in text and 'name="category"' not in text
        client.post(url(name, referral), {"reason": "Not needed.", "category": "2"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    detail = body(client.get(url("detail", referral)))
    assert f'href="{url("reject", referral)}"' not in detail
    assert f'href="{url("accept", referral)}"' in detail


def test_a_screened_referral_cannot_be_decided_again(coordinator, referral):
    referral_reject(referral=referral, actor=coordinator, reason="Below the threshold.")
    client = client_for(coordinator)
    text = body(client.get(url("accept", referral)))
    assert "it has already been screened" in text
    client.post(url("accept", referral), {"level": "2", "category": "2"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REJECTED


# -- lists ---------------------------------------------------------------------------------------


def test_the_list_shows_the_agencys_referrals_and_filters_by_status(practitioner, outsider,
                                                                    coordinator, referral, draft):
    theirs = make_referral(outsider, family_name="Housingcase")
    client = client_for(practitioner)
    text = body(client.get(url("list")))
    assert referral.reference in text and draft.reference in text
    assert theirs.reference not in text
    drafts = body(client.get(url("list") + "?status=draft"))
    assert draft.reference in drafts and referral.reference not in drafts


def count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries.captured_queries)


def test_list_and_queue_queries_do_not_grow_with_the_number_of_referrals(coordinator,
                                                                         practitioner):
    coordinator_client, practitioner_client = client_for(coordinator), client_for(practitioner)
    for _ in range(2):
        make_referral(practitioner)
    few = {
        "list": count_queries(practitioner_client, url("list")),
        "queue": count_queries(coordinator_client, url("screening")),
        "coordinator list": count_queries(coordinator_client, url("list")),
    }
    for n in range(6):
        make_referral(practitioner, urgency="emergency" if n % 2 else "next_meeting")
    many = {
        "list": count_queries(practitioner_client, url("list")),
        "queue": count_queries(coordinator_client, url("screening")),
        "coordinator list": count_queries(coordinator_client, url("list")),
    }
    assert many == few
    assert len(coordinator_client.get(url("screening")).context["rows"]) == 8


def test_the_queue_puts_the_meeting_due_first_at_the_top_with_its_badges(coordinator,
                                                                         practitioner):
    later = make_referral(practitioner, family_name="Later")
    emergency = make_referral(practitioner, family_name="Urgent", urgency="emergency")
    overdue = make_referral(practitioner, submit=False, family_name="Overdue")
    overdue = referral_submit(referral=overdue, actor=practitioner,
                              on=today() - timedelta(days=40))
    response = client_for(coordinator).get(url("screening"))
    order = [referral for referral, _ in response.context["rows"]]
    assert order == [overdue, emergency, later]
    text = body(response)
    assert text.index("OVERDUE") < text.index("URGENT") < text.index("LATER")
    assert ">Emergency</strong>" in text and ">Overdue</strong>" in text
    assert "15 working days left" in text
    assert "Due today" in text


# -- navigation, home page and the case page ------------------------------------------------


def test_navigation_offers_referrals_and_the_coordinator_screening_with_its_count(
        coordinator, practitioner, referral):
    make_referral(practitioner)
    coordinator_page = body(client_for(coordinator).get(reverse("home")))
    assert 'href="/referrals/"' in coordinator_page
    assert 'href="/referrals/screening/"' in coordinator_page
    assert "2<span class=\"govuk-visually-hidden\"> referrals waiting</span>" in coordinator_page
    practitioner_page = body(client_for(practitioner).get(reverse("home")))
    assert 'href="/referrals/"' in practitioner_page
    assert 'href="/referrals/screening/"' not in practitioner_page


def test_coordinator_home_counts_the_referrals_to_screen(coordinator, practitioner, referral):
    overdue = make_referral(practitioner, submit=False, family_name="Overdue")
    referral_submit(referral=overdue, actor=practitioner, on=today() - timedelta(days=40))
    panel = client_for(coordinator).get(reverse("home")).context["panels"]
    assert panel["referrals_to_screen"]["waiting"] == 2
    assert panel["referrals_to_screen"]["overdue"] == 1
    assert panel["referrals_to_screen"]["next"] == overdue
    text = body(client_for(coordinator).get(reverse("home")))
    assert "Referrals to screen" in text and "1 overdue" in text


def test_practitioner_home_lists_their_referrals_the_ones_needing_them_first(
        practitioner, coordinator, police, referral, draft):
    asked = make_referral(practitioner, family_name="Asked")
    referral_request_info(referral=asked, actor=coordinator, note="More please.")
    colleague = make_user("colleague", agency=police)
    colleagues = make_referral(colleague, family_name="Colleagues")
    panel = client_for(practitioner).get(reverse("home")).context["panels"]["your_referrals"]
    assert panel["referrals"][0] == asked
    assert set(panel["referrals"]) == {asked, referral, draft}
    text = body(client_for(practitioner).get(reverse("home")))
    assert "The Co-ordinator needs more information on 1 referral" in text
    # Their agency's SPOC sees the agency's referrals.
    police.spoc = colleague
    police.save()
    spoc_panel = client_for(colleague).get(reverse("home")).context["panels"]["your_referrals"]
    assert spoc_panel["agency_wide"] and colleagues in spoc_panel["referrals"]
    assert asked in spoc_panel["referrals"]


def test_case_page_lists_its_referrals_and_offers_to_refer(coordinator, practitioner, police,
                                                           referral):
    referral = referral_accept(referral=referral, actor=coordinator, level=Level.TWO,
                               category=Category.TWO, create_new=True)
    text = body(client_for(practitioner).get(reverse("meetings:case",
                                                     args=[referral.nominal_id])))
    assert "Referrals to level 2 and 3" in text
    assert f'href="{url("detail", referral)}"' in text
    assert f'href="/referrals/new/?nominal={referral.nominal_id}"' in text


@pytest.mark.parametrize("with_agency", [False, True])
def test_smb_member_is_not_offered_referrals(client, police, with_agency):
    smb = make_user("smb", roles=[Role.SMB_MEMBER], agency=police if with_agency else None)
    sign_in(client, smb)
    assert 'href="/referrals/"' not in body(client.get(reverse("home")))
    assert client.get(url("create")).status_code == 403


def test_a_supervision_ending_before_it_starts_is_refused_in_plain_words(practitioner, police):
    response = client_for(practitioner).post(url("create"), new_referral_data(
        police, supervision_type="licence", supervision_start="2025-06-01",
        supervision_end="2025-01-01"))
    assert response.status_code == 200 and not Referral.objects.exists()
    assert errors(response, "supervision_end") == ["The end date cannot be before the start "
                                                   "date."]
    assert errors(response, "__all__") == []


def test_an_accepted_referral_offers_the_administrator_to_arrange_its_meeting(
        client, practitioner, coordinator, police):
    administrator = make_user("admin.officer", roles=[Role.ADMINISTRATOR], agency=police)
    referral = make_referral(practitioner)
    referral_accept(referral=referral, actor=coordinator, level=Level.TWO,
                             category=Category.TWO)
    sign_in(client, administrator)
    arrange = reverse("meetings:schedule_referral", args=[referral.pk])
    assert f'href="{arrange}"' in body(client.get(url("detail", referral)))
    sign_in(client, practitioner)
    assert f'href="{arrange}"' not in body(client.get(url("detail", referral)))


def test_the_referring_agency_arranges_the_level_1_discussion_once_level_1_is_confirmed(
        client, practitioner, coordinator, outsider):
    # §10.3: "The referring agency will then arrange a multi-agency case management
    # discussion."
    from referrals.services import referral_confirm_level_1

    referral = make_referral(practitioner)
    referral = referral_confirm_level_1(referral=referral, actor=coordinator,
                                        category=Category.TWO, create_new=True)
    arrange = reverse("meetings:schedule", args=[referral.nominal_id]) + "?kind=level_1"
    sign_in(client, practitioner)
    assert arrange in body(client.get(url("detail", referral)))
    page = client.get(arrange)
    assert page.status_code == 200
    assert [k["value"] for k in page.context["kinds"]] == ["level_1"]
    # Nothing but a level 1 discussion.
    level_2 = reverse("meetings:schedule", args=[referral.nominal_id]) + "?kind=level_2"
    assert client.get(level_2).context["kind"] == "level_1"
    # Someone of another agency, outside the case: 404.
    sign_in(client, outsider)
    assert client.get(arrange).status_code == 404
