"""JMAPP meetings (§10): the set panel dates, each case discussion, its invitations and
attendance, and its minutes.

A meeting here is one discussion of one case; a panel sitting on a set monthly date
(PanelDate) holds several. Access to a meeting and everything under it is the case's
(jmappa/access.py): `visible_to(user)` as for every other part of a case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import CaseChild, CaseChildQuerySet, Level, Nominal, RiskLevel
from jmappa.accounts.models import Agency, Grade
from jmappa.core.validators import TEXT_MAX_LENGTH, validate_name

from . import kinds


class PanelLevel(models.TextChoices):
    TWO = Level.TWO.value, Level.TWO.label
    THREE = Level.THREE.value, Level.THREE.label


class PanelDate(models.Model):
    """A set date for level 2 or level 3 meetings, kept well in advance (§10.6)."""

    level = models.CharField(max_length=1, choices=PanelLevel.choices)
    starts_at = models.DateTimeField("date and time")
    location = models.CharField(max_length=200, blank=True)
    cancelled = models.BooleanField(default=False)
    notes = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["starts_at", "level"]
        constraints = [
            models.UniqueConstraint(fields=["level", "starts_at"],
                                    name="one_panel_per_level_and_time"),
        ]

    def __str__(self) -> str:
        return f"Level {self.level} panel, {self.starts_at:%d %b %Y %H:%M}"


# The JMAPP kinds of meetings/kinds.py, the one place meeting kinds are declared.
MeetingKind = models.TextChoices("MeetingKind", [
    (kind.code.upper(), (kind.code, kind.label)) for kind in kinds.jmapp_kinds()])
KIND_LEVEL = kinds.kind_level()
EMERGENCY_KINDS = kinds.emergency_kinds()


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(CaseChild):
    """One discussion of one case, with its own minutes."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=12, choices=MeetingKind.choices)
    level = models.CharField(max_length=1, choices=Level.choices[:3], editable=False)
    panel = models.ForeignKey(PanelDate, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="meetings")
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField("date and time")
    location = models.CharField(max_length=200, blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="meetings_chaired")
    status = models.CharField(max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED, db_index=True)
    cancelled_reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    # A review follows an earlier meeting of the same level (§10.11).
    is_review = models.BooleanField(default=False)
    # Scheduled after the referral's meeting-due date: only with a recorded reason.
    late_reason = models.TextField("reason for holding it after the due date", blank=True,
                                   max_length=TEXT_MAX_LENGTH)
    # The offender's written information, brought by their case manager (§3.6).
    offender_information = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    # Deadlines, stored when they are set (§10.11, §10.12).
    minutes_due_by = models.DateField(null=True, blank=True, db_index=True)
    next_review_by = models.DateField(null=True, blank=True, db_index=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["nominal", "starts_at"]),
            # The held meetings of a level in a period (the Board's KPIs), however long the
            # history, with their case: read from the index alone.
            models.Index(fields=["level", "starts_at"], include=["nominal"],
                         name="meeting_held_level_starts", condition=Q(status=MeetingStatus.HELD)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.starts_at:%d %b %Y}"

    def save(self, *args, **kwargs):
        self.level = KIND_LEVEL[self.kind]
        super().save(*args, **kwargs)

    @property
    def is_emergency(self) -> bool:
        return self.kind in EMERGENCY_KINDS

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def date(self):
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()


