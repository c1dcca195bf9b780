"""The rules of disclosure (§5): a decision at every meeting, deferrals named to a date, a
disclosure's criteria, the offender-told rule, the senior endorsement, the telling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosure import selectors
from disclosure.models import Deferral, Disclosure, DisclosureStatus
from disclosure.services import decisions, disclosures
from jmappa import access
from jmappa.audit.models import AuditEvent, Verb
from meetings.models import MeetingKind, MinutesStatus
from meetings.services import minutes as minutes_services
from plans.models import ActionType, PlanAction

from .conftest import agreed_fields, complete, make_full_plan, make_meeting

pytestmark = pytest.mark.django_db


# -- the decision at every meeting (§5.2) ----------------------------------------------------


def test_a_level_1_discussion_cannot_be_finalised_without_a_disclosure_decision(
        nominal, coordinator, administrator):
    meeting = make_meeting(nominal, chair=coordinator, kind=MeetingKind.LEVEL_1)
    minutes = minutes_services.minutes_start(meeting=meeting, actor=administrator)
    complete(minutes, administrator, level_decision="1", disclosure_considered=False,
             disclosure_decision="", disclosure_reasons="")
    with pytest.raises(ValidationError) as refused:
        minutes_services.minutes_finalise(minutes=minutes, actor=coordinator)
    assert minutes_services.DISCLOSURE_MESSAGE in refused.value.message_dict[
        "disclosure_decision"]


def test_a_deferred_decision_needs_its_date_and_what_is_awaited_to_finalise(
        draft, meeting, coordinator, administrator, police):
    make_full_plan(meeting, agency=police, actor=coordinator)
    complete(draft, administrator, disclosure_decision="defer",
             disclosure_reasons="The employer is not yet identified.")
    with pytest.raises(ValidationError) as refused:
        minutes_services.minutes_finalise(minutes=draft, actor=coordinator)
    assert refused.value.message_dict == {"disclosure_decision": [decisions.DEFERRAL_MESSAGE]}

    decisions.deferral_record(minutes=draft, actor=administrator,
                              decide_by=meeting.date + timedelta(days=14),
                              awaited="The police to confirm the employer's name.")
    final = minutes_services.minutes_finalise(minutes=draft, actor=coordinator)
    assert final.status == MinutesStatus.FINAL
    assert Deferral.objects.get(minutes=final).awaited.startswith("The police")


def test_a_deferral_is_to_a_date_after_the_meeting_with_what_is_awaited(
        draft, meeting, administrator):
    with pytest.raises(ValidationError) as refused:
        decisions.deferral_record(minutes=draft, actor=administrator, decide_by=meeting.date,
                                  awaited=" ")
    assert refused.value.message_dict == {"decide_by": [decisions.DEFER_DATE_MESSAGE],
                                          "awaited": [decisions.AWAITED_MESSAGE]}


def test_only_those_who_draft_the_minutes_record_a_deferral(draft, meeting, outsider):
    with pytest.raises(PermissionDenied):
        decisions.deferral_record(minutes=draft, actor=outsider,
                                  decide_by=meeting.date + timedelta(days=3), awaited="x")


# -- a disclosure to a third party (§5.1-§5.3) ---------------------------------------------------


def test_an_agreed_disclosure_is_linked_to_a_plan_action_of_type_disclosure(agreed, nominal):
    assert agreed.status == DisclosureStatus.AGREED
    assert agreed.action.action_type == ActionType.DISCLOSURE
    assert agreed.action.nominal_id == nominal.pk
    # The plan does not name the third party.
    assert "Pallot" not in agreed.action.description


def test_a_given_plan_action_must_be_of_type_disclosure(nominal, meeting, coordinator,
                                                        senior_officer, police):
    other = PlanAction.objects.create(nominal=nominal, meeting=meeting,
                                      action_type=ActionType.MONITORING, description="Watch",
                                      owner_agency=police, created_by=coordinator,
                                      due_date=meeting.date + timedelta(days=9))
    with pytest.raises(ValidationError) as refused:
        disclosures.disclosure_agree(nominal=nominal, meeting=meeting, actor=coordinator,
                                     endorser=senior_officer, action=other, **agreed_fields())
    assert refused.value.message_dict == {"action": [disclosures.ACTION_MESSAGE]}


def test_the_alternatives_considered_must_be_recorded(nominal, coordinator, senior_officer):
    with pytest.raises(ValidationError) as refused:
        disclosures.disclosure_agree(nominal=nominal, actor=coordinator,
                                     endorser=senior_officer,
                                     **agreed_fields(alternatives="  "))
    assert disclosures.ALTERNATIVES_MESSAGE in refused.value.message_dict["alternatives"]


def test_an_offender_not_told_needs_the_recipient_told_he_does_not_know(
        nominal, coordinator, senior_officer):
    with pytest.raises(ValidationError) as refused:
        disclosures.disclosure_agree(nominal=nominal, actor=coordinator,
                                     endorser=senior_officer,
                                     **agreed_fields(offender_told=False))
    assert refused.value.message_dict == {
        "recipient_told_offender_unaware": [disclosures.NOT_TOLD_MESSAGE]}
    made = disclosures.disclosure_agree(
        nominal=nominal, actor=coordinator, endorser=senior_officer,
        **agreed_fields(offender_told=False, recipient_told_offender_unaware=True))
    assert made.recipient_told_offender_unaware


def test_the_offender_told_rule_is_held_by_the_database_too(agreed):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Disclosure.objects.filter(pk=agreed.pk).update(offender_told=False)


def test_the_endorser_must_be_of_chief_officer_grade(nominal, coordinator, superintendent):
    with pytest.raises(ValidationError) as refused:
        disclosures.disclosure_agree(nominal=nominal, actor=coordinator,
                                     endorser=superintendent, **agreed_fields())
    assert refused.value.message_dict == {"endorser": [disclosures.ENDORSER_MESSAGE]}


def test_a_chief_officer_of_another_agency_than_police_or_probation_cannot_endorse(
        housing, nominal, coordinator):
    from jmappa.accounts.models import Grade
    from tests.factories import make_user

    director = make_user("dora", agency=housing, grade=Grade.EXECUTIVE)
    assert not access.is_chief_officer(director)


def test_nothing_is_disclosed_before_endorsement(agreed, practitioner):
    with pytest.raises(ValidationError) as refused:
        disclosures.disclosure_carry_out(
            disclosure=agreed, actor=practitioner, version=agreed.version,
            disclosed_by="police", disclosed_on=timezone.localdate(), method="in_person",
            what_was_said="His convictions.", acknowledgement="Tells no one.")
    assert refused.value.message_dict == {"status": [disclosures.NOT_ENDORSED_MESSAGE]}
    assert Disclosure.objects.get(pk=agreed.pk).status == DisclosureStatus.AGREED


def test_the_database_refuses_disclosed_without_endorsement(agreed):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Disclosure.objects.filter(pk=agreed.pk).update(status=DisclosureStatus.DISCLOSED)


def test_only_the_named_senior_officer_endorses(agreed, coordinator, superintendent):
    for someone in (coordinator, superintendent):
        with pytest.raises(PermissionDenied):
            disclosures.disclosure_endorse(disclosure=agreed, actor=someone, endorse=True)


def test_a_refusal_needs_its_reasons(agreed, senior_officer):
    with pytest.raises(ValidationError) as refused:
        disclosures.disclosure_endorse(disclosure=agreed, actor=senior_officer, endorse=False)
    assert refused.value.message_dict == {
        "endorsement_reasons": [disclosures.REFUSAL_REASONS_MESSAGE]}
    done = disclosures.disclosure_endorse(disclosure=agreed, actor=senior_officer,
                                          endorse=False, reasons="Disproportionate.")
    assert done.status == DisclosureStatus.REFUSED and done.endorsed_at is None


def test_endorsed_then_carried_out_by_the_police_officer(agreed, senior_officer,
                                                         practitioner):
    endorsed = disclosures.disclosure_endorse(disclosure=agreed, actor=senior_officer,
                                              endorse=True, reasons="Proportionate.")
    assert endorsed.status == DisclosureStatus.ENDORSED and endorsed.endorsed_at
    done = disclosures.disclosure_carry_out(
        disclosure=endorsed, actor=practitioner, version=endorsed.version,
        disclosed_by="police", disclosed_on=timezone.localdate(), method="in_person",
        what_was_said="His licence conditions and what to look out for.",
        acknowledgement="May tell the deputy manager only.")
    assert done.status == DisclosureStatus.DISCLOSED
    assert done.officer == practitioner
    assert AuditEvent.objects.filter(action=Verb.DISCLOSE, object_id=str(done.pk)).exists()


def test_the_carrying_out_names_who_when_how_what_and_the_acknowledgement(agreed,
                                                                         senior_officer,
                                                                         practitioner):
    endorsed = disclosures.disclosure_endorse(disclosure=agreed, actor=senior_officer,
                                              endorse=True)
    with pytest.raises(ValidationError) as refused:
        disclosures.disclosure_carry_out(
            disclosure=endorsed, actor=practitioner, version=endorsed.version,
            disclosed_by="", disclosed_on=None, method="", what_was_said="",
            acknowledgement="")
    assert set(refused.value.message_dict) == {"disclosed_by", "disclosed_on", "method",
                                                "what_was_said", "acknowledgement"}


# -- who reads a disclosure ------------------------------------------------------------------


def test_a_disclosure_is_read_only_with_the_case_disclosure_permission(
        agreed, nominal, coordinator, practitioner, senior_officer, outsider, police):
    from tests.factories import add_to_team, make_user

    colleague = make_user("dave", agency=police)
    add_to_team(nominal, colleague)
    assert access.can_view_nominal(colleague, nominal)
    assert not access.can_view_disclosures(colleague, nominal)
    assert list(selectors.disclosures_visible(colleague)) == []
    for reader in (coordinator, practitioner, senior_officer):
        assert list(selectors.disclosures_visible(reader)) == [agreed]
    assert list(selectors.disclosures_visible(outsider)) == []


def test_the_third_party_never_reaches_the_audit_trail_in_clear(agreed):
    event = AuditEvent.objects.get(action=Verb.CREATE, object_id=str(agreed.pk),
                                   object_type="disclosure.disclosure")
    assert "Pallot" not in str(event.changes)


def make_action_for(meeting, agency, actor, action_type, description, **fields) -> PlanAction:
    fields.setdefault("due_date", meeting.date + timedelta(days=28))
    return PlanAction.objects.create(nominal=meeting.nominal, meeting=meeting,
                                     action_type=action_type, description=description,
                                     owner_agency=agency, created_by=actor, **fields)
