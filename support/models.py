"""Support planning (seed 000): a child sex offender released from prison or starting a
supervision or extended supervision order is brought together with the people committed to
supporting them to remain offence-free.

- `SupportPlanning`: the case under support planning, from its release or order's start
  (the first Support Planning Meeting is due within four weeks), with the professionals'
  information exchange that decides who should attend;
- `SupportPerson`: a member of the support network, who never signs in and never sees the
  case: their practical role and what they may be sent;
- `SupportMeeting`: a Support Planning Meeting, which the person always attends
  (meetings/kinds.py), its record in the order the meeting follows, and when the next is due;
- `SafetyPlan`: the safety plan, a new version at each change, reviewed at each meeting;
- `NetworkConsent`: the person's signed consent to share specific information with the
  network; without it nothing is sent to a support person;
- `NetworkSending`: what was sent to whom, and when;
- `DisclosedOffending`: further offending disclosed at a meeting (the limits of
  confidentiality), passed to the Police.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import CaseChild, Nominal
from jmappa.core import uploads
from jmappa.core.validators import TEXT_MAX_LENGTH, validate_name
from jmappa.workdays import add_months

# "Within the first four weeks following either release from prison, or the start of a
# supervision or extended supervision order."
FIRST_MEETING_WITHIN = timedelta(weeks=4)


class PlanningTrigger(models.TextChoices):
    RELEASE = "release", "Release from prison"
    SUPERVISION_ORDER = "supervision_order", "Start of a supervision order"
    EXTENDED_SUPERVISION = "extended_supervision", "Start of an extended supervision order"


class Frequency(models.TextChoices):
    """How often the support group agreed to meet again."""

    MONTHLY = "monthly", "Monthly"
    THREE_MONTHLY = "three_monthly", "Every three months"
    BEFORE_END = "before_end", "Just before the end of the sentence or order"
    NONE = "none", "No further meeting"


class SupportPlanning(CaseChild):
    nominal = models.OneToOneField(Nominal, on_delete=models.PROTECT,
                                   related_name="support_planning")
    trigger = models.CharField("support planning starts at", max_length=24,
                               choices=PlanningTrigger.choices)
    starts_on = models.DateField("date of release or of the order's start")
    ends_on = models.DateField("end of the sentence or order", null=True, blank=True)
    # Before the first meeting: what the professionals share to decide who should attend.
    offending = models.TextField("type and frequency of offending", blank=True,
                                 max_length=TEXT_MAX_LENGTH)
    victims = models.TextField("age and gender of victims", blank=True,
                               max_length=TEXT_MAX_LENGTH)
    risk_of_reoffending = models.TextField("risk of re-offending", blank=True,
                                           max_length=TEXT_MAX_LENGTH)
    who_should_attend = models.TextField("who should attend, as the professionals decided",
                                         blank=True, max_length=TEXT_MAX_LENGTH)
    exchanged_on = models.DateField("information exchanged on", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    # The victims' age and gender: read with the case's victim permission only.
    audit_sensitive_fields = frozenset({"victims"})

    class Meta:
        verbose_name_plural = "support planning"

    def __str__(self) -> str:
        return f"Support planning from {self.starts_on:%-d %B %Y}"

    @property
    def first_meeting_due(self):
        return self.starts_on + FIRST_MEETING_WITHIN


class NetworkRole(models.TextChoices):
    SUPPORT_PERSON = "support_person", "Support person chosen by the person"
    PROFESSIONAL = "professional", "Professional or treatment provider"
    AGENCY = "agency", "Government agency"


class SupportPerson(CaseChild):
    """A member of the support network. Not a user: never signs in, never sees the case."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="support_people")
    name = models.CharField(max_length=200, validators=[validate_name])
    relationship = models.CharField("relationship or role",
                                    max_length=200, help_text="E.g. “sister”, “employer”, "
                                    "“psychologist”.")
    network_role = models.CharField("in the network", max_length=16,
                                    choices=NetworkRole.choices,
                                    default=NetworkRole.SUPPORT_PERSON)
    practical_role = models.TextField(
        "practical role", blank=True, max_length=TEXT_MAX_LENGTH,
        help_text="Transport, accompanying to appointments, phone contact, the warning signs "
                  "they watch for.")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    # What they may be sent, once the person has consented to share it.
    receives_safety_plan = models.BooleanField("may be sent the safety plan", default=False)
    receives_risks = models.BooleanField("may be sent the specific risks and warning signs",
                                         default=False)
    receives_contacts = models.BooleanField("may be sent the network's contact list",
                                            default=False)
    left_on = models.DateField("left the network on", null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["left_on", "network_role", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"

    @property
    def receives(self) -> list[str]:
        """What they may be sent, in words."""
        return [label for flag, label in (
            (self.receives_safety_plan, "the safety plan"),
            (self.receives_risks, "the specific risks and warning signs"),
            (self.receives_contacts, "the network's contact list")) if flag]


class SupportMeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Arranged"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class SupportMeeting(CaseChild):
    """A Support Planning Meeting (meetings/kinds.py: the person always attends)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="support_meetings")
    starts_at = models.DateTimeField("date and time")
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=SupportMeetingStatus.choices,
                              default=SupportMeetingStatus.SCHEDULED)
    attendees = models.ManyToManyField(SupportPerson, blank=True, related_name="meetings",
                                       verbose_name="network members present")
    professionals_present = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    # The record, in the order the meeting follows (meetings/kinds.SPM_SECTIONS).
    introductions = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    risk_meaning = models.TextField("what risk means", blank=True, max_length=TEXT_MAX_LENGTH)
    specific_risks = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    offence_chain = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    coping_strategies = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    commitments = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    next_steps = models.TextField("where to from here", blank=True, max_length=TEXT_MAX_LENGTH)
    next_frequency = models.CharField("the group will meet again", max_length=16,
                                      choices=Frequency.choices, blank=True)
    next_meeting_by = models.DateField(null=True, blank=True)
    final = models.BooleanField(default=False)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    # What the person disclosed of their offending stays out of the audit trail's copy.
    audit_sensitive_fields = frozenset({"offence_chain"})

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"Support Planning Meeting, {self.starts_at:%d %b %Y}"

    @property
    def date(self):
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()


def next_meeting_by(frequency: str, held_on, ends_on):
    """When the next meeting is due, as the group agreed: a month or three after this one, or
    a fortnight before the sentence or order ends."""
    if frequency == Frequency.MONTHLY:
        return add_months(held_on, 1)
    if frequency == Frequency.THREE_MONTHLY:
        return add_months(held_on, 3)
    if frequency == Frequency.BEFORE_END and ends_on:
        return ends_on - timedelta(days=14)
    return None


class SafetyPlan(CaseChild):
    """One version of the safety plan: a change is a new version, the earlier ones kept. It is
    kept "throughout the offender's sentence/order and afterwards"."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="safety_plans")
    number = models.PositiveSmallIntegerField(default=1)
    conditions = models.TextField("the Court or Parole Board conditions it addresses",
                                  blank=True, max_length=TEXT_MAX_LENGTH)
    strategies = models.TextField("strategies for an offence-free life",
                                  max_length=TEXT_MAX_LENGTH)
    supporters = models.TextField("each supporter's part", max_length=TEXT_MAX_LENGTH)
    warning_signs = models.TextField("warning signs and what to do", blank=True,
                                     max_length=TEXT_MAX_LENGTH)
    reviewed_at = models.ForeignKey(SupportMeeting, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="safety_plans",
                                    verbose_name="agreed or reviewed at")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["nominal", "-number"]
        constraints = [models.UniqueConstraint(fields=["nominal", "number"],
                                               name="one_safety_plan_number")]

    def __str__(self) -> str:
        return f"Safety plan, version {self.number}"


def private_consent_name(instance, filename: str) -> str:
    return uploads.private_name("support-consents", filename)


class NetworkConsent(CaseChild):
    """The person's signed consent to share specific information with the network."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="network_consents")
    information = models.TextField("the information they agree to share",
                                   max_length=TEXT_MAX_LENGTH)
    signed_on = models.DateField("signed on")
    file = models.FileField("the signed form", upload_to=private_consent_name, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_content_type = models.CharField(max_length=100, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    # The stored file's random name says nothing: the trail records that it changed.
    audit_sensitive_fields = frozenset({"file"})

    class Meta:
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"Consent to share, signed {self.signed_on:%-d %B %Y}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None


class SendingMethod(models.TextChoices):
    BY_HAND = "by_hand", "Handed over"
    POST = "post", "By post"
    EMAIL = "email", "By email"


class NetworkSending(CaseChild):
    """What was sent to a member of the network: logged, and only under a consent."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(SupportPerson, on_delete=models.PROTECT,
                               related_name="sendings")
    consent = models.ForeignKey(NetworkConsent, on_delete=models.PROTECT, related_name="+")
    safety_plan = models.ForeignKey(SafetyPlan, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    what = models.TextField(max_length=TEXT_MAX_LENGTH)
    method = models.CharField(max_length=10, choices=SendingMethod.choices)
    sent_on = models.DateField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Network pack sent to {self.person.name}, {self.sent_on:%-d %B %Y}"


class DisclosedOffending(CaseChild):
    """Further offending disclosed during a Support Planning Meeting: confidentiality ends
    there, and the Police are told (an alert to the police contact until it is passed on)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(SupportMeeting, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="disclosed_offending")
    disclosed_on = models.DateField()
    what = models.TextField("what was disclosed", max_length=TEXT_MAX_LENGTH)
    police_contact = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       related_name="+")
    passed_on = models.DateField("passed to the Police on", null=True, blank=True)
    police_reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    audit_sensitive_fields = frozenset({"what"})

    class Meta:
        ordering = ["passed_on", "-disclosed_on", "-id"]
        indexes = [models.Index(fields=["passed_on"], name="offending_not_passed_on",
                                condition=Q(passed_on__isnull=True))]

    def __str__(self) -> str:
        return f"Further offending disclosed on {self.disclosed_on:%-d %B %Y}"
