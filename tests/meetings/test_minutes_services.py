"""The minutes' lifecycle (meetings/services/minutes.py): drafted once the meeting is held,
finalised by its Chair only when the Guidance's requirements are met, then locked;
corrected in a new version; distributed to the invited agencies' SPOCs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.decisions import WITHHOLDING, where_decided
from cases.models import Deviation, Level, LevelChange, RiskLevel
from jmappa import access
from jmappa.accounts.models import AgencyKind, Role
from jmappa.core.versioning import StaleEdit
from meetings.models import (
    Distribution,
    Invitation,
    InvitationReason,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    SharingConsent,
)
from meetings.services import distribution
from meetings.services import minutes as services
from plans.models import ActionStatus, ActionType, PlanAction
from tests.factories import make_agency, make_nominal, make_user

pytestmark = pytest.mark.django_db


# -- building meetings, plans and minutes (the ORM directly) ----------------------------------


def today() -> date:
    return timezone.localdate()


def make_meeting(nominal, *, chair, kind=MeetingKind.LEVEL_2, on: date | None = None,
                 status=MeetingStatus.HELD) -> Meeting:
    on = on or today()
    starts_at = timezone.make_aware(datetime.combine(on, time(10, 0)))
    return Meeting.objects.create(nominal=nominal, kind=kind, starts_at=starts_at, chair=chair,
                                  status=status, created_by=chair)


def make_action(meeting, action_type=ActionType.EXTERNAL_CONTROL, *, agency, actor,
                description=None, **fields) -> PlanAction:
    fields.setdefault("due_date", meeting.date + timedelta(days=28))
    return PlanAction.objects.create(
        nominal=meeting.nominal, meeting=meeting, action_type=action_type,
        description=description or f"{action_type} action agreed at the meeting",
        owner_agency=agency, created_by=actor, **fields)


def make_full_plan(meeting, *, agency, actor) -> list[PlanAction]:
    return [
        make_action(meeting, ActionType.VICTIM_PROTECTION, agency=agency, actor=actor,
                    description="Install a panic alarm at the former partner's home"),
        make_action(meeting, ActionType.CONTINGENCY, agency=agency, actor=actor,
                    description="Recall to custody on any contact with the former partner"),
    ]


COMPLETE = {
    "confidentiality_read": True,
    "rosh_overall": RiskLevel.VERY_HIGH,
    "rosh_known_adult": RiskLevel.VERY_HIGH,
    "rosh_children": RiskLevel.MEDIUM,
    "who_is_at_risk": "His former partner.",
    "nature_of_risk": "Serious violence.",
    "imminence": "Imminent on any contact.",
    "level_decision": Level.THREE,
    "ongoing_at_this_level": True,
    "ongoing_reasons": "Police and Probation must act together on the threats.",
    "discharge_considered": True,
    "discharge_notes": "Too early: the threats continue.",
    "disclosure_considered": True,
    "disclosure_decision": "not_disclose",
    "disclosure_reasons": "The former partner already knows; nobody else is at risk.",
}


def complete(minutes: Minutes, actor, **overrides) -> Minutes:
    """Fill in everything finalising needs."""
    return services.minutes_update(minutes=minutes, actor=actor, version=minutes.version,
                                   **{**COMPLETE, **overrides})


def refusal(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


@pytest.fixture
def probation(db):
    return make_agency("Probation", AgencyKind.PROBATION)


@pytest.fixture
def administrator(police):
    return make_user("ada", roles=[Role.ADMINISTRATOR], agency=police, first_name="Ada",
                     last_name="Administrator")


@pytest.fixture
def nominal(coordinator, practitioner):
    """Bob's case (he is its case manager); Charlie is not on it."""
    return make_nominal(actor=coordinator, case_manager=practitioner, level=Level.TWO,
                        level_reason="Accepted at level 2", given_names="Terence",
                        family_name="Le Marquand")


@pytest.fixture
def meeting(nominal, coordinator):
    """A level 2 meeting held today, Alice in the chair."""
    return make_meeting(nominal, chair=coordinator)


