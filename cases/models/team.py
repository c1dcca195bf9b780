"""Who is on a case: the team and its roles, the agencies linked to it, the Co-ordinator's
exclusions and named access, and the victims (their own permission)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from jmappa.accounts.models import Agency
from jmappa.audit.models import EVERY_FIELD
from jmappa.core.validators import TEXT_MAX_LENGTH, validate_name

from .nominal import CaseChild, CaseChildQuerySet, Gender, Nominal


class TeamRole(models.TextChoices):
    CASE_MANAGER = "case_manager", "Case manager"
    VISOR_MANAGER = "visor_manager", "ViSOR manager"
    AGENCY_CONTACT = "agency_contact", "Agency contact"
    MEETING_INVITEE = "meeting_invitee", "Meeting invitee"
    ACTION_OWNER = "action_owner", "Action owner"
    REFERRER = "referrer", "Referrer"
    MINUTES_RECIPIENT = "minutes_recipient", "SPOC receiving the minutes"


# Roles whose holders may change the case record, not only read it.
TEAM_ROLES_THAT_CHANGE = {TeamRole.CASE_MANAGER, TeamRole.VISOR_MANAGER}


class TeamMemberQuerySet(CaseChildQuerySet):
    def current(self, day: date | None = None):
        from django.utils import timezone

        # `date_to` is the day the membership ended: no access from that day on.
        day = day or timezone.localdate()
        return self.filter(date_from__lte=day).filter(Q(date_to__isnull=True) | Q(date_to__gt=day))


class TeamMember(CaseChild):
    """A user with a role on the case. Membership grants the guardian permissions."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="case_memberships")
    role = models.CharField(max_length=20, choices=TeamRole.choices)
    sees_victims = models.BooleanField(
        "may see victim details", default=False,
        help_text="Victim details are shared only with those who need them.")
    date_from = models.DateField("from")
    date_to = models.DateField("to", null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["role", "user__last_name"]
        indexes = [models.Index(fields=["user", "nominal"])]
        constraints = [
            models.CheckConstraint(
                name="team_member_ends_after_start",
                violation_error_code="date_to",
                violation_error_message="The end date must be on or after the start.",
                condition=Q(date_to__isnull=True) | Q(date_to__gte=models.F("date_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class CaseAgency(CaseChild):
    """An agency involved in the case. Where the agency allows it, its SPOC sees the case."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_links")
    date_from = models.DateField("from")
    date_to = models.DateField("to", null=True, blank=True)

    class Meta:
        ordering = ["agency__name"]
        verbose_name_plural = "case agencies"
        constraints = [
            models.UniqueConstraint(fields=["nominal", "agency"],
                                    condition=Q(date_to__isnull=True),
                                    name="one_open_link_per_agency"),
        ]

    def __str__(self) -> str:
        return str(self.agency)


class Exclusion(CaseChild):
    """A named user who must see nothing of this case (knows the offender or a victim)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="exclusions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="case_exclusions")
    reason = models.TextField(max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["nominal", "user"], name="one_exclusion_per_user",
            violation_error_code="user",
            violation_error_message="This person is already excluded from this case.")]

    def __str__(self) -> str:
        return f"Exclusion of {self.user}"


class NamedAccess(CaseChild):
    """On a restricted case, the only users who see it at all."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="named_access")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nominal", "user"],
                                               name="one_named_access_per_user")]

    def __str__(self) -> str:
        return f"Named access for {self.user}"


class AgeBand(models.TextChoices):
    UNDER_5 = "0-4", "Under 5"
    CHILD = "5-11", "5 to 11"
    TEEN = "12-17", "12 to 17"
    YOUNG_ADULT = "18-24", "18 to 24"
    ADULT = "25-64", "25 to 64"
    OLDER = "65+", "65 and over"
    NOT_KNOWN = "not_known", "Not known"


class Victim(CaseChild):
    """Victim details: the most sensitive information; their own permission (view_victims).
    Never copied into the audit trail: an event says which fields changed, not to what."""

    audit_sensitive_fields = EVERY_FIELD

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="victims")
    relationship = models.CharField("relationship to the offender", max_length=200)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices,
                                default=AgeBand.NOT_KNOWN)
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_KNOWN)
    contact_restrictions = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    victim_liaison_contact = models.CharField(max_length=200, blank=True,
                                              validators=[validate_name])
    notes = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Victim: {self.relationship}"
