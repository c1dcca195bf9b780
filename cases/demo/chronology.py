"""Demo chronology entries: a few contacts on each case that has a case manager, written by
them through cases.services, and one long chronology that runs over several pages. Idempotent:
a case that already has entries is left alone."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from jmappa import access
from jmappa.accounts.models import User
from jmappa.audit.context import audit_context
from jmappa.audit.models import Channel

from .. import services
from ..models import ContactEntry, ContactKind, Nominal

# (days ago, hour, kind, who, summary)
CONTACTS = [
    (62, 10, ContactKind.OFFICE_VISIT, "Case manager, Probation",
     "Reported as instructed. Discussed the licence conditions again; understands the "
     "exclusion zone and the curfew. Says he is looking for work in the building trade."),
    (41, 15, ContactKind.TELEPHONE, "Hostel key worker, Housing",
     "The hostel reports that he returned late twice last week, within the curfew. No "
     "visitors recorded."),
    (20, 9, ContactKind.HOME_VISIT, "Case manager, Probation, with PC Le Brun, Police",
     "Unannounced home visit. Accommodation clean; no one else present. No sign of "
     "internet-enabled devices beyond the declared telephone."),
    (6, 14, ContactKind.INFORMATION, "Children's Services duty desk",
     "Information received: a new partner with a child of nine has been seen at the "
     "address. To be checked at the next contact and raised with the case team."),
]
LONG_CASE_ENTRIES = 60


def _at(today, days: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days), time(hour)))


def seed_chronology(*, today, stdout=None) -> int:
    """Seed the entries; return how many cases had their chronology created."""
    cases = (Nominal.objects.filter(pnc_number__startswith="DEMO/", case_manager__isnull=False)
             .exclude(contacts__isnull=False).select_related("case_manager").order_by("pk"))
    coordinator = User.objects.get(username="coordinator")
    created = 0
    with audit_context(Channel.CLI), transaction.atomic():
        for index, nominal in enumerate(cases):
            author = nominal.case_manager
            if not access.can_add_contact(author, nominal):
                author = coordinator
                if not access.can_add_contact(author, nominal):
                    continue
            entries = CONTACTS
            if index == 0 and not ContactEntry.objects.exists():
                # One case with a long record, over several pages.
                entries = [(days * 3 + 70, 11, ContactKind.OFFICE_VISIT,
                            "Case manager, Probation",
                            "Fortnightly reporting: attended on time; no concerns raised.")
                           for days in range(LONG_CASE_ENTRIES)] + CONTACTS
            for days, hour, kind, who, summary in entries:
                services.contact_add(nominal=nominal, actor=author,
                                     occurred_at=_at(today, days, hour), kind=kind, who=who,
                                     summary=summary)
            created += 1
    if stdout:
        stdout.write(f"Demo chronology: {created} cases given entries.")
    return created