@pytest.fixture
def draft(meeting, administrator):
    return services.minutes_start(meeting=meeting, actor=administrator)


# -- starting the minutes ----------------------------------------------------------------------


@pytest.mark.parametrize("kind,weeks", [
    (MeetingKind.LEVEL_3, 6), (MeetingKind.EMERGENCY_3, 6),
    (MeetingKind.LEVEL_2, 12), (MeetingKind.LEVEL_1, 12),
])
def test_next_review_defaults_to_the_latest_the_guidance_allows(
        nominal, coordinator, administrator, kind, weeks):
    held_on = date(2026, 3, 2)
    meeting = make_meeting(nominal, chair=coordinator, kind=kind, on=held_on)
    minutes = services.minutes_start(meeting=meeting, actor=administrator)
    assert minutes.next_review_by == held_on + timedelta(weeks=weeks)
    assert minutes.number == 1 and minutes.status == MinutesStatus.DRAFT
    assert "must not be disclosed" in minutes.confidentiality_statement


def test_minutes_cannot_be_started_before_the_day_of_the_meeting(
        nominal, coordinator, administrator):
    meeting = make_meeting(nominal, chair=coordinator, on=today() + timedelta(days=3),
                           status=MeetingStatus.SCHEDULED)
    with pytest.raises(ValidationError, match="can be started on the day"):
        services.minutes_start(meeting=meeting, actor=administrator)
    assert not Minutes.objects.exists()


def test_minutes_may_be_recorded_after_the_fact_for_a_meeting_not_marked_held(
        nominal, coordinator, administrator):
    meeting = make_meeting(nominal, chair=coordinator, on=today() - timedelta(days=2),
                           status=MeetingStatus.SCHEDULED)
    assert services.minutes_start(meeting=meeting, actor=administrator).number == 1


def test_a_cancelled_meeting_has_no_minutes(nominal, coordinator, administrator):
    meeting = make_meeting(nominal, chair=coordinator, status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        services.minutes_start(meeting=meeting, actor=administrator)


def test_a_practitioner_on_the_case_cannot_draft_the_minutes(meeting, practitioner):
    with pytest.raises(PermissionDenied):
        services.minutes_start(meeting=meeting, actor=practitioner)


def test_a_first_draft_starts_from_the_cases_decision_to_withhold(
        nominal, meeting, administrator, coordinator):
    from cases.services import nominal_decide_withholding

    nominal_decide_withholding(
        nominal=nominal, actor=coordinator, withhold=True, decided_at="an earlier meeting",
        reason="Telling him would raise the risk to his former partner.")
    minutes = services.minutes_start(meeting=meeting, actor=administrator)
    assert minutes.withhold_from_offender
    assert minutes.withhold_reason.startswith("Telling him")


# -- drafting ------------------------------------------------------------------------------------


def test_information_shared_by_each_agency_is_kept_per_agency(draft, administrator, police,
                                                              probation):
    services.minutes_update(minutes=draft, actor=administrator, version=draft.version,
                            information=[
                                {"agency": police, "information": "Two call-outs in May."},
                                {"agency": probation, "information": "Missed one appointment."},
                                {"agency": probation, "information": "  "},
                            ])
    rows = {row.agency.name: row.information for row in draft.information.all()}
    assert rows == {"States of Jersey Police": "Two call-outs in May.",
                    "Probation": "Missed one appointment."}


def test_a_stale_save_is_refused_and_nothing_is_overwritten(meeting, administrator,
                                                            coordinator):
    opened_by_ada = services.minutes_start(meeting=meeting, actor=administrator)
    opened_by_alice = Minutes.objects.get(pk=opened_by_ada.pk)
    services.minutes_update(minutes=opened_by_alice, actor=coordinator,
                            version=opened_by_alice.version,
                            differences_of_opinion="Housing disagreed with the level.")
    with pytest.raises(StaleEdit) as stale:
        services.minutes_update(minutes=opened_by_ada, actor=administrator,
                                version=opened_by_ada.version,
                                differences_of_opinion="None recorded.")
    assert stale.value.changed == {"differences_of_opinion": "Housing disagreed with the level."}
    stored = Minutes.objects.get(pk=opened_by_ada.pk)
    assert stored.differences_of_opinion == "Housing disagreed with the level."
    assert stored.version == opened_by_ada.version + 1


# -- finalising: what the Guidance requires --------------------------------------------------------


def test_finalising_is_refused_without_a_victim_protection_action(
        draft, meeting, coordinator, police):
    make_action(meeting, ActionType.CONTINGENCY, agency=police, actor=coordinator)
    complete(draft, coordinator)
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=draft, actor=coordinator)
    assert refused.value.message_dict == {"plan": [services.VICTIM_ACTION_MESSAGE]}
    assert "no action to protect victims" in services.VICTIM_ACTION_MESSAGE
    assert Minutes.objects.get(pk=draft.pk).status == MinutesStatus.DRAFT


