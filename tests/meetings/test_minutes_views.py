"""The minutes pages (meetings/views/minutes.py): the structured draft in the order of the
meeting, a stale save refused with what changed, finalising by the Chair with every reason
when refused, the read-only final minutes with their versions, corrections, distribution and
consent; 404 outside the case, 403 for a role the user lacks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Level
from jmappa.accounts.models import AgencyKind, Grade, Role
from jmappa.audit.models import AuditEvent, Verb
from meetings.models import (
    Attendance,
    AttendanceMode,
    Distribution,
    Invitation,
    InvitationReason,
    InvitationResponse,
    Minutes,
    MinutesStatus,
    SharingConsent,
)
from meetings.services import minutes as services
from plans.models import ActionType
from tests.factories import make_agency, make_nominal, make_user
from tests.helpers import sign_in
from tests.meetings.test_minutes_services import (
    COMPLETE,
    complete,
    make_action,
    make_full_plan,
    make_meeting,
    today,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def url(name: str, meeting, *args) -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


def body(response) -> str:
    return response.content.decode()


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def shown_form_data(response) -> dict:
    """What a browser posts back for the minutes form and its rows of information, as shown."""
    data = {}
    formset = response.context["formset"]
    for form in [response.context["form"], *formset.forms, formset.management_form]:
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


def complete_data(response, **overrides) -> dict:
    data = shown_form_data(response)
    data.update({
        "confidentiality_read": "on", "rosh_overall": "very_high",
        "rosh_known_adult": "very_high", "who_is_at_risk": COMPLETE["who_is_at_risk"],
        "nature_of_risk": COMPLETE["nature_of_risk"], "imminence": COMPLETE["imminence"],
        "discharge_considered": "on", "discharge_notes": COMPLETE["discharge_notes"],
        "level_decision": "3", "ongoing_at_this_level": "True",
        "ongoing_reasons": COMPLETE["ongoing_reasons"], "disclosure_considered": "on",
        "disclosure_decision": "not_disclose", "disclosure_reasons": "Nobody else at risk.",
        "action": "save",
    })
    data.update(overrides)
    return data


@pytest.fixture
def administrator(police):
    return make_user("ada", roles=[Role.ADMINISTRATOR], agency=police, first_name="Ada",
                     last_name="Administrator")


@pytest.fixture
def nominal(coordinator, practitioner):
    return make_nominal(actor=coordinator, case_manager=practitioner, level=Level.TWO,
                        level_reason="Accepted at level 2")


@pytest.fixture
def meeting(nominal, coordinator):
    """Level 2, held today, Alice (Co-ordinator and Chair) in the chair."""
    return make_meeting(nominal, chair=coordinator)


@pytest.fixture
def draft(meeting, administrator):
    return services.minutes_start(meeting=meeting, actor=administrator)


@pytest.fixture
def final(draft, meeting, coordinator, police):
    make_full_plan(meeting, agency=police, actor=coordinator)
    return services.minutes_finalise(minutes=complete(draft, coordinator), actor=coordinator)


# -- who sees what --------------------------------------------------------------------------------


GETS = [("minutes", ()), ("minutes_version", (1,)), ("minutes_correct", ()),
        ("minutes_consent", ()), ("minutes_pdf", ()), ("minutes_version_pdf", (1,))]
POSTS = ["minutes", "minutes_start", "minutes_distribute", "minutes_correct",
         "minutes_consent"]


@pytest.mark.parametrize("name,args", GETS)
def test_someone_not_on_the_case_gets_404_on_every_minutes_page(final, meeting, outsider,
                                                                name, args):
    assert client_for(outsider).get(url(name, meeting, *args)).status_code == 404


@pytest.mark.parametrize("name", POSTS)
def test_someone_not_on_the_case_cannot_post_to_the_minutes(final, meeting, outsider, name):
    response = client_for(outsider).post(url(name, meeting), {"reason": "x"})
    assert response.status_code == 404
    assert Minutes.objects.count() == 1


def test_a_practitioner_on_the_case_reads_the_final_minutes_but_changes_nothing(
        final, meeting, practitioner):
    client = client_for(practitioner)
    page = client.get(url("minutes", meeting))
    assert page.status_code == 200
    assert COMPLETE["who_is_at_risk"] in body(page)
    assert "Distribute to the SPOCs" not in body(page)
    assert "Correct the minutes" not in body(page)
    assert client.get(url("minutes_correct", meeting)).status_code == 403
    assert client.get(url("minutes_consent", meeting)).status_code == 403
    assert client.post(url("minutes_distribute", meeting)).status_code == 403
    assert client.post(url("minutes", meeting), {"action": "save"}).status_code == 403


def test_a_practitioner_on_the_case_does_not_see_a_draft(draft, meeting, practitioner):
    draft = services.minutes_update(minutes=draft, actor=draft.drafted_by,
                                    version=draft.version, who_is_at_risk="Draft words")
    client = client_for(practitioner)
    page = client.get(url("minutes", meeting))
    assert page.status_code == 200
    assert "being drafted" in body(page)
    assert "Draft words" not in body(page)
    assert client.get(url("minutes_version", meeting, 1)).status_code == 403
    assert client.get(url("minutes_pdf", meeting)).status_code == 404
    assert client.post(url("minutes_start", meeting)).status_code == 403


def test_reading_the_minutes_is_audited(final, meeting, practitioner):
    client_for(practitioner).get(url("minutes", meeting))
    event = AuditEvent.objects.filter(action=Verb.VIEW, actor=practitioner).latest("id")
    assert event.object_type == "meetings.minutes"
    assert event.object_id == str(final.pk)
    assert event.case_id == meeting.nominal_id


# -- starting and drafting ------------------------------------------------------------------------


def test_the_administrator_starts_the_minutes_from_the_page(meeting, administrator):
    client = client_for(administrator)
    page = client.get(url("minutes", meeting))
    assert "Start the minutes" in body(page)
    response = client.post(url("minutes_start", meeting), follow=True)
    assert response.status_code == 200
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.next_review_by == today() + timedelta(weeks=12)
    assert response.context["form"]["next_review_by"].value() == minutes.next_review_by


def test_the_draft_shows_every_section_in_the_order_of_the_meeting(
        draft, meeting, administrator, police, housing):
    Invitation.objects.create(meeting=meeting, agency=housing, name="Hilda Housing",
                              reason=InvitationReason.STANDING,
                              response=InvitationResponse.APOLOGIES)
    Attendance.objects.create(meeting=meeting, agency=police, attendee_name="Insp. Renouf",
                              grade=Grade.FIRST_LINE_MANAGER, mode=AttendanceMode.IN_PERSON,
                              meets_seniority=True, recorded_by=administrator)
    text = body(client_for(administrator).get(url("minutes", meeting)))
    headings = ["Opening", "Attendees and apologies", "Information shared by each agency",
                "Agreed risk assessment", "Level decision", "Discharge from JMAPPA",
                "Third-party disclosure", "Differences of opinion",
                "Withholding from the offender", "Risk Management Plan", "Next review"]
    positions = [text.index(f'govuk-fieldset__heading">{heading}</h2>') for heading in headings]
    assert positions == sorted(positions)
    assert "must not be disclosed outside the agencies invited" in text
    assert "Insp. Renouf" in text and "Hilda Housing" in text and "(apologies)" in text
    assert "The latest the Guidance allows is" in text


def test_saving_the_draft_keeps_the_information_shared_by_each_agency(
        draft, meeting, administrator, police):
    client = client_for(administrator)
    data = complete_data(client.get(url("minutes", meeting)), **{
        "information-0-agency": str(police.pk),
        "information-0-information": "Two call-outs in May.",
    })
    response = client.post(url("minutes", meeting), data, follow=True)
    assert "The draft minutes (version 1) are saved." in shown_messages(response)
    draft.refresh_from_db()
    assert draft.who_is_at_risk == COMPLETE["who_is_at_risk"]
    assert draft.ongoing_at_this_level is True
    assert [(row.agency, row.information) for row in draft.information.all()] == [
        (police, "Two call-outs in May.")]
    assert draft.status == MinutesStatus.DRAFT


def test_a_stale_save_on_the_page_says_what_changed_and_overwrites_nothing(
        draft, meeting, administrator, coordinator):
    ada = client_for(administrator)
    data = shown_form_data(ada.get(url("minutes", meeting)))
    # Alice saves first, in her own window.
    services.minutes_update(minutes=draft, actor=coordinator, version=draft.version,
                            differences_of_opinion="Housing disagreed with the level.",
                            discharge_notes="Too early to discharge.")
    data.update({"differences_of_opinion": "None.", "who_is_at_risk": "Typed by Ada",
                 "action": "save"})
    response = ada.post(url("minutes", meeting), data)
    assert response.status_code == 200
    text = body(response)
    assert "Someone else saved these minutes while you were editing them" in text
    assert "Differences of opinion between agencies: now “Housing disagreed with the level.”" \
        in text
    form = response.context["form"]
    assert form["differences_of_opinion"].value() == "None."  # kept, and marked
    assert "Someone else changed this to “Housing disagreed with the level.”" in \
        form.errors["differences_of_opinion"][0]
    assert form["discharge_notes"].value() == "Too early to discharge."  # takes the new value
    assert form["who_is_at_risk"].value() == "Typed by Ada"
    stored = Minutes.objects.get(pk=draft.pk)
    assert stored.differences_of_opinion == "Housing disagreed with the level."
    assert stored.who_is_at_risk == ""
    # Saving again, having checked, works.
    again = shown_form_data(response)
    again["action"] = "save"
    assert ada.post(url("minutes", meeting), again).status_code == 302
    stored.refresh_from_db()
    assert stored.differences_of_opinion == "None."
    assert stored.discharge_notes == "Too early to discharge."
    assert stored.who_is_at_risk == "Typed by Ada"


# -- finalising ----------------------------------------------------------------------------------


def test_finalising_refused_shows_every_reason_and_keeps_what_was_typed(
        draft, meeting, coordinator, police):
    make_action(meeting, ActionType.CONTINGENCY, agency=police, actor=coordinator)
    client = client_for(coordinator)
    data = complete_data(client.get(url("minutes", meeting)), action="finalise",
                         disclosure_decision="", differences_of_opinion="Typed before")
    response = client.post(url("minutes", meeting), data)
    assert response.status_code == 200
    text = body(response)
    assert "The minutes cannot be finalised yet" in text
    assert services.VICTIM_ACTION_MESSAGE in text
    assert services.DISCLOSURE_MESSAGE in text
    assert services.DISCLOSURE_MESSAGE in response.context["form"].errors["disclosure_decision"]
    draft.refresh_from_db()
    assert draft.status == MinutesStatus.DRAFT
    assert draft.differences_of_opinion == "Typed before"
    # The page carries the saved version: the Chair saves again without a stale refusal.
    again = shown_form_data(response)
    again.update({"disclosure_decision": "not_disclose", "action": "save"})
    assert client.post(url("minutes", meeting), again).status_code == 302


def test_the_chair_finalises_and_the_minutes_are_then_read_only(draft, meeting, coordinator,
                                                                police, nominal):
    make_full_plan(meeting, agency=police, actor=coordinator)
    client = client_for(coordinator)
    data = complete_data(client.get(url("minutes", meeting)), action="finalise")
    response = client.post(url("minutes", meeting), data, follow=True)
    assert any("are final (version 1)" in message for message in shown_messages(response))
    draft.refresh_from_db()
    assert draft.status == MinutesStatus.FINAL and draft.finalised_by == coordinator
    nominal.refresh_from_db()
    assert nominal.level == Level.THREE and nominal.rosh == "very_high"
    text = body(response)
    assert "form" not in response.context
    assert "Install a panic alarm at the former partner&#x27;s home" in text
    assert "Correct the minutes" in text  # Alice chairs
    assert "Distribute to the SPOCs" in text  # and is the Co-ordinator


def test_only_the_chair_sees_and_uses_the_finalise_button(draft, meeting, administrator):
    client = client_for(administrator)
    page = client.get(url("minutes", meeting))
    assert "Save and finalise" not in body(page)
    data = complete_data(page, action="finalise")
    assert client.post(url("minutes", meeting), data).status_code == 403
    assert Minutes.objects.get(pk=draft.pk).status == MinutesStatus.DRAFT


def test_final_minutes_cannot_be_edited_through_the_page(final, meeting, administrator):
    client = client_for(administrator)
    response = client.post(url("minutes", meeting),
                           {"differences_of_opinion": "Changed afterwards", "action": "save"},
                           follow=True)
    assert any("the minutes are final" in message for message in shown_messages(response))
    assert Minutes.objects.get(pk=final.pk).differences_of_opinion == ""


# -- corrections, versions, distribution, consent ------------------------------------------------


def test_a_correction_from_the_page_is_a_new_version_and_the_old_one_stays_readable(
        final, meeting, coordinator, practitioner):
    client = client_for(coordinator)
    response = client.post(url("minutes_correct", meeting),
                           {"reason": "The children's risk was wrong."}, follow=True)
    assert response.status_code == 200
    assert response.context["form"]["who_is_at_risk"].value() == COMPLETE["who_is_at_risk"]
    assert "The children&#x27;s risk was wrong." in body(response)
    assert [m.number for m in Minutes.objects.filter(meeting=meeting)] == [2, 1]
    # Others still read the final version 1 until the correction is final.
    page = client_for(practitioner).get(url("minutes", meeting))
    assert page.context["minutes"].number == 1
    old = client.get(url("minutes_version", meeting, 1))
    assert old.status_code == 200 and old.context["minutes"].pk == final.pk


def test_the_chair_opens_the_correction_and_consent_forms(final, meeting, coordinator):
    client = client_for(coordinator)
    correct = client.get(url("minutes_correct", meeting))
    assert correct.status_code == 200 and "Reason for the correction" in body(correct)
    consent = client.get(url("minutes_consent", meeting))
    assert consent.status_code == 200 and "Shared with" in body(consent)


def test_a_correction_needs_its_reason(final, meeting, coordinator):
    response = client_for(coordinator).post(url("minutes_correct", meeting), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert Minutes.objects.count() == 1


def test_the_administrator_distributes_and_is_told_of_agencies_without_a_spoc(
        final, meeting, administrator, police, housing):
    spoc = make_user("pspoc", roles=[Role.SPOC], agency=police, email="spoc@police.je")
    police.spoc = spoc
    police.save()
    for agency in (police, housing):
        Invitation.objects.create(meeting=meeting, agency=agency, name="Invitee",
                                  reason=InvitationReason.STANDING)
    response = client_for(administrator).post(url("minutes_distribute", meeting), follow=True)
    said = " ".join(shown_messages(response))
    assert "Sent to the SPOC of States of Jersey Police." in said
    assert "Not sent to Housing: no SPOC is recorded" in said
    row = Distribution.objects.get()
    assert row.recipient == spoc and row.sent_by == administrator
    assert "spoc" in body(response).lower() and "States of Jersey Police" in body(response)


def test_a_spoc_sent_the_minutes_reads_them_and_not_the_case(
        final, meeting, administrator, police, housing):
    spoc = make_user("pspoc", roles=[Role.SPOC], agency=police, email="spoc@police.je")
    police.spoc = spoc
    police.save()
    Invitation.objects.create(meeting=meeting, agency=police, name="Invitee",
                              reason=InvitationReason.STANDING)
    reader = client_for(spoc)
    # Before the minutes are sent: nothing of the meeting.
    assert reader.get(url("minutes", meeting)).status_code == 404
    client_for(administrator).post(url("minutes_distribute", meeting))
    response = reader.get(url("minutes", meeting))
    assert response.status_code == 200 and response.context["minutes"] == final
    assert reader.get(url("minutes_pdf", meeting)).status_code == 200
    # The minutes, not the whole case (§4.2).
    assert reader.get(reverse("cases:detail", args=[meeting.nominal_id])).status_code == 404
    assert reader.get(url("detail", meeting)).status_code == 404
    assert reverse("cases:detail", args=[meeting.nominal_id]) not in body(response)
    # Another agency's SPOC, not sent them, sees nothing.
    other = make_user("hspoc", roles=[Role.SPOC], agency=housing)
    housing.spoc = other
    housing.save()
    assert client_for(other).get(url("minutes", meeting)).status_code == 404


def test_the_chair_records_consent_to_share_and_nobody_else_can(final, meeting, coordinator,
                                                                administrator):
    assert client_for(administrator).get(url("minutes_consent", meeting)).status_code == 403
    response = client_for(coordinator).post(url("minutes_consent", meeting), {
        "recipient": "Hampshire MAPPA Unit", "purpose": "The case transfers in June.",
        "third_party": "False"},
        follow=True)
    assert "Hampshire MAPPA Unit" in body(response)
    consent = SharingConsent.objects.get()
    assert consent.consented_by == coordinator


# -- query counts --------------------------------------------------------------------------------


def queries_for(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize("finalised", [False, True])
def test_the_minutes_page_does_not_query_more_with_more_actions(
        nominal, coordinator, administrator, police, finalised):
    probation = make_agency("Probation", AgencyKind.PROBATION)
    counts = []
    for n in (2, 10):
        meeting = make_meeting(nominal, chair=coordinator, on=today() - timedelta(days=n))
        for i in range(n):
            make_action(meeting, ActionType.VICTIM_PROTECTION if i % 2 else
                        ActionType.CONTINGENCY, agency=police if i % 2 else probation,
                        actor=coordinator, owner=administrator)
        minutes = services.minutes_start(meeting=meeting, actor=administrator)
        for agency in (police, probation):
            minutes.information.create(agency=agency, information="Shared")
        if finalised:
            services.minutes_finalise(minutes=complete(minutes, coordinator, level_decision="2"),
                                      actor=coordinator)
        counts.append(queries_for(client_for(coordinator), url("minutes", meeting)))
        # Close this meeting's actions so the next meeting starts from an empty plan.
        meeting.nominal.actions.update(status="cannot_deliver")
    assert counts[0] == counts[1]


def test_a_third_partys_request_is_sent_to_the_register_not_given_the_full_minutes(
        final, meeting, coordinator):
    response = client_for(coordinator).post(url("minutes_consent", meeting), {
        "recipient": "The Royal Court", "purpose": "Sentencing", "third_party": "True"})
    assert response.status_code == 200
    page = body(response)
    assert "register of requests for minutes" in page and "The Royal Court" in page
    assert not SharingConsent.objects.exists()
