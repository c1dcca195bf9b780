"""People, agencies, API tokens and lock-outs are kept in the application, under the rules of
jmappa/access.py, and audited; the Django admin answers to superusers only.

Nobody changes their own roles or privileges; the Co-ordinator and Administrator roles, the
victim permission, and the password and email of whoever holds them, change only by the
Co-ordinator or a superuser; nobody becomes a superuser through the application.
"""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jmappa.accounts.models import Agency, AgencyKind, ApiToken, Role, User
from jmappa.accounts.services import api_token_issue
from jmappa.audit.models import AuditEvent, Verb
from tests.factories import add_to_team, make_nominal, make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

# What the demo used to give its Co-ordinator and Administrator in the admin site.
OLD_STAFF_PERMISSIONS = ["view_user", "add_user", "change_user", "view_agency",
                         "change_agency", "view_apitoken", "change_apitoken"]


@pytest.fixture
def administrator(police):
    user = make_user("admin.officer", roles=[Role.ADMINISTRATOR], agency=police,
                     first_name="Paul", last_name="Administrator", is_staff=True,
                     email="admin.officer@example.je")
    user.user_permissions.set(Permission.objects.filter(codename__in=OLD_STAFF_PERMISSIONS))
    return user


@pytest.fixture
def admin_client(client, administrator):
    sign_in(client, administrator)
    return client


def person_data(person, **changes):
    data = {"first_name": person.first_name, "last_name": person.last_name,
            "email": person.email, "phone": person.phone,
            "agency": person.agency_id or "", "job_title": person.job_title,
            "grade": person.grade or "", "roles": list(person.roles)}
    data.update(changes)
    return data


def events(person, action=Verb.CHANGE):
    return AuditEvent.objects.filter(object_type="accounts.user", object_id=str(person.pk),
                                     action=action)


# -- the Django admin: superusers only ------------------------------------------------------


def test_the_django_admin_answers_to_superusers_only(client, administrator, coordinator,
                                                     police):
    user_page = reverse("admin:accounts_user_change", args=[administrator.pk])
    coordinator.is_staff = True
    coordinator.save()
    for staff in (administrator, coordinator):
        sign_in(client, staff)
        for url in (reverse("admin:index"), user_page):
            answer = client.get(url)
            assert answer.status_code == 302, (staff, url)
            assert answer["Location"].startswith(reverse("admin:login"))
    root = make_user("root", agency=police, is_staff=True, is_superuser=True)
    sign_in(client, root)
    assert client.get(user_page).status_code == 200


def test_an_administrator_cannot_make_themselves_coordinator_in_the_django_admin(
        admin_client, administrator):
    page = reverse("admin:accounts_user_change", args=[administrator.pk])
    assert admin_client.get(page).status_code != 200
    admin_client.post(page, {"username": administrator.username,
                             "roles": [Role.ADMINISTRATOR, Role.COORDINATOR],
                             "is_superuser": "on", "is_active": "on"})
    administrator.refresh_from_db()
    assert administrator.roles == [Role.ADMINISTRATOR] and not administrator.is_superuser


def test_the_navigation_offers_people_to_who_manages_them_and_administration_to_superusers(
        admin_client, practitioner, client):
    # One navigation item for administration, its page listing the parts.
    body = admin_client.get(reverse("manage")).content.decode()
    assert reverse("people:list") in body and reverse("admin:index") not in body
    sign_in(client, practitioner)
    assert reverse("people:list") not in client.get(reverse("manage")).content.decode()


# -- own roles and senior accounts ------------------------------------------------------------


def test_an_administrator_cannot_raise_their_own_roles(admin_client, administrator):
    url = reverse("people:change", args=[administrator.pk])
    answer = admin_client.post(url, person_data(
        administrator, roles=[Role.ADMINISTRATOR, Role.COORDINATOR], is_superuser="on"))
    assert answer.status_code == 200
    administrator.refresh_from_db()
    assert administrator.roles == [Role.ADMINISTRATOR] and not administrator.is_superuser
    assert not events(administrator).exists()