def test_finalising_is_refused_without_a_contingency_action(draft, meeting, coordinator,
                                                            police):
    make_action(meeting, ActionType.VICTIM_PROTECTION, agency=police, actor=coordinator)
    complete(draft, coordinator)
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=draft, actor=coordinator)
    assert refused.value.message_dict == {"plan": [services.CONTINGENCY_MESSAGE]}
    assert "no contingency action" in services.CONTINGENCY_MESSAGE
    assert Minutes.objects.get(pk=draft.pk).status == MinutesStatus.DRAFT


def test_finalising_is_refused_without_the_disclosure_decision(draft, meeting, coordinator,
                                                               police):
    make_full_plan(meeting, agency=police, actor=coordinator)
    complete(draft, coordinator, disclosure_considered=False, disclosure_decision="")
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=draft, actor=coordinator)
    assert refused.value.message_dict == {"disclosure_decision": [services.DISCLOSURE_MESSAGE]}
    assert "Record the third-party disclosure decision" in services.DISCLOSURE_MESSAGE
    assert Minutes.objects.get(pk=draft.pk).status == MinutesStatus.DRAFT


def test_the_disclosure_decision_needs_its_reasons(draft, meeting, coordinator, police):
    make_full_plan(meeting, agency=police, actor=coordinator)
    complete(draft, coordinator, disclosure_reasons="")
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=draft, actor=coordinator)
    assert refused.value.message_dict == {
        "disclosure_reasons": [services.DISCLOSURE_REASONS_MESSAGE]}


def test_discharge_from_jmappa_is_answered_to_finalise_at_every_level(
        nominal, coordinator, administrator):
    # §13.3: "The possibility of discharge from JMAPPA will be considered at every meeting."
    meeting = make_meeting(nominal, chair=coordinator, kind=MeetingKind.LEVEL_1)
    minutes = services.minutes_start(meeting=meeting, actor=administrator)
    minutes = complete(minutes, administrator, level_decision=Level.ONE,
                       discharge_considered=False, discharge_notes="")
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=minutes, actor=coordinator)
    assert refused.value.message_dict == {"discharge_considered": [services.DISCHARGE_MESSAGE]}
    minutes = services.minutes_update(minutes=minutes, actor=administrator,
                                      version=minutes.version, discharge_considered=True)
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=minutes, actor=coordinator)
    assert set(refused.value.message_dict) == {"discharge_notes"}


def test_a_first_draft_starts_from_the_cases_risk_narrative_each_in_its_own_field(
        nominal, coordinator, administrator):
    from cases.services import rosh_record

    rosh_record(nominal=nominal, actor=coordinator, assessed_on=today(),
                overall=RiskLevel.HIGH, who_is_at_risk="Her sister.",
                nature_of_risk="Violence.", imminence="Not imminent.")
    meeting = make_meeting(nominal, chair=coordinator)
    minutes = services.minutes_start(meeting=meeting, actor=administrator)
    assert (minutes.who_is_at_risk, minutes.nature_of_risk, minutes.imminence) == (
        "Her sister.", "Violence.", "Not imminent.")


