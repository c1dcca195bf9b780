"""The statistics an annual report may give (§15.5). The Minister says each year which data
are needed, so a report chooses its statistics from this catalogue. Each is one function
answering, for the report's period and the day the register is counted, a table:

    {"key", "title", "about", "columns", "rows": [{"label", "values"}], "total", "kind"}

"kind" is "counts" (whole numbers; "total" says whether the last column and the last row
are totals, which the small-cell rule must keep from giving a suppressed cell away) or
"rates" (KPI figures: each value {"numerator", "denominator", "rate"}). A few queries each,
whatever the size of the register."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, DateField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from ..periods import Period


@dataclass(frozen=True)
class Statistic:
    key: str
    title: str
    about: str  # what is counted, in the report's words
    compute: Callable[[date, date, date, date], dict]


def _table(statistic: Statistic, columns: list[str], rows: list[tuple[str, list]], *,
           total: bool, kind: str = "counts", about: str = "") -> dict:
    """A table; with `total`, a total column and a total row are added."""
    if total:
        rows = [(label, [*values, sum(values)]) for label, values in rows]
        columns = [*columns, "Total"]
        sums = [sum(values[i] for _, values in rows) for i in range(len(columns))]
        rows = [*rows, ("Total", sums)]
    return {"key": statistic.key, "title": statistic.title, "about": about or statistic.about,
            "columns": columns, "kind": kind, "total": total,
            "rows": [{"label": label, "values": values} for label, values in rows]}


def _with_registered_on(queryset):
    """Registered: identified as JMAPPA-eligible (§3.3), or created, where not recorded."""
    return queryset.annotate(registered_on=Coalesce(
        "identified_on", Cast("created_at", output_field=DateField())))


def _counted(day: date):
    """The JMAPPA offenders on the register on `day`: registered by then, not assessed as
    ineligible, and not archived on that day (the archive history, §13.3), with the level
    they were managed at then (the level history; the level now where it has none)."""
    from cases.models import Eligibility, LevelChange, Nominal, Status, StatusChange

    level_then = LevelChange.objects.filter(nominal=OuterRef("pk"), date_from__lte=day).filter(
        Q(date_to__isnull=True) | Q(date_to__gte=day)).order_by("-date_from", "-id")
    status_then = StatusChange.objects.filter(nominal=OuterRef("pk"), on__lte=day).order_by(
        "-on", "-id")
    # On the register by then: identified (or entered) by then, or managed at a level then
    # (a history entered after the event).
    nominals = _with_registered_on(Nominal.objects.exclude(
        eligibility=Eligibility.NOT_ELIGIBLE)).annotate(
        level_at=Subquery(level_then.values("level")[:1]),
        status_then=Subquery(status_then.values("status")[:1])).filter(
        Q(registered_on__lte=day) | Q(level_at__isnull=False)).annotate(
        level_then=Coalesce("level_at", "level"))
    # Without a status change by then: archived if archived on or before the day.
    return nominals.filter(
        Q(status_then=Status.ACTIVE)
        | Q(status_then__isnull=True) & (Q(archived_on__isnull=True) | Q(archived_on__gt=day)))


def offenders_by_category_and_level(start, end, count_on, today) -> dict:
    from cases.models import Category, Level

    found = Counter({(c, lv): n for c, lv, n in _counted(count_on).order_by().values_list(
        "category", "level_then").annotate(n=Count("pk"))})
    levels = [Level.ONE, Level.TWO, Level.THREE, Level.UNKNOWN]
    return _table(STATISTICS["offenders_by_category_and_level"],
                  [Level(lv).label for lv in levels],
                  [(Category(c).label, [found[(c, lv)] for lv in levels])
                   for c in Category.values], total=True,
                  about=f"JMAPPA offenders on the register on {count_on:%-d %B %Y}, by "
                        "category and the level they were managed at that day.")


def offenders_by_category_and_location(start, end, count_on, today) -> dict:
    from cases.models import Category, CustodyStatus

    found = Counter({(c, s): n for c, s, n in _counted(count_on).order_by().values_list(
        "category", "custody_status").annotate(n=Count("pk"))})
    places = [CustodyStatus.COMMUNITY, CustodyStatus.CUSTODY, CustodyStatus.HOSPITAL]
    return _table(STATISTICS["offenders_by_category_and_location"],
                  [CustodyStatus(p).label for p in places],
                  [(Category(c).label, [found[(c, p)] for p in places])
                   for c in Category.values], total=True,
                  about=f"JMAPPA offenders on the register on {count_on:%-d %B %Y}, by "
                        "category and where they are, as recorded when the figures were "
                        "taken.")


def new_registrations(start, end, count_on, today) -> dict:
    from cases.models import Category, Eligibility, Nominal

    found = Counter(dict(_with_registered_on(Nominal.objects.exclude(
        eligibility=Eligibility.NOT_ELIGIBLE)).filter(
        registered_on__range=(start, end)).order_by().values_list("category").annotate(
        n=Count("pk"))))
    return _table(STATISTICS["new_registrations"], ["Registered"],
                  [(Category(c).label, [found[c]]) for c in Category.values], total=True)


def referrals(start, end, count_on, today) -> dict:
    from referrals.models import Referral, ReferralStatus

    received = Referral.objects.filter(received_on__range=(start, end)).order_by()
    found = Counter({(s, lv or ""): n for s, lv, n in received.values_list(
        "status", "level_agreed").annotate(n=Count("pk"))})
    accepted = ReferralStatus.ACCEPTED
    rows = [("Accepted for a level 2 meeting", [found[(accepted, "2")]]),
            ("Accepted for a level 3 meeting", [found[(accepted, "3")]]),
            ("Level 1 management confirmed", [sum(n for (s, _), n in found.items()
                                                  if s == ReferralStatus.LEVEL_1)]),
            ("Rejected", [sum(n for (s, _), n in found.items() if s == ReferralStatus.REJECTED)]),
            ("Awaiting a decision", [sum(n for (s, _), n in found.items() if s in (
                ReferralStatus.SUBMITTED, ReferralStatus.INFO_REQUESTED))])]
    return _table(STATISTICS["referrals"], ["Referrals"], rows, total=True)


def meetings(start, end, count_on, today) -> dict:
    from meetings.models import Meeting, MeetingKind, MeetingStatus

    held = Meeting.objects.filter(status=MeetingStatus.HELD,
                                  starts_at__date__range=(start, end)).order_by()
    found = Counter(dict(held.values_list("kind").annotate(n=Count("pk"))))
    return _table(STATISTICS["meetings"], ["Held"],
                  [(MeetingKind(k).label, [found[k]]) for k in MeetingKind.values], total=True)


def kpis_by_quarter(start, end, count_on, today) -> dict:
    from ..indicators import KPIS, MEASURED
    from ..selectors import results

    quarters, quarter = [], Period.quarter_of(start)
    while quarter.start <= min(end, today):
        quarters.append(quarter)
        quarter = Period.quarter_of(quarter.end + timedelta(days=1))
    found = results(quarters, today, with_rows=False)
    rows = []
    for number in MEASURED:
        values = []
        for q in quarters:
            result = found[(number, q)]
            values.append({"numerator": result.numerator, "denominator": result.denominator,
                           "rate": None if result.rate is None else str(result.rate)})
        rows.append((f"KPI {number}: {KPIS[number].wording}", values))
    return _table(STATISTICS["kpis_by_quarter"], [q.label for q in quarters], rows,
                  total=False, kind="rates")


def disclosures(start, end, count_on, today) -> dict:
    from disclosure.models import Disclosure, RecipientKind
    from meetings.models import DisclosureDecision, MeetingStatus, Minutes, MinutesStatus

    decided = Counter(dict(Minutes.objects.filter(
        status=MinutesStatus.FINAL, meeting__status=MeetingStatus.HELD,
        meeting__starts_at__date__range=(start, end)).exclude(disclosure_decision="")
        .order_by().values_list("disclosure_decision").annotate(n=Count("pk"))))
    made = Counter(dict(Disclosure.objects.filter(disclosed_on__range=(start, end))
                        .order_by().values_list("recipient_kind").annotate(n=Count("pk"))))
    rows = [(f"Decision at a meeting: {DisclosureDecision(d).label.lower()}", [decided[d]])
            for d in DisclosureDecision.values]
    rows += [(f"Disclosure made to: {RecipientKind(k).label.lower()}", [made[k]])
             for k in RecipientKind.values]
    return _table(STATISTICS["disclosures"], ["Number"], rows, total=False)


def transfers(start, end, count_on, today) -> dict:
    from cases.models import Transfer, TransferDirection, TransferStatus

    found = Counter({(d, r): n for d, r, n in Transfer.objects.filter(
        status=TransferStatus.COMPLETED, transfer_date__range=(start, end)).order_by()
        .values_list("direction", "restricted").annotate(n=Count("pk"))})
    return _table(STATISTICS["transfers"], ["Restricted", "Unrestricted"],
                  [(TransferDirection(d).label, [found[(d, True)], found[(d, False)]])
                   for d in TransferDirection.values], total=True)


def deviations(start, end, count_on, today) -> dict:
    from cases.models import Deviation

    count = Deviation.objects.filter(decided_on__range=(start, end)).count()
    return _table(STATISTICS["deviations"], ["Number"],
                  [("Departures from the Guidance recorded, with their reasons", [count])],
                  total=False)


def archived_and_reactivated(start, end, count_on, today) -> dict:
    from cases.models import Status, StatusChange

    found = Counter(dict(StatusChange.objects.filter(on__range=(start, end)).order_by()
                         .values_list("status").annotate(n=Count("pk"))))
    return _table(STATISTICS["archived_and_reactivated"], ["Cases"],
                  [("Archived", [found[Status.ARCHIVED]]),
                   ("Re-activated", [found[Status.ACTIVE]])], total=False)


def home_visits(start, end, count_on, today) -> dict:
    from alerts.models import Alert, Rule
    from plans.models import HomeVisit

    # The sweep keeps each alert with the day it was resolved: the visit was recorded then.
    due = list(Alert.objects.filter(rule=Rule.HOME_VISIT_DUE, due_on__range=(start, end))
               .values_list("due_on", "resolved_at"))
    in_time = sum(1 for on, resolved in due
                  if resolved and timezone.localdate(resolved) <= on)
    visits = HomeVisit.objects.filter(visited_on__range=(start, end)).count()
    return _table(STATISTICS["home_visits"], ["Number"], [
        ("Home visits due (§14.9)", [len(due)]),
        ("Done by the day they were due", [in_time]),
        ("Not done by the day they were due", [len(due) - in_time]),
        ("Home visits recorded", [visits])], total=False)


def contract_breaches(start, end, count_on, today) -> dict:
    from disclosure.models import ContractBreach

    count = ContractBreach.objects.filter(occurred_on__range=(start, end)).count()
    return _table(STATISTICS["contract_breaches"], ["Number"],
                  [("Breaches of a place of worship's behaviour contract", [count])],
                  total=False)


_ENTRIES = [
    ("offenders_by_category_and_level", "JMAPPA offenders by category and level",
     "JMAPPA offenders on the register on the day counted, by category and level.",
     offenders_by_category_and_level),
    ("offenders_by_category_and_location", "Where JMAPPA offenders are",
     "JMAPPA offenders on the register on the day counted: in the community, in custody, "
     "in hospital.", offenders_by_category_and_location),
    ("new_registrations", "New registrations",
     "Offenders identified as JMAPPA offenders in the period (§3.3), by category.",
     new_registrations),
    ("referrals", "Referrals to level 2 and 3 meetings",
     "Referrals received in the period (§10.3, Appendix A), by the Co-ordinator's decision.",
     referrals),
    ("meetings", "JMAPP meetings held",
     "Meetings held in the period, by level, emergency meetings apart.", meetings),
    ("kpis_by_quarter", "Key performance indicators by quarter",
     "KPIs 1 to 5 (§16.2) for each quarter of the period: the closed quarters as frozen "
     "when they ended.", kpis_by_quarter),
    ("disclosures", "Disclosure",
     "Decisions on disclosure recorded in the final minutes of meetings held in the period, "
     "and disclosures made in it, by recipient (§5).", disclosures),
    ("transfers", "Transfers into and out of Jersey",
     "Transfers completed in the period (§12).", transfers),
    ("deviations", "Departures from the Guidance",
     "Deviations recorded in the period with their reasons (§1.1, §14.11).", deviations),
    ("archived_and_reactivated", "Archived and re-activated",
     "Cases archived and re-activated in the period (§13.3).", archived_and_reactivated),
    ("home_visits", "Home visits",
     "Home visits to Registered Sex Offenders due in the period and whether they were done "
     "by the day due, and the visits recorded (§14.9).", home_visits),
    # The breaches the register records: those of a behaviour contract (§5.4).
    ("contract_breaches", "Breaches of behaviour contracts",
     "Breaches of the behaviour contract agreed with a place of worship that occurred in the "
     "period (§5.4, §14.10).", contract_breaches),
]
STATISTICS: dict[str, Statistic] = {key: Statistic(key, title, about, compute)
                                    for key, title, about, compute in _ENTRIES}
# What a new report year starts from; the Minister's request may change it.
DEFAULT_STATISTICS = list(STATISTICS)


def compute(keys: list[str], *, start: date, end: date, count_on: date, today: date
            ) -> dict[str, dict]:
    """The tables of the statistics `keys`, in the catalogue's order."""
    return {key: STATISTICS[key].compute(start, end, count_on, today)
            for key in STATISTICS if key in keys}
