"""Support planning (seed 000): the first Support Planning Meeting within four weeks of
release or the order's start, the next as the group agreed; the person always attends; the
safety plan versioned and reviewed at each meeting; nothing sent to a support person without
the person's consent, and only what they may receive; offending disclosed passed to the
Police; the pages read by whoever reads the case and by no one else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts.models import Rule
from alerts.registry import RULES
from cases.services import team_member_add
from jmappa.accounts.models import Role
from support import services
from support.models import (
    FIRST_MEETING_WITHIN,
    Frequency,
    NetworkRole,
    NetworkSending,
    PlanningTrigger,
    SendingMethod,
    SupportMeetingStatus,
)
from tests.factories import make_nominal, make_user
from tests.helpers import content, pdf_text, sign_in
from tests.kpi.histories import at

pytestmark = pytest.mark.django_db

RELEASED = date(2026, 9, 1)
SECTIONS = {"introductions": "Each said who they are.", "risk_meaning": "The chance of harm.",
            "specific_risks": "Drinking alone; going online late.",
            "offence_chain": "Loneliness, drink, seeking children out.",
            "coping_strategies": "Phone his sister.", "commitments": "Each agreed.",
            "next_steps": "Meet monthly."}


@pytest.fixture
def officer(police):
    return make_user("pat", roles=[Role.PRACTITIONER], agency=police)


@pytest.fixture
def case(coordinator, officer):
    nominal = make_nominal(actor=coordinator, case_manager=officer)
    return nominal


@pytest.fixture
def planning(case, officer):
    return services.planning_start(nominal=case, actor=officer, trigger=PlanningTrigger.RELEASE,
                                   starts_on=RELEASED, ends_on=date(2027, 12, 31))


def person(case, actor, **fields):
    values = {"name": "Margaret Renouf", "relationship": "Sister",
              "network_role": NetworkRole.SUPPORT_PERSON, "phone": "07797 100200",
              "receives_safety_plan": True, "receives_contacts": True}
    values.update(fields)
    return services.person_add(nominal=case, actor=actor, **values)


def held(case, actor, day, *, frequency=Frequency.MONTHLY, **sections):
    meeting = services.meeting_arrange(nominal=case, actor=actor, starts_at=at(day))
    return services.meeting_record(meeting=meeting, actor=actor, version=meeting.version,
                                   person_present=True, next_frequency=frequency,
                                   **{**SECTIONS, **sections})


def due(day):
    return {row["subject_id"]: row["due_on"] for row in RULES[Rule.SUPPORT_MEETING_DUE].rows(
        day, horizon=day)}


# -- the time rules -----------------------------------------------------------------------------


def test_the_first_meeting_is_due_four_weeks_after_release(planning):
    first_due = RELEASED + FIRST_MEETING_WITHIN
    assert first_due == date(2026, 9, 29)
    assert due(first_due - timedelta(days=1)) == {}
    assert due(first_due) == {planning.pk: first_due}


def test_a_meeting_held_before_release_does_not_count_as_the_first(planning, case, officer):
    held(case, officer, RELEASED - timedelta(days=1))
    assert due(date(2026, 9, 29)) == {planning.pk: date(2026, 9, 29)}


def test_once_held_the_next_is_due_as_the_group_agreed(planning, case, officer):
    meeting = held(case, officer, date(2026, 9, 20), frequency=Frequency.MONTHLY)
    assert meeting.next_meeting_by == date(2026, 10, 20)
    assert due(date(2026, 10, 19)) == {}
    assert due(date(2026, 10, 20)) == {planning.pk: date(2026, 10, 20)}
    held(case, officer, date(2026, 10, 15), frequency=Frequency.THREE_MONTHLY)
    assert due(date(2027, 1, 15)) == {planning.pk: date(2027, 1, 15)}


def test_just_before_the_end_of_the_order_and_no_further_meeting(planning, case, officer):
    meeting = held(case, officer, date(2026, 9, 20), frequency=Frequency.BEFORE_END)
    assert meeting.next_meeting_by == date(2027, 12, 17)
    held(case, officer, date(2026, 9, 25), frequency=Frequency.NONE)
    assert due(date(2028, 1, 1)) == {}


# -- the person attends -------------------------------------------------------------------------


def test_a_support_planning_meeting_is_not_recorded_without_the_person(planning, case, officer):
    meeting = services.meeting_arrange(nominal=case, actor=officer, starts_at=at(RELEASED))
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(meeting=meeting, actor=officer, version=meeting.version,
                                person_present=False, next_frequency=Frequency.MONTHLY,
                                **SECTIONS)
    assert "person_present" in refused.value.message_dict
    meeting.refresh_from_db()
    assert meeting.status == SupportMeetingStatus.SCHEDULED


def test_the_record_is_final_only_with_its_sections_and_the_safety_plan_reviewed(
        planning, case, officer):
    meeting = held(case, officer, date(2026, 9, 20), introductions="", commitments="")
    with pytest.raises(ValidationError) as refused:
        services.meeting_finalise(meeting=meeting, actor=officer, version=meeting.version)
    assert {"introductions", "commitments", "safety_plan"} <= set(refused.value.message_dict)
    assert "offence_chain" not in refused.value.message_dict  # the person may not tell it
    meeting = services.meeting_record(meeting=meeting, actor=officer, version=meeting.version,
                                      person_present=True, next_frequency=Frequency.MONTHLY,
                                      **SECTIONS)
    first = services.safety_plan_save(nominal=case, actor=officer, strategies="A routine.",
                                      supporters="Margaret phones nightly.",
                                      reviewed_at=meeting)
    second = services.safety_plan_save(nominal=case, actor=officer, strategies="A routine.",
                                       supporters="Margaret phones nightly; walks on Saturday.")
    assert (first.number, second.number) == (1, 2)
    meeting = services.meeting_finalise(meeting=meeting, actor=officer, version=meeting.version)
    assert meeting.final
    with pytest.raises(ValidationError):
        services.meeting_record(meeting=meeting, actor=officer, version=meeting.version,
                                person_present=True, **SECTIONS)


# -- consent and what is sent -----------------------------------------------------------------


def test_nothing_is_sent_to_a_support_person_without_the_persons_consent(planning, case,
                                                                           officer):
    sister = person(case, officer)
    services.safety_plan_save(nominal=case, actor=officer, strategies="A routine.",
                              supporters="Margaret phones nightly.")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.network_send(person=sister, actor=officer, method=SendingMethod.BY_HAND,
                              sent_on=today)
    assert "consented" in str(refused.value)
    consent = services.consent_record(nominal=case, actor=officer, signed_on=today,
                                      information="My safety plan.")
    sending = services.network_send(person=sister, actor=officer,
                                    method=SendingMethod.BY_HAND, sent_on=today)
    assert sending.consent == consent and sending.safety_plan.number == 1
    services.consent_withdraw(consent=consent, actor=officer, on=today)
    with pytest.raises(ValidationError):
        services.network_send(person=sister, actor=officer, method=SendingMethod.POST,
                              sent_on=today)
    assert NetworkSending.objects.count() == 1


def test_a_member_who_may_be_sent_nothing_is_sent_nothing(planning, case, officer):
    employer = person(case, officer, name="Philip Vibert", relationship="Employer",
                      receives_safety_plan=False, receives_contacts=False)
    services.consent_record(nominal=case, actor=officer, signed_on=timezone.localdate(),
                            information="My safety plan.")
    with pytest.raises(ValidationError):
        services.network_send(person=employer, actor=officer, method=SendingMethod.POST,
                              sent_on=timezone.localdate())


def test_the_pack_holds_only_what_that_member_may_receive(client, planning, case, officer):
    today = timezone.localdate()
    sister = person(case, officer, receives_contacts=False)
    person(case, officer, name="Dr Anne Gallichan", relationship="Psychologist",
           network_role=NetworkRole.PROFESSIONAL, phone="01534 555000")
    services.safety_plan_save(nominal=case, actor=officer, strategies="A weekend walk.",
                              supporters="Margaret phones nightly.")
    services.consent_record(nominal=case, actor=officer, signed_on=today,
                            information="My safety plan.")
    sign_in(client, officer)
    answer = client.post(reverse("support:send", args=[sister.pk]), {
        "method": SendingMethod.BY_HAND, "sent_on_day": today.day,
        "sent_on_month": today.month, "sent_on_year": today.year})
    assert answer.status_code == 302
    sending = NetworkSending.objects.get(person=sister)
    pack = client.get(reverse("support:sending_pack", args=[sending.pk]))
    text = pdf_text(pack.content)
    assert "A weekend walk." in text and "OFFICIAL-SENSITIVE" in text
    assert "Gallichan" not in text  # not sent the contact list
    assert case.reference not in text and case.family_name not in text


# -- the limits of confidentiality ------------------------------------------------------------


def test_offending_disclosed_alerts_the_police_contact_until_it_is_passed_on(
        planning, case, officer, police):
    constable = make_user("pc", roles=[Role.PRACTITIONER], agency=police)
    today = timezone.localdate()
    record = services.offending_record(nominal=case, actor=officer, what="Messaged a child.",
                                       disclosed_on=today, police_contact=constable)
    rows = list(RULES[Rule.OFFENDING_DISCLOSED].rows(today))
    assert rows == [{"subject_id": record.pk, "nominal_id": case.pk, "due_on": today,
                     "assigned_to_id": constable.pk}]
    services.offending_passed_on(record=record, actor=constable, version=record.version,
                                 passed_on=today, police_reference="CR/123")
    assert list(RULES[Rule.OFFENDING_DISCLOSED].rows(today)) == []


def test_only_those_who_keep_the_plan_keep_support_planning(case, outsider):
    with pytest.raises(PermissionDenied):
        services.planning_start(nominal=case, actor=outsider, trigger=PlanningTrigger.RELEASE,
                                starts_on=RELEASED)


# -- the pages ----------------------------------------------------------------------------------


def test_a_user_outside_the_case_reads_nothing_of_its_support_planning(
        client, planning, case, officer, outsider):
    meeting = held(case, officer, date(2026, 9, 20))
    member = person(case, officer)
    plan = services.safety_plan_save(nominal=case, actor=officer, strategies="A routine.",
                                     supporters="Margaret.")
    sign_in(client, outsider)
    for url in (reverse("support:case", args=[case.pk]),
                reverse("support:meeting", args=[meeting.pk]),
                reverse("support:person", args=[member.pk]),
                reverse("support:safety_plan", args=[plan.pk]),
                reverse("support:meeting_record", args=[meeting.pk]),
                reverse("support:start", args=[case.pk])):
        assert client.get(url).status_code == 404, url


def test_a_reader_of_the_case_reads_it_and_only_those_who_keep_the_plan_change_it(
        client, planning, case, officer, coordinator, housing):
    reader = make_user("hal", roles=[Role.PRACTITIONER], agency=housing)
    team_member_add(nominal=case, user=reader, role="agency_contact", actor=coordinator)
    member = person(case, officer)
    sign_in(client, reader)
    page = content(client.get(reverse("support:case", args=[case.pk])))
    assert "Margaret Renouf" in page and "Add a member of the network" not in page
    assert client.get(reverse("support:person", args=[member.pk])).status_code == 403


def test_the_case_manager_records_a_meeting_on_its_pages_and_a_refusal_keeps_the_text(
        client, planning, case, officer):
    meeting = services.meeting_arrange(nominal=case, actor=officer, starts_at=at(RELEASED))
    sign_in(client, officer)
    answer = client.post(reverse("support:meeting_record", args=[meeting.pk]), {
        **SECTIONS, "next_frequency": Frequency.MONTHLY, "version": meeting.version})
    page = content(answer)
    assert answer.status_code == 200 and "held with the person" in page
    assert "Drinking alone; going online late." in page
    answer = client.post(reverse("support:meeting_record", args=[meeting.pk]), {
        **SECTIONS, "person_present": "on", "next_frequency": Frequency.MONTHLY,
        "version": meeting.version})
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == SupportMeetingStatus.HELD