def test_an_empty_draft_is_refused_with_every_reason_at_once(draft, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=draft, actor=coordinator)
    problems = refused.value.message_dict
    assert set(problems) >= {"confidentiality_read", "who_is_at_risk", "level_decision",
                             "ongoing_at_this_level", "disclosure_decision", "plan"}
    assert services.VICTIM_ACTION_MESSAGE in problems["plan"]
    assert services.CONTINGENCY_MESSAGE in problems["plan"]


def test_a_level_1_discussion_needs_no_victim_or_contingency_action_to_finalise(
        nominal, coordinator, administrator):
    meeting = make_meeting(nominal, chair=coordinator, kind=MeetingKind.LEVEL_1)
    minutes = services.minutes_start(meeting=meeting, actor=administrator)
    complete(minutes, administrator, level_decision=Level.ONE)
    assert services.minutes_finalise(minutes=minutes, actor=coordinator).status == \
        MinutesStatus.FINAL


def test_a_level_1_discussion_must_record_its_disclosure_decision_too(
        nominal, coordinator, administrator):
    meeting = make_meeting(nominal, chair=coordinator, kind=MeetingKind.LEVEL_1)
    minutes = services.minutes_start(meeting=meeting, actor=administrator)
    complete(minutes, administrator, level_decision=Level.ONE, disclosure_considered=False,
             disclosure_decision="", disclosure_reasons="")
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=minutes, actor=coordinator)
    assert refused.value.message_dict == {
        "disclosure_decision": [services.DISCLOSURE_MESSAGE],
        "disclosure_reasons": [services.DISCLOSURE_REASONS_MESSAGE]}


def test_the_plan_counts_open_actions_from_earlier_meetings_but_not_finished_ones(
        nominal, draft, meeting, coordinator, police):
    earlier = make_meeting(nominal, chair=coordinator, on=today() - timedelta(weeks=10))
    make_action(earlier, ActionType.VICTIM_PROTECTION, agency=police, actor=coordinator,
                status=ActionStatus.IN_PROGRESS)
    make_action(earlier, ActionType.CONTINGENCY, agency=police, actor=coordinator,
                status=ActionStatus.DONE, completed_on=today())
    complete(draft, coordinator)
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=draft, actor=coordinator)
    assert refused.value.message_dict == {"plan": [services.CONTINGENCY_MESSAGE]}


def test_a_review_later_than_the_guidance_allows_needs_a_recorded_deviation(
        nominal, draft, meeting, coordinator, police):
    make_full_plan(meeting, agency=police, actor=coordinator)
    latest = today() + timedelta(weeks=12)
    draft = complete(draft, coordinator, next_review_by=latest + timedelta(weeks=2))
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=draft, actor=coordinator)
    assert list(refused.value.message_dict) == ["next_review_deviation"]
    assert "later than the Guidance allows" in refusal(refused.value)[0]
    assert not Deviation.objects.filter(nominal=nominal).exists()

    draft = services.minutes_update(minutes=draft, actor=coordinator, version=draft.version,
                                    next_review_deviation="The psychologist reports in June.")
    services.minutes_finalise(minutes=draft, actor=coordinator)
    deviation = Deviation.objects.get(nominal=nominal)
    assert deviation.guidance_section == "10.11"
    assert deviation.why == "The psychologist reports in June."
    assert "later than the 12 weeks" in deviation.what
    meeting.refresh_from_db()
    assert meeting.next_review_by == latest + timedelta(weeks=2)


def test_a_review_on_the_latest_date_allowed_needs_no_deviation(nominal, draft, meeting,
                                                                coordinator, police):
    make_full_plan(meeting, agency=police, actor=coordinator)
    services.minutes_finalise(minutes=complete(draft, coordinator), actor=coordinator)
    assert not Deviation.objects.filter(nominal=nominal).exists()
    meeting.refresh_from_db()
    assert meeting.next_review_by == today() + timedelta(weeks=12)


