"""The quarterly case audit (§15.4, §16.1): a random sample of the cases managed at level 2
or 3 in a quarter, what the records suggest by the KPIs' own rules, each case scored against
the checklist and the defensibility test, and the results by quarter. An SMB member scores by
case reference only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Level
from jmappa.accounts.models import Role
from kpi import selectors, services
from kpi.models import AUDIT_ITEMS, AuditedCase, CaseAudit
from kpi.periods import Period
from plans.models import ActionType, PlanAction
from tests.factories import make_user
from tests.helpers import content, sign_in
from tests.kpi.histories import at, case_at, meeting

pytestmark = pytest.mark.django_db

Q2 = Period(2026, 2)
AFTER = date(2026, 8, 1)


@pytest.fixture
def quarter(coordinator, police):
    """Three level 3 cases reviewed every five weeks, one level 2 case never reviewed, and a
    level 1 case (not in the population)."""
    cases = []
    for n in range(3):
        nominal = case_at(Level.THREE, date(2026, 1, 1), actor=coordinator,
                          family_name=f"Audited{n}")
        day = date(2026, 3, 25)
        while day <= Q2.end + timedelta(days=35):
            meeting(nominal, day, Level.THREE, actor=coordinator)
            day += timedelta(weeks=5)
        cases.append(nominal)
    never = case_at(Level.TWO, date(2026, 1, 1), actor=coordinator, family_name="Unreviewed")
    case_at(Level.ONE, date(2026, 1, 1), actor=coordinator, family_name="Levelone")
    return {"reviewed": cases, "never": never}


def answers(value="yes") -> dict:
    return dict.fromkeys(AUDIT_ITEMS, value)


def test_the_sample_is_drawn_from_the_cases_managed_at_level_2_or_3_in_the_quarter(
        quarter, coordinator):
    audit = services.case_audit_draw(period=Q2, actor=coordinator, size=10, today=AFTER,
                                     seed=7)
    sampled = set(audit.cases.values_list("nominal_id", flat=True))
    assert audit.population == 4
    assert sampled == {n.pk for n in quarter["reviewed"]} | {quarter["never"].pk}
    with pytest.raises(ValidationError, match="already drawn"):
        services.case_audit_draw(period=Q2, actor=coordinator, today=AFTER)


def test_the_same_seed_draws_the_same_sample_and_the_size_is_kept(quarter, coordinator):
    population = selectors.audit_population(Q2, AFTER)
    first = services.case_audit_draw(period=Q2, actor=coordinator, size=2, today=AFTER,
                                     seed=42)
    chosen = sorted(first.cases.values_list("nominal_id", flat=True))
    CaseAudit.objects.all().delete()
    again = services.case_audit_draw(period=Q2, actor=coordinator, size=2, today=AFTER,
                                     seed=42)
    assert sorted(again.cases.values_list("nominal_id", flat=True)) == chosen
    assert len(chosen) == 2 and set(chosen) <= set(population)


def test_a_quarter_not_yet_begun_has_nothing_to_audit(coordinator):
    with pytest.raises(ValidationError, match="has not started"):
        services.case_audit_draw(period=Period(2027, 1), actor=coordinator,
                                 today=date(2026, 12, 6))


def test_the_records_suggest_reviews_by_the_kpi_rule_and_the_plans_victim_actions(
        quarter, coordinator, police):
    reviewed = quarter["reviewed"][0]
    # In the plan as it stood at the quarter's end: agreed at a meeting held in it, or
    # added by then.
    agreed_at = reviewed.meetings.order_by("starts_at")[1]
    PlanAction.objects.create(
        nominal=reviewed, meeting=agreed_at, action_type=ActionType.VICTIM_PROTECTION,
        description="Act", owner_agency=police, created_by=coordinator,
        due_date=date(2026, 12, 1))
    added = PlanAction.objects.create(
        nominal=reviewed, action_type=ActionType.CONTINGENCY, description="Act",
        owner_agency=police, created_by=coordinator, due_date=date(2026, 12, 1))
    PlanAction.objects.filter(pk=added.pk).update(created_at=at(date(2026, 4, 29)))
    # Added after the quarter: not in its plan.
    PlanAction.objects.create(
        nominal=quarter["never"], action_type=ActionType.VICTIM_PROTECTION, description="Act",
        owner_agency=police, created_by=coordinator, due_date=date(2026, 12, 1))
    audit = services.case_audit_draw(period=Q2, actor=coordinator, size=10, today=AFTER)
    by_case = {case.nominal_id: case.suggested for case in audit.cases.all()}
    assert by_case[reviewed.pk]["reviews_in_time"] == "yes"
    assert by_case[reviewed.pk]["plan_victim_contingency"] == "yes"
    assert by_case[quarter["never"].pk]["reviews_in_time"] == "no"
    assert by_case[quarter["never"].pk]["plan_victim_contingency"] == "no"


def test_a_score_answers_every_item_and_a_miss_needs_a_follow_up_with_its_date(
        quarter, coordinator):
    audit = services.case_audit_draw(period=Q2, actor=coordinator, size=1, today=AFTER)
    case = audit.cases.get()
    with pytest.raises(ValidationError) as refused:
        services.audited_case_score(case=case, actor=coordinator, version=case.version,
                                    answers={}, defensible=None, findings="")
    assert {"defensible", "findings", *AUDIT_ITEMS} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        services.audited_case_score(case=case, actor=coordinator, version=case.version,
                                    answers=answers("no"), defensible=False,
                                    findings="Not reviewed for five months.")
    assert "follow_up" in refused.value.message_dict
    scored = services.audited_case_score(
        case=case, actor=coordinator, version=case.version, answers=answers("no"),
        defensible=False, findings="Not reviewed for five months.",
        follow_up="The Co-ordinator arranges a review.", follow_up_by=date(2026, 9, 1))
    assert scored.scored_by == coordinator and scored.defensible is False


def test_the_results_count_defensible_cases_and_each_item_of_those_it_applies_to(
        quarter, coordinator):
    audit = services.case_audit_draw(period=Q2, actor=coordinator, size=2, today=AFTER,
                                     seed=1)
    first, second = audit.cases.all()
    services.audited_case_score(case=first, actor=coordinator, version=first.version,
                                answers=answers("yes"), defensible=True, findings="All done.")
    services.audited_case_score(
        case=second, actor=coordinator, version=second.version,
        answers={**answers("yes"), "actions_done": "no", "referral_on_time": "na"},
        defensible=False, findings="An action was late.", follow_up="Chase the owner.",
        follow_up_by=date(2026, 9, 1))
    results = selectors.audit_results(audit)
    assert (results["scored"], results["defensible"], results["percent"]) == (2, 1, 50)
    items = {item["item"]: item for item in results["items"]}
    assert (items["actions_done"]["yes"], items["actions_done"]["of"]) == (1, 2)
    assert (items["referral_on_time"]["yes"], items["referral_on_time"]["of"]) == (1, 1)


def test_an_smb_member_scores_by_reference_and_a_restricted_case_is_withheld(
        client, quarter, coordinator, police):
    audit = services.case_audit_draw(period=Q2, actor=coordinator, size=10, today=AFTER)
    restricted = quarter["reviewed"][0]
    type(restricted).objects.filter(pk=restricted.pk).update(restricted=True)
    member = make_user("smb", roles=[Role.SMB_MEMBER], agency=police)
    sign_in(client, member)
    page = content(client.get(reverse("kpi:audit", args=[audit.pk])))
    assert "Withheld" in page and restricted.reference not in page
    assert quarter["never"].reference in page and "Unreviewed" not in page
    hidden = AuditedCase.objects.get(audit=audit, nominal=restricted)
    assert client.get(reverse("kpi:audit_score", args=[hidden.pk])).status_code == 404
    shown = AuditedCase.objects.get(audit=audit, nominal=quarter["never"])
    form = {item: "yes" for item in AUDIT_ITEMS}
    answer = client.post(reverse("kpi:audit_score", args=[shown.pk]), {
        **form, "defensible": "True", "findings": "Reviewed late but safe.",
        "version": shown.version})
    assert answer.status_code == 302
    shown.refresh_from_db()
    assert shown.scored_by == member
    assert client.get(reverse("kpi:audit_draw")).status_code == 403


def test_the_audit_is_the_boards_only(client, quarter, coordinator, outsider):
    audit = services.case_audit_draw(period=Q2, actor=coordinator, size=1, today=AFTER)
    sign_in(client, outsider)
    case = audit.cases.get()
    for url in (reverse("kpi:audits"), reverse("kpi:audit", args=[audit.pk]),
                reverse("kpi:audit_draw"), reverse("kpi:audit_score", args=[case.pk])):
        assert client.get(url).status_code == 403, url


def test_the_audits_page_reads_in_the_same_queries_however_many_quarters(
        client, quarter, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, coordinator)
    services.case_audit_draw(period=Q2, actor=coordinator, size=2, today=AFTER)
    client.get(reverse("kpi:audits"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("kpi:audits"))
    services.case_audit_draw(period=Period(2026, 1), actor=coordinator, size=2, today=AFTER)
    services.case_audit_draw(period=Period(2026, 3), actor=coordinator, size=4, today=AFTER)
    with CaptureQueriesContext(connection) as three:
        page = content(client.get(reverse("kpi:audits")))
    assert "2026" in page and page.count("Not yet scored") == 3
    assert len(three) == len(one)
