"""Third-party disclosure (§5): the decision every meeting records, and a disclosure to a
third party, from the meeting's decision through the senior endorsement to the telling.

A disclosure names a third party: it is read only by those who hold the case's own
disclosure permission (`cases.view_disclosures`, like the victim permission), and every
read is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import CaseChild, Nominal
from jmappa.audit.models import EVERY_FIELD
from jmappa.core.validators import TEXT_MAX_LENGTH


class Deferral(CaseChild):
    """A meeting's disclosure decision deferred to a named later date (§5.2): still a
    decision considered, with the date it will be taken by and what is awaited."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    minutes = models.OneToOneField("meetings.Minutes", on_delete=models.PROTECT,
                                   related_name="disclosure_deferral")
    decide_by = models.DateField("decide by")
    awaited = models.TextField("what is awaited", max_length=TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decide_by", "id"]

    def __str__(self) -> str:
        return f"Disclosure decision deferred to {self.decide_by:%d %b %Y}"


class RecipientKind(models.TextChoices):
    EMPLOYER = "employer", "Employer"
    FAMILY_MEMBER = "family_member", "Family member"
    NEW_PARTNER = "new_partner", "New partner"
    HEAD_TEACHER = "head_teacher", "Head teacher"
    COLLEGE = "college", "College"
    ACCOMMODATION_STAFF = "accommodation_staff", "Accommodation staff"
    LEISURE_CLUB = "leisure_club", "Leisure club"
    RELIGIOUS_LEADER = "religious_leader", "Religious leader"
    NEIGHBOUR_OR_FRIEND = "neighbour_or_friend", "Neighbour or friend"
    THIRD_SECTOR = "third_sector", "Third-sector worker or volunteer"
    AGENCY_STAFF = "agency_staff", "Wider agency staff"


class Trigger(models.TextChoices):
    """When disclosure should be considered (§5.2)."""

    GROOMING = "grooming", "Grooming behaviours may take place (clubs, churches, employment)"
    RESTRAINING_ORDER = "restraining_order", (
        "A Restraining Order excludes him from a place or from contact with named persons")
    OTHERS_AT_RISK = "others_at_risk", "Others may be at risk (e.g. supported accommodation)"
    PROTECT_VICTIMS = "protect_victims", (
        "To protect past or potential victims (e.g. a new partner with children)")
    SCHOOL_OR_COLLEGE = "school_or_college", "Schools and colleges, to prevent grooming"
    ASSIST_MANAGEMENT = "assist_management", (
        "The recipient can actively assist in managing the risk")


class OffenderInvolvement(models.TextChoices):
    CONSENTS = "consents", "Consents to the disclosure"
    DISCLOSES_HIMSELF = "discloses_himself", (
        "Discloses himself, in the presence of the Police or Probation officer")
    VERIFIED_AFTER = "verified_after", "Discloses himself; the officer verifies it afterwards"
    NOT_INVOLVED = "not_involved", "Not involved"


class DisclosureStatus(models.TextChoices):
    AGREED = "agreed", "Agreed, awaiting endorsement"
    ENDORSED = "endorsed", "Endorsed"
    REFUSED = "refused", "Endorsement refused"
    DISCLOSED = "disclosed", "Disclosed"


class DisclosedBy(models.TextChoices):
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    OFFENDER = "offender", "The offender, in the officer's presence"


class Method(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"
    PHONE = "phone", "Telephone"


# The eight criteria of §5.2, each answered with text before anything is disclosed.
CRITERIA = [
    ("risk_to_offender", "Risk to the offender",
     "The potential risk to the offender, weighed against the risk to others were "
     "disclosure not made."),
    ("recipient_identification", "The recipient is correctly identified",
     "How the person to be told was identified and confirmed."),
    ("alternatives", "Alternatives considered and why they were rejected",
     "Each alternative to disclosure, and why it is inappropriate or ineffective."),
    ("offender_involvement_notes", "The offender's involvement",
     "His part in the decision and in the telling, or why he has none."),
    ("recipient_preparation", "The recipient prepared",
     "What they already know; that the information is confidential; how to use it; what "
     "to report, and to whom."),
    ("level_of_disclosure", "Level of disclosure",
     "What will be told: risk factors, not necessarily the offence history."),
    ("key_triggers", "Key triggers",
     "“If you see X, you need to do Y”: what to look out for and what to do."),
    ("support_if_breakdown", "Support if it breaks down",
     "Support for victims and for the offender should the arrangements break down."),
]
CRITERIA_FIELDS = [name for name, _label, _help in CRITERIA]


class DisclosureQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jmappa import access

        return access.restrict_disclosures(self, user)


class Disclosure(CaseChild):
    """A disclosure to a third party (§5.1-§5.3): agreed at a meeting as part of the plan,
    endorsed at ACPO or DCO level, then carried out."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="disclosures")
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="disclosures",
                                verbose_name="agreed at")
    action = models.ForeignKey("plans.PlanAction", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="disclosures",
                               verbose_name="plan action")
    # The recipient (§5.1).
    recipient_name = models.CharField("recipient's name", max_length=200)
    recipient_kind = models.CharField("kind of recipient", max_length=20,
                                      choices=RecipientKind.choices)
    recipient_role = models.CharField("role or organisation", max_length=200, blank=True)
    recipient_relationship = models.CharField("relationship to the offender", max_length=200,
                                              blank=True)
    recipient_contact = models.CharField("contact details", max_length=300, blank=True)
    trigger = models.CharField("why disclosure is considered", max_length=20,
                               choices=Trigger.choices)
    # The eight criteria (§5.2).
    risk_to_offender = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    recipient_identification = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    alternatives = models.TextField(max_length=TEXT_MAX_LENGTH)
    offender_involvement = models.CharField(max_length=20,
                                            choices=OffenderInvolvement.choices)
    offender_involvement_notes = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    recipient_preparation = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    level_of_disclosure = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    key_triggers = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    support_if_breakdown = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    # §5.3: if the offender is not told, the recipient is told he does not know.
    offender_told = models.BooleanField("the offender is told")
    recipient_told_offender_unaware = models.BooleanField(
        "the recipient is told the offender does not know", default=False)
    planned_by = models.DateField("to be carried out by")

    status = models.CharField(max_length=10, choices=DisclosureStatus.choices,
                              default=DisclosureStatus.AGREED, db_index=True)
    endorser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="senior officer to endorse")
    endorsed_at = models.DateTimeField(null=True, blank=True)
    endorsement_reasons = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)

    disclosed_by = models.CharField("carried out by", max_length=10,
                                    choices=DisclosedBy.choices, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                verbose_name="officer")
    disclosed_on = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    what_was_said = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    acknowledgement = models.TextField(
        "the recipient's acknowledgement of what they may and may not pass on", blank=True,
        max_length=TEXT_MAX_LENGTH)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = DisclosureQuerySet.as_manager()
    # A third party's name and what they were told: never in the audit trail in clear.
    audit_sensitive_fields = EVERY_FIELD

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "planned_by"])]
        constraints = [
            models.CheckConstraint(
                name="disclosure_offender_told_or_recipient_warned",
                condition=Q(offender_told=True) | Q(recipient_told_offender_unaware=True)),
            models.CheckConstraint(
                name="disclosure_disclosed_only_after_endorsement",
                condition=~Q(status="disclosed") | Q(endorsed_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"Disclosure to {self.get_recipient_kind_display().lower()}"


# -- requests for minutes (§5.5) and the Minutes Executive Summary (§5.6) ---------------------


class Requester(models.TextChoices):
    COURT = "court", "Court"
    IPCC = "ipcc", "Independent Police Complaints Commission"
    LAW_OFFICERS = "law_officers", "Law Officers' Department"
    OFFENDER = "offender", "The offender"
    OTHER = "other", "Other third party"


class RequestOutcome(models.TextChoices):
    OPEN = "open", "Open"
    REDIRECTED = "redirected", "Redirected to the agency that owns the information"
    SUMMARY_ISSUED = "summary_issued", "Executive Summary issued"
    DECLINED = "declined", "Declined"


class MinutesRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        from jmappa import access

        return access.restrict_minutes_requests(self, user)


class MinutesRequest(CaseChild):
    """A request for a case's minutes (§5.5), in the register the Co-ordinator keeps: who
    asked, who received it, the Chair it was referred to, the clarification sought, and the
    outcome. A full copy of the minutes is never provided."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="minutes_requests")
    requester_kind = models.CharField("who asked", max_length=14, choices=Requester.choices)
    requester_name = models.CharField("name of the requester", max_length=200)
    received_on = models.DateField("received on")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="received by")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name="Chair it was referred to")
    what_is_sought = models.TextField("what is asked for", max_length=TEXT_MAX_LENGTH)
    clarification_sought = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    clarification_answer = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    clarified_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=RequestOutcome.choices,
                               default=RequestOutcome.OPEN, db_index=True)
    redirected_to = models.ForeignKey("accounts.Agency", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name="redirected to")
    redirected_what = models.TextField("the information the agency owns", blank=True,
                                       max_length=TEXT_MAX_LENGTH)
    declined_reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    closed_on = models.DateField(null=True, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = MinutesRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["outcome", "received_on"])]

    def __str__(self) -> str:
        return f"Request for minutes from {self.get_requester_kind_display().lower()}"


