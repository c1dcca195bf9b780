"""The register of requests for minutes (§5.5) and the Minutes Executive Summary (§5.6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from disclosure import selectors
from disclosure.models import Requester, RequestOutcome, SummaryStatus
from disclosure.pdf import render_summary_pdf
from disclosure.services import requests, summaries
from jmappa.core.versioning import StaleEdit
from meetings.models import MeetingKind, Minutes, MinutesStatus
from plans.models import ActionStatus, ActionType
from referrals.models import Referral
from tests.factories import make_referral
from tests.helpers import pdf_pages, pdf_text

from .conftest import make_meeting
from .test_services import make_action_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(nominal, practitioner):
    referral = make_referral(practitioner, victims="Jane Le Sueur, his former partner, and "
                                                   "her son Peter Le Sueur.",
                             contact_name="Pat Referrer",
                             reasons="Threats to a former partner since release.")
    Referral.objects.filter(pk=referral.pk).update(nominal=nominal)
    return Referral.objects.get(pk=referral.pk)


@pytest.fixture
def request_logged(nominal, practitioner, coordinator):
    return requests.minutes_request_log(
        nominal=nominal, actor=practitioner, requester_kind=Requester.COURT,
        requester_name="The Royal Court (Samedi Division)",
        received_on=timezone.localdate(), chair=coordinator,
        what_is_sought="The minutes of every meeting, for sentencing.")


def test_a_request_logged_by_a_practitioner_is_open_and_names_who_received_it(
        request_logged, coordinator, practitioner):
    assert request_logged.outcome == RequestOutcome.OPEN
    assert request_logged.received_by == practitioner
    assert request_logged.chair == coordinator


def test_the_email_about_a_request_names_only_the_case_reference(
        nominal, practitioner, coordinator, django_capture_on_commit_callbacks):
    coordinator.email = "alice@example.je"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        requests.minutes_request_log(
            nominal=nominal, actor=practitioner, requester_kind=Requester.OFFENDER,
            requester_name="Terence Le Marquand", received_on=timezone.localdate(),
            chair=coordinator, what_is_sought="His minutes.")
    [message] = mail.outbox
    assert coordinator.email in message.to
    assert nominal.reference in message.subject
    assert "Marquand" not in message.subject + message.body


def test_a_request_needs_who_asked_when_the_chair_and_what(nominal, practitioner):
    with pytest.raises(ValidationError) as refused:
        requests.minutes_request_log(
            nominal=nominal, actor=practitioner, requester_kind="", requester_name=" ",
            received_on=None, chair=practitioner, what_is_sought="")
    assert set(refused.value.message_dict) == {"requester_kind", "requester_name",
                                                "received_on", "chair", "what_is_sought"}


def test_an_outsider_cannot_log_a_request_for_a_case_they_do_not_see(nominal, outsider,
                                                                     coordinator):
    with pytest.raises(PermissionDenied):
        requests.minutes_request_log(
            nominal=nominal, actor=outsider, requester_kind=Requester.COURT,
            requester_name="Court", received_on=timezone.localdate(), chair=coordinator,
            what_is_sought="x")


def test_a_request_is_read_by_the_coordinator_the_chair_and_who_received_it(
        request_logged, practitioner, coordinator, outsider, nominal, police):
    from tests.factories import add_to_team, make_user

    colleague = make_user("dave", agency=police)
    add_to_team(nominal, colleague)
    for reader in (coordinator, practitioner):
        assert list(selectors.minutes_requests_visible(reader)) == [request_logged]
    for other in (colleague, outsider):
        assert list(selectors.minutes_requests_visible(other)) == []


def test_a_request_redirected_to_the_agency_that_owns_the_information_is_closed(
        request_logged, coordinator, police):
    requests.minutes_request_clarify(minutes_request=request_logged, actor=coordinator,
                                     sought="Exactly what information is sought?",
                                     answer="The Probation risk assessment.",
                                     clarified_on=timezone.localdate())
    done = requests.minutes_request_redirect(minutes_request=request_logged,
                                             actor=coordinator, agency=police,
                                             what="The risk assessment it holds.")
    assert done.outcome == RequestOutcome.REDIRECTED and done.closed_on
    with pytest.raises(ValidationError):
        requests.minutes_request_decline(minutes_request=done, actor=coordinator,
                                         reason="Again")


def test_a_declined_request_gives_its_reason(request_logged, coordinator):
    with pytest.raises(ValidationError):
        requests.minutes_request_decline(minutes_request=request_logged, actor=coordinator,
                                         reason=" ")
    assert requests.minutes_request_decline(
        minutes_request=request_logged, actor=coordinator,
        reason="The requester withdrew.").outcome == RequestOutcome.DECLINED


def test_only_the_coordinator_or_the_chair_acts_on_a_request(request_logged, practitioner):
    with pytest.raises(PermissionDenied):
        requests.minutes_request_decline(minutes_request=request_logged, actor=practitioner,
                                         reason="No")


# -- the Executive Summary (§5.6) -------------------------------------------------------------


def _hold_meetings(nominal, chair, count: int) -> list:
    today = timezone.localdate()
    return [make_meeting(nominal, chair=chair, kind=MeetingKind.LEVEL_3,
                         on=today - timedelta(weeks=6 * (count - n)))
            for n in range(count)]


def _final_minutes(meeting, chair, **fields) -> Minutes:
    return Minutes.objects.create(meeting=meeting, status=MinutesStatus.FINAL, drafted_by=chair,
                                  finalised_by=chair, finalised_at=timezone.now(),
                                  rosh_overall="very_high", level_decision="3", **fields)


def test_the_summary_has_exactly_the_six_sections_of_the_guidance(
        request_logged, referral, nominal, coordinator):
    meeting = _hold_meetings(nominal, coordinator, 1)[0]
    _final_minutes(meeting, coordinator)
    summary = summaries.summary_draft(minutes_request=request_logged, actor=coordinator)
    text = pdf_text(render_summary_pdf(summary))
    headings = ["1. The offender's name and personal details",
                "2. Referring agency and reason for referral", "3. Summary of the meetings",
                "4. Outline of the JMAPP Risk Management Plan", "5. JMAPP meeting details",
                "6. Details of the JMAPP meeting Chair"]
    for heading in headings:
        assert heading in text
    assert "7." not in text.replace("§5.", "")
    assert summary.chair == coordinator
    assert referral.referring_agency.name in summary.referral


def test_only_the_last_ten_meeting_dates_for_a_case_with_twelve(request_logged, nominal,
                                                               coordinator):
    meetings = _hold_meetings(nominal, coordinator, 12)
    summary = summaries.summary_draft(minutes_request=request_logged, actor=coordinator)
    lines = summary.meeting_details.splitlines()
    assert len(lines) == 10
    day = "{d:%-d} {d:%B} {d:%Y}"
    assert day.format(d=meetings[-1].date) in lines[0]
    assert not any(day.format(d=meetings[0].date) in line for line in lines)
    assert not any(day.format(d=meetings[1].date) in line for line in lines)


def test_the_plan_outline_says_whether_each_action_was_completed(request_logged, nominal,
                                                                coordinator, police):
    meeting = _hold_meetings(nominal, coordinator, 1)[0]
    make_action_for(meeting, police, coordinator, ActionType.VICTIM_PROTECTION,
                    "Panic alarm fitted", status=ActionStatus.DONE,
                    completed_on=timezone.localdate())
    make_action_for(meeting, police, coordinator, ActionType.MONITORING, "Weekly visits")
    summary = summaries.summary_draft(minutes_request=request_logged, actor=coordinator)
    assert "Panic alarm fitted — completed." in summary.plan_outline
    assert "Weekly visits — not yet completed." in summary.plan_outline


def test_no_referring_officer_and_no_victim_name_in_the_summary_pdf(
        request_logged, referral, nominal, coordinator, practitioner):
    meeting = _hold_meetings(nominal, coordinator, 1)[0]
    _final_minutes(meeting, coordinator)
    summary = summaries.summary_draft(minutes_request=request_logged, actor=coordinator)
    summary = summaries.summary_update(summary=summary, actor=coordinator,
                                       version=summary.version, victim_check_confirmed=True)
    final = summaries.summary_finalise(summary=summary, actor=coordinator)
    text = pdf_text(render_summary_pdf(final))
    for name in ("Pat Referrer", practitioner.get_full_name(), "Jane Le Sueur",
                 "Peter Le Sueur", "Le Sueur"):
        assert name not in text
    assert nominal.family_name in text


def test_finalising_refuses_a_summary_naming_the_referring_officer_or_a_victim(
        request_logged, referral, nominal, coordinator, practitioner):
    _hold_meetings(nominal, coordinator, 1)
    summary = summaries.summary_draft(minutes_request=request_logged, actor=coordinator)
    summary = summaries.summary_update(
        summary=summary, actor=coordinator, version=summary.version,
        victim_check_confirmed=True,
        referral=summary.referral + "\nReferred by Pat Referrer.",
        meetings_summary=summary.meetings_summary + "\nJane Le Sueur remains at risk.")
    with pytest.raises(ValidationError) as refused:
        summaries.summary_finalise(summary=summary, actor=coordinator)
    problems = refused.value.message_dict
    assert "Pat Referrer" in problems["referral"][0]
    assert "Jane Le Sueur" in problems["meetings_summary"][0]


def test_the_chair_confirms_the_victim_check_before_finalising(request_logged, nominal,
                                                               coordinator):
    _hold_meetings(nominal, coordinator, 1)
    summary = summaries.summary_draft(minutes_request=request_logged, actor=coordinator)
    with pytest.raises(ValidationError) as refused:
        summaries.summary_finalise(summary=summary, actor=coordinator)
    assert refused.value.message_dict == {
        "victim_check_confirmed": [summaries.CHECK_MESSAGE]}


def test_only_the_chair_of_the_last_meeting_writes_the_summary(request_logged, nominal,
                                                               coordinator, police):
    from jmappa.accounts.models import Role
    from tests.factories import make_user

    other_chair = make_user("chris", roles=[Role.CHAIR], agency=police)
    _hold_meetings(nominal, other_chair, 1)
    summary = summaries.summary_draft(minutes_request=request_logged, actor=coordinator)
    assert summary.chair == other_chair
    with pytest.raises(PermissionDenied):
        summaries.summary_update(summary=summary, actor=coordinator, version=summary.version,
                                 plan_outline="x")


def test_a_stale_save_of_the_summary_is_refused(request_logged, nominal, coordinator):
    _hold_meetings(nominal, coordinator, 1)
    summary = summaries.summary_draft(minutes_request=request_logged, actor=coordinator)
    opened = summary.version
    summaries.summary_update(summary=summary, actor=coordinator, version=opened,
                             plan_outline="First edit")
    with pytest.raises(StaleEdit):
        summaries.summary_update(summary=summary, actor=coordinator, version=opened,
                                 plan_outline="Second edit over the first")


def test_issuing_the_summary_logs_who_and_when_and_closes_the_request(
        request_logged, nominal, coordinator):
    _hold_meetings(nominal, coordinator, 1)
    summary = summaries.summary_draft(minutes_request=request_logged, actor=coordinator)
    summary = summaries.summary_update(summary=summary, actor=coordinator,
                                       version=summary.version, victim_check_confirmed=True)
    with pytest.raises(ValidationError):
        summaries.summary_issue(summary=summary, actor=coordinator, issued_to="The court")
    final = summaries.summary_finalise(summary=summary, actor=coordinator)
    issued = summaries.summary_issue(summary=final, actor=coordinator,
                                     issued_to="The Royal Court, by secure email")
    assert issued.status == SummaryStatus.ISSUED and issued.issued_by == coordinator
    request_logged.refresh_from_db()
    assert request_logged.outcome == RequestOutcome.SUMMARY_ISSUED


def test_the_summary_pdf_is_protectively_marked_on_every_page_and_a_draft_says_so(
        request_logged, nominal, coordinator, settings):
    settings.PROTECTIVE_MARKING = "RESTRICTED"
    _hold_meetings(nominal, coordinator, 1)
    summary = summaries.summary_draft(minutes_request=request_logged, actor=coordinator)
    summary = summaries.summary_update(summary=summary, actor=coordinator,
                                       version=summary.version,
                                       plan_outline="\n".join(["A long plan."] * 120))
    pages = pdf_pages(render_summary_pdf(summary))
    assert len(pages) > 1
    for page in pages:
        assert page.count("RESTRICTED") >= 2
        assert "DRAFT" in page
