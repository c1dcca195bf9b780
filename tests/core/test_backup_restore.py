"""The backup drill, on the real PostgreSQL: `backup_database`, then `restore_database` into a
fresh database; the application starts on the restored one (its migrations are all there, a
signed-in page answers) and the audit trail came back whole (row count, last event)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.database import default_points_at
from jmappa.audit.models import AuditEvent
from jmappa.core import backup
from tests.factories import add_to_team, make_nominal

pytestmark = pytest.mark.django_db(transaction=True)


def _trail() -> tuple[int, tuple]:
    last = AuditEvent.objects.order_by("-id").values_list(
        "id", "occurred_at", "actor_username", "action", "object_type", "object_id",
        "case_id").first()
    return AuditEvent.objects.count(), last


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    backup.drop_database(name)
    yield name
    backup.drop_database(name)


def test_a_backup_restores_into_a_fresh_database_that_the_application_runs_on(
        coordinator, practitioner, tmp_path, restored_name):
    nominal = make_nominal(actor=coordinator)
    add_to_team(nominal, practitioner, actor=coordinator)
    client = Client()
    client.force_login(practitioner)
    assert client.get(reverse("cases:detail", args=[nominal.pk])).status_code == 200
    count, last = _trail()
    assert count >= 2 and last is not None

    dump = tmp_path / "jmappa.dump"
    call_command("backup_database", "--output", str(dump), stdout=io.StringIO())
    assert dump.stat().st_size > 0
    call_command("restore_database", str(dump), "--into", restored_name, stdout=io.StringIO())

    with default_points_at(restored_name):
        assert _trail() == (count, last)
        call_command("migrate", "--check", verbosity=0)  # exits non-zero if one is missing
        client = Client()
        client.force_login(practitioner)
        page = client.get(reverse("cases:detail", args=[nominal.pk]))
        assert page.status_code == 200
        assert nominal.family_name in page.content.decode()


def test_a_restore_never_goes_over_an_existing_database(tmp_path, restored_name):
    dump = tmp_path / "jmappa.dump"
    call_command("backup_database", "--output", str(dump), stdout=io.StringIO())
    backup.create_database(restored_name)
    with pytest.raises(Exception, match="exists already"):
        call_command("restore_database", str(dump), "--into", restored_name)
    with pytest.raises(Exception, match="over the database in use"):
        call_command("restore_database", str(dump), "--into", connection.settings_dict["NAME"])