class Correspondence(models.Model):
    """A letter or email about a request, with its date and attachment (§5.5: in writing,
    for the audit trail)."""

    class Direction(models.TextChoices):
        SENT = "sent", "Sent"
        RECEIVED = "received", "Received"

    request = models.ForeignKey(MinutesRequest, on_delete=models.PROTECT,
                                related_name="correspondence")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    dated = models.DateField("date")
    summary = models.TextField(max_length=TEXT_MAX_LENGTH)
    attachment = models.FileField(upload_to="minutes-requests/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dated", "id"]
        verbose_name_plural = "correspondence"

    def __str__(self) -> str:
        return f"{self.get_direction_display()} on {self.dated:%d %b %Y}"


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"
    ISSUED = "issued", "Issued"


# The six sections of §5.6, in order.
SUMMARY_SECTIONS = [
    ("personal_details", "The offender's name and personal details"),
    ("referral", "Referring agency and reason for referral"),
    ("meetings_summary", "Summary of the meetings"),
    ("plan_outline", "Outline of the JMAPP Risk Management Plan"),
    ("meeting_details", "JMAPP meeting details"),
    ("chair_details", "Details of the JMAPP meeting Chair"),
]
SUMMARY_FIELDS = [name for name, _label in SUMMARY_SECTIONS]
# Up to the last 10 meetings (§5.6).
SUMMARY_MEETINGS = 10