def test_withholding_from_the_offender_needs_the_reasons(draft, meeting, coordinator, police):
    make_full_plan(meeting, agency=police, actor=coordinator)
    complete(draft, coordinator, withhold_from_offender=True, withhold_reason="")
    with pytest.raises(ValidationError) as refused:
        services.minutes_finalise(minutes=draft, actor=coordinator)
    assert list(refused.value.message_dict) == ["withhold_reason"]
    assert "§3.6" in refusal(refused.value)[0]


def test_only_the_meetings_chair_finalises(draft, meeting, administrator, police):
    make_full_plan(meeting, agency=police, actor=administrator)
    complete(draft, administrator)
    with pytest.raises(PermissionDenied):
        services.minutes_finalise(minutes=draft, actor=administrator)
    other_chair = make_user(roles=[Role.CHAIR], agency=police)
    with pytest.raises(PermissionDenied):
        services.minutes_finalise(minutes=draft, actor=other_chair)
    assert Minutes.objects.get(pk=draft.pk).status == MinutesStatus.DRAFT


def test_the_chair_cannot_finalise_a_draft_changed_since_they_read_it(
        draft, meeting, coordinator, administrator, police):
    make_full_plan(meeting, agency=police, actor=administrator)
    read = complete(draft, administrator)
    services.minutes_update(minutes=read, actor=administrator, version=read.version,
                            differences_of_opinion="Housing disagrees with the curfew.")
    with pytest.raises(StaleEdit):
        services.minutes_finalise(minutes=read, actor=coordinator, version=read.version)
    assert Minutes.objects.get(pk=draft.pk).status == MinutesStatus.DRAFT


# -- finalising: what it does ----------------------------------------------------------------------


@pytest.fixture
def final(draft, meeting, coordinator, police):
    make_full_plan(meeting, agency=police, actor=coordinator)
    return services.minutes_finalise(minutes=complete(draft, coordinator), actor=coordinator)


def test_finalising_updates_the_cases_risk_of_serious_harm_and_level(final, nominal,
                                                                     coordinator):
    nominal.refresh_from_db()
    assert nominal.rosh == RiskLevel.VERY_HIGH
    assessment = nominal.rosh_history.get()
    assert assessment.assessed_on == today()
    assert assessment.community_known_adult == RiskLevel.VERY_HIGH
    assert assessment.community_children == RiskLevel.MEDIUM
    # Each answer in its own field, not one summary three times.
    assert (assessment.who_is_at_risk, assessment.nature_of_risk, assessment.imminence) == (
        "His former partner.", "Serious violence.", "Imminent on any contact.")
    assert nominal.level == Level.THREE
    change = LevelChange.objects.filter(nominal=nominal).order_by("-id").first()
    assert change.level == Level.THREE and change.decided_by == coordinator
    assert "Police and Probation must act together" in change.reason


def test_finalising_records_who_approved_and_keeps_the_plan_as_agreed(final, coordinator):
    assert final.status == MinutesStatus.FINAL
    assert final.finalised_by == coordinator and final.finalised_at is not None
    descriptions = {row["description"]: row for row in final.plan_snapshot}
    alarm = descriptions["Install a panic alarm at the former partner's home"]
    assert alarm["type"] == ActionType.VICTIM_PROTECTION
    assert alarm["owner_agency"] == "States of Jersey Police"
    assert alarm["due_date"] == (today() + timedelta(days=28)).isoformat()
    assert alarm["status"] == ActionStatus.OPEN
    # The live plan moves on; the snapshot does not.
    PlanAction.objects.filter(description__startswith="Install").update(description="Changed")
    final.refresh_from_db()
    assert any(row["description"].startswith("Install") for row in final.plan_snapshot)


