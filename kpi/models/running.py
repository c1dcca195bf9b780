"""The running quarter's figures, kept case by case (kpi/indicators/running.py): each row is
of the quarter and the day RunningStamp names, measured again only for the cases marked stale
since (StaleCase); the figures are counted from them."""

from __future__ import annotations

from django.db import models


class RunningReview(models.Model):
    """A case's outcome for KPI 1 or 2."""

    nominal_id = models.BigIntegerField(db_index=True)
    level = models.CharField(max_length=8)
    lead_agency_id = models.BigIntegerField(null=True)
    met = models.BooleanField()
    deviation = models.BooleanField(null=True, help_text="A deviation decided in a late gap.")

    def __str__(self) -> str:
        return f"Case {self.nominal_id} at level {self.level}: {'met' if self.met else 'missed'}"


class RunningDisclosure(models.Model):
    """A held meeting's outcome for KPI 3."""

    nominal_id = models.BigIntegerField(db_index=True)
    lead_agency_id = models.BigIntegerField(null=True)
    outcome = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"A meeting of case {self.nominal_id}: {self.outcome}"


class RunningPlace(models.Model):
    """An agency's place at a held meeting for KPI 5; `first` marks one place a meeting."""

    nominal_id = models.BigIntegerField(db_index=True)
    agency_id = models.BigIntegerField()
    rank = models.PositiveSmallIntegerField()
    first = models.BooleanField()

    def __str__(self) -> str:
        return f"Agency {self.agency_id} at a meeting of case {self.nominal_id}"


class StaleCase(models.Model):
    """A case whose level history, status, deviations, meetings (their minutes, invitations,
    attendance) or lead agency changed since its rows were measured: marked by the
    database's triggers on those tables, whatever made the change."""

    nominal_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return f"Case {self.nominal_id}"


class RunningStamp(models.Model):
    """The quarter and the day the running rows are of (one row)."""

    period = models.CharField(max_length=7)
    as_of = models.DateField()

    def __str__(self) -> str:
        return f"{self.period} as of {self.as_of}"
