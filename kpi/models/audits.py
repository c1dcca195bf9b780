"""The defensibility test (§15.4, §16.1): a quarterly case audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jmappa.core.validators import TEXT_MAX_LENGTH

# -- the defensibility test (§15.4, §16.1): a quarterly case audit ------------------------------

# The checklist, from the Guidance: (item, the question, where the Guidance asks it).
AUDIT_CHECKLIST = [
    ("referral_on_time", "Referred, and the referral meeting held, in the time the Guidance "
                         "allows", "§10.4"),
    ("reviews_in_time", "Reviewed at its level in time: every six weeks at level 3, every "
                        "twelve at level 2", "§10.11, KPIs 1 and 2"),
    ("plan_victim_contingency", "The plan has victim protection and contingency actions, "
                                "each with an owner and a date", "§8"),
    ("actions_done", "The plan's actions done by their dates, or the delay recorded", "§8.3"),
    ("disclosure_considered", "Disclosure considered and the decision recorded at every "
                              "meeting", "§5.2, KPI 3"),
    ("minutes_on_time", "Minutes final and distributed in time", "§10.12"),
]
AUDIT_ITEMS = [item for item, _question, _where in AUDIT_CHECKLIST]


class AuditAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "na", "Does not apply"


class CaseAudit(models.Model):
    """A quarter's case audit: a random sample of the cases managed at level 2 or 3 in it,
    each scored against the checklist and the defensibility test: "Was everything that
    could reasonably have been done to prevent offenders from re-offending actually
    done?" (§16.1)."""

    period = models.CharField(max_length=7, unique=True, help_text="The quarter, as 2026-Q3.")
    sample_size = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField(
        help_text="How many cases were managed at level 2 or 3 in the quarter.")
    seed = models.BigIntegerField(help_text="The draw's random seed, so it can be shown.")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"Case audit, {self.period}"


class AuditedCase(models.Model):
    """One sampled case: what the records suggest for each item, the scorer's answers, the
    defensibility judgement with its reasons, the findings and their follow-up."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="cases")
    nominal = models.ForeignKey("cases.Nominal", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=1)
    suggested = models.JSONField(default=dict, help_text="What the records say, per item.")
    answers = models.JSONField(default=dict)
    defensible = models.BooleanField(null=True)
    findings = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    follow_up = models.TextField("follow-up action", blank=True, max_length=TEXT_MAX_LENGTH)
    follow_up_by = models.DateField("follow-up due by", null=True, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    # The findings are about a case: the trail says they changed, the case page shows them.
    audit_sensitive_fields = frozenset({"findings", "follow_up"})

    class Meta:
        ordering = ["audit", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "nominal"], name="a_case_once_per_audit"),
        ]

    def __str__(self) -> str:
        return f"Audited case J{self.nominal_id:06d}"