def test_an_administrator_cannot_grant_the_coordinator_or_administrator_role(
        admin_client, practitioner):
    url = reverse("people:change", args=[practitioner.pk])
    for role in (Role.COORDINATOR, Role.ADMINISTRATOR):
        answer = admin_client.post(url, person_data(practitioner,
                                                    roles=[Role.PRACTITIONER, role]))
        assert "Only the Co-ordinator can give or take away" in answer.content.decode()
        practitioner.refresh_from_db()
        assert practitioner.roles == [Role.PRACTITIONER]
    answer = admin_client.post(reverse("people:add"), {
        "username": "newcoordinator", "first_name": "New", "last_name": "Senior",
        "roles": [Role.COORDINATOR]})
    assert answer.status_code == 200
    assert not User.objects.filter(username="newcoordinator").exists()


def test_an_administrator_cannot_reset_the_coordinators_password_nor_change_their_email(
        admin_client, coordinator, django_capture_on_commit_callbacks):
    coordinator.email = "coordinator@example.je"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post(reverse("people:password_link", args=[coordinator.pk]))
    assert answer.status_code == 403
    assert mail.outbox == []
    url = reverse("people:change", args=[coordinator.pk])
    assert "Only the Co-ordinator can change" in admin_client.get(url).content.decode()
    admin_client.post(url, person_data(coordinator, email="attacker@example.com"))
    coordinator.refresh_from_db()
    assert coordinator.email == "coordinator@example.je"
    assert admin_client.post(reverse("people:active", args=[coordinator.pk]),
                             {"active": "0"}).status_code == 403
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_an_administrator_cannot_change_a_holder_of_the_victim_permission(
        admin_client, practitioner, coordinator):
    add_to_team(make_nominal(actor=coordinator), practitioner, sees_victims=True,
                actor=coordinator)
    answer = admin_client.post(reverse("people:password_link", args=[practitioner.pk]))
    assert answer.status_code == 403


def test_the_coordinator_grants_the_coordinator_role_and_sends_a_password_link(
        coordinator_client, coordinator, practitioner, django_capture_on_commit_callbacks):
    practitioner.email = "bob@example.je"
    practitioner.save()
    url = reverse("people:change", args=[practitioner.pk])
    answer = coordinator_client.post(url, person_data(
        practitioner, roles=[Role.PRACTITIONER, Role.COORDINATOR], is_superuser="on"))
    assert answer.status_code == 302
    practitioner.refresh_from_db()
    assert set(practitioner.roles) == {Role.PRACTITIONER, Role.COORDINATOR}
    assert not practitioner.is_superuser
    change = events(practitioner).get()
    assert change.actor == coordinator
    assert change.changes["roles"]["to"] == [Role.COORDINATOR, Role.PRACTITIONER]
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("people:password_link", args=[practitioner.pk]))
    assert [message.to for message in mail.outbox] == [["bob@example.je"]]
    assert "/accounts/reset/" in mail.outbox[0].body
    assert events(practitioner).filter(detail__startswith="Password-set link").exists()


def test_the_coordinator_cannot_change_their_own_roles(coordinator_client, coordinator):
    coordinator_client.post(reverse("people:change", args=[coordinator.pk]),
                            person_data(coordinator, roles=[Role.COORDINATOR]))
    coordinator.refresh_from_db()
    assert coordinator.roles == [Role.COORDINATOR, Role.CHAIR]
    assert coordinator_client.post(reverse("people:active", args=[coordinator.pk]),
                                   {"active": "0"}).status_code == 403


def test_a_superusers_account_changes_only_by_a_superuser(coordinator_client, police):
    root = make_user("root", agency=police, is_superuser=True, email="root@example.je")
    answer = coordinator_client.post(reverse("people:password_link", args=[root.pk]))
    assert answer.status_code == 403


# -- the Administrator's work ---------------------------------------------------------------


