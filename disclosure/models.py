"""Third-party disclosure (§5): the decision every meeting records, and a disclosure to a
third party, from the meeting's decision through the senior endorsement to the telling.

A disclosure names a third party: it is read only by those who hold the case's own
disclosure permission (`cases.view_disclosures`, like the victim permission), and every
read is audited.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import CaseChild, Nominal
from jmappa.audit.models import EVERY_FIELD
from jmappa.core import uploads
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
    """Records naming a third party (a disclosure, a place of worship, a breach of its
    contract): read with the case's disclosure permission."""

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


# -- places of worship (§5.4) and the behaviour contract (§14.10) ------------------------------


class WorshipConcern(models.TextChoices):
    """Whom §5.4 is about."""

    RSO_CHILD_VICTIMS = "rso_child_victims", (
        "A registered sex offender whose offences were against children")
    RISK_TO_CHILDREN = "risk_to_children", "An offender who presents a risk of harm to children"
    RISK_TO_VICTIMS = "risk_to_victims", (
        "An offender who presents a risk of harm to identified victims")


class WorshipStatus(models.TextChoices):
    ASSESSED = "assessed", "Assessed: contract to be signed"
    SIGNED = "signed", "Contract signed"
    REFUSED = "refused", "Unwilling to sign the contract"


# The specimen contract for controlled disclosure (§14.10), the start of every contract: the
# services and times are the case's own, and every term may be edited.
SPECIMEN_CONTRACT = [
    "I will attend {place} only at the following services: [day and time of each service].",
    "I will ensure that I sit apart from children and young people at {place}.",
    "I will ensure that I am never alone with children and young people at {place} or at its "
    "groups or activities.",
    "I will not involve myself in any way with children and young people.",
    "I accept that certain people within {place} will need to be aware of this contract and "
    "this will be on a “need to know” basis. I understand that I will be aware of the people "
    "who are given this information and the reason why they need to have this information.",
    "I understand that if these conditions are broken {place} will have no alternative but to "
    "prohibit me from attending and will have a responsibility to report this to my Offender "
    "Manager.",
]


def specimen_contract(place: str) -> str:
    """The specimen's terms for `place`, one term a paragraph."""
    return "\n\n".join(term.format(place=place or "the place of worship")
                       for term in SPECIMEN_CONTRACT)


def private_scan_name(instance, filename: str) -> str:
    return uploads.private_name("worship", filename)


class WorshipArrangement(CaseChild):
    """An offender's wish to attend a place of worship (§5.4): the case manager's assessment
    of the risk, the discussion with the offender, the disclosure to the religious leader,
    and the behaviour contract signed (§14.10), or the decision taken when he is unwilling.

    It names a place and a religious leader, so it is read as a disclosure is: with the
    case's disclosure permission, every read audited."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="worship_arrangements")
    place_of_worship = models.CharField("place of worship", max_length=200)
    place_address = models.CharField("address", max_length=300, blank=True)
    religious_leader = models.CharField("religious leader", max_length=200)
    leader_contact = models.CharField("religious leader's contact details", max_length=300,
                                      blank=True)
    concern = models.CharField("why §5.4 applies", max_length=20,
                               choices=WorshipConcern.choices)
    risk_assessment = models.TextField("the case manager's assessment of the risk",
                                       max_length=TEXT_MAX_LENGTH)
    discussed_with_offender = models.BooleanField("discussed with the offender")
    discussion = models.TextField("the discussion with the offender", blank=True,
                                  max_length=TEXT_MAX_LENGTH)
    no_discussion_reason = models.TextField(
        "why a discussion would put a victim at greater risk", blank=True,
        max_length=TEXT_MAX_LENGTH)
    disclosure = models.ForeignKey(Disclosure, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="worship_arrangements",
                                   verbose_name="disclosure to the religious leader")

    contract_terms = models.TextField("the contract's terms", max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=WorshipStatus.choices,
                              default=WorshipStatus.ASSESSED, db_index=True)
    signed_on = models.DateField("date signed", null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name="offender manager who signed")
    scan = models.FileField("the signed contract", upload_to=private_scan_name,
                            max_length=200, blank=True)
    scan_name = models.CharField("file name", max_length=255, blank=True)
    scan_content_type = models.CharField(max_length=100, blank=True)

    # Unwilling to sign (§5.4): Probation and the Police consider a licence condition or a
    # Restraining Order; the outcome is recorded on ViSOR and here.
    licence_condition_sought = models.BooleanField("a licence condition will be sought",
                                                   null=True, blank=True)
    restraining_order_sought = models.BooleanField("a Restraining Order will be sought",
                                                   null=True, blank=True)
    refusal_decision = models.TextField("the decision and its reasons", blank=True,
                                        max_length=TEXT_MAX_LENGTH)
    visor_recorded_on = models.DateField("recorded on ViSOR", null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = DisclosureQuerySet.as_manager()
    audit_sensitive_fields = EVERY_FIELD

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="worship_discussed_or_reason_recorded",
                condition=Q(discussed_with_offender=True) | ~Q(no_discussion_reason="")),
            models.CheckConstraint(
                name="worship_signed_with_date_and_scan",
                condition=~Q(status="signed") | (Q(signed_on__isnull=False) & ~Q(scan=""))),
            models.CheckConstraint(
                name="worship_refusal_recorded_on_visor",
                condition=~Q(status="refused") | Q(visor_recorded_on__isnull=False)),
        ]

    def __str__(self) -> str:
        return "Attendance at a place of worship"

    @property
    def terms(self) -> list[str]:
        """The contract's terms: one a paragraph, blank lines between."""
        return [term.strip() for term in re.split(r"\n\s*\n", self.contract_terms)
                if term.strip()]


class ContractBreach(CaseChild):
    """A breach of the behaviour contract, reported to the case manager (§5.4): an alert is
    raised at once and stays open until the action taken is recorded."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="+")
    arrangement = models.ForeignKey(WorshipArrangement, on_delete=models.PROTECT,
                                    related_name="breaches")
    occurred_on = models.DateField("date of the breach")
    reported_by = models.CharField("who reported it", max_length=200)
    what_happened = models.TextField("what happened", max_length=TEXT_MAX_LENGTH)
    action_taken = models.TextField("the action taken", blank=True,
                                    max_length=TEXT_MAX_LENGTH)
    action_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    action_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = DisclosureQuerySet.as_manager()
    audit_sensitive_fields = EVERY_FIELD

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["action_at"], name="breach_awaiting_action")]

    def __str__(self) -> str:
        return f"Breach of the worship contract on {self.occurred_on:%d %B %Y}"
