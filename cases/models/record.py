"""The parts of a nominal's record: aliases, addresses, level history, risk of serious
harm, risk assessments, transfers, deviations and status changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jmappa.accounts.models import Agency
from jmappa.core.validators import TEXT_MAX_LENGTH, validate_name

from .nominal import CaseChild, Level, Nominal, RiskLevel, Status

CPO_MESSAGE = (
    "A community order is transferred only with the Chief Probation Officer's permission "
    "(§12): record who gave it and when before marking the transfer agreed or completed."
)


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    PREVIOUS_NAME = "previous_name", "Previous name"
    NICKNAME = "nickname", "Nickname"


class Alias(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300, validators=[validate_name])
    kind = models.CharField(max_length=16, choices=AliasKind.choices, default=AliasKind.ALIAS)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"


class Address(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="addresses")
    address = models.TextField(max_length=TEXT_MAX_LENGTH)
    postcode = models.CharField(max_length=12, blank=True)
    date_from = models.DateField("from", null=True, blank=True)
    date_to = models.DateField("to", null=True, blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_current", "-date_from", "-id"]
        verbose_name_plural = "addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["nominal"], condition=Q(is_current=True), name="one_current_address",
                violation_error_code="is_current",
                violation_error_message="The case already has a current address."),
            models.CheckConstraint(
                name="address_ends_after_start",
                violation_error_code="date_to",
                violation_error_message="The address cannot end before it starts.",
                condition=Q(date_to__isnull=True) | Q(date_from__isnull=True)
                | Q(date_to__gte=models.F("date_from")),
            ),
        ]

    def __str__(self) -> str:
        return self.address.replace("\n", ", ")


class LevelChange(CaseChild):
    """The management level history: from, to, reason, who decided."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="level_history")
    level = models.CharField(max_length=8, choices=Level.choices)
    date_from = models.DateField("from")
    date_to = models.DateField("to", null=True, blank=True)
    reason = models.TextField(max_length=TEXT_MAX_LENGTH)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date_from", "-id"]
        indexes = [
            # The stretches at a level still running on a day, or ended after it (the Board's
            # KPIs 1 and 2): few of a long history.
            models.Index(fields=["level", "date_to"], name="levelchange_level_until"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} from {self.date_from:%-d %B %Y}"


class RoshAssessment(CaseChild):
    """Risk of serious harm (§9.1): overall and by group at risk, in the community and in
    custody, with the narrative a chair needs. The latest is the current one."""

    GROUPS = ["public", "prisoners", "known_adult", "children", "staff"]

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="rosh_history")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    overall = models.CharField(max_length=10, choices=RiskLevel.choices)
    community_public = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    community_prisoners = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    community_known_adult = models.CharField(max_length=10, choices=RiskLevel.choices,
                                             blank=True)
    community_children = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    community_staff = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    custody_public = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    custody_prisoners = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    custody_known_adult = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    custody_children = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    custody_staff = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    who_is_at_risk = models.TextField(max_length=TEXT_MAX_LENGTH)
    nature_of_risk = models.TextField("nature of the harm", max_length=TEXT_MAX_LENGTH)
    imminence = models.TextField("how imminent", max_length=TEXT_MAX_LENGTH)
    increases_risk = models.TextField("what increases the risk", blank=True,
                                      max_length=TEXT_MAX_LENGTH)
    reduces_risk = models.TextField("what reduces the risk", blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = "risk of serious harm assessment"

    def __str__(self) -> str:
        return f"RoSH {self.get_overall_display().lower()} ({self.assessed_on:%-d %B %Y})"

    def by_group(self) -> list[tuple[str, str, str]]:
        """(group label, community level, custody level) for each group at risk."""
        labels = {"public": "Public", "prisoners": "Prisoners", "known_adult": "Known adult",
                  "children": "Children", "staff": "Staff"}
        rows = []
        for group in self.GROUPS:
            community = getattr(self, f"get_community_{group}_display")()
            custody = getattr(self, f"get_custody_{group}_display")()
            rows.append((labels[group], community, custody))
        return rows


class RiskTool(models.TextChoices):
    RM2000 = "rm2000", "Risk Matrix 2000"
    STABLE_ACUTE = "stable_acute_07", "Stable and Acute 2007"
    HCR20 = "hcr20", "HCR-20"
    SARA = "sara", "SARA"
    LSIR = "lsi_r", "LSI-R"
    OTHER = "other", "Other"


class RiskAssessment(CaseChild):
    """An assessment with a validated tool (§6)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE,
                                related_name="risk_assessments")
    tool = models.CharField(max_length=20, choices=RiskTool.choices)
    tool_other = models.CharField("other tool", max_length=100, blank=True)
    score = models.CharField("score or band", max_length=50)
    assessed_on = models.DateField()
    assessor = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_tool_display()}: {self.score} ({self.assessed_on:%-d %B %Y})"


class TransferDirection(models.TextChoices):
    INTO_JERSEY = "in", "Into Jersey"
    OUT_OF_JERSEY = "out", "Out of Jersey"


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    COMPLETED = "completed", "Completed"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Transfer(CaseChild):
    """A transfer to or from Jersey (§12)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(max_length=4, choices=TransferDirection.choices)
    other_jurisdiction = models.CharField(max_length=200)
    restricted = models.BooleanField(
        "restricted transfer", default=False,
        help_text="Restricted: conditions of the order continue to apply after transfer.")
    is_community_order = models.BooleanField("transfer of a community order", default=False)
    cpo_permission_by = models.CharField("Chief Probation Officer's permission given by",
                                         max_length=200, blank=True)
    cpo_permission_on = models.DateField("permission given on", null=True, blank=True)
    status = models.CharField(max_length=10, choices=TransferStatus.choices,
                              default=TransferStatus.PROPOSED)
    transfer_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                name="community_order_transfer_needs_cpo_permission",
                violation_error_code="status", violation_error_message=CPO_MESSAGE,
                condition=~Q(is_community_order=True, status__in=["agreed", "completed"])
                | (~Q(cpo_permission_by="") & Q(cpo_permission_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        direction = self.get_direction_display()
        return f"Transfer {direction[:1].lower()}{direction[1:]}: {self.other_jurisdiction}"


class Deviation(CaseChild):
    """A departure from the Guidance, with its reasons (§1.1, §14.11)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="deviations")
    what = models.TextField("what departs from the Guidance", max_length=TEXT_MAX_LENGTH)
    why = models.TextField("the reasons", max_length=TEXT_MAX_LENGTH)
    guidance_section = models.CharField(max_length=20, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"Deviation: {self.what[:60]}"


class StatusChange(CaseChild):
    """Archive and re-activation history: date, reason, by whom."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=10, choices=Status.choices)
    on = models.DateField()
    reason = models.TextField(max_length=TEXT_MAX_LENGTH)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.on:%-d %B %Y}"