def test_finalising_applies_the_decision_to_withhold_from_the_offender(
        draft, meeting, nominal, coordinator, police):
    make_full_plan(meeting, agency=police, actor=coordinator)
    complete(draft, coordinator, withhold_from_offender=True,
             withhold_reason="Knowing would raise the risk to the former partner.")
    services.minutes_finalise(minutes=draft, actor=coordinator)
    nominal.refresh_from_db()
    assert nominal.withhold_from_offender
    assert nominal.withhold_reason == "Knowing would raise the risk to the former partner."
    # The case names the meeting that agreed it, and links to its minutes (§3.6).
    decided = where_decided(WITHHOLDING, nominal)
    assert decided.label == f"the level 2 meeting of {meeting.starts_at:%-d %B %Y}"
    assert decided.url == reverse("meetings:minutes", args=[meeting.pk])


def test_final_minutes_are_locked(final, coordinator, administrator):
    with pytest.raises(ValidationError, match="final and locked"):
        services.minutes_update(minutes=final, actor=administrator, version=final.version,
                                differences_of_opinion="Changed afterwards")
    with pytest.raises(ValidationError, match="final and locked"):
        services.minutes_finalise(minutes=final, actor=coordinator)
    assert Minutes.objects.get(pk=final.pk).differences_of_opinion == ""


# -- corrections ---------------------------------------------------------------------------------


def test_a_correction_is_a_new_version_and_both_are_kept(final, meeting, coordinator, police):
    correction = services.minutes_correct(minutes=final, actor=coordinator,
                                          reason="The children's risk was recorded wrongly.")
    assert correction.number == 2 and correction.status == MinutesStatus.DRAFT
    assert correction.correction_reason == "The children's risk was recorded wrongly."
    assert correction.who_is_at_risk == COMPLETE["who_is_at_risk"]
    assert Minutes.objects.get(pk=final.pk).status == MinutesStatus.FINAL

    correction = services.minutes_update(minutes=correction, actor=coordinator,
                                         version=correction.version,
                                         rosh_children=RiskLevel.HIGH)
    services.minutes_finalise(minutes=correction, actor=coordinator)
    versions = {m.number: m for m in Minutes.objects.filter(meeting=meeting)}
    assert versions[1].status == MinutesStatus.SUPERSEDED
    assert versions[1].rosh_children == RiskLevel.MEDIUM
    assert versions[2].status == MinutesStatus.FINAL
    assert versions[2].rosh_children == RiskLevel.HIGH


def test_a_corrected_risk_updates_the_case_and_an_unchanged_one_is_not_recorded_twice(
        final, nominal, coordinator):
    correction = services.minutes_correct(minutes=final, actor=coordinator,
                                          reason="Housing's view was left out.")
    correction = services.minutes_update(minutes=correction, actor=coordinator,
                                         version=correction.version,
                                         differences_of_opinion="Housing wanted level 2.")
    services.minutes_finalise(minutes=correction, actor=coordinator)
    assert nominal.rosh_history.count() == 1

    second = services.minutes_correct(minutes=correction, actor=coordinator,
                                      reason="The overall risk is high, not very high.")
    second = services.minutes_update(minutes=second, actor=coordinator, version=second.version,
                                     rosh_overall=RiskLevel.HIGH)
    services.minutes_finalise(minutes=second, actor=coordinator)
    assert nominal.rosh_history.count() == 2
    nominal.refresh_from_db()
    assert nominal.rosh == RiskLevel.HIGH


def test_a_correction_copies_the_information_shared(final, coordinator, police):
    final.information.create(agency=police, information="Two call-outs in May.")
    correction = services.minutes_correct(minutes=final, actor=coordinator, reason="Typo")
    assert [row.information for row in correction.information.all()] == [
        "Two call-outs in May."]


def test_a_correction_needs_its_reason_and_the_chair(final, coordinator, administrator):
    with pytest.raises(ValidationError) as refused:
        services.minutes_correct(minutes=final, actor=coordinator, reason=" ")
    assert refused.value.message_dict == {"reason": ["Give the reason for the correction."]}
    with pytest.raises(PermissionDenied):
        services.minutes_correct(minutes=final, actor=administrator, reason="Typo")
    assert Minutes.objects.count() == 1


def test_a_draft_cannot_be_corrected_only_edited(draft, coordinator):
    with pytest.raises(ValidationError, match="Only the final minutes"):
        services.minutes_correct(minutes=draft, actor=coordinator, reason="Typo")


