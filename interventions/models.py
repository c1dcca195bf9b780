"""Integrated packages of interventions and support (seed 004): planned with the person,
monitored and reviewed, to address their offending behaviour.

- `Intervention`: the catalogue, each intervention delivered by a provider of the provider
  catalogue (coordination.Provider: a member agency is internal, a funded service external),
  with its programme type, who is eligible and how many places it has;
- `InterventionPackage`: a person's package, opened with the engagement record (rights and
  responsibilities, the court's requirements, the confidentiality and disclosure policy
  explained; their needs, preferences and whom they want involved); each change to it is a
  new revision, kept in `PackageChange` with who, when and why;
- `PackageIntervention`: one intervention of the package: the risk factors it addresses and
  the protective factors it builds, as an option weighed (advantages, disadvantages), its
  place in the sequence and what it comes after, the referral to the provider, their
  willingness, ability and resources, the contribution agreed, the person's agreement, and
  its delivery;
- `PackageEntry`: the package's log: progress, non-compliance and the action taken, the
  person's and the providers' feedback, changes in need;
- `ReviewPoint`: a review agreed for the package, with who makes it happen (an alert to them
  from its date until it is held).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import CaseChild, Nominal
from coordination.models import Provider, ProviderKind
from jmappa.core.validators import TEXT_MAX_LENGTH, validate_name


class ProgrammeType(models.TextChoices):
    ACCREDITED = "accredited", "Accredited programme"
    ONE_TO_ONE = "one_to_one", "One-to-one work"
    TREATMENT = "treatment", "Health or mental health treatment"
    SUBSTANCE = "substance", "Alcohol or drug service"
    ACCOMMODATION = "accommodation", "Accommodation"
    EDUCATION = "education", "Education, training or employment"
    MENTORING = "mentoring", "Mentoring or informal support"
    OTHER = "other", "Other support"


class Intervention(models.Model):
    """An intervention of the catalogue, formal programme or informal support."""

    name = models.CharField(max_length=200, validators=[validate_name])
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT,
                                 related_name="interventions")
    programme_type = models.CharField(max_length=16, choices=ProgrammeType.choices)
    description = models.TextField("what it involves", max_length=TEXT_MAX_LENGTH)
    eligibility = models.TextField("who is eligible", max_length=TEXT_MAX_LENGTH)
    capacity = models.PositiveIntegerField(
        "places", null=True, blank=True,
        help_text="How many people it takes at once; leave it empty where there is no limit.")
    is_active = models.BooleanField("in the catalogue", default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    @property
    def internal(self) -> bool:
        """Delivered by a member agency (internal), not a funded service (external)."""
        return self.provider.kind == ProviderKind.AGENCY


class PackageStatus(models.TextChoices):
    OPEN = "open", "In force"
    CLOSED = "closed", "Closed"


class InterventionPackage(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="intervention_packages")
    # The engagement record, at the start (seed 004, criteria 1 to 12).
    engaged_on = models.DateField("engagement meeting held on")
    rights_explained = models.BooleanField(
        "their rights and responsibilities, and your role and responsibilities, were "
        "explained", default=False)
    court_required = models.TextField(
        "the interventions the sentence of the court requires", max_length=TEXT_MAX_LENGTH)
    confidentiality_explained = models.BooleanField(
        "the confidentiality policy, and when information is disclosed to third parties, "
        "were explained", default=False)
    needs = models.TextField("their needs, as they put them", max_length=TEXT_MAX_LENGTH)
    preferences = models.TextField("their preferences, beliefs and interests", blank=True,
                                   max_length=TEXT_MAX_LENGTH)
    communication = models.TextField("how they communicate best", blank=True,
                                     max_length=TEXT_MAX_LENGTH)
    wants_involved = models.TextField("whom they want involved in the planning", blank=True,
                                      max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=8, choices=PackageStatus.choices,
                              default=PackageStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    # Each change to the package (its interventions, their steps, its review points) is a
    # new revision, kept in PackageChange; `version` locks the record itself.
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["status", "-engaged_on", "-id"]
        indexes = [models.Index(fields=["nominal"], name="package_open",
                                condition=Q(status="open"))]

    def __str__(self) -> str:
        return f"Intervention package from {self.engaged_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == PackageStatus.OPEN


class Stage(models.TextChoices):
    OPTION = "option", "Option being considered"
    CHOSEN = "chosen", "Chosen with the person"
    NOT_CHOSEN = "not_chosen", "Not chosen"
    REFERRED = "referred", "Referred to the provider"
    ACCEPTED = "accepted", "Accepted by the provider"
    DECLINED = "declined", "Declined by the provider"
    UNDER_WAY = "under_way", "Under way"
    COMPLETED = "completed", "Completed"
    ENDED = "ended", "Ended early"


# Where an intervention goes from each stage, as a progress entry says (the referral, the
# provider's answer and the person's agreement have steps of their own).
DELIVERY_STAGES = (Stage.UNDER_WAY, Stage.COMPLETED, Stage.ENDED)
DELIVERY_CHOICES = [(stage.value, stage.label) for stage in DELIVERY_STAGES]
# Still part of the package: chosen and not yet finished, or running.
LIVE_STAGES = (Stage.CHOSEN, Stage.REFERRED, Stage.ACCEPTED, Stage.UNDER_WAY)
# Holding a place of the intervention's capacity.
PLACE_STAGES = (Stage.ACCEPTED, Stage.UNDER_WAY)


class PackageIntervention(models.Model):
    package = models.ForeignKey(InterventionPackage, on_delete=models.CASCADE,
                                related_name="interventions")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT,
                                     related_name="placements")
    risk_factors = models.TextField("the risk factors it addresses", blank=True,
                                    max_length=TEXT_MAX_LENGTH)
    protective_factors = models.TextField("the protective factors it builds", blank=True,
                                          max_length=TEXT_MAX_LENGTH)
    # The option weighed with the person (criterion 14).
    advantages = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    disadvantages = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.OPTION)
    # The sequence (criterion 16).
    step = models.PositiveSmallIntegerField("step in the sequence", default=1)
    after = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name="starts once it completes")
    # The referral (criteria 17, 21).
    referred_on = models.DateField(null=True, blank=True)
    referral_discussed = models.TextField(
        "what was discussed with the provider: its role, the benefits, how confidentiality "
        "is kept", blank=True, max_length=TEXT_MAX_LENGTH)
    information_given = models.TextField(
        "the information given about the person's difficulties and the support they need",
        blank=True, max_length=TEXT_MAX_LENGTH)
    # The provider's answer (criteria 18, 20).
    answered_on = models.DateField("the provider answered on", null=True, blank=True)
    willing = models.BooleanField("the provider is willing", null=True, blank=True)
    able = models.BooleanField("the provider is able", null=True, blank=True)
    resources = models.TextField("the resources it needs", blank=True,
                                 max_length=TEXT_MAX_LENGTH)
    contribution = models.TextField("the contribution agreed with the provider", blank=True,
                                    max_length=TEXT_MAX_LENGTH)
    # The person's agreement to the organisation's involvement (criterion 19).
    person_agreed_on = models.DateField("the person agreed to its involvement on", null=True,
                                        blank=True)
    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    version = models.PositiveIntegerField(default=1)

    # What the person told of their difficulties stays out of the audit trail's copy.
    audit_sensitive_fields = frozenset({"information_given"})

    class Meta:
        ordering = ["package", "step", "id"]

    def __str__(self) -> str:
        return f"{self.intervention.name}, step {self.step}"

    # Its case is its package's.
    @property
    def nominal_id(self) -> int:
        return self.package.nominal_id

    @property
    def nominal(self) -> Nominal:
        return self.package.nominal

    @property
    def accepted(self) -> bool:
        return bool(self.willing and self.able)


class EntryKind(models.TextChoices):
    PROGRESS = "progress", "Progress"
    NON_COMPLIANCE = "non_compliance", "Non-compliance"
    PERSON_FEEDBACK = "person_feedback", "The person's feedback"
    PROVIDER_FEEDBACK = "provider_feedback", "The provider's feedback"
    NEED_CHANGE = "need_change", "A change in needs or circumstances"


class PackageEntry(CaseChild):
    """One entry of the package's log, about the package or one of its interventions."""

    package = models.ForeignKey(InterventionPackage, on_delete=models.CASCADE,
                                related_name="entries")
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    intervention = models.ForeignKey(PackageIntervention, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="entries",
                                     verbose_name="about")
    kind = models.CharField(max_length=18, choices=EntryKind.choices)
    on = models.DateField()
    note = models.TextField("what happened, or what was said", max_length=TEXT_MAX_LENGTH)
    action_taken = models.TextField(
        "the action taken, or what it means for the package", blank=True,
        max_length=TEXT_MAX_LENGTH)
    stage_after = models.CharField("the intervention's stage after it", max_length=12,
                                   choices=Stage.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name_plural = "package entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.on:%-d %B %Y}"


class ReviewPoint(CaseChild):
    """A review of the package agreed with the relevant people, and who makes it happen."""

    package = models.ForeignKey(InterventionPackage, on_delete=models.CASCADE,
                                related_name="review_points")
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    review_by = models.DateField("review by")
    purpose = models.TextField("what is reviewed", max_length=TEXT_MAX_LENGTH)
    agreed_with = models.TextField("agreed with", blank=True, max_length=TEXT_MAX_LENGTH)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="who makes it happen")
    held_on = models.DateField("reviewed on", null=True, blank=True)
    outcome = models.TextField("what the review found and agreed", blank=True,
                               max_length=TEXT_MAX_LENGTH)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["held_on", "review_by", "id"]
        indexes = [models.Index(fields=["review_by"], name="review_point_not_held",
                                condition=Q(held_on__isnull=True))]

    def __str__(self) -> str:
        return f"Review point of {self.review_by:%-d %B %Y}"


class PackageChange(CaseChild):
    """One revision of a package: what changed, who changed it, when and why."""

    package = models.ForeignKey(InterventionPackage, on_delete=models.CASCADE,
                                related_name="changes")
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField()
    what = models.TextField(max_length=TEXT_MAX_LENGTH)
    why = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["package", "-revision", "-id"]

    def __str__(self) -> str:
        return f"Revision {self.revision}"
