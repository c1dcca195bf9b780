"""What the generated tests share: the demo world and its personas, the site's routes read
from the URL resolver, and models found by class name.

Nothing here names a view or a module of the project: routes come from the resolver and
models from the app registry, so a route or a model that moves to another app is still
found, and a route added tomorrow is tried too.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver
from pypdf import PdfReader

PERSONAS = ["coordinator", "admin.officer", "police.inspector", "probation.officer",
            "housing.officer", "smb.member"]


def model(name: str):
    """The model class called `name`, whichever app it lives in now."""
    found = [m for m in apps.get_models() if m.__name__ == name]
    assert len(found) == 1, f"expected one model called {name}, found {found}"
    return found[0]


def _pdf_reads(content: bytes, mode: str) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text(extraction_mode=mode).split()) for page in reader.pages]


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text in reading order, spaces collapsed."""
    return _pdf_reads(content, "plain")


def pdf_text(content: bytes) -> str:
    """The whole document's text, read twice: in reading order (words wrapped in a table
    cell come back space-separated) and laid out by position (a kerned pair such as "Te" is
    never split into two words, as the first may do). A phrase is in the PDF if either
    reading holds it; a phrase that must not be printed must be in neither."""
    return "\n".join([" ".join(_pdf_reads(content, "plain")),
                      " ".join(_pdf_reads(content, "layout"))])


def child_database_url(name: str | None = None) -> str:
    """DATABASE_URL for a process started by a test: the same server as this run (a host, or
    the embedded server's socket folder in the query) with the test database's name, or
    `name`, in place of the configured one."""
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name or connection.settings_dict['NAME']}"))


def persona(username: str):
    return get_user_model().objects.get(username=username)


TEST_DEVICE_NAME = "Test authenticator"


def second_factor_device(user):
    """The user's confirmed authenticator app, set up if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)


def totp_code(device, at: float | None = None) -> str:
    """The code the user's authenticator app shows now (or at time `at`)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user):
    """Sign `user` in with the test client as they would: password, then the second factor
    (an authenticator app is set up for them if they have none), so that the session counts
    as verified as django-otp records it. Use for every user: whoever must use a second
    factor is otherwise sent to it before any page."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = second_factor_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def seed_world() -> None:
    """The demo data of `manage.py seed_demo`, and the first deadline sweep on it (as
    `make run` starts with) so that alerts and notifications exist too."""
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    call_command("run_deadline_sweep", "--no-email", stdout=io.StringIO())
    assert model("Nominal").objects.exists()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One seeded world for the module, rolled back at its end (each test is rolled back
    to it by the usual per-test savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_world()
        yield
        transaction.set_rollback(True)


def content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# -- the routes of the site ---------------------------------------------------------------

# <int:pk> and (?P<pk>...) both become {pk}.
_KWARG = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _template(pattern) -> str:
    text = str(pattern)
    if text.startswith("^"):  # a regex pattern (the API router's)
        text = text[1:].removesuffix("$")
    return _KWARG.sub(lambda m: "{" + (m[1] or m[2]) + "}", text).replace("\\.", ".")


@dataclass(frozen=True)
class Route:
    path: str  # "/cases/{pk}/plan/{action_pk}/"
    name: str  # "plans:action_detail": for messages only, namespaces move
    callback: object

    @property
    def kwargs(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def url(self, values: dict) -> str:
        return self.path.format(**values)

    def __str__(self) -> str:
        return self.path


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        path = prefix + _template(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _walk(entry.url_patterns, path, inner)
        else:
            name = ":".join(filter(None, [namespace, entry.name]))
            yield Route("/" + path, name, entry.callback)


def site_routes() -> list[Route]:
    """Every route of the site, once (the first pattern of a path is the one that answers),
    leaving out the API router's format-suffix aliases (`.json`) of routes listed anyway."""
    routes = {}
    for route in _walk(get_resolver().url_patterns):
        if "format" not in route.kwargs:
            routes.setdefault(route.path, route)
    return list(routes.values())


def api_schema() -> dict:
    """The OpenAPI schema, as /api/schema/ serves it."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def shape(path: str) -> str:
    """A path with its parameters blanked: "/api/v1/offenders/{id}/" -> ".../{}/"."""
    return re.sub(r"{\w+}", "{}", path)
