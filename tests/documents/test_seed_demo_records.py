"""The demo's chronology and documents: seeded through the services, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from cases.models import ContactEntry
from cases.views.chronology import CHRONOLOGY_PAGE
from documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (django_db_blocker.unblock(), transaction.atomic(),
          override_settings(DEBUG=True, MEDIA_ROOT=media)):
        call_command("seed_demo", verbosity=0)
        yield media
        transaction.set_rollback(True)


def test_demo_has_a_chronology_written_by_the_case_team_one_running_over_pages(seeded):
    assert ContactEntry.objects.exists()
    longest = max(ContactEntry.objects.values_list("nominal", flat=True).distinct(),
                  key=lambda pk: ContactEntry.objects.filter(nominal=pk).count())
    assert ContactEntry.objects.filter(nominal=longest).count() > CHRONOLOGY_PAGE


def test_demo_has_papers_to_be_destroyed_and_one_destroyed_with_its_record(seeded):
    with override_settings(MEDIA_ROOT=seeded):
        to_destroy = Document.objects.filter(destroy_after_meeting=True,
                                              destroyed_at__isnull=True)
        assert to_destroy.exists()
        destroyed = Document.objects.filter(destroyed_at__isnull=False)
        assert destroyed.exists() and not any(d.file for d in destroyed)
        kept = Document.objects.filter(destroyed_at__isnull=True).first()
        assert (seeded / kept.file.name).exists()


def test_seeding_again_adds_no_entry_and_no_document(seeded):
    before = ContactEntry.objects.count(), Document.objects.count()
    with override_settings(DEBUG=True, MEDIA_ROOT=seeded):
        call_command("seed_demo", verbosity=0)
    assert (ContactEntry.objects.count(), Document.objects.count()) == before