class ExecutiveSummary(CaseChild):
    """The JMAPP Meeting Minutes Executive Summary (§5.6) answering a request: drafted from
    all the minutes and the referral, edited and finalised by the Chair of the last meeting,
    then issued to the requester."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="executive_summaries")
    request = models.OneToOneField(MinutesRequest, on_delete=models.PROTECT,
                                   related_name="summary")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name="Chair of the last meeting")
    status = models.CharField(max_length=8, choices=SummaryStatus.choices,
                              default=SummaryStatus.DRAFT)
    personal_details = models.TextField(max_length=TEXT_MAX_LENGTH)
    referral = models.TextField(max_length=TEXT_MAX_LENGTH)
    meetings_summary = models.TextField(max_length=TEXT_MAX_LENGTH)
    plan_outline = models.TextField(max_length=TEXT_MAX_LENGTH)
    meeting_details = models.TextField(max_length=TEXT_MAX_LENGTH)
    chair_details = models.TextField(max_length=TEXT_MAX_LENGTH)
    victim_check_confirmed = models.BooleanField(
        "no sensitive victim information and no referring officer's name", default=False)
    completed_on = models.DateField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    issued_to = models.CharField(max_length=300, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    audit_sensitive_fields = frozenset(SUMMARY_FIELDS)

    class Meta:
        verbose_name = "Minutes Executive Summary"
        verbose_name_plural = "Minutes Executive Summaries"

    def __str__(self) -> str:
        return f"Minutes Executive Summary ({self.get_status_display().lower()})"
