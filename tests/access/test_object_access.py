"""The one object-access view mixin (jmappa/access.py): a record the user may not see
answers 404; reading one they see writes exactly one read event; a page built on it adds
nothing but its declarations."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views import View

from jmappa import access
from jmappa.accounts.models import Role
from jmappa.audit.models import AuditEvent, Verb
from tests.factories import add_to_team, make_nominal, make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


class CasePage(access.NominalAccessMixin, View):
    def get(self, request, *args, **kwargs):
        return HttpResponse(self.nominal.reference)

    def post(self, request, *args, **kwargs):
        return HttpResponse("posted")


class CoordinatorOnlyCasePage(CasePage):
    access_check = access.for_any(access.can_manage_case_access)
    denied_status = 403


def _call(view, user, nominal, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return view.as_view()(request, pk=nominal.pk)


def _reads(nominal) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Verb.VIEW, case_id=nominal.pk))


def test_an_outsider_is_answered_404_and_nothing_is_audited(practitioner, outsider):
    nominal = make_nominal()
    add_to_team(nominal, practitioner)
    with pytest.raises(Http404):
        _call(CasePage, outsider, nominal)
    assert _reads(nominal) == []


def test_an_insider_reads_the_page_and_exactly_one_read_event_is_written(practitioner):
    nominal = make_nominal()
    add_to_team(nominal, practitioner)
    response = _call(CasePage, practitioner, nominal)
    assert response.status_code == 200 and response.content.decode() == nominal.reference
    [event] = _reads(nominal)
    assert event.actor == practitioner and event.object_id == str(nominal.pk)
    assert event.object_type == "cases.nominal"


def test_head_is_a_read_and_post_is_not(practitioner):
    nominal = make_nominal()
    add_to_team(nominal, practitioner)
    _call(CasePage, practitioner, nominal, "head")
    assert len(_reads(nominal)) == 1
    _call(CasePage, practitioner, nominal, "post")
    assert len(_reads(nominal)) == 1


def test_a_role_lacking_on_a_case_seen_answers_403_without_a_read(practitioner):
    nominal = make_nominal()
    add_to_team(nominal, practitioner)
    with pytest.raises(PermissionDenied):
        _call(CoordinatorOnlyCasePage, practitioner, nominal)
    assert _reads(nominal) == []
    coordinator = make_user(roles=[Role.COORDINATOR])
    assert _call(CoordinatorOnlyCasePage, coordinator, nominal).status_code == 200
    assert len(_reads(nominal)) == 1


@pytest.mark.parametrize("name", ["cases:detail", "cases:edit", "cases:access",
                                  "cases:alias_add", "plans:plan", "plans:action_add",
                                  "plans:level1_reviews", "plans:home_visits"])
def test_each_case_page_writes_one_read_event(client, coordinator, name):
    nominal = make_nominal(actor=coordinator)
    sign_in(client, coordinator)
    before = len(_reads(nominal))
    assert client.get(reverse(name, args=[nominal.pk])).status_code == 200
    assert len(_reads(nominal)) == before + 1
