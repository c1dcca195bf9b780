"""The permission matrix: every demo persona against every page and endpoint of the case
register, on the demo data of `seed_demo`.

What each persona should see is stated here, independently of jmappa/access.py, from
the need-to-know rule of the Guidance (§4.2) and the design:
- a user excluded from a case sees nothing of it, whatever their role;
- a restricted case is seen only by the users named on it;
- otherwise the Co-ordinator and Administrators see every case; anyone else sees the
  cases whose team they are currently on, or, as the SPOC of an agency that allows it,
  the cases their agency is involved in; SMB members as such see none;
- the case record may be changed by the Co-ordinator and Administrators, and by its
  current case manager and ViSOR manager;
- victim details are seen by the Co-ordinator and by team members given the victim
  permission.
A case the persona may not see answers 404 everywhere, and is absent from every list
and export; so does a page they may not use on a case they do see.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import CaseAgency, Exclusion, NamedAccess, Nominal, TeamMember, TeamRole
from jmappa.accounts.models import Role, User
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator", "admin.officer", "police.inspector", "probation.officer",
            "housing.officer", "smb.member"]
DETAIL_LINK = re.compile(r'href="/cases/(\d+)/"')
REFERENCE = re.compile(r"^J\d{6}$")


# -- the rule, stated independently --------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    visible: frozenset[int]
    change: frozenset[int]
    victims: frozenset[int]

    @property
    def references(self) -> set[str]:
        return {f"J{pk:06d}" for pk in self.visible}


def expected_for(user: User) -> Expected:
    every_case = set(Nominal.objects.values_list("pk", flat=True))
    excluded = set(Exclusion.objects.filter(user=user).values_list("nominal_id", flat=True))
    restricted = set(Nominal.objects.filter(restricted=True).values_list("pk", flat=True))
    named = set(NamedAccess.objects.filter(user=user).values_list("nominal_id", flat=True))
    memberships = list(TeamMember.objects.current().filter(user=user)
                       .values_list("nominal_id", "role", "sees_victims"))
    on_team = {nominal for nominal, _, _ in memberships}
    as_spoc = set(CaseAgency.objects.filter(
        date_to__isnull=True, agency__spoc=user, agency__spoc_sees_agency_cases=True,
    ).values_list("nominal_id", flat=True))

    keeps_register = Role.COORDINATOR in user.roles or Role.ADMINISTRATOR in user.roles
    reachable = every_case if keeps_register else on_team | as_spoc
    visible = {pk for pk in reachable
               if pk not in excluded and (pk not in restricted or pk in named)}
    if not user.is_active:
        visible = set()

    managers = {nominal for nominal, role, _ in memberships
                if role in (TeamRole.CASE_MANAGER, TeamRole.VISOR_MANAGER)}
    change = visible if keeps_register else visible & managers
    victim_holders = {nominal for nominal, _, sees in memberships if sees}
    victims = visible if Role.COORDINATOR in user.roles else visible & victim_holders
    return Expected(frozenset(visible), frozenset(change), frozenset(victims))


# -- helpers -------------------------------------------------------------------------------


@pytest.fixture
def persona(seeded, request):
    return User.objects.get(username=request.param)


@pytest.fixture
def expected(persona):
    return expected_for(persona)


@pytest.fixture
def web(persona):
    client = Client()
    sign_in(client, persona)
    return client


@pytest.fixture
def api(persona):
    client = APIClient()
    client.force_authenticate(persona)
    return client


def every_case() -> list[int]:
    return list(Nominal.objects.order_by("pk").values_list("pk", flat=True))


def answers(client, url_for, pks) -> dict[int, int]:
    return {pk: client.get(url_for(pk)).status_code for pk in pks}


def wanted(allowed: frozenset[int], pks) -> dict[int, int]:
    return {pk: 200 if pk in allowed else 404 for pk in pks}


def by_persona(test):
    return pytest.mark.parametrize("persona", PERSONAS, indirect=True)(test)


# -- the demo data exercises every part of the rule ----------------------------------------


def test_the_demo_data_exercises_every_part_of_the_rule(seeded):
    seen = {name: expected_for(User.objects.get(username=name)) for name in PERSONAS}
    restricted = Nominal.objects.get(restricted=True).pk
    excluded = Exclusion.objects.get().nominal_id
    assert restricted not in seen["admin.officer"].visible
    assert restricted in seen["coordinator"].visible
    assert excluded not in seen["housing.officer"].visible
    assert seen["smb.member"].visible == set()
    assert seen["admin.officer"].victims == set()
    for name in ["police.inspector", "probation.officer", "housing.officer"]:
        assert seen[name].visible and seen[name].victims, name
    for name in ["police.inspector", "housing.officer"]:
        assert seen[name].visible - seen[name].victims, name
    assert seen["police.inspector"].change and \
        seen["police.inspector"].visible - seen["police.inspector"].change
    assert seen["housing.officer"].change == set()


@by_persona
def test_access_py_agrees_with_the_rule(persona, expected):
    assert set(Nominal.objects.visible_to(persona).values_list("pk", flat=True)) == \
        expected.visible


# -- pages ---------------------------------------------------------------------------------


@by_persona
def test_case_list_shows_exactly_the_cases_the_persona_may_see(persona, expected, web):
    url = reverse("cases:list")
    listed, shown, page = set(), "", 1
    while True:
        response = web.get(url, {"status": "all", "page": page})
        if not expected.visible and response.status_code == 403:
            break
        assert response.status_code == 200, f"page {page}"
        content = response.content.decode()
        listed |= {int(pk) for pk in DETAIL_LINK.findall(content)}
        shown += content
        if f"page={page + 1}" not in content:
            break
        page += 1
    assert listed == expected.visible
    assert {ref for ref in re.findall(r"\bJ\d{6}\b", shown)} == expected.references


@by_persona
def test_case_page_answers_200_when_visible_and_404_otherwise(persona, expected, web):
    pks = every_case()
    assert answers(web, lambda pk: reverse("cases:detail", args=[pk]), pks) == \
        wanted(expected.visible, pks)


@by_persona
def test_edit_page_answers_200_only_to_those_who_may_change_the_case(persona, expected, web):
    pks = every_case()
    assert answers(web, lambda pk: reverse("cases:edit", args=[pk]), pks) == \
        wanted(expected.change, pks)


@by_persona
def test_victims_page_answers_200_only_with_the_victim_permission(persona, expected, web):
    pks = every_case()
    assert answers(web, lambda pk: reverse("cases:victims", args=[pk]), pks) == \
        wanted(expected.victims, pks)


@by_persona
def test_csv_export_holds_exactly_the_visible_cases(persona, expected, web):
    response = web.get(reverse("cases:export"), {"status": "all"})
    if not expected.visible and response.status_code == 403:
        return
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    exported = [cell for row in rows[1:] for cell in row if REFERENCE.match(cell)]
    assert len(exported) == len(set(exported))
    assert set(exported) == expected.references
    assert len(rows) - 1 == len(expected.visible)


# -- API -----------------------------------------------------------------------------------


@by_persona
def test_api_list_holds_exactly_the_visible_cases(persona, expected, api):
    url, listed = "/api/v1/offenders/?status=all", []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        listed += [row["id"] for row in body["results"]]
        url = body.get("next")
    assert len(listed) == len(set(listed))
    assert set(listed) == expected.visible


@by_persona
def test_api_retrieve_answers_200_when_visible_and_404_otherwise(persona, expected, api):
    pks = every_case()
    assert answers(api, lambda pk: f"/api/v1/offenders/{pk}/", pks) == \
        wanted(expected.visible, pks)


@by_persona
def test_api_victims_answer_200_only_with_the_victim_permission(persona, expected, api):
    pks = every_case()
    assert answers(api, lambda pk: f"/api/v1/offenders/{pk}/victims/", pks) == \
        wanted(expected.victims, pks)


# -- the other pages about a case ----------------------------------------------------------

# Forms that change the record or its parts: the same rule as the edit page.
CHANGE_FORMS = ["alias_add", "address_add", "level_set", "rosh_add", "risk_assessment_add",
                "team_add", "transfer_add", "deviation_add"]
# The Co-ordinator's decisions: on a case the user sees, refused (403) to anyone else;
# on a case they do not see, 404 like everything else.
COORDINATOR_PAGES = ["archive", "reactivate", "access"]


def probe_cases() -> list[int]:
    """The cases where the rule can tell the personas apart: the restricted and the
    excluded case, the archived and the transferred ones, those with an ended or a
    future membership, and for each persona one case it may change, one it only sees,
    and one it does not see."""
    from cases.models import Status, Transfer

    pks = set(Nominal.objects.filter(restricted=True).values_list("pk", flat=True))
    pks |= set(Exclusion.objects.values_list("nominal_id", flat=True))
    pks |= set(Nominal.objects.filter(status=Status.ARCHIVED).values_list("pk", flat=True))
    pks |= set(Transfer.objects.values_list("nominal_id", flat=True))
    today = timezone.localdate()
    pks |= set(TeamMember.objects.exclude(date_to=None).values_list("nominal_id", flat=True))
    pks |= set(TeamMember.objects.filter(date_from__gt=today)
               .values_list("nominal_id", flat=True))
    everything = set(every_case())
    for name in PERSONAS:
        rule = expected_for(User.objects.get(username=name))
        for group in (rule.change, rule.visible - rule.change, everything - rule.visible,
                      rule.victims, rule.visible - rule.victims):
            if group:
                pks.add(min(group))
    return sorted(pks)


@by_persona
def test_forms_on_a_case_answer_200_only_to_those_who_may_change_it(persona, expected, web):
    from cases.models import Transfer

    pks = probe_cases()
    for name in CHANGE_FORMS:
        got = answers(web, lambda pk, name=name: reverse(f"cases:{name}", args=[pk]), pks)
        assert got == wanted(expected.change, pks), name
    transfer = Transfer.objects.get()
    got = web.get(reverse("cases:transfer_edit", args=[transfer.nominal_id, transfer.pk]))
    assert got.status_code == (200 if transfer.nominal_id in expected.change else 404)
    contacts = TeamMember.objects.current().filter(nominal__in=pks,
                                                   role=TeamRole.AGENCY_CONTACT)
    for member in contacts:
        got = web.get(reverse("cases:team_end", args=[member.nominal_id, member.pk]))
        assert got.status_code == (200 if member.nominal_id in expected.change else 404), \
            member


@by_persona
def test_coordinator_decisions_answer_404_outside_the_case_and_403_to_others(
    persona, expected, web
):
    pks = probe_cases()
    decides = Role.COORDINATOR in persona.roles
    want = {pk: (200 if decides else 403) if pk in expected.visible else 404 for pk in pks}
    for name in COORDINATOR_PAGES:
        got = answers(web, lambda pk, name=name: reverse(f"cases:{name}", args=[pk]), pks)
        assert got == want, name


@by_persona
def test_deviation_register_lists_only_the_deviations_of_visible_cases(persona, expected,
                                                                      web):
    from cases.models import Deviation

    response = web.get(reverse("cases:deviations"))
    assert response.status_code == 200
    listed = {int(pk) for pk in re.findall(r'href="/cases/(\d+)/history/#h-deviations"',
                                           response.content.decode())}
    deviated = set(Deviation.objects.values_list("nominal_id", flat=True))
    assert listed == deviated & expected.visible


@by_persona
def test_retention_review_page_is_the_coordinators_alone(persona, expected, web):
    response = web.get(reverse("cases:retention"))
    if Role.COORDINATOR not in persona.roles:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = {int(pk) for pk in DETAIL_LINK.findall(response.content.decode())}
    today = timezone.localdate()
    centenarians = Nominal.objects.filter(
        status="archived", date_of_birth__lte=today.replace(year=today.year - 100, day=1))
    assert listed == set(centenarians.values_list("pk", flat=True))
    assert len(listed) == 1


@by_persona
def test_new_case_page_is_the_register_keepers_alone(persona, web):
    keeps_register = Role.COORDINATOR in persona.roles or Role.ADMINISTRATOR in persona.roles
    assert web.get(reverse("cases:create")).status_code == (200 if keeps_register else 403)


# -- API writes: refused as the pages refuse, before any data is looked at ------------------


@by_persona
def test_api_change_answers_404_to_those_who_may_not_change_the_case(persona, expected, api):
    pks = probe_cases()
    # No version sent: 428 for those who may change it, and nothing is written.
    got = {pk: api.patch(f"/api/v1/offenders/{pk}/", {}, format="json").status_code
           for pk in pks}
    assert got == {pk: 428 if pk in expected.change else 404 for pk in pks}


@by_persona
def test_api_victim_recording_answers_404_without_the_victim_permission(persona, expected,
                                                                       api):
    pks = probe_cases()
    # An empty victim: 400 (field errors) for those who may record one, nothing written.
    got = {pk: api.post(f"/api/v1/offenders/{pk}/victims/", {}, format="json").status_code
           for pk in pks}
    assert got == {pk: 400 if pk in expected.victims else 404 for pk in pks}


@by_persona
def test_api_create_is_refused_to_all_but_the_register_keepers(persona, api):
    response = api.post("/api/v1/offenders/", {}, format="json")
    keeps_register = Role.COORDINATOR in persona.roles or Role.ADMINISTRATOR in persona.roles
    assert response.status_code == (400 if keeps_register else 403)


# -- what a visible case page must not show ------------------------------------------------


def _pages_of(client, api_client, pk) -> dict[str, str]:
    pages = {"case page": client.get(reverse("cases:detail", args=[pk])).content.decode(),
             "API record": api_client.get(f"/api/v1/offenders/{pk}/").content.decode()}
    edit = client.get(reverse("cases:edit", args=[pk]))
    if edit.status_code == 200:
        pages["edit page"] = edit.content.decode()
    return pages


@by_persona
def test_victim_details_are_not_shown_on_a_case_without_the_victim_permission(
    persona, expected, web, api
):
    from django.utils.html import escape

    from cases.models import Victim

    for victim in Victim.objects.filter(nominal__in=expected.visible - expected.victims):
        for page, content in _pages_of(web, api, victim.nominal_id).items():
            for text in (victim.relationship, victim.contact_restrictions):
                assert escape(text) not in content and text not in content, \
                    (page, victim.nominal_id, text)


@by_persona
def test_exclusion_and_restriction_reasons_are_shown_to_the_coordinator_alone(
    persona, expected, web, api
):
    from django.utils.html import escape

    if Role.COORDINATOR in persona.roles:
        return
    secrets = {}
    for exclusion in Exclusion.objects.filter(nominal__in=expected.visible):
        secrets.setdefault(exclusion.nominal_id, []).append(exclusion.reason)
    for nominal in Nominal.objects.filter(restricted=True, pk__in=expected.visible):
        secrets.setdefault(nominal.pk, []).append(nominal.restricted_reason)
    assert secrets or persona.username in ("housing.officer", "smb.member")
    for pk, reasons in secrets.items():
        for page, content in _pages_of(web, api, pk).items():
            for reason in reasons:
                assert escape(reason) not in content and reason not in content, (page, pk)