# -- distribution and onward sharing ----------------------------------------------------------


def invite(meeting, agency, name="Invitee"):
    return Invitation.objects.create(meeting=meeting, agency=agency, name=name,
                                     reason=InvitationReason.STANDING)


def test_distribution_logs_each_spoc_and_reports_agencies_without_one(
        final, meeting, nominal, administrator, police, probation, housing,
        django_capture_on_commit_callbacks):
    police_spoc = make_user("pspoc", roles=[Role.SPOC], agency=police, email="spoc@police.je")
    probation_spoc = make_user("prspoc", roles=[Role.SPOC], agency=probation,
                               email="spoc@probation.je")
    police.spoc, probation.spoc = police_spoc, probation_spoc
    police.save()
    probation.save()
    invite(meeting, police, "One")
    invite(meeting, police, "Two")  # one agency, sent once
    invite(meeting, probation)
    invite(meeting, housing)  # no SPOC
    with django_capture_on_commit_callbacks(execute=True):
        result = distribution.minutes_distribute(minutes=final, actor=administrator)
    assert {(row.agency, row.recipient) for row in result.sent} == {
        (police, police_spoc), (probation, probation_spoc)}
    assert result.without_spoc == [housing]
    logged = Distribution.objects.filter(minutes=final)
    assert logged.count() == 2
    assert all(row.sent_by == administrator and row.sent_at for row in logged)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert sorted(email.to) == ["spoc@police.je", "spoc@probation.je"]
    assert nominal.reference in email.subject
    assert f"/meetings/{meeting.pk}/minutes/" in email.body
    assert "Le Marquand" not in email.subject + email.body
    assert "Terence" not in email.subject + email.body
    # Each SPOC can open the minutes they were sent, and only them: not the case (§4.2).
    for spoc in (police_spoc, probation_spoc):
        assert access.restrict_minutes_meetings(Meeting.objects.all(), spoc).get() == meeting
        assert not access.can_view_nominal(spoc, nominal)

    # Distributing again sends nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = distribution.minutes_distribute(minutes=final, actor=administrator)
    assert again.sent == [] and set(again.already_sent) == {police, probation}
    assert Distribution.objects.count() == 2 and len(mail.outbox) == 1


def test_a_practitioner_cannot_distribute_the_minutes(final, practitioner):
    with pytest.raises(PermissionDenied):
        distribution.minutes_distribute(minutes=final, actor=practitioner)


def test_a_draft_is_not_distributed(draft, administrator):
    with pytest.raises(ValidationError, match="Only the final minutes"):
        distribution.minutes_distribute(minutes=draft, actor=administrator)


def test_sharing_beyond_the_invited_agencies_needs_the_chairs_consent(
        final, coordinator, administrator):
    with pytest.raises(PermissionDenied):
        distribution.sharing_consent_record(minutes=final, actor=administrator,
                                            recipient="UK MAPPA Unit", purpose="Transfer",
                                            third_party=False)
    with pytest.raises(ValidationError) as refused:
        distribution.sharing_consent_record(minutes=final, actor=coordinator, recipient="",
                                            purpose="", third_party=False)
    assert set(refused.value.message_dict) == {"recipient", "purpose"}
    consent = distribution.sharing_consent_record(
        minutes=final, actor=coordinator, recipient="Hampshire MAPPA Unit",
        purpose="The case transfers to Hampshire in June.", third_party=False)
    assert consent.consented_by == coordinator and consent.consented_at is not None
    assert SharingConsent.objects.filter(minutes=final).count() == 1


def test_consent_to_share_the_full_minutes_is_never_for_a_third_partys_request(
        final, coordinator):
    with pytest.raises(ValidationError) as refused:
        distribution.sharing_consent_record(
            minutes=final, actor=coordinator, recipient="The Royal Court",
            purpose="Sentencing", third_party=True)
    assert "Minutes Executive Summary" in refused.value.message_dict["third_party"][0]
    assert not SharingConsent.objects.exists()
