"""Coordinated Services Plans (seed 002): the services made available to a person on a
supervision order (or an interim one), each from a provider, addressing a risk factor; a
multi-agency panel of executive delegates endorses the plan, which commits each member agency
to its services; the plan is reviewed at least every six months.

- `Provider`: the catalogue of providers, agencies and funded services;
- `PanelMember`, `PanelMeeting`: the panel, its Chair, its meetings;
- `ServicesPlan`, `PlannedService`: a person's plan and its services;
- `Endorsement`: the panel's endorsement at a meeting, who endorsed, the agencies committed;
- `UpdateRequest`: before each panel, each provider asked for the last six months and the
  next six (at the plan's conference or in writing), and the answers;
- `OversightNotice`: the oversight body's notices about a plan and the responses;
- `SystemicIssue`: problems in the provision of services across cases;
- `InformationSharing`: each sharing of a plan's information, with its purpose, one of those
  the law lists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import CaseChild, Nominal
from jmappa.accounts.models import Agency
from jmappa.core.validators import TEXT_MAX_LENGTH, validate_name

REVIEW_MONTHS = 6  # "reviewed at least every six months"


class ProviderKind(models.TextChoices):
    # An intervention's provider is internal (a member agency) or external (a service funded
    # from outside the partnership): interventions/ reads it so.
    AGENCY = "agency", "Member agency (internal)"
    FUNDED = "funded", "Funded service (external)"


class Provider(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=8, choices=ProviderKind.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+",
                               help_text="The member agency it is, or that funds it.")
    services = models.TextField("services it delivers", max_length=TEXT_MAX_LENGTH)
    contact = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField("in the catalogue", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """An executive delegate of a member agency on the panel, for a period."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="panel_memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=200, help_text="E.g. “Deputy Commissioner”.")
    is_chair = models.BooleanField("chairs the panel", default=False)
    date_from = models.DateField("from")
    date_to = models.DateField("to", null=True, blank=True)

    class Meta:
        ordering = ["-is_chair", "agency__name", "id"]
        constraints = [models.UniqueConstraint(
            fields=["is_chair"], condition=Q(is_chair=True, date_to__isnull=True),
            name="one_current_panel_chair")]

    def __str__(self) -> str:
        return f"{self.member.get_full_name() or self.member}, {self.position}"


class PanelMeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Arranged"
    HELD = "held", "Held"


class PanelMeeting(models.Model):
    date = models.DateField(db_index=True)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=PanelMeetingStatus.choices,
                              default=PanelMeetingStatus.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"Panel meeting, {self.date:%-d %B %Y}"


class OrderKind(models.TextChoices):
    SUPERVISION = "supervision", "Supervision order"
    INTERIM = "interim", "Interim supervision order"


