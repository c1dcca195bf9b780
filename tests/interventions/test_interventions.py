"""Integrated intervention packages (seed 004): the catalogue of interventions from the
provider catalogue; a person's package opened with the engagement record; each intervention
weighed as an option, sequenced, referred, accepted by a provider willing and able (within its
places), agreed by the person, delivered in order; the log of progress, non-compliance and
feedback; review points alerting whoever makes them happen; every change a revision with who,
when and why; the pages and API read by whoever reads the case and by no one else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from alerts.models import Rule
from alerts.registry import RULES
from cases.services import team_member_add
from coordination import services as coordination
from coordination.models import ProviderKind
from interventions import services
from interventions.models import (
    EntryKind,
    PackageChange,
    PackageStatus,
    ProgrammeType,
    Stage,
)
from jmappa.accounts.models import Role
from tests.factories import make_nominal, make_user
from tests.helpers import content, sign_in

pytestmark = pytest.mark.django_db

ENGAGED = date(2026, 1, 12)
ENGAGEMENT = {"engaged_on": ENGAGED, "rights_explained": True,
              "confidentiality_explained": True,
              "court_required": "An accredited programme for domestic abuse.",
              "needs": "Drinks when stressed; wants to see his son.",
              "wants_involved": "His brother."}
WEIGHED = {"risk_factors": "Violence to a partner.", "protective_factors": "Being a father.",
           "advantages": "Required by the order.", "disadvantages": "24 weeks long."}


@pytest.fixture
def officer(police):
    return make_user("pat", roles=[Role.PRACTITIONER], agency=police, first_name="Pat",
                     last_name="Officer")


@pytest.fixture
def case(coordinator, officer):
    return make_nominal(actor=coordinator, case_manager=officer)


@pytest.fixture
def provider(coordinator, police):
    return coordination.provider_save(actor=coordinator, name="Probation programmes",
                                      kind=ProviderKind.AGENCY, agency=police,
                                      services="Accredited programmes", is_active=True)


def catalogued(coordinator, provider, name="Building Better Relationships", places=None):
    return services.intervention_save(
        actor=coordinator, name=name, provider=provider,
        programme_type=ProgrammeType.ACCREDITED, description="A group programme.",
        eligibility="Men convicted of violence to a partner.", capacity=places,
        is_active=True)


@pytest.fixture
def programme(coordinator, provider):
    return catalogued(coordinator, provider, places=1)


@pytest.fixture
def package(case, officer):
    return services.package_start(nominal=case, actor=officer, **ENGAGEMENT)


def chosen(package, officer, intervention, **fields):
    item = services.option_add(package=package, actor=officer, intervention=intervention,
                               **{**WEIGHED, **fields})
    return services.option_update(item=item, actor=officer, version=item.version,
                                  decision=Stage.CHOSEN, why="Weighed with him.")


def accepted(item, officer, *, agree=True):
    item = services.referral_record(item=item, actor=officer, version=item.version,
                                    referred_on=ENGAGED, referral_discussed="Its role.",
                                    information_given="His offence.")
    item = services.provider_answer(item=item, actor=officer, version=item.version,
                                    answered_on=ENGAGED, willing=True, able=True,
                                    resources="A place.", contribution="The weekly group.")
    if agree:
        item = services.person_agreement(item=item, actor=officer, version=item.version,
                                         agrees=True, on=ENGAGED)
    return item


def progress(package, officer, item, stage, on=ENGAGED):
    return services.entry_record(package=package, actor=officer, kind=EntryKind.PROGRESS,
                                 on=on, note="Session attended.", intervention=item,
                                 stage_after=stage)


def due(day):
    return {row["subject_id"]: row["due_on"]
            for row in RULES[Rule.INTERVENTION_REVIEW_DUE].rows(day, horizon=day)}


# -- the engagement record -------------------------------------------------------------------


def test_a_package_starts_only_once_rights_and_confidentiality_are_explained(case, officer):
    with pytest.raises(ValidationError) as refused:
        services.package_start(nominal=case, actor=officer, **{
            **ENGAGEMENT, "rights_explained": False, "confidentiality_explained": False,
            "needs": ""})
    assert {"rights_explained", "confidentiality_explained", "needs"} <= set(
        refused.value.message_dict)
    package = services.package_start(nominal=case, actor=officer, **ENGAGEMENT)
    assert package.revision == 1 and package.changes.get().revision == 1


def test_one_package_in_force_per_person_and_a_closed_one_is_not_changed(case, officer,
                                                                         programme):
    package = services.package_start(nominal=case, actor=officer, **ENGAGEMENT)
    with pytest.raises(ValidationError):
        services.package_start(nominal=case, actor=officer, **ENGAGEMENT)
    package = services.package_close(package=package, actor=officer, version=package.version,
                                     closed_on=ENGAGED, why="Order ended.")
    assert package.status == PackageStatus.CLOSED
    with pytest.raises(ValidationError):
        services.option_add(package=package, actor=officer, intervention=programme, **WEIGHED)
    services.package_start(nominal=case, actor=officer, **ENGAGEMENT)


def test_only_those_who_keep_the_plan_keep_the_package(case, outsider, practitioner):
    for someone in (outsider, practitioner):
        with pytest.raises(PermissionDenied):
            services.package_start(nominal=case, actor=someone, **ENGAGEMENT)


# -- options, sequence, referral, answer, agreement ---------------------------------------


def test_an_intervention_addresses_a_risk_factor_or_builds_a_protective_one(package, officer,
                                                                             programme):
    with pytest.raises(ValidationError) as refused:
        services.option_add(package=package, actor=officer, intervention=programme)
    assert "risk_factors" in refused.value.message_dict
    item = services.option_add(package=package, actor=officer, intervention=programme,
                               protective_factors="A routine.")
    assert item.stage == Stage.OPTION


def test_an_option_is_chosen_only_once_its_advantages_and_disadvantages_are_weighed(
        package, officer, programme):
    item = services.option_add(package=package, actor=officer, intervention=programme,
                               risk_factors="Violence.")
    with pytest.raises(ValidationError) as refused:
        services.option_update(item=item, actor=officer, version=item.version,
                               decision=Stage.CHOSEN, why="Agreed.")
    assert {"advantages", "disadvantages"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        services.option_update(item=item, actor=officer, version=item.version,
                               decision=Stage.CHOSEN, advantages="Yes", disadvantages="Long",
                               why="")
    assert "why" in refused.value.message_dict
    item = services.option_update(item=item, actor=officer, version=item.version,
                                  decision=Stage.CHOSEN, advantages="Yes", disadvantages="Long",
                                  why="He prefers the group.")
    assert item.stage == Stage.CHOSEN


def test_only_a_chosen_option_is_referred(package, officer, programme):
    item = services.option_add(package=package, actor=officer, intervention=programme,
                               **WEIGHED)
    with pytest.raises(ValidationError):
        services.referral_record(item=item, actor=officer, version=item.version,
                                 referred_on=ENGAGED, referral_discussed="Role.",
                                 information_given="Offence.")


def test_a_provider_willing_and_able_accepts_and_one_that_is_not_declines(
        package, officer, coordinator, provider, programme):
    item = accepted(chosen(package, officer, programme), officer, agree=False)
    assert item.stage == Stage.ACCEPTED
    other = chosen(package, officer, catalogued(coordinator, provider, name="Anger work"),
                   step=2)
    other = services.referral_record(item=other, actor=officer, version=other.version,
                                     referred_on=ENGAGED, referral_discussed="Role.",
                                     information_given="Offence.")
    with pytest.raises(ValidationError) as refused:
        services.provider_answer(item=other, actor=officer, version=other.version,
                                 answered_on=ENGAGED, willing=True, able=True)
    assert {"resources", "contribution"} <= set(refused.value.message_dict)
    other = services.provider_answer(item=other, actor=officer, version=other.version,
                                     answered_on=ENGAGED, willing=True, able=False)
    assert other.stage == Stage.DECLINED


def test_the_last_place_is_taken_and_then_none_is_free(package, officer, coordinator, programme,
                                                      police):
    accepted(chosen(package, officer, programme), officer)  # its one place
    second_case = make_nominal(actor=coordinator, case_manager=officer)
    second = services.package_start(nominal=second_case, actor=officer, **ENGAGEMENT)
    item = chosen(second, officer, programme)
    item = services.referral_record(item=item, actor=officer, version=item.version,
                                    referred_on=ENGAGED, referral_discussed="Role.",
                                    information_given="Offence.")
    with pytest.raises(ValidationError) as refused:
        services.provider_answer(item=item, actor=officer, version=item.version,
                                 answered_on=ENGAGED, willing=True, able=True,
                                 resources="A place.", contribution="The group.")
    assert "no place free" in str(refused.value)


def test_an_intervention_starts_after_the_persons_agreement_and_what_it_comes_after(
        package, officer, coordinator, provider, programme):
    first = accepted(chosen(package, officer, programme), officer, agree=False)
    with pytest.raises(ValidationError) as refused:
        progress(package, officer, first, Stage.UNDER_WAY)
    assert "agreed" in str(refused.value)
    first = services.person_agreement(item=first, actor=officer, version=first.version,
                                      agrees=True, on=ENGAGED)
    second = accepted(chosen(package, officer, catalogued(coordinator, provider, "Victim work"),
                             step=2, after=first), officer)
    progress(package, officer, first, Stage.UNDER_WAY)
    with pytest.raises(ValidationError) as refused:
        progress(package, officer, second, Stage.UNDER_WAY)
    assert "once that one is completed" in str(refused.value)
    first.refresh_from_db()
    progress(package, officer, first, Stage.COMPLETED, on=ENGAGED + timedelta(days=30))
    second.refresh_from_db()
    with pytest.raises(ValidationError):
        progress(package, officer, second, Stage.UNDER_WAY, on=ENGAGED + timedelta(days=29))
    progress(package, officer, second, Stage.UNDER_WAY, on=ENGAGED + timedelta(days=30))
    second.refresh_from_db()
    assert second.stage == Stage.UNDER_WAY and second.started_on == ENGAGED + timedelta(days=30)


def test_a_later_step_comes_after_an_earlier_one(package, officer, programme, coordinator,
                                                 provider):
    first = chosen(package, officer, programme, step=2)
    with pytest.raises(ValidationError) as refused:
        services.option_add(package=package, actor=officer, after=first, step=2,
                            intervention=catalogued(coordinator, provider, "Victim work"),
                            **WEIGHED)
    assert "later step" in refused.value.message_dict["after"][0]


def test_the_person_who_does_not_agree_frees_the_place(package, officer, programme):
    item = accepted(chosen(package, officer, programme), officer, agree=False)
    item = services.person_agreement(item=item, actor=officer, version=item.version,
                                     agrees=False, on=ENGAGED)
    assert item.stage == Stage.NOT_CHOSEN
    assert services.places_taken(programme) == 0


# -- the log ---------------------------------------------------------------------------------


def test_non_compliance_is_recorded_with_the_action_taken(package, officer, programme):
    item = accepted(chosen(package, officer, programme), officer)
    with pytest.raises(ValidationError) as refused:
        services.entry_record(package=package, actor=officer, kind=EntryKind.NON_COMPLIANCE,
                              on=ENGAGED, note="Missed two sessions.", intervention=item)
    assert "action_taken" in refused.value.message_dict
    entry = services.entry_record(package=package, actor=officer,
                                  kind=EntryKind.NON_COMPLIANCE, on=ENGAGED,
                                  note="Missed two sessions.", intervention=item,
                                  action_taken="A formal warning.")
    assert entry.intervention == item


def test_a_providers_feedback_names_the_intervention(package, officer):
    with pytest.raises(ValidationError) as refused:
        services.entry_record(package=package, actor=officer,
                              kind=EntryKind.PROVIDER_FEEDBACK, on=ENGAGED, note="Going well.")
    assert "intervention" in refused.value.message_dict


# -- the modification history -------------------------------------------------------------


def test_every_change_is_a_revision_with_who_when_and_why(package, officer, programme):
    item = chosen(package, officer, programme, step=1)
    services.option_update(item=item, actor=officer, version=item.version, step=3,
                           why="After the alcohol group.")
    package.refresh_from_db()
    latest = package.changes.first()
    assert package.revision == 4 == latest.revision
    assert latest.changed_by == officer and latest.why == "After the alcohol group."
    assert "step in the sequence: 1 → 3" in latest.what
    assert list(PackageChange.objects.filter(package=package).values_list(
        "revision", flat=True)) == [4, 3, 2, 1]


# -- review points and their alert --------------------------------------------------------


def test_a_review_point_alerts_whoever_makes_it_happen_from_its_date_until_held(
        package, officer):
    point = services.review_point_add(package=package, actor=officer,
                                      review_by=ENGAGED + timedelta(days=42),
                                      purpose="Progress.", responsible=officer)
    assert due(ENGAGED + timedelta(days=41)) == {}
    rows = list(RULES[Rule.INTERVENTION_REVIEW_DUE].rows(ENGAGED + timedelta(days=42),
                                                         horizon=ENGAGED + timedelta(days=42)))
    assert rows == [{"subject_id": point.pk, "nominal_id": package.nominal_id,
                     "due_on": ENGAGED + timedelta(days=42), "assigned_to_id": officer.pk}]
    services.review_point_held(point=point, actor=officer, version=point.version,
                               held_on=ENGAGED + timedelta(days=43), outcome="Going well.")
    assert due(ENGAGED + timedelta(days=43)) == {}


def test_a_review_point_of_a_closed_package_alerts_no_one(package, officer):
    services.review_point_add(package=package, actor=officer, review_by=ENGAGED,
                              purpose="Progress.", responsible=officer)
    assert len(due(ENGAGED)) == 1
    package.refresh_from_db()
    services.package_close(package=package, actor=officer, version=package.version,
                           closed_on=ENGAGED, why="Order ended.")
    assert due(ENGAGED) == {}


def test_the_person_responsible_sees_the_case(package, officer, outsider):
    with pytest.raises(ValidationError) as refused:
        services.review_point_add(package=package, actor=officer, review_by=ENGAGED,
                                  purpose="Progress.", responsible=outsider)
    assert "cannot see this case" in refused.value.message_dict["responsible"][0]


def test_the_person_responsible_records_the_review_though_they_do_not_keep_the_plan(
        client, package, officer, case, coordinator, housing):
    reader = make_user("hal", roles=[Role.PRACTITIONER], agency=housing)
    team_member_add(nominal=case, user=reader, role="agency_contact", actor=coordinator)
    point = services.review_point_add(package=package, actor=officer, review_by=ENGAGED,
                                      purpose="Progress.", responsible=reader)
    today = timezone.localdate()
    sign_in(client, reader)
    answer = client.post(reverse("interventions:held", args=[point.pk]), {
        "held_on_day": today.day, "held_on_month": today.month, "held_on_year": today.year,
        "outcome": "", "version": point.version})
    assert answer.status_code == 200 and "what the review found and agreed" in content(answer)
    answer = client.post(reverse("interventions:held", args=[point.pk]), {
        "held_on_day": today.day, "held_on_month": today.month, "held_on_year": today.year,
        "outcome": "Both groups attended.", "version": point.version})
    assert answer.status_code == 302
    point.refresh_from_db()
    assert point.held_on == today
    assert client.get(reverse("interventions:option_add", args=[package.pk])).status_code == 403


# -- the pages --------------------------------------------------------------------------------


def test_a_user_outside_the_case_reads_nothing_of_its_package(client, package, officer,
                                                             programme, outsider):
    item = chosen(package, officer, programme)
    point = services.review_point_add(package=package, actor=officer, review_by=ENGAGED,
                                      purpose="Progress.", responsible=officer)
    sign_in(client, outsider)
    for url in (reverse("interventions:case", args=[package.nominal_id]),
                reverse("interventions:start", args=[package.nominal_id]),
                reverse("interventions:engagement", args=[package.pk]),
                reverse("interventions:option_add", args=[package.pk]),
                reverse("interventions:option", args=[item.pk]),
                reverse("interventions:referral", args=[item.pk]),
                reverse("interventions:held", args=[point.pk])):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    api = APIClient()
    api.force_authenticate(outsider)
    for url in (f"/api/v1/intervention-packages/{package.pk}/",
                f"/api/v1/package-interventions/{item.pk}/",
                f"/api/v1/review-points/{point.pk}/"):
        assert api.get(url).status_code == 404, url
    assert api.post(f"/api/v1/package-interventions/{item.pk}/refer/", {},
                    format="json").status_code == 404
    assert api.get("/api/v1/intervention-packages/").json()["count"] == 0


def test_the_case_manager_builds_a_package_on_its_pages_and_a_refusal_keeps_the_text(
        client, case, officer, programme):
    sign_in(client, officer)
    answer = client.post(reverse("interventions:start", args=[case.pk]), {
        "engaged_on_day": "12", "engaged_on_month": "1", "engaged_on_year": "2026",
        "court_required": "An accredited programme.", "needs": "Work; his son.",
        "rights_explained": "on"})
    page = content(answer)
    assert answer.status_code == 200 and "confidentiality policy" in page
    assert "Work; his son." in page
    answer = client.post(reverse("interventions:start", args=[case.pk]), {
        "engaged_on_day": "12", "engaged_on_month": "1", "engaged_on_year": "2026",
        "court_required": "An accredited programme.", "needs": "Work; his son.",
        "rights_explained": "on", "confidentiality_explained": "on"})
    assert answer.status_code == 302
    package = case.intervention_packages.get()
    answer = client.post(reverse("interventions:option_add", args=[package.pk]), {
        "intervention": programme.pk, "step": "1", "advantages": "Evening group."})
    assert answer.status_code == 200 and "Evening group." in content(answer)
    assert "protective factors it builds" in content(answer)
    page = content(client.get(reverse("interventions:case", args=[case.pk])))
    assert "In force since 12 January 2026" in page and "Work; his son." in page


def test_a_reader_of_the_case_reads_the_package_and_does_not_change_it(
        client, package, case, coordinator, housing):
    reader = make_user("hal", roles=[Role.PRACTITIONER], agency=housing)
    team_member_add(nominal=case, user=reader, role="agency_contact", actor=coordinator)
    sign_in(client, reader)
    page = content(client.get(reverse("interventions:case", args=[case.pk])))
    assert "Drinks when stressed" in page and "Add an intervention" not in page
    assert client.get(reverse("interventions:engagement", args=[package.pk])).status_code == 403


def test_the_catalogue_is_read_by_practitioners_and_kept_by_the_coordinator(
        client, programme, practitioner, coordinator, provider):
    sign_in(client, practitioner)
    page = content(client.get(reverse("interventions:catalogue")))
    assert "Building Better Relationships" in page and "internal" in page
    assert "Add an intervention" not in page
    assert client.get(reverse("interventions:intervention_add")).status_code == 403
    client.logout()
    sign_in(client, coordinator)
    answer = client.post(reverse("interventions:intervention_add"), {
        "name": "Building Better Relationships", "provider": provider.pk,
        "programme_type": ProgrammeType.ACCREDITED, "description": "Group.",
        "eligibility": "Men.", "capacity": "0", "is_active": "on"})
    page = content(answer)
    assert answer.status_code == 200 and "already has an intervention of that name" in page


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def full_package(officer, coordinator, provider, n: int):
    nominal = make_nominal(actor=coordinator, case_manager=officer)
    package = services.package_start(nominal=nominal, actor=officer, **ENGAGEMENT)
    for i in range(n):
        item = chosen(package, officer, catalogued(coordinator, provider, f"Programme {i}{n}"),
                      step=i + 1)
        item = accepted(item, officer)
        progress(package, officer, item, Stage.UNDER_WAY)
        services.entry_record(package=package, actor=officer, kind=EntryKind.PERSON_FEEDBACK,
                              on=ENGAGED, note="Useful.", intervention=item)
        services.review_point_add(package=package, actor=officer, review_by=ENGAGED,
                                  purpose="Progress.", responsible=officer)
    return nominal


def test_the_interventions_section_takes_a_fixed_number_of_queries(
        client, officer, coordinator, provider):
    small = full_package(officer, coordinator, provider, 1)
    large = full_package(officer, coordinator, provider, 6)
    sign_in(client, officer)
    url = "interventions:case"
    queries = count_queries(client, reverse(url, args=[large.pk]))
    assert queries == count_queries(client, reverse(url, args=[small.pk]))
    assert queries <= 22


# -- the API ------------------------------------------------------------------------------


def test_the_api_builds_a_package_and_takes_an_intervention_through_its_steps(
        case, officer, programme):
    api = APIClient()
    api.force_authenticate(officer)
    answer = api.post("/api/v1/intervention-packages/", {
        "case": case.pk, "engaged_on": "2026-01-12", "court_required": "A programme.",
        "needs": "Work.", "rights_explained": True}, format="json")
    assert answer.status_code == 400 and "confidentiality_explained" in answer.json()
    answer = api.post("/api/v1/intervention-packages/", {
        "case": case.pk, "engaged_on": "2026-01-12", "court_required": "A programme.",
        "needs": "Work.", "rights_explained": True, "confidentiality_explained": True},
        format="json")
    assert answer.status_code == 201, answer.json()
    package = answer.json()["id"]
    answer = api.post("/api/v1/package-interventions/", {
        "package": package, "intervention": programme.pk, **WEIGHED}, format="json")
    assert answer.status_code == 201
    item = answer.json()
    answer = api.patch(f"/api/v1/package-interventions/{item['id']}/",
                       {"decision": "chosen", "why": "Agreed with him."}, format="json")
    assert answer.status_code == 428
    answer = api.patch(f"/api/v1/package-interventions/{item['id']}/",
                       {"decision": "chosen", "why": "Agreed with him.", "version": 1},
                       format="json")
    assert answer.status_code == 200 and answer.json()["stage"] == "chosen"
    answer = api.post(f"/api/v1/package-interventions/{item['id']}/refer/",
                      {"referred_on": "2026-01-13", "version": 1}, format="json")
    assert answer.status_code == 412
    answer = api.post(f"/api/v1/package-interventions/{item['id']}/refer/",
                      {"referred_on": "2026-01-13", "version": 2}, format="json")
    assert answer.status_code == 400 and "referral_discussed" in answer.json()
    answer = api.post("/api/v1/review-points/", {
        "package": package, "review_by": "2026-03-01", "purpose": "Progress.",
        "responsible": officer.pk}, format="json")
    assert answer.status_code == 201
    answer = api.get(f"/api/v1/intervention-packages/{package}/")
    assert answer.json()["revision"] == 4
    assert [p["review_by"] for p in answer.json()["review_points"]] == ["2026-03-01"]


def test_the_api_catalogue_is_kept_by_the_coordinator_only(practitioner, coordinator,
                                                          provider):
    api = APIClient()
    body = {"name": "Anger work", "provider": provider.pk, "programme_type": "one_to_one",
            "description": "Sessions.", "eligibility": "Anyone."}
    api.force_authenticate(practitioner)
    assert api.post("/api/v1/interventions/", body, format="json").status_code == 403
    api.force_authenticate(coordinator)
    answer = api.post("/api/v1/interventions/", body, format="json")
    assert answer.status_code == 201 and answer.json()["internal"] is True
    answer = api.post("/api/v1/interventions/", body, format="json")
    assert answer.status_code == 400 and "name" in answer.json()
