import pytest
from django.urls import reverse

from jmappa.accounts.models import Role
from tests.factories import make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_coordinator_home_shows_sign_in_security_and_agencies_to_complete(coordinator_client,
                                                                         police):
    body = coordinator_client.get(reverse("home")).content.decode()
    assert "Sign-in security" in body
    assert "Agencies with no SPOC" in body and police.name in body
    assert 'href="/audit/"' in body


def test_practitioner_home_shows_their_agency_and_not_the_coordinators_panels(
    practitioner_client, police
):
    body = practitioner_client.get(reverse("home")).content.decode()
    assert "Your agency" in body and police.name in body
    assert "Sign-in security" not in body
    assert 'href="/audit/"' not in body


def test_smb_member_home_shows_figures_only(client, police):
    sign_in(client, make_user("smb", roles=[Role.SMB_MEMBER], agency=police))
    body = client.get(reverse("home")).content.decode()
    assert "1 agencies take part, 1 of them with a Duty to Co-operate" in body


def test_spoc_home_says_which_agency_they_receive_minutes_for(client, police):
    spoc = make_user("spoc", roles=[Role.PRACTITIONER, Role.SPOC], agency=police)
    police.spoc = spoc
    police.save()
    sign_in(client, spoc)
    assert "You are the SPOC" in client.get(reverse("home")).content.decode()


def test_unknown_page_gets_the_styled_not_found_page(practitioner_client):
    response = practitioner_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Skip to main content" in response.content.decode()


def test_agency_not_found_is_404(practitioner_client):
    assert practitioner_client.get(reverse("accounts:agency_detail", args=[99999])).status_code \
        == 404


def test_agency_directory_lists_agencies_and_their_spoc(practitioner_client, police, housing):
    body = practitioner_client.get(reverse("accounts:agency_list")).content.decode()
    assert police.name in body and housing.name in body


def test_agency_directory_query_count_does_not_grow_with_rows(practitioner_client,
                                                              django_assert_max_num_queries):
    from tests.factories import make_agency

    url = reverse("accounts:agency_list")
    with django_assert_max_num_queries(12) as few:  # the second factor; the list audited
        practitioner_client.get(url)
    for i in range(20):
        agency = make_agency(f"Extra {i}")
        agency.spoc = make_user(f"spoc{i}", agency=agency)
        agency.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        practitioner_client.get(url)


def test_static_assets_are_served_from_the_project(practitioner_client):
    body = practitioner_client.get(reverse("home")).content.decode()
    assert "/static/vendor/design-system/css/frontend.min.css" in body
    assert "/static/vendor/htmx/htmx.min.js" in body
    assert "cdn" not in body.lower()
    assert "bootstrap" not in body.lower()


def test_admin_user_pages_render_roles_as_checkboxes(client, police):
    staff = make_user("root", agency=police, is_staff=True, is_superuser=True)
    sign_in(client, staff)
    body = client.get(reverse("admin:accounts_user_change", args=[staff.pk])).content.decode()
    assert 'type="checkbox" name="roles" value="coordinator"' in body
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200


def test_admin_saves_several_roles_for_one_user(client, police):
    staff = make_user("root", agency=police, is_staff=True, is_superuser=True)
    sign_in(client, staff)
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "new.chair", "first_name": "New", "last_name": "Chair",
        "email": "new.chair@example.je", "agency": police.pk, "job_title": "Superintendent",
        "grade": 4, "roles": ["chair", "practitioner"],
        "password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    from jmappa.accounts.models import User

    assert User.objects.get(username="new.chair").roles == ["chair", "practitioner"]


def test_admin_cannot_edit_or_delete_the_audit_trail(client, police, coordinator):
    from jmappa.audit.models import Verb
    from jmappa.audit.services import audit_log

    event = audit_log(actor=coordinator, action=Verb.VIEW, object_type="x", object_id=1)
    sign_in(client, make_user("root", agency=police, is_staff=True, is_superuser=True))
    change = client.post(reverse("admin:audit_auditevent_change", args=[event.pk]),
                         {"action": "change"})
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]),
                         {"post": "yes"})
    assert change.status_code in (302, 403) and delete.status_code == 403
    event.refresh_from_db()
    assert event.action == Verb.VIEW


def test_coordinator_is_warned_when_the_job_worker_stops_reporting(coordinator_client):
    from datetime import timedelta

    from django.utils import timezone

    from jmappa.core import health

    health.record_heartbeat((timezone.now() - timedelta(hours=2)).isoformat())
    body = coordinator_client.get(reverse("home")).content.decode()
    assert "The job worker has not reported since" in body

    health.record_heartbeat(timezone.now().isoformat())
    body = coordinator_client.get(reverse("home")).content.decode()
    assert "The job worker last reported at" in body


def test_practitioner_home_lists_their_open_actions_overdue_first(practitioner_client,
                                                                  practitioner, coordinator):
    from datetime import timedelta

    from django.utils import timezone

    from plans.services import action_add
    from tests.factories import make_nominal

    nominal = make_nominal(actor=coordinator, case_manager=practitioner)
    today = timezone.localdate()
    action_add(nominal=nominal, actor=coordinator, description="Weekly reporting at HQ",
               action_type="external_control", owner_agency=practitioner.agency,
               due_date=today + timedelta(days=20))
    action_add(nominal=nominal, actor=coordinator, description="Warn the former partner",
               action_type="victim_protection", owner_agency=practitioner.agency,
               owner=practitioner, due_date=today - timedelta(days=1))
    text = practitioner_client.get(reverse("home")).content.decode()
    assert 'href="/actions/"' in text
    assert "2</strong> open actions" in text and "1 overdue" in text
    assert text.index("Warn the former partner") < text.index("Weekly reporting at HQ")


def test_smb_member_has_no_actions_to_log(client, police):
    sign_in(client, make_user(roles=[Role.SMB_MEMBER], agency=police))
    text = client.get(reverse("home")).content.decode()
    assert 'href="/actions/"' not in text and "My actions" not in text
