from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from jmappa.core.validators import validate_name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "JMAPPA Co-ordinator"
    ADMINISTRATOR = "administrator", "JMAPPA Administrator"
    CHAIR = "chair", "Chair"
    PRACTITIONER = "practitioner", "Practitioner"
    SPOC = "spoc", "Agency SPOC"
    SMB_MEMBER = "smb_member", "SMB member"


class Grade(models.IntegerChoices):
    """Seniority across agencies, ordered, for the attendance rule of §10.7.

    The examples are the Guidance's standing membership: level 2 meetings need
    a first-line manager or above, level 3 a senior manager or above.
    """

    PRACTITIONER = 1, "Practitioner or officer"
    FIRST_LINE_MANAGER = 2, "First-line manager (e.g. Police Inspector, Probation Team Leader)"
    MIDDLE_MANAGER = 3, "Middle manager (e.g. Head of Service, Head of Nursing)"
    SENIOR_MANAGER = 4, (
        "Senior manager (e.g. Chief Inspector, Superintendent, "
        "Assistant Chief Probation Officer, Director)"
    )
    EXECUTIVE = 5, "Chief officer"


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    PRISON = "prison", "Prison"
    HEALTH_SOCIAL_SERVICES = "health_social_services", "Health and Social Services"
    CHILDRENS_SERVICES = "childrens_services", "Children's Services"
    MENTAL_HEALTH = "mental_health", "Mental Health"
    HOUSING = "housing", "Housing"
    EDUCATION = "education", "Education"
    CUSTOMS_IMMIGRATION = "customs_immigration", "Customs and Immigration"
    OTHER = "other", "Other"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True, validators=[validate_name])
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    duty_to_cooperate = models.BooleanField(
        "Duty to Co-operate agency",
        default=False,
        help_text="Agencies with a duty to co-operate under the arrangements (§1.1, §4.3).",
    )
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    secure_email = models.EmailField(blank=True)
    spoc = models.ForeignKey(
        "accounts.User",
        verbose_name="SPOC",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spoc_of",
        help_text="The agency's single point of contact: receives minutes for the agency.",
    )
    spoc_sees_agency_cases = models.BooleanField(
        "SPOC sees the agency's cases",
        default=False,
        help_text="Whether the agency lets its SPOC see every case it is involved in (§4.2).",
    )
    is_active = models.BooleanField(default=True)

    audit_sensitive_fields: frozenset[str] = frozenset()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    # A name that reads like another's (a direction override, a zero-width space) is refused
    # here as in every app's names: the admin and the people pages alike.
    first_name = models.CharField("first name", max_length=150, blank=True,
                                  validators=[validate_name])
    last_name = models.CharField("last name", max_length=150, blank=True,
                                 validators=[validate_name])
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    job_title = models.CharField(max_length=200, blank=True, validators=[validate_name])
    grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices), default=list, blank=True
    )
    phone = models.CharField(max_length=40, blank=True)

    audit_sensitive_fields = frozenset({"password"})

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles if role in Role.values]


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A partner agency's API credential, acting as one user.

    Only a SHA-256 digest of the token is kept: a high-entropy random token
    needs no slow hash, and a database copy never yields a usable credential.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    audit_sensitive_fields = frozenset({"digest"})

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
