"""The Risk Management Plan of a case (§8, §7.2): its SMART actions and their progress,
and the supervision around it: the lead agency's level 1 reviews of the plan (§9.2) and the
home visits to Registered Sex Offenders (§14.9).

These rows were first kept by the cases app: each model names its table, so that moving
them here changed no table.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import CaseChild, Nominal
from jmappa.accounts.models import Agency
from jmappa.core.validators import TEXT_MAX_LENGTH

# -- the Risk Management Plan (§8, §7.2) ----------------------------------------------------------


class ActionType(models.TextChoices):
    EXTERNAL_CONTROL = "external_control", "External control"
    INTERNAL_CONTROL = "internal_control", "Internal control"
    VICTIM_PROTECTION = "victim_protection", "Victim protection"
    CONTINGENCY = "contingency", "Contingency"
    MONITORING = "monitoring", "Monitoring"
    DISCLOSURE = "disclosure", "Disclosure"
    OTHER = "other", "Other"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANNOT_DELIVER = "cannot_deliver", "Cannot be delivered"


# Still to be done by its owner.
OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class PlanAction(CaseChild):
    """One SMART action of the case's Risk Management Plan (§8.3). The case's plan is its
    actions; each records the meeting that agreed it, and an action the agencies cannot
    deliver is carried to the next meeting (`carried_from`)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="actions",
                                verbose_name="agreed at")
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="carried_to")
    description = models.TextField("what will be done", max_length=TEXT_MAX_LENGTH)
    action_type = models.CharField("type", max_length=20, choices=ActionType.choices)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="actions",
                              verbose_name="named owner")
    due_date = models.DateField("completion date")
    plan_reference = models.CharField(
        "supervision or sentence plan", max_length=200, blank=True,
        help_text="The objective of the agency's own plan this action serves.")
    status = models.CharField(max_length=16, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN, db_index=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "id"]
        db_table = "cases_planaction"
        verbose_name = "action"
        indexes = [
            models.Index(fields=["owner_agency", "status", "due_date"],
                         name="cases_plana_owner_a_19da37_idx"),
            models.Index(fields=["owner", "status", "due_date"],
                         name="cases_plana_owner_i_f51930_idx"),
            models.Index(fields=["nominal", "status"], name="cases_plana_nominal_6f682c_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="done_action_has_completion",
                condition=~Q(status="done") | Q(completed_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_type_display()}: {self.description[:60]}"

    def is_overdue_on(self, day: date) -> bool:
        return self.status in OPEN_ACTION_STATUSES and self.due_date < day


class ActionProgress(models.Model):
    """Progress logged by the action's owner: what was done, and the status after it."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField("date")
    note = models.TextField(max_length=TEXT_MAX_LENGTH)
    status = models.CharField("status after this", max_length=16,
                              choices=ActionStatus.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_actionprogress"
        ordering = ["-on", "-id"]
        verbose_name_plural = "action progress"

    def __str__(self) -> str:
        return f"{self.on}: {self.get_status_display()}"


class Level1Review(CaseChild):
    """The lead agency's review of a level 1 case, at least every 3 months (§9.2)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="level1_reviews")
    reviewed_on = models.DateField()
    new_information = models.TextField(
        "new information affecting the risk assessment or the plan", max_length=TEXT_MAX_LENGTH)
    plan_review = models.TextField("the plan reviewed, and what was revised",
                                   max_length=TEXT_MAX_LENGTH)
    referral_needed = models.BooleanField(
        "the case now needs a referral to level 2 or 3", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_level1review"
        ordering = ["-reviewed_on", "-id"]
        verbose_name = "level 1 review"

    def __str__(self) -> str:
        return f"Level 1 review, {self.reviewed_on}"


class HomeVisit(CaseChild):
    """A visit to a Registered Sex Offender's home (§14.9)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="home_visits")
    visited_on = models.DateField()
    visited_by = models.CharField("who visited", max_length=300)
    announced = models.BooleanField(default=True)
    notes = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cases_homevisit"
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"Home visit, {self.visited_on}"
