import pytest

from jmappa.accounts.models import AgencyKind, Role

from .factories import make_agency, make_user


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
    client.force_login(coordinator)
    return client


@pytest.fixture
def practitioner_client(client, practitioner):
    client.force_login(practitioner)
    return client