def test_an_administrator_adds_a_person_with_ordinary_roles_and_emails_them_a_link(
        admin_client, administrator, police, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post(reverse("people:add"), {
            "username": "new.officer", "first_name": "Ann", "last_name": "Officer",
            "email": "ann@example.je", "agency": police.pk, "job_title": "Constable",
            "grade": "1", "roles": [Role.PRACTITIONER, Role.SPOC], "send_link": "on",
            "is_superuser": "on", "is_staff": "on"})
    assert answer.status_code == 302
    person = User.objects.get(username="new.officer")
    assert person.roles == [Role.PRACTITIONER, Role.SPOC] and person.agency == police
    assert not person.is_superuser and not person.is_staff
    assert not person.has_usable_password()
    assert [message.to for message in mail.outbox] == [["ann@example.je"]]
    assert events(person, Verb.CREATE).get().actor == administrator
    assert events(person).filter(detail__startswith="Password-set link").exists()


def test_a_persons_name_with_a_hidden_direction_override_is_refused_and_what_was_typed_kept(
        admin_client, practitioner):
    url = reverse("people:change", args=[practitioner.pk])
    answer = admin_client.post(url, person_data(practitioner, last_name="Smith\u202egnomA",
                                                job_title="Officer\u200b"))
    assert answer.status_code == 200
    form = answer.context["form"]
    assert "invisible characters" in form.errors["last_name"][0]
    assert "invisible characters" in form.errors["job_title"][0]
    assert form["first_name"].value() == practitioner.first_name
    practitioner.refresh_from_db()
    assert practitioner.last_name != "Smith\u202egnomA"


def test_an_administrator_changes_a_practitioner_and_deactivates_them(
        admin_client, administrator, practitioner, housing):
    url = reverse("people:change", args=[practitioner.pk])
    answer = admin_client.post(url, person_data(
        practitioner, last_name="Moved", agency=housing.pk,
        roles=[Role.PRACTITIONER, Role.CHAIR]))
    assert answer.status_code == 302
    practitioner.refresh_from_db()
    assert (practitioner.last_name, practitioner.agency) == ("Moved", housing)
    assert practitioner.roles == [Role.CHAIR, Role.PRACTITIONER]
    admin_client.post(reverse("people:active", args=[practitioner.pk]), {"active": "0"})
    practitioner.refresh_from_db()
    assert not practitioner.is_active
    admin_client.post(reverse("people:active", args=[practitioner.pk]), {"active": "1"})
    practitioner.refresh_from_db()
    assert practitioner.is_active
    changes = [e.changes for e in events(practitioner).order_by("pk")]
    assert changes[0]["agency"]["to"] == housing.pk
    assert [c["is_active"]["to"] for c in changes[1:]] == [False, True]


def test_people_are_listed_and_filtered_by_agency_role_and_status(
        admin_client, practitioner, outsider, coordinator, housing):
    outsider.is_active = False
    outsider.save()
    names = lambda **query: [p.username for p in admin_client.get(  # noqa: E731
        reverse("people:list"), query).context["people"]]
    assert set(names()) >= {"bob", "charlie", "alice", "admin.officer"}
    assert names(agency=housing.pk) == ["charlie"]
    assert names(role=Role.COORDINATOR) == ["alice"]
    assert "charlie" not in names(active="yes") and names(active="no") == ["charlie"]


def test_an_administrator_adds_and_changes_an_agency(admin_client, administrator, police,
                                                     practitioner):
    answer = admin_client.post(reverse("accounts:agency_add"), {
        "name": "Jersey Fire and Rescue", "kind": AgencyKind.OTHER, "is_active": "on"})
    assert answer.status_code == 302
    agency = Agency.objects.get(name="Jersey Fire and Rescue")
    created = AuditEvent.objects.get(object_type="accounts.agency", object_id=str(agency.pk),
                                     action=Verb.CREATE)
    assert created.actor == administrator
    answer = admin_client.post(reverse("accounts:agency_change", args=[police.pk]), {
        "name": police.name, "kind": police.kind, "spoc": practitioner.pk,
        "phone": "01534 612612", "is_active": "on"})
    assert answer.status_code == 302
    police.refresh_from_db()
    assert police.spoc == practitioner and police.phone == "01534 612612"
    assert AuditEvent.objects.filter(object_type="accounts.agency", object_id=str(police.pk),
                                     action=Verb.CHANGE).exists()


def test_naming_an_agencys_spoc_in_the_application_gives_them_the_spoc_role_audited(
        admin_client, administrator, police, practitioner, coordinator):
    change = reverse("accounts:agency_change", args=[police.pk])
    fields = {"name": police.name, "kind": police.kind, "is_active": "on"}
    assert admin_client.post(change, {**fields, "spoc": practitioner.pk}).status_code == 302
    practitioner.refresh_from_db()
    assert Role.SPOC in practitioner.roles
    assert AuditEvent.objects.filter(object_type="accounts.user",
                                     object_id=str(practitioner.pk),
                                     action=Verb.CHANGE, actor=administrator).exists()
    page = admin_client.get(reverse("accounts:agency_detail", args=[police.pk]))
    assert ">SPOC</strong>" in page.content.decode()
    assert police.name in admin_client.get(
        reverse("people:change", args=[practitioner.pk])).content.decode()
    # Another SPOC named: the first is no longer the SPOC of any agency, and loses the role.
    assert admin_client.post(change, {**fields, "spoc": coordinator.pk}).status_code == 302
    practitioner.refresh_from_db()
    coordinator.refresh_from_db()
    assert Role.SPOC not in practitioner.roles and Role.SPOC in coordinator.roles


def test_an_administrator_lists_and_revokes_api_tokens(admin_client, administrator,
                                                       practitioner):
    api_token_issue(user=practitioner, actor=None, name="Partner feed")
    token = ApiToken.objects.get()
    assert token.prefix in admin_client.get(reverse("people:tokens")).content.decode()
    answer = admin_client.post(reverse("people:token_revoke", args=[token.pk]))
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(object_type="accounts.apitoken", object_id=str(token.pk),
                                     action=Verb.CHANGE, actor=administrator).exists()


def test_an_administrator_issues_an_api_token_in_the_application_shown_once_and_audited(
        admin_client, administrator, practitioner):
    url = reverse("people:token_issue", args=[practitioner.pk])
    assert admin_client.get(url).status_code == 200
    refused = admin_client.post(url, {"name": "Police case system", "days": "0"})
    assert refused.status_code == 400
    assert "from 1 to 365" in refused.content.decode()
    answer = admin_client.post(url, {"name": "Police case system", "days": "30"})
    assert answer.status_code == 200
    token = ApiToken.objects.get(user=practitioner)
    assert token.name == "Police case system"
    raw = re.search(r"data-token>([^<]+)<", answer.content.decode()).group(1)
    assert raw.startswith(token.prefix) and ApiToken.digest_of(raw) == token.digest
    assert AuditEvent.objects.filter(object_type="accounts.apitoken", object_id=str(token.pk),
                                     action=Verb.CREATE, actor=administrator).exists()


def test_a_person_outside_people_management_cannot_issue_a_token(client, practitioner,
                                                                 outsider):
    sign_in(client, practitioner)
    response = client.post(reverse("people:token_issue", args=[outsider.pk]),
                           {"name": "x", "days": "30"})
    assert response.status_code == 404
    assert not ApiToken.objects.exists()


def test_an_administrator_lists_and_clears_lock_outs(admin_client, administrator):
    attempt = AccessAttempt.objects.create(
        username="alice", ip_address="192.0.2.1", user_agent="", http_accept="",
        path_info="/accounts/login/", failures_since_start=5, attempt_time=timezone.now())
    body = admin_client.get(reverse("people:lockouts")).content.decode()
    assert "alice" in body and "Locked" in body
    answer = admin_client.post(reverse("people:lockout_clear", args=[attempt.pk]))
    assert answer.status_code == 302
    assert not AccessAttempt.objects.exists()
    cleared = AuditEvent.objects.get(object_type="axes.accessattempt", actor=administrator,
                                     action=Verb.REACTIVATE)
    assert "alice" in cleared.object_repr


# -- everyone else ----------------------------------------------------------------------------


def test_people_pages_are_refused_to_whoever_does_not_manage_people(
        practitioner_client, coordinator, administrator, police):
    token_raw = api_token_issue(user=administrator, actor=None)
    token = ApiToken.objects.get(prefix=token_raw[:8])
    attempt = AccessAttempt.objects.create(
        username="alice", ip_address="192.0.2.1", user_agent="", http_accept="",
        path_info="/accounts/login/", failures_since_start=5, attempt_time=timezone.now())
    for name in ("people:list", "people:add", "people:tokens", "people:lockouts",
                 "accounts:agency_add"):
        assert practitioner_client.get(reverse(name)).status_code == 403, name
    assert practitioner_client.get(
        reverse("accounts:agency_change", args=[police.pk])).status_code == 403
    for name, pk in [("people:change", coordinator.pk), ("people:active", coordinator.pk),
                     ("people:password_link", coordinator.pk),
                     ("people:token_revoke", token.pk),
                     ("people:lockout_clear", attempt.pk)]:
        assert practitioner_client.post(reverse(name, args=[pk]),
                                        {"active": "0"}).status_code == 404, name
    token.refresh_from_db()
    coordinator.refresh_from_db()
    assert token.revoked_at is None and coordinator.is_active
    assert AccessAttempt.objects.exists()
