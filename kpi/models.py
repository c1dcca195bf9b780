"""The Strategic Management Board (§15) and what its KPIs (§16.2) are measured from.

- Seats (§15.2): each with the agency it represents and the minimum grade the Guidance
  asks of its holder; more seats may be added.
- Members hold a seat for a period; the grade they held when appointed is kept, and a
  member below the seat's grade is flagged (`below_grade`).
- The Chair (§15.3) is a senior member of Police, Probation or Prison and rotates between
  those agencies: every term is kept, the open one is the Chair now.
- SMB meetings, at least quarterly, with each member's attendance: present, apologies,
  deputy sent, or absent.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from jmappa.accounts.models import Agency, AgencyKind, Grade
from jmappa.core import uploads
from jmappa.core.validators import TEXT_MAX_LENGTH, validate_name

# The agencies whose senior members chair the Board (§15.3).
CHAIR_AGENCY_KINDS = (AgencyKind.POLICE, AgencyKind.PROBATION, AgencyKind.PRISON)


class TermQuerySet(models.QuerySet):
    """Terms from one date to another (open while they last): a seat held, the chair."""

    def on(self, day):
        """The terms running on `day`."""
        return self.filter(date_from__lte=day).filter(Q(date_to__isnull=True)
                                                      | Q(date_to__gte=day))


class SmbSeat(models.Model):
    """A seat on the Board, with the seniority §15.2 asks of whoever holds it."""

    name = models.CharField(max_length=200, unique=True, validators=[validate_name])
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="smb_seats")
    seniority = models.CharField(
        max_length=200, help_text="As the Guidance puts it, e.g. “Superintendent or above”.")
    minimum_grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class SmbMembership(models.Model):
    """A person holding a seat from one date to another (open while they hold it)."""

    seat = models.ForeignKey(SmbSeat, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="smb_memberships")
    grade = models.PositiveSmallIntegerField(
        choices=Grade.choices, null=True, blank=True,
        help_text="The member's grade when appointed.")
    date_from = models.DateField("from")
    date_to = models.DateField("to", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["seat__position", "-date_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["seat"], condition=Q(date_to__isnull=True),
                                    name="one_current_member_per_seat"),
            models.CheckConstraint(name="smb_membership_ends_after_it_starts",
                                   condition=Q(date_to__isnull=True)
                                   | Q(date_to__gte=F("date_from"))),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.seat})"

    @property
    def below_grade(self) -> bool:
        """Appointed below the grade the seat asks (§15.2), or with no grade recorded."""
        return self.grade is None or self.grade < self.seat.minimum_grade


class SmbChair(models.Model):
    """One term as Chair of the Board (§15.3): the open term is the Chair now."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="smb_chair_terms")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    date_from = models.DateField("from")
    date_to = models.DateField("to", null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["-date_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["date_to"], condition=Q(date_to__isnull=True),
                                    name="one_current_smb_chair"),
            models.CheckConstraint(name="smb_chair_term_ends_after_it_starts",
                                   condition=Q(date_to__isnull=True)
                                   | Q(date_to__gte=F("date_from"))),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.agency}) from {self.date_from:%d %b %Y}"


class SmbMeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class SmbMeeting(models.Model):
    """A meeting of the Board (at least quarterly, §15.3)."""

    date = models.DateField(db_index=True)
    location = models.CharField(max_length=200, blank=True)
    agenda = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=SmbMeetingStatus.choices,
                              default=SmbMeetingStatus.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"SMB meeting, {self.date:%d %b %Y}"


class SmbAttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    DEPUTY = "deputy", "Deputy sent"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class SmbAttendance(models.Model):
    """A member's attendance at a Board meeting."""

    meeting = models.ForeignKey(SmbMeeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(SmbMembership, on_delete=models.PROTECT,
                                   related_name="attendance")
    status = models.CharField(max_length=10, choices=SmbAttendanceStatus.choices)
    deputy_name = models.CharField(max_length=200, blank=True, validators=[validate_name])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["membership__seat__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"],
                                    name="one_attendance_per_member_and_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.membership}: {self.get_status_display()}"


class SnapshotFrozen(Exception):
    """A frozen snapshot is never changed nor deleted: a recomputation is a new version."""


class KpiSnapshot(models.Model):
    """One KPI's figures and the rows behind them for a closed quarter, frozen so that a
    report already given to the Board never changes silently. The first version is taken
    by the quarter-end job; a recomputation is a new version with its reason, and the
    latest version is the one shown."""

    kpi = models.PositiveSmallIntegerField()
    period = models.CharField(max_length=7, help_text="The quarter, as 2026-Q3.")
    version = models.PositiveSmallIntegerField(default=1)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    figures = models.JSONField(default=dict)
    groups = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH,
                              help_text="Why a closed quarter was computed again.")
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text="Empty when taken by the quarter-end job.")

    class Meta:
        ordering = ["period", "kpi", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period", "version"],
                                    name="one_snapshot_version"),
            models.CheckConstraint(name="a_recomputation_has_its_reason",
                                   condition=Q(version=1) | ~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"KPI {self.kpi}, {self.period} (version {self.version})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SnapshotFrozen("A frozen snapshot cannot be changed; recompute the quarter "
                                 "with a reason to keep a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SnapshotFrozen("A frozen snapshot cannot be deleted.")


class GovernanceKind(models.TextChoices):
    """The Board's own documents (§14.11, §15.1)."""

    MEDIA_STRATEGY = "media_strategy", "Media strategy"
    COMMUNICATION_PLAN = "communication_plan", "Annual communication plan"
    DIVERSITY_PLAN = "diversity_plan", "Diversity plan"
    BUSINESS_PLAN = "business_plan", "Business plan"
    TRAINING_PLAN = "training_plan", "Training plan"
    PROTOCOL = "protocol", "Protocol"
    MEMORANDUM = "memorandum", "Memorandum of understanding"
    OTHER = "other", "Other"


def private_governance_name(instance, filename: str) -> str:
    return uploads.private_name("governance", filename)


class GovernanceDocument(models.Model):
    """A document the Board keeps and reviews (§14.11, §15.1): its owner, when it was last
    approved and when it is next reviewed; a review that falls due raises an alert to its
    owner (the Administrator where it has none)."""

    kind = models.CharField(max_length=20, choices=GovernanceKind.choices)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("approved on", null=True, blank=True)
    next_review = models.DateField("next review by", db_index=True)
    notes = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    file = models.FileField(upload_to=private_governance_name, max_length=200, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_content_type = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField("in force", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    # The trail says the copy changed, not where it is stored.
    audit_sensitive_fields = frozenset({"file"})

    class Meta:
        ordering = ["next_review", "title", "id"]
        constraints = [
            models.CheckConstraint(
                name="governance_review_after_approval",
                condition=Q(approved_on__isnull=True) | Q(next_review__gt=F("approved_on")),
                violation_error_code="next_review",
                violation_error_message="The next review comes after the approval."),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


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


# -- the Board's minutes and actions (§15.3) ----------------------------------------------------


class SmbMinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class SmbMinutes(models.Model):
    """The minutes of a Board meeting: drafted by the secretariat, finalised by the meeting's
    Chair (or the Co-ordinator), then never changed; a save from someone who opened an older
    version is refused with what changed."""

    meeting = models.OneToOneField(SmbMeeting, on_delete=models.CASCADE, related_name="minutes")
    present = models.TextField("present and apologies", blank=True, max_length=TEXT_MAX_LENGTH)
    discussion = models.TextField("what was discussed and decided", max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=5, choices=SmbMinutesStatus.choices,
                              default=SmbMinutesStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "SMB minutes"
        verbose_name_plural = "SMB minutes"

    def __str__(self) -> str:
        return f"Minutes of the {self.meeting}"


class SmbAction(models.Model):
    """An action the Board agreed at a meeting: who, by when, and when it was done."""

    meeting = models.ForeignKey(SmbMeeting, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField(max_length=TEXT_MAX_LENGTH)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    due_date = models.DateField("due by")
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField("what was done", blank=True, max_length=TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"Board action due {self.due_date:%d %b %Y}"


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
