"""Quarterly snapshots (§15.4): at each quarter's end the figures and the rows behind them
are frozen (the Celery beat job, kpi/tasks.py), so that a report already given to the SMB
never changes silently. The running quarter is provisional and never frozen. Recomputing
a closed quarter keeps a new version, with its reason, beside the earlier ones."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log

from .indicators import KPIS, MEASURED, Result, measure_all
from .indicators.base import Kpi
from .models import KpiSnapshot
from .periods import Period


@transaction.atomic
def snapshot_quarter(*, period: Period, today: date, actor=None, reason: str = ""
                     ) -> list[KpiSnapshot]:
    """Freeze each KPI of the closed quarter `period`. Without a reason, a quarter already
    frozen is left as it is (the job may run twice); with one, a new version is kept."""
    if period.quarter is None:
        raise ValidationError("Snapshots are taken of quarters.")
    if not period.is_closed(today):
        raise ValidationError(f"{period.label} is still running: its figures are "
                              "provisional until it ends.")
    reason = reason.strip()
    # One snapshot run of a quarter at a time: the second waits and then sees the first's.
    list(KpiSnapshot.objects.select_for_update().filter(period=period.code))
    latest = dict(KpiSnapshot.objects.filter(period=period.code).values("kpi")
                  .annotate(v=Max("version")).values_list("kpi", "v"))
    if latest and not reason:
        return []
    measured = measure_all([period], today=today)
    taken = []
    for number in MEASURED:
        result = measured[number][0]
        taken.append(KpiSnapshot.objects.create(
            kpi=number, period=period.code, version=latest.get(number, 0) + 1,
            numerator=result.numerator, denominator=result.denominator,
            figures=result.figures(), groups=result.groups, rows=result.rows,
            reason=reason, taken_by=actor))
    audit_log(actor=actor, action=Verb.CREATE, object_type="kpi.kpisnapshot",
              object_id=period.code, object_repr=f"KPI snapshot of {period.label}",
              changes={"versions": {s.kpi: s.version for s in taken}, "reason": reason},
              username="" if actor else "quarter-end job")
    return taken


def freeze_closed_quarters(today: date, *, back: int = 8) -> list[str]:
    """Freeze every closed quarter of the last `back` not yet frozen (the beat job: a
    quarter-end missed while the workers were down is caught up the next day)."""
    frozen = set(KpiSnapshot.objects.values_list("period", flat=True).distinct())
    period, done = Period.quarter_of(today).previous(), []
    for _ in range(back):
        if period.code not in frozen:
            snapshot_quarter(period=period, today=today)
            done.append(period.code)
        period = period.previous()
    return done


def frozen_result(snapshot: KpiSnapshot, *, with_rows: bool = True) -> Result:
    """A snapshot read back as the figures it froze (without its rows, unless asked)."""
    period = Period.parse(snapshot.period)
    kpi: Kpi = KPIS[snapshot.kpi]
    return Result(kpi=kpi, period=period, as_of=period.end, numerator=snapshot.numerator,
                  denominator=snapshot.denominator, groups=snapshot.groups,
                  rows=snapshot.rows if with_rows else [],
                  version=snapshot.version,
                  extra={k: v for k, v in snapshot.figures.items() if k not in (
                      "kpi", "period", "as_of", "numerator", "denominator", "rate", "target",
                      "rag")})


def latest_snapshots(codes: list[str], *, with_rows: bool = True
                     ) -> dict[tuple[int, str], KpiSnapshot]:
    """The latest version of each KPI's snapshot of the quarters `codes`, in one query (the
    rows behind the figures left in the database unless asked)."""
    found: dict[tuple[int, str], KpiSnapshot] = {}
    snapshots = KpiSnapshot.objects.filter(period__in=codes)
    if not with_rows:
        snapshots = snapshots.defer("rows")
    for snap in snapshots.order_by("kpi", "period", "-version"):
        found.setdefault((snap.kpi, snap.period), snap)
    return found
