"""Removing a record at its retention review (§13.3) leaves nothing of the person anywhere:
run on the demo register, whose cases between them hold a record of every kind that hangs
from a case, and searched for in every text, JSON and date column of the database."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from alerts.models import Alert
from cases import retention
from cases.models import Address, Nominal, Status
from jmappa.audit.models import AuditEvent, Verb
from tests.helpers import demo, persona, sign_in  # noqa: F401

pytestmark = pytest.mark.django_db

# Born on a day no one else in the demo was, so that finding it anywhere means the person.
BORN = date(1911, 2, 3)


def found_in_database(texts: list[str], *, day: date | None = None) -> list[str]:
    """Every table.column holding one of `texts` (case-blind) or, in a date column, `day`."""
    hits = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'jsonb', 'json', 'date')")
        for table, column, kind in cursor.fetchall():
            if kind == "date":
                if day is None:
                    continue
                cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" = %s', [day])
            else:
                cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text '
                               "ILIKE ANY(%s)", [[f"%{text}%" for text in texts]])
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    return hits


def row_counts() -> Counter:
    return Counter({m._meta.label: m._base_manager.count() for m in apps.get_models()})


def cases_covering_every_kind() -> list[Nominal]:
    """Demo cases that, between them, have a record of every kind any demo case has."""
    removals = {n.pk: {m for m, pks in retention.removal_of(n).rows.items() if pks}
                for n in Nominal.objects.all()}
    wanted, chosen = set().union(*removals.values()), []
    while wanted:
        best = max(removals, key=lambda pk: len(removals[pk] & wanted))
        chosen.append(best)
        wanted -= removals.pop(best)
    return list(Nominal.objects.filter(pk__in=chosen))


def identity(nominal: Nominal) -> list[str]:
    """What would name the person: their family name, aliases, addresses (those no one
    else in the demo has lived at, nor at one that reads the same with a digit before) and
    numbers, and their date of birth as the trail
    writes it."""
    others = Address.objects.exclude(nominal=nominal)
    own = [a for a in nominal.addresses.values_list("address", flat=True)
           if not others.filter(address__icontains=a).exists()]
    texts = [nominal.family_name, nominal.full_name, nominal.date_of_birth.isoformat(),
             *nominal.aliases.values_list("name", flat=True),
             *own,
             *[p for p in nominal.addresses.values_list("postcode", flat=True) if p],
             *[n for n in (nominal.pnc_number, nominal.prison_number, nominal.visor_number)
               if n]]
    return [t for t in texts if t]


def test_removal_leaves_no_personal_data_in_any_table_and_only_the_cases_own_rows_go(
        demo):  # noqa: F811
    coordinator = persona("coordinator")
    searcher = Client()
    sign_in(searcher, coordinator)
    chosen = cases_covering_every_kind()
    kinds = set().union(*[{m for m, p in retention.removal_of(n).rows.items() if p}
                          for n in chosen])
    # Between them, the records of every app that hangs things from a case.
    assert {m._meta.app_label for m in kinds} >= {
        "cases", "referrals", "meetings", "plans", "documents", "disclosure", "support",
        "coordination", "alerts"}
    people = {}
    for offset, nominal in enumerate(chosen):
        # The Co-ordinator looks the person up by name and opens the case: the trail says so.
        assert searcher.get(reverse("cases:list"),
                            {"q": nominal.family_name, "status": "all"}).status_code == 200
        assert searcher.get(reverse("cases:detail", args=[nominal.pk])).status_code == 200
        texts = identity(nominal)
        assert found_in_database([nominal.family_name])
        born = BORN.replace(day=BORN.day + offset)
        assert not found_in_database([born.isoformat()], day=born)
        Nominal.objects.filter(pk=nominal.pk).update(
            date_of_birth=born, status=Status.ARCHIVED, archived_on=date(2020, 1, 1))
        people[nominal.pk] = (nominal.reference, texts + [born.isoformat()], born)

    before = row_counts()
    removed = Counter()
    for pk in people:
        nominal = Nominal.objects.get(pk=pk)
        removal = retention.removal_of(nominal)
        removed.update({m._meta.label: len(pks) for m, pks in removal.rows.items()})
        retention.nominal_remove(nominal=nominal, reason="Reviewed at 100: no longer needed",
                                 confirm_reference=nominal.reference, actor=coordinator)

    for pk, (reference, texts, born) in people.items():
        assert found_in_database(texts, day=born) == [], (reference, [
            t for t in texts if found_in_database([t])])
        assert not Alert.objects.filter(nominal_id=pk).exists()
        assert searcher.get(reverse("cases:detail", args=[pk])).status_code == 404
        [entry] = AuditEvent.objects.filter(action=Verb.REMOVE, case_id=pk)
        assert entry.object_repr == reference and entry.actor == coordinator
    after = row_counts()
    # Every other case's records, and what cases share, are as they were.
    for label, count in before.items():
        if label not in ("audit.AuditEvent", "sessions.Session"):
            assert after[label] == count - removed[label], label
