"""Referrals to a level 2 or 3 JMAPP meeting: the Appendix A form and its screening.

A practitioner fills the form in (a draft until submitted), the Co-ordinator screens it
(§10.4): accepts it for a level 2 or 3 meeting, rejects it with the reason the referring
agency is told (§3.5), asks for more information, or confirms level 1 management (§10.3).
Access to a referral is decided in jmappa/access.py (`restrict_referrals`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import Category, CustodyStatus, Level, Nominal
from jmappa.accounts.models import Agency
from jmappa.core.validators import TEXT_MAX_LENGTH, validate_name


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted: awaiting screening"
    INFO_REQUESTED = "info_requested", "More information requested"
    ACCEPTED = "accepted", "Accepted for a level 2/3 meeting"
    REJECTED = "rejected", "Rejected"
    LEVEL_1 = "level_1", "Level 1 management confirmed"


# Waiting for the Co-ordinator or the referrer: the meeting-due date is running.
OPEN_STATUSES = (ReferralStatus.SUBMITTED, ReferralStatus.INFO_REQUESTED)
# The meeting-due date keeps running after acceptance, until a meeting is held.
AWAITING_MEETING_STATUSES = (*OPEN_STATUSES, ReferralStatus.ACCEPTED)
# The referrer may change the form only while it is theirs.
EDITABLE_STATUSES = (ReferralStatus.DRAFT, ReferralStatus.INFO_REQUESTED)
CLOSED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.REJECTED, ReferralStatus.LEVEL_1)


class Urgency(models.TextChoices):
    NEXT_MEETING = "next_meeting", "The case can wait for the next scheduled meeting"
    EMERGENCY = "emergency", "An emergency meeting is needed"


class SupervisionType(models.TextChoices):
    SUPERVISION = "supervision", "Supervision"
    LICENCE = "licence", "Licence"


class ProposedLevel(models.TextChoices):
    TWO = Level.TWO.value, Level.TWO.label
    THREE = Level.THREE.value, Level.THREE.label


SEX_OFFENDER_MESSAGE = (
    "A sex offender must be discussed at a multi-agency meeting to agree the risk and the "
    "plan (§9.2, §10.3): accept the referral at level 2 or 3."
)


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReferralQuerySet:
        from jmappa import access

        return access.restrict_referrals(self, user)


class Referral(models.Model):
    """One referral, with every field of the Appendix A form."""

    status = models.CharField(max_length=16, choices=ReferralStatus.choices,
                              default=ReferralStatus.DRAFT, db_index=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="referrals_made", verbose_name="referrer")
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT,
                                         related_name="referrals_made")
    # The case: an existing nominal (chosen by the referrer from their cases, or by the
    # Co-ordinator from the register's duplicate check), or the one created on acceptance.
    nominal = models.ForeignKey(Nominal, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="referrals", verbose_name="offender's record")

    # The subject
    given_names = models.CharField("name", max_length=200, validators=[validate_name])
    family_name = models.CharField(max_length=200, validators=[validate_name])
    date_of_birth = models.DateField("date of birth", null=True, blank=True)
    aliases = models.TextField("alias", blank=True, help_text="One name per line.",
                               max_length=TEXT_MAX_LENGTH)
    address = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    prison_number = models.CharField(max_length=20, blank=True)
    conviction = models.TextField(
        blank=True, help_text="The current or most important sexual or violent offence.",
        max_length=TEXT_MAX_LENGTH)
    sexual_offence = models.BooleanField(
        "the offence (or the concern) is sexual", default=False,
        help_text="Sex offenders are always discussed at a multi-agency meeting (§9.2).")
    earliest_release_date = models.DateField(null=True, blank=True)
    pnc_number = models.CharField("PNC number", max_length=20, blank=True)
    custody_status = models.CharField("where the subject is now", max_length=10,
                                      choices=CustodyStatus.choices,
                                      default=CustodyStatus.COMMUNITY)
    temporary_release_date = models.DateField(
        "eligibility date for release on temporary licence", null=True, blank=True,
        help_text="In custody: the meeting is due 6 months before this date (§10.4).")
    institution_contact = models.TextField(
        "Offender Supervisor or Responsible Medical Officer", blank=True,
        help_text="In custody or hospital: the institution's contact, with telephone or email.",
        max_length=TEXT_MAX_LENGTH)
    supervision_type = models.CharField("type", max_length=12,
                                        choices=SupervisionType.choices, blank=True)
    supervision_start = models.DateField("start date", null=True, blank=True)
    supervision_end = models.DateField("end date", null=True, blank=True)

    # Lead agency contact details
    lead_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    contact_name = models.CharField("name", max_length=200, blank=True, validators=[validate_name])
    contact_area = models.CharField("area", max_length=200, blank=True)
    contact_address = models.TextField("agency address", blank=True, max_length=TEXT_MAX_LENGTH)
    contact_telephone = models.CharField("telephone", max_length=40, blank=True)
    contact_email = models.EmailField("email address", blank=True)

    # Referral information
    reasons = models.TextField("reasons for referral", blank=True, max_length=TEXT_MAX_LENGTH)
    why_not_level_1 = models.TextField(
        "why the case cannot be managed at level 1", blank=True, max_length=TEXT_MAX_LENGTH)
    victims = models.TextField("potential or actual victims", blank=True,
                               max_length=TEXT_MAX_LENGTH)
    level_proposed = models.CharField("JMAPPA level proposed", max_length=8,
                                      choices=ProposedLevel.choices, blank=True)
    category_proposed = models.CharField("JMAPPA category", max_length=8,
                                         choices=Category.choices, default=Category.UNKNOWN)
    urgency = models.CharField("meeting needed", max_length=16, choices=Urgency.choices,
                               default=Urgency.NEXT_MEETING)

    # Dates (§10.4): stored when the referral is received, never re-derived.
    received_on = models.DateField(null=True, blank=True, db_index=True)
    meeting_due_by = models.DateField(null=True, blank=True, db_index=True)

    # Screening
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(null=True, blank=True)
    level_agreed = models.CharField(max_length=8, choices=Level.choices, blank=True)
    category_agreed = models.CharField(max_length=8, choices=Category.choices, blank=True)
    decision_reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    # Victim details are the most sensitive part (§4): named, not copied, in the trail.
    audit_sensitive_fields = frozenset({"victims"})

    class Meta:
        ordering = ["meeting_due_by", "received_on", "id"]
        indexes = [models.Index(fields=["referring_agency", "status"])]
        constraints = [
            models.CheckConstraint(
                name="referral_received_unless_draft",
                condition=Q(status="draft") | (
                    Q(received_on__isnull=False) & Q(meeting_due_by__isnull=False)),
            ),
            models.CheckConstraint(
                name="referral_supervision_ends_after_start",
                condition=Q(supervision_end__isnull=True) | Q(supervision_start__isnull=True)
                | Q(supervision_end__gte=models.F("supervision_start")),
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference}: {self.family_name.upper()}, {self.given_names}"

    @property
    def reference(self) -> str:
        return f"R{self.pk:06d}" if self.pk else ""

    @property
    def case_id(self) -> int | None:
        return self.nominal_id

    @property
    def is_emergency(self) -> bool:
        return self.urgency == Urgency.EMERGENCY

    @property
    def is_sex_offender(self) -> bool:
        """Category 1, or a sexual offence (§9.2, §10.3): never closed without a meeting."""
        return (
            self.sexual_offence
            or Category.ONE in (self.category_proposed, self.category_agreed)
            or (self.nominal is not None and self.nominal.category == Category.ONE)
        )

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def is_overdue_on(self, day) -> bool:
        from .rules import is_overdue

        return is_overdue(self, day)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class ReferralAgency(models.Model):
    """An agency to be involved, with the named person to invite (Appendix B e)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField("name", max_length=200, validators=[validate_name])
    contact_details = models.TextField("address or other contact details", blank=True,
                                       max_length=TEXT_MAX_LENGTH)
    contact_email = models.EmailField("email", blank=True)
    contact_telephone = models.CharField("telephone", max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "agencies to be involved"

    def __str__(self) -> str:
        return f"{self.agency}: {self.contact_name}"


class ReferralStep(models.Model):
    """The referral's history as its people see it: each submission and screening decision,
    with the note that went with it (the audit trail holds the field-level detail)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"
