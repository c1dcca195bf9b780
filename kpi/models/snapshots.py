"""Quarterly snapshots of the KPIs (kpi/snapshots.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jmappa.core.validators import TEXT_MAX_LENGTH


class SnapshotFrozen(Exception):
    """A frozen snapshot is never changed nor deleted: a recomputation is a new version."""


class KpiSnapshot(models.Model):
    """One KPI's figures and the rows behind them for a closed quarter, frozen so that a
    report already given to the Board never changes silently. The first version is taken
    by the quarter-end job; a recomputation is a new version with its reason, and the
    latest version is the one shown."""

    kpi = models.PositiveSmallIntegerField()
    period = models.CharField(max_length=7, help_text="The quarter, as 2026-Q3.")
    version = models.PositiveSmallIntegerField(default=1)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    figures = models.JSONField(default=dict)
    groups = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH,
                              help_text="Why a closed quarter was computed again.")
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text="Empty when taken by the quarter-end job.")

    class Meta:
        ordering = ["period", "kpi", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period", "version"],
                                    name="one_snapshot_version"),
            models.CheckConstraint(name="a_recomputation_has_its_reason",
                                   condition=Q(version=1) | ~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"KPI {self.kpi}, {self.period} (version {self.version})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SnapshotFrozen("A frozen snapshot cannot be changed; recompute the quarter "
                                 "with a reason to keep a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SnapshotFrozen("A frozen snapshot cannot be deleted.")
