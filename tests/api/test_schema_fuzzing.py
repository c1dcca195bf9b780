"""schemathesis over the whole API, as the Co-ordinator and as a practitioner.

Every operation of the OpenAPI schema gets a bounded number of generated requests (valid by
the schema: bodies, query strings, ids), each sent through the WSGI application with an API
token (`Authorization: Token ...`, as partner agencies call it) on the seeded demo, each in a
savepoint rolled back afterwards so that every example starts from the same data. Every
answer must be no server error, with a status code, content type, headers and body that the
schema documents for that operation.

Every check runs on every operation: a mismatch found is mended in the API or its schema,
never excluded here.
"""

from __future__ import annotations

import contextlib
import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from jmappa.accounts.services import api_token_issue
from tests.helpers import api_schema, persona, seed_world

pytestmark = pytest.mark.django_db

# Examples per operation and persona: about 90 s for the whole API on 2 cores. More with
# SCHEMA_FUZZ_EXAMPLES=200 for a longer hunt.
EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "8"))



CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]

PERSONAS = ["coordinator", "probation.officer"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo, an API token for each persona, the schema and the WSGI application."""
    with (django_db_blocker.unblock(), transaction.atomic(),
          override_settings(ALLOWED_HOSTS=["localhost", "testserver"])):
        seed_world()
        # Issued as from the command line (manage.py api_token): no second factor to prove.
        tokens = {name: api_token_issue(user=persona(name), actor=None,
                                        name="schema fuzzing") for name in PERSONAS}
        schema = schemathesis.openapi.from_dict(api_schema())
        schema.app = get_wsgi_application()
        yield schema, tokens
        transaction.set_rollback(True)


@contextlib.contextmanager
def connection_kept():
    """The WSGI handler closes the database connection after each request, and with it the
    demo's transaction; Django's test client does not, and neither does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations():
    schema = schemathesis.openapi.from_dict(api_schema())
    return [(result.ok().method.upper(), result.ok().path)
            for result in schema.get_all_operations()]


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize(("method", "path"), _operations(),
                         ids=[f"{m} {p}" for m, p in _operations()])
def test_every_operation_answers_as_its_schema_says(world, who, method, path):
    schema, tokens = world
    operation = schema[path][method]
    headers = {"Authorization": f"Token {tokens[who]}"}
    strategy = operation.as_strategy()
    if "{id}" in path:
        # Random ids mostly miss: half the examples use an object this persona can see.
        strategy = st.one_of(strategy, operation.as_strategy(
            path_parameters={"id": an_id_for(who, path)}))
    answered: list[int] = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        cache.clear()  # the API's throttle counts every example otherwise
        with connection_kept(), transaction.atomic():
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            transaction.set_rollback(True)
        answered.append(response.status_code)

    run()
    # Not every request refused before reaching the view (a token, a throttle).
    assert set(answered) - {401, 429}, answered


def an_id_for(who: str, path: str) -> int:
    """The first object the persona's list shows at the path's collection."""
    client = APIClient()
    client.force_authenticate(persona(who))
    listing = client.get(path.split("{")[0])
    assert listing.status_code == 200, (path, listing.status_code)
    rows = listing.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert rows, f"the demo shows {who} nothing at {path}"
    return rows[0]["id"]
