"""The application's runtime database role cannot rewrite the audit trail (real PostgreSQL).

The role is granted by `grant_runtime_role` as after a `migrate`, then taken on with SET ROLE
inside the test's transaction: the privileges checked are exactly the runtime role's.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from jmappa.audit.models import AuditEvent
from jmappa.core.dbroles import audit_table
from tests.factories import make_nominal, make_user

pytestmark = pytest.mark.django_db

ROLE = f"jmappa_runtime_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"[:60]


@pytest.fixture
def runtime_role():
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{ROLE}" NOLOGIN')
    call_command("grant_runtime_role", role=ROLE)
    yield ROLE


@pytest.fixture
def as_runtime_role(runtime_role):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{runtime_role}"')
    try:
        yield runtime_role
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def refused(statement: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    except DatabaseError as error:
        return "permission denied" in str(error) or "must be owner" in str(error)
    return False


def test_the_runtime_role_writes_the_applications_records_and_adds_to_the_trail(
        as_runtime_role, police):
    before = AuditEvent.objects.count()
    coordinator = make_user("cora", roles=["coordinator"], agency=police)
    nominal = make_nominal(actor=coordinator, case_manager=coordinator)
    nominal.save()
    assert AuditEvent.objects.count() > before
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == as_runtime_role


def test_the_runtime_role_cannot_update_delete_or_truncate_the_audit_trail(
        as_runtime_role):
    table = audit_table()
    assert refused(f"UPDATE {table} SET object_repr = 'rewritten'")
    assert refused(f"DELETE FROM {table}")
    assert refused(f"TRUNCATE {table}")


def test_the_runtime_role_cannot_switch_off_the_append_only_trigger(as_runtime_role):
    assert refused(f"ALTER TABLE {audit_table()} DISABLE TRIGGER ALL")
    assert refused(f"ALTER TABLE {audit_table()} DISABLE TRIGGER audit_event_append_only")
    assert refused("SET session_replication_role = replica")


def test_the_runtime_role_owns_nothing_and_is_no_superuser(runtime_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [runtime_role])
        assert cursor.fetchone() == (False,)
        cursor.execute("SELECT count(*) FROM pg_class WHERE pg_get_userbyid(relowner) = %s",
                       [runtime_role])
        assert cursor.fetchone() == (0,)


def test_granting_refuses_a_superuser_as_the_runtime_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="must not be a superuser"):
        call_command("grant_runtime_role", role=owner)
