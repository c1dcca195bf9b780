"""Coordinated services plans (seed 002): a plan of services, each from a provider and
addressing a risk factor; the panel's endorsement at a held meeting commits the member
agencies; a review at least every six months; service updates answered before the panel;
the oversight body's notices answered by their date; each sharing with its purpose; the
pages read by whoever reads the case and the panel's by its members."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts.models import Rule
from alerts.registry import RULES
from coordination import services
from coordination.models import (
    OrderKind,
    ProviderKind,
    ServiceStatus,
    UpdateMethod,
)
from jmappa.accounts.models import Role
from tests.factories import make_nominal, make_user
from tests.helpers import content, sign_in

pytestmark = pytest.mark.django_db

ORDER_MADE = date(2026, 1, 15)


@pytest.fixture
def officer(police):
    return make_user("pat", roles=[Role.PRACTITIONER], agency=police)


@pytest.fixture
def case(coordinator, officer):
    return make_nominal(actor=coordinator, case_manager=officer)


@pytest.fixture
def provider(coordinator, police):
    return services.provider_save(actor=coordinator, name="Violence programme",
                                  kind=ProviderKind.AGENCY, agency=police,
                                  services="Accredited programmes", is_active=True)


@pytest.fixture
def plan(case, officer, provider):
    plan = services.plan_create(nominal=case, actor=officer, order_kind=OrderKind.SUPERVISION,
                                order_start=ORDER_MADE)
    services.service_add(plan=plan, actor=officer, provider=provider,
                         delivers="Weekly supervision", risk_factor="Anger",
                         status=ServiceStatus.DELIVERING)
    return plan


@pytest.fixture
def panel(coordinator, police):
    chair = make_user("acpo", roles=[Role.SMB_MEMBER], agency=police)
    member = services.panel_member_appoint(actor=coordinator, member=chair, agency=police,
                                           position="Deputy Commissioner", is_chair=True,
                                           date_from=date(2025, 1, 1))
    held = services.panel_meeting_arrange(actor=coordinator, date=date(2026, 3, 10))
    held = services.panel_meeting_held(meeting=held, actor=coordinator)
    return {"chair": chair, "member": member, "held": held}


def due(rule, day):
    return {row["subject_id"]: row["due_on"] for row in RULES[rule].rows(day, horizon=day)}


def test_a_plan_never_endorsed_is_reviewed_six_months_after_the_order(plan):
    assert due(Rule.SERVICES_PLAN_REVIEW_DUE, date(2026, 7, 14)) == {}
    assert due(Rule.SERVICES_PLAN_REVIEW_DUE, date(2026, 7, 15)) == {plan.pk: date(2026, 7, 15)}


def test_the_review_falls_due_six_months_after_the_last_endorsement(plan, panel, coordinator):
    endorsement = services.plan_endorse(plan=plan, actor=coordinator, meeting=panel["held"],
                                        members=[panel["member"]])
    assert endorsement.commitments == [{"provider": "Violence programme",
                                        "agency": "States of Jersey Police",
                                        "delivers": "Weekly supervision",
                                        "risk_factor": "Anger"}]
    assert due(Rule.SERVICES_PLAN_REVIEW_DUE, date(2026, 9, 9)) == {}
    assert due(Rule.SERVICES_PLAN_REVIEW_DUE, date(2026, 9, 10)) == {plan.pk: date(2026, 9, 10)}


def test_only_the_chair_or_the_coordinator_records_an_endorsement_at_a_held_panel(
        plan, panel, officer, coordinator):
    with pytest.raises(PermissionDenied):
        services.plan_endorse(plan=plan, actor=officer, meeting=panel["held"],
                              members=[panel["member"]])
    coming = services.panel_meeting_arrange(actor=coordinator,
                                            date=timezone.localdate() + timedelta(days=9))
    with pytest.raises(ValidationError) as refused:
        services.plan_endorse(plan=plan, actor=panel["chair"], meeting=coming,
                              members=[panel["member"]])
    assert "meeting" in refused.value.message_dict
    assert services.plan_endorse(plan=plan, actor=panel["chair"], meeting=panel["held"],
                                 members=[panel["member"]]).endorsed_by == panel["chair"]


def test_a_service_update_is_needed_before_the_panel_and_flagged_when_unanswered(
        plan, officer, coordinator, provider):
    today = timezone.localdate()
    coming = services.panel_meeting_arrange(actor=coordinator, date=today + timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        services.update_request(plan=plan, actor=officer, provider=provider, meeting=coming,
                                method=UpdateMethod.WRITTEN, requested_on=today,
                                answer_by=today + timedelta(days=11))
    assert "answer_by" in refused.value.message_dict
    request = services.update_request(plan=plan, actor=officer, provider=provider,
                                      meeting=coming, method=UpdateMethod.WRITTEN,
                                      requested_on=today, answer_by=today + timedelta(days=5))
    assert due(Rule.SERVICE_UPDATE_UNANSWERED, today + timedelta(days=4)) == {}
    assert due(Rule.SERVICE_UPDATE_UNANSWERED, today + timedelta(days=5)) == {
        request.pk: today + timedelta(days=5)}
    services.update_answer(request=request, actor=officer, version=request.version,
                           last_six_months="Attended every session.",
                           next_six_months="Second module.", answered_on=today)
    assert due(Rule.SERVICE_UPDATE_UNANSWERED, today + timedelta(days=5)) == {}


def test_an_oversight_notice_is_due_by_its_date_until_answered(plan, officer):
    today = timezone.localdate()
    notice = services.notice_record(plan=plan, actor=officer, received_on=today,
                                    notice="How is drinking addressed?",
                                    respond_by=today + timedelta(days=7))
    assert due(Rule.OVERSIGHT_NOTICE_DUE, today + timedelta(days=7)) == {
        notice.pk: today + timedelta(days=7)}
    services.notice_respond(notice=notice, actor=officer, version=notice.version,
                            response="The alcohol service was added.", responded_on=today)
    assert due(Rule.OVERSIGHT_NOTICE_DUE, today + timedelta(days=7)) == {}


def test_information_is_shared_only_with_a_purpose_the_law_lists(plan, officer):
    with pytest.raises(ValidationError) as refused:
        services.sharing_record(plan=plan, actor=officer, shared_with="A landlord",
                                what="The plan", purpose="", shared_on=timezone.localdate())
    assert "purpose" in refused.value.message_dict


def test_a_user_outside_the_case_reads_nothing_of_its_plan(client, plan, outsider):
    service = plan.services.get()
    sign_in(client, outsider)
    for url in (reverse("coordination:case", args=[plan.nominal_id]),
                reverse("coordination:service", args=[service.pk]),
                reverse("coordination:service_add", args=[plan.pk]),
                reverse("coordination:endorse", args=[plan.pk]),
                f"/api/v1/services-plans/{plan.pk}/"):
        assert client.get(url).status_code == 404, url


def test_the_panel_is_read_by_its_members_and_not_by_a_practitioner(
        client, panel, practitioner):
    sign_in(client, panel["chair"])
    page = content(client.get(reverse("coordination:panel")))
    assert "Deputy Commissioner" in page and "Appoint a member" not in page
    client.logout()
    sign_in(client, practitioner)
    assert client.get(reverse("coordination:panel")).status_code == 403


def test_the_case_manager_starts_a_plan_and_adds_a_service_on_its_pages(
        client, case, officer, provider):
    sign_in(client, officer)
    answer = client.post(reverse("coordination:plan_add", args=[case.pk]), {
        "order_kind": OrderKind.INTERIM, "order_start_day": "2", "order_start_month": "3",
        "order_start_year": "2026"})
    assert answer.status_code == 302
    plan = case.services_plans.get()
    answer = client.post(reverse("coordination:service_add", args=[plan.pk]), {
        "provider": provider.pk, "delivers": "Weekly supervision", "risk_factor": "",
        "status": ServiceStatus.PROPOSED})
    assert answer.status_code == 200 and "risk factor" in content(answer)
    assert "Weekly supervision" in content(answer)
    page = content(client.get(reverse("coordination:case", args=[case.pk])))
    assert "Interim supervision order made 2 March 2026" in page
