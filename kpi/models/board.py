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
from django.db import models
from django.db.models import F, Q

from jmappa.accounts.models import Agency, AgencyKind, Grade
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
