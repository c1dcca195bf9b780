"""The register's read pages: the case list and its export, the case page, the photo, the
retention review and the deviations register."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AliasKind,
    Category,
    CustodyStatus,
    Eligibility,
    Level,
    RiskLevel,
    TeamRole,
)
from cases.services import (
    address_add,
    alias_add,
    deviation_record,
    exclusion_add,
    nominal_archive,
    nominal_restrict,
    nominal_set_level,
    nominal_update,
    risk_assessment_record,
    rosh_record,
    transfer_record,
    victim_record,
)
from jmappa.accounts.models import Role
from jmappa.audit.models import AuditEvent, Verb
from tests.factories import add_to_team, make_agency, make_nominal, make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

LIST = reverse("cases:list")
EXPORT = reverse("cases:export")


def detail(nominal):
    return reverse("cases:detail", args=[nominal.pk])


def section(name, nominal):
    return reverse(name, args=[nominal.pk])


RISK, TEAM, HISTORY = "cases:risk", "cases:team", "cases:history"
# Every section of the case page (cases.sections), the other apps' too.
SECTIONS = ["cases:detail", RISK, TEAM, "meetings:case", "plans:case", HISTORY]


def years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def listed(response) -> set[int]:
    return {n.pk for n in response.context["nominals"]}


def exported(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def record_rosh(nominal, actor, overall=RiskLevel.HIGH, **fields):
    return rosh_record(
        nominal=nominal, actor=actor, assessed_on=fields.pop("assessed_on", date(2025, 1, 10)),
        overall=overall, who_is_at_risk="Known adult female", nature_of_risk="Violence",
        imminence="Not imminent", **fields,
    )


@pytest.fixture
def cases(coordinator, practitioner):
    """Two cases: bob (practitioner) is on the team of the first only."""
    mine = make_nominal(actor=coordinator, given_names="Peter", family_name="Mine")
    other = make_nominal(actor=coordinator, given_names="Oscar", family_name="Other")
    add_to_team(mine, practitioner, actor=coordinator)
    return mine, other


# -- the case list -----------------------------------------------------------------------------


def test_coordinator_list_shows_every_case(coordinator_client, cases):
    assert listed(coordinator_client.get(LIST)) == {n.pk for n in cases}


def test_practitioner_list_shows_only_cases_whose_team_they_are_on(practitioner_client, cases):
    response = practitioner_client.get(LIST)
    assert listed(response) == {cases[0].pk}
    assert "Other" not in response.content.decode()


def test_outsider_list_shows_no_case_and_says_how_to_get_access(client, outsider, cases):
    sign_in(client, outsider)
    response = client.get(LIST)
    assert listed(response) == set()
    assert "There are no active cases for you to see" in response.content.decode()


def test_list_requires_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "login" in response["Location"]


def test_list_shows_active_cases_unless_archived_ones_are_asked_for(coordinator_client,
                                                                   coordinator, cases):
    nominal_archive(nominal=cases[1], reason="No longer needs management", actor=coordinator)
    assert listed(coordinator_client.get(LIST)) == {cases[0].pk}
    assert listed(coordinator_client.get(LIST, {"status": "archived"})) == {cases[1].pk}
    assert listed(coordinator_client.get(LIST, {"status": "all"})) == {n.pk for n in cases}


def test_search_finds_a_case_by_an_alias_spelled_differently(coordinator_client, coordinator,
                                                            cases):
    alias_add(nominal=cases[1], actor=coordinator, name="Johnny Smyth", kind=AliasKind.ALIAS)
    assert listed(coordinator_client.get(LIST, {"q": "Jonny Smith"})) == {cases[1].pk}


def test_search_finds_a_case_by_its_exact_pnc_number(coordinator_client, coordinator):
    wanted = make_nominal(actor=coordinator, pnc_number="12/345678A")
    make_nominal(actor=coordinator, pnc_number="12/345679B")
    assert listed(coordinator_client.get(LIST, {"q": "12/345678a"})) == {wanted.pk}


def test_search_does_not_reach_cases_the_user_cannot_see(practitioner_client, cases):
    assert listed(practitioner_client.get(LIST, {"q": "Other"})) == set()


def test_an_unmatched_search_says_so(coordinator_client, cases):
    content = coordinator_client.get(LIST, {"q": "Zebedee"}).content.decode()
    assert "No case matches this search" in content


def test_filters_narrow_the_list(coordinator_client, coordinator, police, housing):
    wanted = make_nominal(
        actor=coordinator, category=Category.ONE, level=Level.THREE, lead_agency=police,
        custody_status=CustodyStatus.CUSTODY, date_of_birth=date(1970, 5, 6),
    )
    record_rosh(wanted, coordinator, RiskLevel.VERY_HIGH)
    make_nominal(actor=coordinator, category=Category.TWO, level=Level.THREE,
                 lead_agency=police, custody_status=CustodyStatus.CUSTODY)
    make_nominal(actor=coordinator, category=Category.ONE, level=Level.TWO,
                 lead_agency=housing, date_of_birth=date(1970, 5, 6))
    for params in [
        {"category": "1", "level": "3"},
        {"rosh": "very_high"},
        {"lead_agency": police.pk, "category": "1"},
        {"custody_status": "custody", "category": "1"},
        {"date_of_birth": "1970-05-06", "level": "3"},
    ]:
        assert listed(coordinator_client.get(LIST, params)) == {wanted.pk}, params


def test_an_invalid_filter_shows_an_error_keeps_the_input_and_lists_nothing(
    coordinator_client, cases
):
    response = coordinator_client.get(LIST, {"date_of_birth": "31/02/1980", "q": "Mine"})
    content = response.content.decode()
    assert listed(response) == set()
    assert "There is a problem" in content
    assert 'value="31/02/1980"' in content and 'value="Mine"' in content


def test_sort_by_risk_puts_the_highest_risk_first(coordinator_client, coordinator):
    low = make_nominal(actor=coordinator, family_name="Aaron")
    very_high = make_nominal(actor=coordinator, family_name="Zed")
    high = make_nominal(actor=coordinator, family_name="Moss")
    unassessed = make_nominal(actor=coordinator, family_name="Bell")
    record_rosh(low, coordinator, RiskLevel.LOW)
    record_rosh(very_high, coordinator, RiskLevel.VERY_HIGH)
    record_rosh(high, coordinator, RiskLevel.HIGH)
    response = coordinator_client.get(LIST, {"sort": "risk"})
    assert [n.pk for n in response.context["nominals"]] == [
        very_high.pk, high.pk, low.pk, unassessed.pk]


def test_sort_by_level_puts_level_3_first_and_unknown_last(coordinator_client, coordinator):
    unknown = make_nominal(actor=coordinator, family_name="Aaron")
    one = make_nominal(actor=coordinator, family_name="Bell", level=Level.ONE)
    three = make_nominal(actor=coordinator, family_name="Zed", level=Level.THREE)
    response = coordinator_client.get(LIST, {"sort": "level"})
    assert [n.pk for n in response.context["nominals"]] == [three.pk, one.pk, unknown.pk]


def test_sort_by_name_and_date_of_birth_both_ways(coordinator_client, coordinator):
    older = make_nominal(actor=coordinator, family_name="Zed", date_of_birth=date(1950, 1, 1))
    younger = make_nominal(actor=coordinator, family_name="Abel",
                           date_of_birth=date(1990, 1, 1))

    def order(sort):
        return [n.pk for n in coordinator_client.get(LIST, {"sort": sort}).context["nominals"]]

    assert order("name") == [younger.pk, older.pk]
    assert order("-name") == [older.pk, younger.pk]
    assert order("dob") == [older.pk, younger.pk]
    assert order("-dob") == [younger.pk, older.pk]


def test_names_sort_regardless_of_case_and_accents(coordinator_client, coordinator):
    names = ["Brevinel", "de la Hougette", "Brécouier", "Dorvalle", "ÉTIENNE", "Amyot"]
    for name in names:
        make_nominal(actor=coordinator, family_name=name)
    response = coordinator_client.get(LIST)
    assert [n.family_name for n in response.context["nominals"]] == [
        "Amyot", "Brécouier", "Brevinel", "de la Hougette", "Dorvalle", "ÉTIENNE"]


def test_column_headers_sort_and_keep_the_other_parameters(coordinator_client, cases):
    response = coordinator_client.get(LIST, {"q": "Mine", "status": "all", "sort": "name",
                                             "page": "1"})
    sorting = response.context["sorting"]
    assert sorting["name"]["url"] == "?q=Mine&status=all&sort=-name"
    assert sorting["name"]["aria_sort"] == "ascending"
    assert sorting["risk"]["url"] == "?q=Mine&status=all&sort=risk"
    assert sorting["risk"]["aria_sort"] == ""
    assert 'aria-sort="ascending"' in response.content.decode()


def test_list_is_paginated_by_50_keeping_the_query_string(coordinator_client, coordinator):
    for i in range(51):
        make_nominal(actor=coordinator, family_name=f"Pager{i:02d}")
    response = coordinator_client.get(LIST, {"q": "Pager", "sort": "name"})
    assert len(response.context["nominals"]) == 50
    assert "?q=Pager&amp;sort=name&amp;page=2" in response.content.decode()
    assert len(coordinator_client.get(LIST, {"q": "Pager", "page": 2}).context["nominals"]) == 1


def test_unknown_category_and_level_say_not_yet_known_and_ineligible_says_so(
    coordinator_client, coordinator
):
    make_nominal(actor=coordinator, eligibility=Eligibility.AWAITING, category=Category.UNKNOWN)
    make_nominal(actor=coordinator, eligibility=Eligibility.NOT_ELIGIBLE,
                 category=Category.UNKNOWN)
    content = coordinator_client.get(LIST).content.decode()
    assert content.count(">Not yet known<") == 3  # one category, two levels
    assert "Assessed: not eligible" in content


def test_a_child_is_marked_in_the_list(coordinator_client, coordinator):
    make_nominal(actor=coordinator, date_of_birth=years_ago(15))
    assert ">Child</strong>" in coordinator_client.get(LIST).content.decode()


def test_new_case_button_only_for_those_who_may_create_cases(coordinator_client, client,
                                                            practitioner, cases):
    create = reverse("cases:create")
    assert create in coordinator_client.get(LIST).content.decode()
    sign_in(client, practitioner)
    assert create not in client.get(LIST).content.decode()


def test_list_query_count_does_not_grow_with_rows(coordinator_client, coordinator, police,
                                                  practitioner):
    def add_case():
        nominal = make_nominal(actor=coordinator, lead_agency=police, case_manager=practitioner,
                               date_of_birth=years_ago(16))
        alias_add(nominal=nominal, actor=coordinator, name="Alias", kind=AliasKind.ALIAS)

    add_case()
    few = count_queries(coordinator_client, LIST)
    for _ in range(10):
        add_case()
    assert count_queries(coordinator_client, LIST) == few


# -- the CSV export ----------------------------------------------------------------------------


def test_export_contains_only_the_cases_the_user_sees(practitioner_client, cases):
    rows = exported(practitioner_client.get(EXPORT))
    assert [row["Reference"] for row in rows] == [cases[0].reference]


def test_export_applies_the_list_filters(coordinator_client, coordinator, cases):
    nominal_update(nominal=cases[1], actor=coordinator, category=Category.ONE)
    rows = exported(coordinator_client.get(EXPORT, {"category": "1"}))
    assert [row["Family name"] for row in rows] == ["Other"]


def test_export_is_audited_with_its_filters(coordinator_client, coordinator, cases):
    response = coordinator_client.get(EXPORT, {"q": "Mine"})
    assert response["Content-Type"].startswith("text/csv")
    exported(response)
    event = AuditEvent.objects.get(action=Verb.EXPORT)
    assert event.actor == coordinator and event.object_type == "cases.nominal"
    assert "q=Mine" in event.detail


def test_export_neutralises_spreadsheet_formulas(coordinator_client, coordinator):
    make_nominal(actor=coordinator, family_name="=HYPERLINK(\"x\")")
    rows = exported(coordinator_client.get(EXPORT))
    assert rows[0]["Family name"].startswith("'=")


def test_outsider_export_is_empty(client, outsider, cases):
    sign_in(client, outsider)
    assert exported(client.get(EXPORT)) == []


# -- the case page ---------------------------------------------------------------------------


def test_case_page_is_404_for_a_user_outside_the_case(client, outsider, cases):
    sign_in(client, outsider)
    assert client.get(detail(cases[0])).status_code == 404


def test_case_page_is_404_for_a_case_that_does_not_exist(coordinator_client):
    assert coordinator_client.get(reverse("cases:detail", args=[999999])).status_code == 404


def test_case_page_is_404_for_an_excluded_team_member(practitioner_client, coordinator,
                                                      practitioner, cases):
    exclusion_add(nominal=cases[0], user=practitioner, reason="Knows the victim",
                  actor=coordinator)
    assert practitioner_client.get(detail(cases[0])).status_code == 404


def test_case_page_is_404_for_an_smb_member(client, police, cases):
    sign_in(client, make_user("smb", roles=[Role.SMB_MEMBER], agency=police))
    assert client.get(detail(cases[0])).status_code == 404


def test_reading_the_case_page_writes_one_audit_event_with_the_case(practitioner_client,
                                                                    practitioner, cases):
    before = AuditEvent.objects.count()
    assert practitioner_client.get(detail(cases[0])).status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor, event.case_id) == (Verb.VIEW, practitioner,
                                                          cases[0].pk)


def test_failed_read_writes_no_audit_event(client, outsider, cases):
    sign_in(client, outsider)
    before = AuditEvent.objects.filter(action=Verb.VIEW).count()
    client.get(detail(cases[0]))
    assert AuditEvent.objects.filter(action=Verb.VIEW).count() == before


def test_victims_link_only_with_the_victim_permission(client, coordinator, practitioner,
                                                      outsider, cases):
    victims = reverse("cases:victims", args=[cases[0].pk])
    add_to_team(cases[0], outsider, actor=coordinator, sees_victims=True)
    sign_in(client, practitioner)
    assert victims not in client.get(detail(cases[0])).content.decode()
    sign_in(client, outsider)
    assert victims in client.get(detail(cases[0])).content.decode()


def test_child_banner_names_childrens_services_and_education_when_of_school_age(
    coordinator_client, coordinator
):
    school_age = make_nominal(actor=coordinator, date_of_birth=years_ago(14))
    older_child = make_nominal(actor=coordinator, date_of_birth=years_ago(17))
    adult = make_nominal(actor=coordinator, date_of_birth=years_ago(30))
    banner = "Children's Services must attend meetings (§11)"
    content = coordinator_client.get(detail(school_age)).content.decode()
    assert banner in content and "Education must attend too" in content
    content = coordinator_client.get(detail(older_child)).content.decode()
    assert banner in content and "Education must attend too" not in content
    assert banner not in coordinator_client.get(detail(adult)).content.decode()


def test_summary_shows_latest_rosh_by_group(coordinator_client, coordinator):
    nominal = make_nominal(actor=coordinator)
    record_rosh(nominal, coordinator, RiskLevel.MEDIUM, assessed_on=date(2024, 1, 1))
    record_rosh(nominal, coordinator, RiskLevel.VERY_HIGH, assessed_on=date(2025, 2, 1),
                community_children="very_high", custody_staff="medium")
    assert coordinator_client.get(detail(nominal)).context["latest_rosh"].overall \
        == RiskLevel.VERY_HIGH
    response = coordinator_client.get(section(RISK, nominal))
    assert response.context["latest_rosh"].overall == RiskLevel.VERY_HIGH
    content = response.content.decode()
    assert "as assessed on 1 February 2025" in content
    assert ('<th scope="row" class="govuk-table__header">Children</th>'
            '<td class="govuk-table__cell">Very high</td>') in content


def test_edit_links_only_for_those_who_may_change_the_case(client, coordinator, practitioner,
                                                           police):
    nominal = make_nominal(actor=coordinator, lead_agency=police)
    contact = make_user("contact", agency=police)
    add_to_team(nominal, contact, TeamRole.AGENCY_CONTACT, actor=coordinator)
    nominal_update(nominal=nominal, actor=coordinator, case_manager=practitioner)
    edit = reverse("cases:edit", args=[nominal.pk])
    add_member = reverse("cases:team_add", args=[nominal.pk])
    changes = "Changes to the case</h2>"

    def pages():
        return "".join(client.get(section(name, nominal)).content.decode()
                       for name in ("cases:detail", TEAM, HISTORY))

    sign_in(client, contact)
    content = pages()
    assert edit not in content and add_member not in content and changes not in content
    sign_in(client, practitioner)
    content = pages()
    assert edit in content and add_member in content and changes in content
    # Archiving and case access are the Co-ordinator's.
    assert reverse("cases:archive", args=[nominal.pk]) not in content
    assert reverse("cases:access", args=[nominal.pk]) not in content
    sign_in(client, coordinator)
    content = client.get(detail(nominal)).content.decode()
    assert reverse("cases:archive", args=[nominal.pk]) in content
    assert reverse("cases:access", args=[nominal.pk]) in content


def test_history_hides_victim_records_from_those_without_the_victim_permission(
    client, coordinator, police
):
    visor = make_user("visor", agency=police)
    nominal = make_nominal(actor=coordinator, visor_manager=visor)
    victim_record(nominal=nominal, actor=coordinator, relationship="Former partner Jane Roe")
    sign_in(client, visor)
    response = client.get(section(HISTORY, nominal))
    assert response.context["history"]
    assert "Jane Roe" not in response.content.decode()
    assert not [event for event in response.context["history"]
                if event.object_type == "cases.victim"]
    sign_in(client, coordinator)
    response = client.get(section(HISTORY, nominal))
    # The Co-ordinator sees that a victim was recorded; the details are never in the trail.
    assert [event for event in response.context["history"]
            if event.object_type == "cases.victim"]
    assert "Jane Roe" not in response.content.decode()


def test_restriction_reason_is_shown_to_the_coordinator_only(client, coordinator, practitioner,
                                                            police):
    nominal = make_nominal(actor=coordinator, case_manager=practitioner)
    nominal_restrict(nominal=nominal, reason="Offender is a serving officer",
                     named_users=[practitioner], actor=coordinator)
    sign_in(client, practitioner)
    content = client.get(detail(nominal)).content.decode()
    assert "Restricted case." in content and "serving officer" not in content
    sign_in(client, coordinator)
    assert "serving officer" in client.get(detail(nominal)).content.decode()


def test_history_hides_the_coordinators_exclusions_from_the_case_manager(
    client, coordinator, practitioner, outsider
):
    nominal = make_nominal(actor=coordinator, case_manager=practitioner)
    exclusion_add(nominal=nominal, user=outsider, reason="Lives next door to the victim",
                  actor=coordinator)
    sign_in(client, practitioner)
    content = client.get(section(HISTORY, nominal)).content.decode()
    assert "Changes to the case</h2>" in content and "Exclusion of" not in content
    sign_in(client, coordinator)
    assert "Exclusion of" in client.get(section(HISTORY, nominal)).content.decode()


def test_archived_case_page_warns_it_is_archived(coordinator_client, coordinator, cases):
    nominal_archive(nominal=cases[0], reason="Order ended", actor=coordinator)
    content = coordinator_client.get(detail(cases[0])).content.decode()
    assert "This case is archived" in content
    assert reverse("cases:reactivate", args=[cases[0].pk]) in content


def test_identification_more_than_3_days_after_sentence_is_flagged_weekends_included(
    coordinator_client, coordinator
):
    # Sentenced Thursday 8 May 2025: Liberation Day and the weekend follow, and count (§3.3
    # says "within 3 days").
    on_time = make_nominal(actor=coordinator, sentence_date=date(2025, 5, 8),
                           identified_on=date(2025, 5, 11))
    late = make_nominal(actor=coordinator, sentence_date=date(2025, 5, 8),
                        identified_on=date(2025, 5, 12))
    response = coordinator_client.get(detail(on_time))
    assert response.context["identification"] == {"days": 3, "late": False, "limit": 3}
    response = coordinator_client.get(detail(late))
    assert response.context["identification"]["late"]
    assert "4 days after sentence" in response.content.decode()


def test_category_3_tests_are_shown_for_category_3(coordinator_client, coordinator):
    nominal = make_nominal(actor=coordinator, category=Category.THREE,
                           cat3_capacity_for_serious_harm=True,
                           cat3_needs_multi_agency_management=True, cat3_disposal="caution")
    content = coordinator_client.get(detail(nominal)).content.decode()
    assert "Category 3: the Co-ordinator's two tests" in content
    assert "Caution" in content


def test_team_shows_current_and_past_members_with_end_links(coordinator_client, coordinator,
                                                           practitioner, outsider, cases):
    from cases.services import team_member_end

    member = add_to_team(cases[0], outsider, actor=coordinator)
    team_member_end(member=member, actor=coordinator)
    response = coordinator_client.get(section(TEAM, cases[0]))
    assert [m.user for m in response.context["team_current"]] == [practitioner]
    assert [m.user for m in response.context["team_past"]] == [outsider]
    content = response.content.decode()
    current = response.context["team_current"][0]
    assert reverse("cases:team_end", args=[cases[0].pk, current.pk]) in content
    assert reverse("cases:team_end", args=[cases[0].pk, member.pk]) not in content


def full_case(coordinator, police, practitioner, n: int):
    nominal = make_nominal(actor=coordinator, lead_agency=police, case_manager=practitioner,
                           visor_manager=coordinator)
    for i in range(n):
        alias_add(nominal=nominal, actor=coordinator, name=f"Alias {i}", kind=AliasKind.ALIAS)
        address_add(nominal=nominal, actor=coordinator, address=f"{i} Rue", is_current=True,
                    date_from=date(2020, 1, 1) + timedelta(days=i))
        record_rosh(nominal, coordinator, assessed_on=date(2024, 1, 1) + timedelta(days=i))
        risk_assessment_record(nominal=nominal, actor=coordinator, tool="rm2000", score="High",
                               assessed_on=date(2024, 1, 1), assessor="A", agency=police)
        nominal_set_level(nominal=nominal, level=Level.TWO, reason=f"Reason {i}",
                          actor=coordinator)
        add_to_team(nominal, make_user(agency=make_agency()), actor=coordinator)
        transfer_record(nominal=nominal, actor=coordinator, direction="in",
                        other_jurisdiction="Guernsey")
        deviation_record(nominal=nominal, actor=coordinator, what="Late meeting", why="Strike")
    return nominal


# The most queries each section may take, the second factor's and the read's audit included.
SECTION_QUERIES = {"cases:detail": 18, RISK: 14, TEAM: 13, "meetings:case": 14,
                   "plans:case": 12, HISTORY: 17}


@pytest.mark.parametrize("name", SECTIONS)
def test_each_case_section_takes_a_fixed_number_of_queries(coordinator_client, coordinator,
                                                            police, practitioner, name):
    small = full_case(coordinator, police, practitioner, 1)
    large = full_case(coordinator, police, practitioner, 8)
    nominal_archive(nominal=large, reason="Done", actor=coordinator)
    queries = count_queries(coordinator_client, section(name, large))
    assert queries == count_queries(coordinator_client, section(name, small))
    assert queries <= SECTION_QUERIES[name]


# -- the photo -----------------------------------------------------------------------------------


@pytest.fixture
def with_photo(cases, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    nominal = cases[0]
    nominal.photo.save("face.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"), save=True)
    return nominal


def test_photo_is_served_to_the_team_and_never_cached(practitioner_client, with_photo):
    response = practitioner_client.get(reverse("cases:photo", args=[with_photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert reverse("cases:photo", args=[with_photo.pk]) in practitioner_client.get(
        detail(with_photo)).content.decode()


def test_photo_is_404_for_a_user_outside_the_case(client, outsider, with_photo):
    sign_in(client, outsider)
    assert client.get(reverse("cases:photo", args=[with_photo.pk])).status_code == 404


def test_photo_is_404_when_there_is_none(coordinator_client, cases):
    assert coordinator_client.get(reverse("cases:photo", args=[cases[1].pk])).status_code == 404


# -- retention review and deviations ---------------------------------------------------------


def test_retention_review_lists_archived_records_of_people_aged_100_or_more(
    coordinator_client, coordinator
):
    due = make_nominal(actor=coordinator, date_of_birth=years_ago(101))
    active = make_nominal(actor=coordinator, date_of_birth=years_ago(101))
    young = make_nominal(actor=coordinator, date_of_birth=years_ago(99))
    for nominal in (due, young):
        nominal_archive(nominal=nominal, reason="Died", actor=coordinator)
    response = coordinator_client.get(reverse("cases:retention"))
    assert listed(response) == {due.pk}
    assert active.pk not in listed(response)


def test_retention_review_is_the_coordinators_only(practitioner_client, cases):
    assert practitioner_client.get(reverse("cases:retention")).status_code == 403


def test_deviations_list_shows_only_those_of_visible_cases(practitioner_client, coordinator,
                                                           cases):
    mine = deviation_record(nominal=cases[0], actor=coordinator, what="Meeting late",
                            why="Chair ill")
    deviation_record(nominal=cases[1], actor=coordinator, what="Secret departure", why="X")
    response = practitioner_client.get(reverse("cases:deviations"))
    assert [d.pk for d in response.context["deviations"]] == [mine.pk]
    assert "Secret departure" not in response.content.decode()


def test_deviations_list_query_count_does_not_grow_with_rows(coordinator_client, coordinator,
                                                             cases):
    url = reverse("cases:deviations")
    deviation_record(nominal=cases[0], actor=coordinator, what="a", why="b")
    few = count_queries(coordinator_client, url)
    for nominal in [make_nominal(actor=coordinator) for _ in range(5)]:
        deviation_record(nominal=nominal, actor=coordinator, what="a", why="b")
    assert count_queries(coordinator_client, url) == few
