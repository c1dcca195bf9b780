import os

import pytest
from pytest_django.fixtures import _set_suffix_to_test_databases

from jmappa.accounts.models import AgencyKind, Role
from tests.helpers import sign_in

from .factories import make_agency, make_user


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    # Runs side by side on one server (set PYTEST_XDIST_WORKER=name) get their own
    # test database, as pytest-xdist workers do.
    suffix = os.environ.get("PYTEST_XDIST_WORKER")
    if suffix and not hasattr(request.config, "workerinput"):
        _set_suffix_to_test_databases(suffix=suffix)


@pytest.fixture
def police(db):
    return make_agency("States of Jersey Police", AgencyKind.POLICE, duty_to_cooperate=True)


@pytest.fixture
def housing(db):
    return make_agency("Housing", AgencyKind.HOUSING, duty_to_cooperate=True)


@pytest.fixture
def coordinator(police):
    return make_user("alice", roles=[Role.COORDINATOR, Role.CHAIR], agency=police,
                     first_name="Alice", last_name="Coordinator")


@pytest.fixture
def practitioner(police):
    return make_user("bob", roles=[Role.PRACTITIONER], agency=police,
                     first_name="Bob", last_name="Practitioner")


@pytest.fixture
def outsider(housing):
    return make_user("charlie", roles=[Role.PRACTITIONER], agency=housing,
                     first_name="Charlie", last_name="Outsider")


@pytest.fixture
def coordinator_client(client, coordinator):
    sign_in(client, coordinator)
    return client


@pytest.fixture
def practitioner_client(client, practitioner):
    sign_in(client, practitioner)
    return client