class StandingMembership(models.Model):
    """Who each agency sends to level 2 and 3 meetings, and the seniority needed (§10.7).
    Editable configuration, kept by the Administrator."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="standing")
    level = models.CharField(max_length=1, choices=PanelLevel.choices)
    seniority = models.CharField(
        max_length=200, help_text="As the Guidance puts it, e.g. “Inspector”.")
    minimum_grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="standing_memberships",
                               help_text="The standing member invited to every meeting.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["level", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "level"],
                                    name="one_standing_seat_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}, level {self.level}: {self.seniority}"


class InvitationReason(models.TextChoices):
    STANDING = "standing", "Standing member"
    REFERRER = "referrer", "Referrer (always attends, §10.8)"
    REFERRAL = "referral", "Named in the referral"
    CHILDRENS_SERVICES = "childrens_services", "Children's Services (a child, §11)"
    EDUCATION = "education", "Education (of school age, §11)"
    CASE_TEAM = "case_team", "On the case team"
    CHAIR = "chair", "Chair"
    OTHER = "other", "Invited by the Chair or Administrator"


class InvitationResponse(models.TextChoices):
    PENDING = "pending", "No answer yet"
    ATTENDING = "attending", "Attending"
    REMOTE = "remote", "Attending by video or telephone"
    REPORT = "report", "Sending a report"
    APOLOGIES = "apologies", "Apologies"


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="invitations")
    name = models.CharField(max_length=200, validators=[validate_name])
    email = models.EmailField(blank=True)
    # The telephone number the referral gave for its named contact.
    telephone = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=20, choices=InvitationReason.choices)
    response = models.CharField(max_length=10, choices=InvitationResponse.choices,
                                default=InvitationResponse.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The last reminder sent to an invitee who had not answered.
    reminded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The case-team membership through which the invitee sees the case while invited.
    membership = models.ForeignKey("cases.TeamMember", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], condition=Q(user__isnull=False),
                                    name="one_invitation_per_user"),
        ]
        indexes = [
            # The agencies invited to a meeting (KPI 5), read from the index alone.
            models.Index(fields=["meeting"], include=["agency", "withdrawn_at"],
                         name="invitation_meeting_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video"
    TELEPHONE = "telephone", "Telephone"
    REPORT_ONLY = "report", "Report only"
    ABSENT = "absent", "Absent"


# Present at the meeting (§16.2 KPI 5 accepts video, telephone or a report).
PRESENT_MODES = (AttendanceMode.IN_PERSON, AttendanceMode.VIDEO, AttendanceMode.TELEPHONE)


class Attendance(models.Model):
    """Each invited agency's attendance on the day."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    attendee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    attendee_name = models.CharField(max_length=200, blank=True, validators=[validate_name])
    grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    mode = models.CharField(max_length=10, choices=AttendanceMode.choices)
    meets_seniority = models.BooleanField(
        null=True, help_text="Whether the attendee's grade meets §10.7's for the level; "
                             "empty where no seniority is set.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["agency__name", "id"]
        indexes = [
            # Each agency's attendance at a meeting (KPI 5), read from the index alone.
            models.Index(fields=["meeting"], include=["agency", "mode", "meets_seniority"],
                         name="attendance_meeting_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_mode_display()}"


class FollowUp(models.Model):
    """An agency that did not attend nor report: the Chair follows it up with the agency's
    SPOC (§10.10)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="follow_ups")
    spoc = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    # Engagement did not improve: the SMB Chair takes it up with the agency's representative
    # on the Board (§10.10), and records the Board's outcome.
    escalated_on = models.DateField("escalated to the SMB on", null=True, blank=True)
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    board_outcome = models.TextField("the Board's outcome", blank=True,
                                     max_length=TEXT_MAX_LENGTH)
    board_closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["opened_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="one_follow_up_per_agency"),
        ]

    def __str__(self) -> str:
        return f"Follow-up with {self.agency} after {self.meeting}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"
    SUPERSEDED = "superseded", "Superseded by a correction"


class DisclosureDecision(models.TextChoices):
    DISCLOSE = "disclose", "Disclose"
    NOT_DISCLOSE = "not_disclose", "Do not disclose"
    DEFER = "defer", "Decide at the next meeting"


CONFIDENTIALITY_STATEMENT = (
    "The information discussed at this meeting is confidential and shared only for the "
    "protection of the public. It must not be disclosed outside the agencies invited "
    "without the Chair's consent, and must be held securely by each agency."
)


class Minutes(models.Model):
    """One version of a meeting's minutes. A correction to final minutes is a new version
    with its reason; the version it corrects is kept, superseded."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=MinutesStatus.choices,
                              default=MinutesStatus.DRAFT)
    correction_reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)

    confidentiality_statement = models.TextField(default=CONFIDENTIALITY_STATEMENT,
                                                 max_length=TEXT_MAX_LENGTH)
    confidentiality_read = models.BooleanField("statement read to the meeting", default=False)
    # The agreed risk assessment (§9.1): it updates the case when the minutes are final.
    rosh_overall = models.CharField("risk of serious harm", max_length=10,
                                    choices=RiskLevel.choices, blank=True)
    rosh_public = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    rosh_prisoners = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    rosh_known_adult = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    rosh_children = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    rosh_staff = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    # The agreed narrative, each answer in its own field as the case's RoSH record holds it.
    who_is_at_risk = models.TextField("who is at risk", blank=True, max_length=TEXT_MAX_LENGTH)
    nature_of_risk = models.TextField("the nature of the harm", blank=True,
                                      max_length=TEXT_MAX_LENGTH)
    imminence = models.TextField("how imminent", blank=True, max_length=TEXT_MAX_LENGTH)
    # §10.2: "Does this case require ongoing JMAPPA management at this level?"
    level_decision = models.CharField(max_length=8, choices=Level.choices, blank=True)
    ongoing_at_this_level = models.BooleanField(null=True, blank=True)
    ongoing_reasons = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    discharge_considered = models.BooleanField(default=False)
    discharge_notes = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    # §5.2: considered at every meeting, decided and recorded (KPI 3).
    disclosure_considered = models.BooleanField(default=False)
    disclosure_decision = models.CharField(max_length=14, choices=DisclosureDecision.choices,
                                           blank=True)
    disclosure_reasons = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    differences_of_opinion = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    withhold_from_offender = models.BooleanField(default=False)
    withhold_reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    next_review_by = models.DateField(null=True, blank=True)
    next_review_deviation = models.TextField(
        "reason for a review later than the Guidance allows", blank=True,
        max_length=TEXT_MAX_LENGTH)
    # The plan as agreed, kept with this version (the live plan moves on).
    plan_snapshot = models.JSONField(default=list, blank=True)

    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    audit_sensitive_fields = frozenset({"differences_of_opinion"})

    class Meta:
        ordering = ["meeting", "-number"]
        verbose_name_plural = "minutes"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_minutes_number"),
            # A correction is drafted beside the final version it will supersede.
            models.UniqueConstraint(fields=["meeting"], condition=Q(status="draft"),
                                    name="one_draft_minutes"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(status="final"),
                                    name="one_final_minutes"),
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting} (version {self.number})"

    @property
    def case_id(self) -> int:
        return self.meeting.nominal_id


class AgencyInformation(models.Model):
    """What each agency shared at the meeting."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="information")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    information = models.TextField(max_length=TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["agency__name", "id"]

    def __str__(self) -> str:
        return f"{self.agency}: {self.information[:60]}"


class Distribution(models.Model):
    """Final minutes sent to an invited agency's SPOC (§10.12): who and when."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="distribution")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"Sent to {self.agency} on {self.sent_at:%d %b %Y}"


class SharingConsent(models.Model):
    """The Chair's consent to share the minutes beyond the invited agencies."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="consents")
    recipient = models.CharField("shared with", max_length=300)
    purpose = models.TextField(max_length=TEXT_MAX_LENGTH)
    consented_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    consented_at = models.DateTimeField()

    class Meta:
        ordering = ["consented_at", "id"]

    def __str__(self) -> str:
        return f"Shared with {self.recipient}"
