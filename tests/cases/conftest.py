import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One seeded database for the module, rolled back at its end (each test is rolled
    back to it by the usual per-test savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)
