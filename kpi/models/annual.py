"""The annual report to the Minister (§15.5)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from jmappa.core.validators import TEXT_MAX_LENGTH

from .board import SmbMeeting

# -- the annual report (§15.5) ------------------------------------------------------------------


class AnnualReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved by the SMB"
    PUBLISHED = "published", "Published"


class AnnualReport(models.Model):
    """The Chief Police Officer's report to the Minister, presented before the end of March
    of `year` (§15.5): the statistics the Minister asked for that year, chosen from the
    catalogue (kpi/annual/catalogue.py), with an explanation and anonymised examples.

    Draft, then approved by the Board (its figures frozen then, so that what the Board
    approved is what is published), then published: the published version applies the
    small-cell rule (kpi/annual/suppression.py); the internal one shows exact figures."""

    year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year the report is presented to the Minister.")
    period_start = models.DateField("statistics from")
    period_end = models.DateField("statistics to")
    count_on = models.DateField(
        "offenders counted on", help_text="The day the register is counted, e.g. 31 March.")
    statistics = ArrayField(models.CharField(max_length=40), default=list,
                            help_text="The catalogue's statistics chosen this year.")
    status = models.CharField(max_length=10, choices=AnnualReportStatus.choices,
                              default=AnnualReportStatus.DRAFT)
    # Frozen at approval: {statistic: table} as kpi/annual/catalogue.py computes them.
    figures = models.JSONField(default=dict, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    approved_at = models.ForeignKey(SmbMeeting, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name="approved at the Board meeting of")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(name="annual_report_period_in_order",
                                   condition=Q(period_end__gte=F("period_start"))),
            models.CheckConstraint(
                name="an_approved_report_has_its_approval",
                condition=Q(status=AnnualReportStatus.DRAFT)
                | Q(approved_on__isnull=False, approved_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"JMAPPA annual report {self.year}"

    @property
    def is_draft(self) -> bool:
        return self.status == AnnualReportStatus.DRAFT


class SectionKind(models.TextChoices):
    NARRATIVE = "narrative", "Narrative"
    EXAMPLE = "example", "Anonymised case example"


class AnnualReportSection(models.Model):
    """A section of the report's text: the explanation of the data, or an example of how a
    case is managed, anonymised (kpi/annual/anonymity.py checks it names no one)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=10, choices=SectionKind.choices,
                            default=SectionKind.NARRATIVE)
    heading = models.CharField(max_length=200)
    body = models.TextField(max_length=TEXT_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.heading
