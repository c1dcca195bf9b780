"""The referral services (referrals/services.py): the referrer's draft and submission, the
Co-ordinator's four screening outcomes, and the rules each one holds."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from cases.models import Category, Level, Nominal, Status, TeamRole
from cases.services import exclusion_add, nominal_archive
from jmappa import access
from jmappa.accounts.models import AgencyKind, Role
from jmappa.audit.models import AuditEvent, Verb
from jmappa.core.versioning import StaleEdit
from referrals import services
from referrals.models import Referral, ReferralStatus, Urgency
from tests.factories import make_agency, make_nominal, make_referral, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def probation(db):
    return make_agency("Probation and After-Care Service", AgencyKind.PROBATION)


@pytest.fixture
def referrer(probation):
    return make_user("probation.officer", agency=probation, email="po@probation.example.je")


def submitted(referrer, **overrides) -> Referral:
    return make_referral(referrer, **overrides)


# -- drafting and sending ----------------------------------------------------------------------


def test_a_new_referral_is_a_draft_of_the_referrers_agency(referrer, probation):
    referral = make_referral(referrer, submit=False)
    assert referral.status == ReferralStatus.DRAFT
    assert referral.referring_agency == probation
    assert referral.lead_agency == probation
    assert referral.received_on is None and referral.meeting_due_by is None
    assert AuditEvent.objects.filter(action=Verb.CREATE, object_id=str(referral.pk),
                                     object_type="referrals.referral").exists()


def test_only_a_practitioner_of_an_agency_can_refer(db):
    nobody = make_user(agency=None)
    with pytest.raises(ValidationError):
        services.referral_create(actor=nobody, given_names="A", family_name="B")


def test_a_referral_of_a_case_the_referrer_cannot_see_is_refused(referrer, coordinator):
    hidden = make_nominal(actor=coordinator)
    with pytest.raises(ValidationError) as error:
        make_referral(referrer, submit=False, nominal=hidden)
    assert "nominal" in error.value.message_dict


def test_a_draft_can_be_incomplete_but_is_not_sent_until_complete(referrer):
    referral = services.referral_create(actor=referrer, given_names="Ann", family_name="Le Roux")
    with pytest.raises(ValidationError) as error:
        services.referral_submit(referral=referral, actor=referrer)
    missing = error.value.message_dict
    for field in ("date_of_birth", "conviction", "reasons", "why_not_level_1",
                  "level_proposed", "contact_name", "contact_telephone", "agencies"):
        assert field in missing, field
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


def test_every_agency_to_be_involved_names_a_person_with_email_or_telephone(referrer, police):
    rows = [{"agency": police, "contact_name": "Insp. Vibert"}]
    referral = make_referral(referrer, submit=False, agencies=rows)
    with pytest.raises(ValidationError) as error:
        services.referral_submit(referral=referral, actor=referrer)
    assert error.value.message_dict["agencies"] == [
        "Agency 1 (States of Jersey Police): give the email or telephone of Insp. Vibert."]


def test_a_pdp_needs_no_conviction(referrer):
    referral = make_referral(referrer, category_proposed=Category.PDP, conviction="")
    assert referral.status == ReferralStatus.SUBMITTED


@pytest.mark.parametrize("where", ["custody", "hospital"])
def test_a_case_in_custody_or_hospital_names_the_release_date_and_institution_contact(
        referrer, where):
    referral = make_referral(referrer, submit=False, custody_status=where)
    with pytest.raises(ValidationError) as error:
        services.referral_submit(referral=referral, actor=referrer)
    assert {"temporary_release_date", "institution_contact"} <= error.value.message_dict.keys()


def test_sending_stores_the_day_received_and_the_meeting_due_date(referrer):
    referral = make_referral(referrer, submit=False)
    referral = services.referral_submit(referral=referral, actor=referrer,
                                        on=date(2026, 12, 11))
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.received_on == date(2026, 12, 11)
    assert referral.meeting_due_by == date(2027, 1, 6)  # 15 Jersey working days
    assert list(referral.steps.values_list("status", flat=True)) == [ReferralStatus.SUBMITTED]


def test_custody_referral_due_six_months_before_temporary_release(referrer):
    referral = make_referral(referrer, custody_status="custody",
                             temporary_release_date=date(2027, 9, 15),
                             institution_contact="Offender Supervisor, HMP La Moye, 01534 1")
    assert referral.meeting_due_by == date(2027, 3, 15)


def test_emergency_referral_is_due_the_day_it_arrives(referrer):
    referral = make_referral(referrer, submit=False, urgency=Urgency.EMERGENCY)
    referral = services.referral_submit(referral=referral, actor=referrer,
                                        on=date(2026, 11, 23))
    assert referral.meeting_due_by == date(2026, 11, 23)


def test_the_coordinator_is_emailed_of_a_referral_without_the_offenders_name(
        referrer, coordinator, django_capture_on_commit_callbacks):
    coordinator.email = "coordinator@jmappa.example.je"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(referrer, urgency=Urgency.EMERGENCY)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coordinator@jmappa.example.je"]
    assert message.subject == f"EMERGENCY referral {referral.reference} to screen"
    assert referral.family_name not in message.body + message.subject
    assert referral.given_names not in message.body


def test_a_sent_referral_can_no_longer_be_changed_by_the_referrer(referrer):
    referral = submitted(referrer)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.referral_update(referral=referral, actor=referrer, reasons="Changed")


def test_only_the_referrer_changes_a_draft(referrer, probation):
    colleague = make_user(agency=probation)
    referral = make_referral(referrer, submit=False)
    with pytest.raises(ValidationError, match="Only the referrer"):
        services.referral_update(referral=referral, actor=colleague, reasons="Mine now")


def test_a_stale_change_to_a_draft_is_refused_not_overwritten(referrer):
    referral = make_referral(referrer, submit=False)
    opened = Referral.objects.get(pk=referral.pk)
    services.referral_update(referral=referral, actor=referrer, version=referral.version,
                             reasons="First change")
    opened.reasons = "Second change"
    with pytest.raises(StaleEdit) as error:
        services.referral_update(referral=opened, actor=referrer, version=opened.version,
                                 reasons="Second change")
    assert error.value.changed == {"reasons": "First change"}
    assert Referral.objects.get(pk=referral.pk).reasons == "First change"


def test_agencies_to_be_involved_are_replaced_by_an_update(referrer, police, housing):
    referral = make_referral(referrer, submit=False)
    services.referral_update(referral=referral, actor=referrer, agencies=[
        {"agency": police, "contact_name": "Insp. Vibert", "contact_email": "v@police.je"},
        {"agency": housing, "contact_name": "Mo Housing", "contact_telephone": "01534 2"},
    ])
    assert [row.agency for row in referral.agencies.all()] == [police, housing]


# -- screening ---------------------------------------------------------------------------------


def test_only_the_coordinator_screens(referrer, police):
    administrator = make_user(roles=[Role.ADMINISTRATOR], agency=police)
    referral = submitted(referrer)
    with pytest.raises(ValidationError, match="Only the JMAPPA Co-ordinator"):
        services.referral_reject(referral=referral, actor=administrator, reason="No")


def test_accepting_creates_the_record_at_the_agreed_level_and_category(
        referrer, coordinator, police, django_capture_on_commit_callbacks):
    referral = submitted(referrer, agencies=[
        {"agency": police, "contact_name": "Insp. Vibert", "contact_email": "v@police.je"}])
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.referral_accept(referral=referral, actor=coordinator,
                                            level=Level.THREE, category=Category.TWO)
    nominal = referral.nominal
    assert referral.status == ReferralStatus.ACCEPTED
    assert (referral.level_agreed, referral.category_agreed) == (Level.THREE, Category.TWO)
    assert (nominal.level, nominal.category) == (Level.THREE, Category.TWO)
    assert nominal.index_offence == referral.conviction
    assert nominal.lead_agency == referrer.agency and nominal.case_manager == referrer
    assert nominal.addresses.get().address == referral.address
    # The referrer keeps sight of the case, and the agencies named are involved in it.
    assert access.can_view_nominal(referrer, nominal)
    assert nominal.team.filter(user=referrer, role=TeamRole.REFERRER).exists()
    assert set(nominal.agencies.values_list("agency", flat=True)) >= {police.pk}
    assert [m.subject for m in mail.outbox] == [f"Referral {referral.reference}: accepted"]
    assert mail.outbox[0].to == [referrer.email]


def test_a_possible_duplicate_must_be_linked_or_declared_a_different_person(
        referrer, coordinator):
    existing = make_nominal(actor=coordinator, pnc_number="09/112233X")
    referral = submitted(referrer, pnc_number="09/112233X")
    with pytest.raises(ValidationError) as error:
        services.referral_accept(referral=referral, actor=coordinator, level=Level.TWO,
                                 category=Category.TWO)
    assert existing.reference in error.value.message_dict["nominal"][0]
    referral = services.referral_accept(referral=referral, actor=coordinator,
                                        level=Level.TWO, category=Category.TWO,
                                        nominal=existing)
    assert referral.nominal == existing
    existing.refresh_from_db()
    assert existing.level == Level.TWO
    assert existing.level_history.get(date_to__isnull=True).reason.startswith(
        f"Referral {referral.reference} accepted")


def test_a_possible_match_the_screener_may_not_see_is_not_named_and_is_told(
        referrer, coordinator, police, django_capture_on_commit_callbacks):
    other = make_user("olga", roles=[Role.COORDINATOR], agency=police,
                      email="olga@police.example")
    existing = make_nominal(actor=other, pnc_number="09/778899Z")
    exclusion_add(nominal=existing, user=coordinator, reason="Relative", actor=other)
    referral = submitted(referrer, pnc_number="09/778899Z")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.register_check(referral=referral, actor=coordinator) == ([], True)
    assert AuditEvent.objects.filter(case_id=existing.pk, actor=coordinator,
                                     action=Verb.VIEW).count() == 1
    told = [m for m in mail.outbox if m.to == ["olga@police.example"]]
    assert len(told) == 1 and existing.reference in told[0].body
    assert referral.reference in told[0].body
    with pytest.raises(ValidationError) as error:
        services.referral_accept(referral=referral, actor=coordinator, level=Level.TWO,
                                 category=Category.TWO)
    message = error.value.message_dict["nominal"][0]
    assert existing.reference not in message and "you may not see" in message
    referral = services.referral_accept(referral=referral, actor=coordinator,
                                        level=Level.TWO, category=Category.TWO,
                                        create_new=True)
    assert referral.nominal != existing


def test_declared_different_person_gets_a_new_record(referrer, coordinator):
    existing = make_nominal(actor=coordinator, pnc_number="09/445566Y")
    referral = submitted(referrer, pnc_number="09/445566Y")
    referral = services.referral_accept(referral=referral, actor=coordinator,
                                        level=Level.TWO, category=Category.TWO,
                                        create_new=True)
    assert referral.nominal != existing
    assert Nominal.objects.filter(pnc_number="09/445566Y").count() == 2


def test_accepting_an_archived_case_reactivates_it(referrer, coordinator):
    existing = make_nominal(actor=coordinator)
    nominal_archive(nominal=existing, reason="Risk reduced", actor=coordinator)
    referral = submitted(referrer)
    services.referral_accept(referral=referral, actor=coordinator, level=Level.TWO,
                             category=Category.TWO, nominal=existing)
    existing.refresh_from_db()
    assert existing.status == Status.ACTIVE


def test_category_3_is_accepted_only_with_the_coordinators_two_tests(referrer, coordinator):
    referral = submitted(referrer, category_proposed=Category.THREE)
    with pytest.raises(ValidationError) as error:
        services.referral_accept(referral=referral, actor=coordinator, level=Level.TWO,
                                 category=Category.THREE)
    assert "category" in error.value.message_dict
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SUBMITTED
    referral = services.referral_accept(
        referral=referral, actor=coordinator, level=Level.TWO, category=Category.THREE,
        cat3_capacity_for_serious_harm=True, cat3_needs_multi_agency_management=True,
        cat3_disposal="conviction")
    assert referral.nominal.category == Category.THREE


def test_accepting_needs_level_2_or_3_and_a_confirmed_category(referrer, coordinator):
    referral = submitted(referrer)
    with pytest.raises(ValidationError) as error:
        services.referral_accept(referral=referral, actor=coordinator, level=Level.ONE,
                                 category=Category.UNKNOWN)
    assert "level" in error.value.message_dict


def test_rejected_referral_tells_the_referring_agency_why(
        referrer, probation, coordinator, django_capture_on_commit_callbacks):
    spoc = make_user(agency=probation, roles=[Role.PRACTITIONER, Role.SPOC],
                     email="spoc@probation.example.je")
    probation.spoc = spoc
    probation.save()
    referral = submitted(referrer)
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.referral_reject(
            referral=referral, actor=coordinator,
            reason="Low risk of serious harm; single-agency management is adequate.")
    assert referral.status == ReferralStatus.REJECTED
    assert referral.nominal is None
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([referrer.email, spoc.email])
    assert "single-agency management is adequate" in message.body
    assert referral.family_name not in message.body
    assert referral.steps.last().note.startswith("Low risk")


def test_a_rejection_needs_its_reason(referrer, coordinator):
    referral = submitted(referrer)
    with pytest.raises(ValidationError) as error:
        services.referral_reject(referral=referral, actor=coordinator, reason="  ")
    assert "reason" in error.value.message_dict


@pytest.mark.parametrize("overrides", [
    {"category_proposed": Category.ONE}, {"sexual_offence": True},
])
def test_a_sex_offender_is_never_closed_without_a_multi_agency_meeting(
        referrer, coordinator, overrides):
    referral = submitted(referrer, **overrides)
    with pytest.raises(ValidationError, match="multi-agency meeting"):
        services.referral_reject(referral=referral, actor=coordinator, reason="Not needed")
    with pytest.raises(ValidationError, match="multi-agency meeting"):
        services.referral_confirm_level_1(referral=referral, actor=coordinator,
                                          category=Category.TWO, create_new=True)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SUBMITTED


def test_a_registered_sex_offender_on_the_register_is_never_confirmed_at_level_1(
        referrer, coordinator):
    rso = make_nominal(actor=coordinator, category=Category.ONE, case_manager=referrer)
    referral = submitted(referrer, nominal=rso, category_proposed=Category.UNKNOWN)
    with pytest.raises(ValidationError, match="multi-agency meeting"):
        services.referral_confirm_level_1(referral=referral, actor=coordinator,
                                          category=Category.TWO)


def test_level_1_confirmed_puts_the_case_on_the_register_at_level_1(referrer, coordinator):
    referral = submitted(referrer)
    referral = services.referral_confirm_level_1(referral=referral, actor=coordinator,
                                                 category=Category.TWO,
                                                 note="Probation arranges the discussion.")
    assert referral.status == ReferralStatus.LEVEL_1
    assert referral.nominal.level == Level.ONE
    assert access.can_view_nominal(referrer, referral.nominal)


def test_more_information_goes_back_to_the_referrer_and_keeps_the_day_received(
        referrer, coordinator):
    referral = make_referral(referrer, submit=False)
    referral = services.referral_submit(referral=referral, actor=referrer,
                                        on=date(2026, 11, 2))
    referral = services.referral_request_info(referral=referral, actor=coordinator,
                                              note="Which school do the children attend?")
    assert referral.status == ReferralStatus.INFO_REQUESTED
    assert access.can_edit_referral(referrer, referral)
    referral = services.referral_update(referral=referral, actor=referrer,
                                        reasons=referral.reasons + " Children at St Luke's.")
    referral = services.referral_submit(referral=referral, actor=referrer)
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.received_on == date(2026, 11, 2)
    assert referral.meeting_due_by == date(2026, 11, 23)
    assert [s.status for s in referral.steps.all()] == [
        ReferralStatus.SUBMITTED, ReferralStatus.INFO_REQUESTED, ReferralStatus.SUBMITTED]


def test_a_referral_sent_back_must_stay_complete(referrer, coordinator):
    referral = submitted(referrer)
    services.referral_request_info(referral=referral, actor=coordinator, note="More please")
    with pytest.raises(ValidationError) as error:
        services.referral_update(referral=referral, actor=referrer, reasons="")
    assert "reasons" in error.value.message_dict


def test_a_screened_referral_cannot_be_screened_again(referrer, coordinator):
    referral = submitted(referrer)
    services.referral_confirm_level_1(referral=referral, actor=coordinator,
                                      category=Category.TWO)
    with pytest.raises(ValidationError, match="already been screened"):
        services.referral_reject(referral=referral, actor=coordinator, reason="Changed mind")


def test_each_decision_is_in_the_audit_trail(referrer, coordinator):
    referral = submitted(referrer)
    services.referral_reject(referral=referral, actor=coordinator, reason="Below threshold")
    changes = AuditEvent.objects.filter(object_type="referrals.referral",
                                        object_id=str(referral.pk), action=Verb.CHANGE)
    statuses = [event.changes["status"]["to"] for event in changes.order_by("id")]
    assert statuses == [ReferralStatus.SUBMITTED, ReferralStatus.REJECTED]