class ServicesPlan(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="services_plans")
    order_kind = models.CharField("order", max_length=12, choices=OrderKind.choices)
    order_start = models.DateField("order made on")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField("order ended on", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-order_start", "-id"]

    def __str__(self) -> str:
        return f"Coordinated services plan ({self.get_order_kind_display().lower()})"

    @property
    def review_due(self):
        """Six months after the last endorsement (or after the order was made), as the rule
        in coordination/rules.py counts it; reads the endorsements prefetched with the plan."""
        from jmappa.workdays import add_months

        endorsed = [e.endorsed_on for e in self.endorsements.all()]
        return add_months(max(endorsed) if endorsed else self.order_start, REVIEW_MONTHS)


class ServiceStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    DELIVERING = "delivering", "Being delivered"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


class PlannedService(models.Model):
    plan = models.ForeignKey(ServicesPlan, on_delete=models.CASCADE, related_name="services")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    delivers = models.TextField("what it delivers", max_length=TEXT_MAX_LENGTH)
    risk_factor = models.TextField("the risk factor it addresses", max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=ServiceStatus.choices,
                              default=ServiceStatus.PROPOSED)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return f"{self.provider}: {self.delivers[:60]}"

    @property
    def nominal_id(self) -> int:
        return self.plan.nominal_id


class Endorsement(CaseChild):
    """The panel endorsed the plan at a meeting: each member agency is committed to its
    services (kept as they were endorsed)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(ServicesPlan, on_delete=models.PROTECT,
                             related_name="endorsements")
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT,
                                related_name="endorsements")
    endorsed_on = models.DateField()
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    members = models.ManyToManyField(PanelMember, related_name="+",
                                     verbose_name="panel members endorsing it")
    # [{"provider", "agency", "delivers", "risk_factor"}] as endorsed.
    commitments = models.JSONField(default=list)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-endorsed_on", "-id"]

    def __str__(self) -> str:
        return f"Endorsed {self.endorsed_on:%-d %B %Y}"


class UpdateMethod(models.TextChoices):
    CONFERENCE = "conference", "Attendance at the plan's conference"
    WRITTEN = "written", "Written request"


class UpdateRequest(CaseChild):
    """A provider asked, before a panel, for the service delivered over the last six months
    and planned for the next six."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(ServicesPlan, on_delete=models.PROTECT,
                             related_name="update_requests")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT,
                                related_name="update_requests", verbose_name="for the panel of")
    method = models.CharField(max_length=12, choices=UpdateMethod.choices)
    requested_on = models.DateField()
    answer_by = models.DateField(help_text="Before the panel's date.")
    last_six_months = models.TextField("service delivered over the last six months",
                                       blank=True, max_length=TEXT_MAX_LENGTH)
    next_six_months = models.TextField("service and treatment goals for the next six months",
                                       blank=True, max_length=TEXT_MAX_LENGTH)
    answered_on = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["answered_on", "answer_by", "id"]
        indexes = [models.Index(fields=["answer_by"], name="update_unanswered",
                                condition=Q(answered_on__isnull=True))]

    def __str__(self) -> str:
        return f"Service update from {self.provider}"


class OversightNotice(CaseChild):
    """A notice from the oversight body about a plan, and the response."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(ServicesPlan, on_delete=models.PROTECT, related_name="notices")
    received_on = models.DateField()
    notice = models.TextField("what the notice asks", max_length=TEXT_MAX_LENGTH)
    respond_by = models.DateField()
    response = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    responded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["responded_on", "respond_by", "id"]

    def __str__(self) -> str:
        return f"Oversight notice of {self.received_on:%-d %B %Y}"


class SystemicIssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class SystemicIssue(models.Model):
    """A problem in the provision of services across cases, for the panel to resolve."""

    raised_on = models.DateField()
    issue = models.TextField("the problem", max_length=TEXT_MAX_LENGTH)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    steps = models.TextField("steps the panel takes", blank=True, max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=SystemicIssueStatus.choices,
                              default=SystemicIssueStatus.OPEN)
    resolved_on = models.DateField(null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["status", "-raised_on", "-id"]

    def __str__(self) -> str:
        return f"Systemic issue raised {self.raised_on:%-d %B %Y}"


class Purpose(models.TextChoices):
    """The purposes for which a plan's information may be used or disclosed (seed 002)."""

    REPORTS = "reports", ("Preparing assessment or progress reports, treatment or supervision "
                          "plans")
    ORDER = "order", "Making or responding to an application for an order"
    PLAN = "plan", "Preparing and reviewing the coordinated services plan"
    DELIVERY = "delivery", "Delivering the services of the plan"
    MANAGING = "managing", "Managing the person"
    RISK = "risk", "Reducing the risk of an offence or a threat to any person"


class InformationSharing(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(ServicesPlan, on_delete=models.PROTECT, related_name="sharings")
    shared_with = models.CharField(max_length=200, validators=[validate_name])
    what = models.TextField("what was shared", max_length=TEXT_MAX_LENGTH)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    shared_on = models.DateField()
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["-shared_on", "-id"]

    def __str__(self) -> str:
        return f"Shared with {self.shared_with} on {self.shared_on:%-d %B %Y}"
