"""What the API answers is what its OpenAPI schema says it answers.

For every GET operation of /api/schema/, the Co-ordinator's answer on the demo data is
validated against the operation's 200 response schema, strictly: a field the schema does
not declare fails too, since partner agencies generate their clients from the schema.
"""

from __future__ import annotations

import copy

import jsonschema
import pytest
from django.db import transaction
from rest_framework.test import APIClient

from tests.helpers import api_schema, persona, seed_world

pytestmark = pytest.mark.django_db

GET_PATHS = [path for path, ops in api_schema()["paths"].items() if "get" in ops]
# Mismatches found and not yet mended: {path: (reason, the fields it concerns)}; xfail(strict)
# until they are. Any other mismatch on the path still fails.
KNOWN_MISMATCHES: dict[str, tuple[str, tuple[str, ...]]] = {}


class KnownMismatch(AssertionError):
    """Only the mismatches named in KNOWN_MISMATCHES."""
READ_AT_MOST = 40


@pytest.fixture(scope="module")
def api(django_db_setup, django_db_blocker):
    """The Co-ordinator's API client on the seeded demo, and the schema it serves."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_world()
        client = APIClient()
        client.force_authenticate(persona("coordinator"))
        response = client.get("/api/schema/", {"format": "json"})
        assert response.status_code == 200
        yield client, response.json()
        transaction.set_rollback(True)


def json_schema(node):
    """OpenAPI 3.0 to JSON Schema: `nullable` becomes a null alternative, and an object with
    properties admits no others."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def validator(schema: dict, path: str):
    response = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    document = json_schema({"components": copy.deepcopy(schema["components"])})
    document.update(json_schema(response["schema"]))
    return jsonschema.Draft202012Validator(
        document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def urls_for(client, path: str) -> list[str]:
    """The path, with {id} filled by each object its list shows (up to READ_AT_MOST) that
    answers 200: the demo's variety (blank fields, no case yet...) is what is checked."""
    if "{" not in path:
        return [path]
    listing = client.get(path.split("{")[0]).json()
    urls = [path.replace("{id}", str(row["id"])) for row in listing["results"]]
    return [url for url in urls[:READ_AT_MOST] if client.get(url).status_code == 200]


def test_the_schema_served_is_the_schema_generated(api):
    _, served = api
    assert set(served["paths"]) == set(api_schema()["paths"])


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, raises=KnownMismatch,
                                            reason=KNOWN_MISMATCHES[p][0]))
    if p in KNOWN_MISMATCHES else p for p in GET_PATHS])
def test_every_get_answers_as_its_schema_says(api, path):
    client, schema = api
    urls = urls_for(client, path)
    assert urls, f"no object in the demo to read {path} with"
    documented = schema["paths"][path]["get"]["responses"]["200"]["content"]
    if "application/json" not in documented:
        # A file (a document's download): the type it is documented as, as an attachment.
        for url in urls:
            answer = client.get(url)
            assert answer["Content-Type"] in documented, (url, answer["Content-Type"])
            assert answer["Content-Disposition"].startswith("attachment;"), url
        return
    check, errors = validator(schema, path), {}
    for url in urls:
        for error in check.iter_errors(client.get(url).json()):
            where = "/".join(map(str, error.relative_path))
            errors[where] = error.message
    known = KNOWN_MISMATCHES.get(path, ("", ()))[1]
    fields = {where.split("/")[-1] for where in errors}
    # A known field is named whole, or by its prefix ending in "_" ("custody_").
    if errors and known and all(field in known or field.startswith(
            tuple(k for k in known if k.endswith("_"))) for field in fields):
        raise KnownMismatch(sorted(errors.items()))
    assert not errors, sorted(errors.items())
