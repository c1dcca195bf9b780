"""The nominal (the offender's record) and everything that hangs off it.

Access to a nominal and all of its parts is decided in jmappa/access.py; the
querysets here offer `visible_to(user)` built on it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import CharField, F, Func, Q, Value
from django.db.models.functions import Concat, Lower
from django.utils.functional import cached_property
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from jmappa.accounts.models import Agency
from jmappa.core.validators import TEXT_MAX_LENGTH, validate_name


class Category(models.TextChoices):
    ONE = "1", "Category 1: Registered Sex Offender"
    TWO = "2", "Category 2: violent and other sexual offender"
    THREE = "3", "Category 3: other dangerous offender"
    PDP = "pdp", "Potentially dangerous person"
    UNKNOWN = "unknown", "Not yet known (awaiting decision)"


class Level(models.TextChoices):
    ONE = "1", "Level 1"
    TWO = "2", "Level 2"
    THREE = "3", "Level 3"
    UNKNOWN = "unknown", "Not yet known (awaiting decision)"


class Eligibility(models.TextChoices):
    AWAITING = "awaiting", "Not yet known (awaiting assessment)"
    ELIGIBLE = "eligible", "JMAPPA-eligible"
    NOT_ELIGIBLE = "not_eligible", "Assessed: not JMAPPA-eligible"


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


# Ordered, for sorting and for "at least high" filters.
RISK_ORDER = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3, RiskLevel.VERY_HIGH: 4}


class CustodyStatus(models.TextChoices):
    CUSTODY = "custody", "In custody"
    COMMUNITY = "community", "In the community"
    HOSPITAL = "hospital", "In hospital"


class OrderType(models.TextChoices):
    SUPERVISION = "supervision", "Supervision"
    LICENCE = "licence", "Licence"
    COMMUNITY_ORDER = "community_order", "Community order"
    NOTIFICATION = "notification", "Notification requirements"
    NONE = "none", "None"


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Consent(models.TextChoices):
    NOT_KNOWN = "not_known", "Not yet asked or not known"
    GIVEN = "given", "Given"
    REFUSED = "refused", "Not given"


class Cat3Disposal(models.TextChoices):
    CONVICTION = "conviction", "Conviction"
    CAUTION = "caution", "Caution"
    REPRIMAND_WARNING = "reprimand_warning", "Reprimand or warning"


_ACCENTED = "àáâäãçèéêëìíîïñòóôöõùúûüýÿ"
_ACCENTED, _PLAIN = _ACCENTED + _ACCENTED.upper(), "aaaaaceeeeiiiinooooouuuuyy" * 2


def name_sort_key(field: str):
    """A name as people alphabetise it: "de la Hougette" among the Ds, "Brécouier" before
    "Brevinel" (the database's own collation sorts by byte). Indexed: see Nominal.Meta."""
    return Lower(Func(F(field), Value(_ACCENTED), Value(_PLAIN), function="translate",
                      output_field=CharField()))


# The record's rules in the user's words: Nominal.clean() and the database constraints
# (violation_error_message) say the same thing.
CAT3_MESSAGE = (
    "Category 3 needs the Co-ordinator's two tests (§3.9) and the qualifying conviction, "
    "caution or reprimand/warning."
)
PDP_MESSAGE = (
    "A potentially dangerous person has no qualifying conviction, caution or "
    "reprimand/warning: choose another category, or clear the disposal."
)
ORDER_MESSAGE = "The order cannot end before it starts."


class NominalQuerySet(models.QuerySet):
    def visible_to(self, user) -> NominalQuerySet:
        from jmappa import access

        return access.restrict_nominals(self, user)

    def active(self):
        return self.filter(status=Status.ACTIVE)


class Nominal(models.Model):
    # Identity
    given_names = models.CharField(max_length=200, validators=[validate_name])
    family_name = models.CharField(max_length=200, validators=[validate_name])
    # Kept by the database, for fuzzy search over the whole name (trigram-indexed).
    full_name = models.GeneratedField(
        expression=Concat("given_names", Value(" "), "family_name"),
        output_field=models.CharField(max_length=401),
        db_persist=True,
    )
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=100, blank=True)
    diversity_needs = models.TextField(
        blank=True, help_text="Language, disability, learning needs, faith, and the like.",
        max_length=TEXT_MAX_LENGTH
    )
    pnc_number = models.CharField("PNC number", max_length=20, blank=True, db_index=True)
    visor_number = models.CharField("ViSOR number", max_length=20, blank=True, db_index=True)
    prison_number = models.CharField(max_length=20, blank=True)
    photo = models.ImageField(upload_to="nominal-photos/", blank=True)

    # JMAPPA status
    eligibility = models.CharField(max_length=16, choices=Eligibility.choices,
                                   default=Eligibility.AWAITING)
    category = models.CharField(max_length=8, choices=Category.choices, default=Category.UNKNOWN)
    level = models.CharField("management level", max_length=8, choices=Level.choices,
                             default=Level.UNKNOWN)
    index_offence = models.TextField(
        "conviction", blank=True,
        help_text="Current or most important sexual or violent offence. None for a PDP.",
        max_length=TEXT_MAX_LENGTH
    )
    # Category 3: the Co-ordinator's two tests (§3.9) and the qualifying disposal.
    cat3_capacity_for_serious_harm = models.BooleanField(
        "offence shows capacity to cause serious harm", null=True, blank=True)
    cat3_needs_multi_agency_management = models.BooleanField(
        "multi-agency management at level 2 or 3 reasonably considered necessary",
        null=True, blank=True)
    cat3_disposal = models.CharField("qualifying disposal", max_length=20,
                                     choices=Cat3Disposal.choices, blank=True)

    # Overall risk of serious harm: copied from the latest assessment, for lists and filters.
    rosh = models.CharField("risk of serious harm", max_length=10, choices=RiskLevel.choices,
                            blank=True)

    # Management
    lead_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="led_nominals")
    case_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="managed_nominals")
    visor_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="visor_nominals",
                                      verbose_name="ViSOR manager")
    custody_status = models.CharField(max_length=10, choices=CustodyStatus.choices,
                                      default=CustodyStatus.COMMUNITY)
    sentence = models.TextField("sentence or order", blank=True, max_length=TEXT_MAX_LENGTH)
    order_type = models.CharField(max_length=20, choices=OrderType.choices, blank=True)
    order_start = models.DateField(null=True, blank=True)
    order_end = models.DateField(null=True, blank=True)
    sentence_date = models.DateField(null=True, blank=True)
    identified_on = models.DateField(
        "date identified as JMAPPA-eligible", null=True, blank=True,
        help_text="Should be within 3 working days of sentence (§3.3).",
    )
    earliest_release_date = models.DateField(null=True, blank=True)
    temporary_release_date = models.DateField(
        "eligibility date for release on temporary licence", null=True, blank=True)

    # Information sharing (§3.6, §4)
    consent_to_share = models.CharField(max_length=10, choices=Consent.choices,
                                        default=Consent.NOT_KNOWN)
    consent_date = models.DateField(null=True, blank=True)
    consent_scope = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    withhold_from_offender = models.BooleanField(
        "offender not told they are managed under JMAPPA", default=False)
    withhold_reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)

    # Lifecycle (§3.4, §13.3): never deleted.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    archived_on = models.DateField(null=True, blank=True)
    archive_reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)

    # Exclusions on top of the team: only named users see a restricted case.
    restricted = models.BooleanField(default=False)
    restricted_reason = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = NominalQuerySet.as_manager()

    audit_sensitive_fields = frozenset({"photo"})

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        # Held per case, like the victims: third parties named in disclosures (disclosure/).
        permissions = [("view_victims", "Can see the victims of this case"),
                       ("view_disclosures", "Can see the third-party disclosures of this case")]
        indexes = [
            models.Index(fields=["family_name", "given_names"]),
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["category", "level"]),
            models.Index(name_sort_key("family_name"), name_sort_key("given_names"), F("id"),
                         name="cases_nominal_name_order"),
        ]
        # Each rule speaks the user's words (violation_error_message) and names the field it
        # is about (violation_error_code), where a form shows a refused write.
        constraints = [
            models.CheckConstraint(
                name="cat3_needs_tests_and_disposal",
                violation_error_code="category", violation_error_message=CAT3_MESSAGE,
                condition=~Q(category="3") | (
                    Q(cat3_capacity_for_serious_harm=True)
                    & Q(cat3_needs_multi_agency_management=True)
                    & ~Q(cat3_disposal="")
                ),
            ),
            models.CheckConstraint(
                name="pdp_has_no_qualifying_disposal",
                violation_error_code="cat3_disposal", violation_error_message=PDP_MESSAGE,
                condition=~Q(category="pdp") | Q(cat3_disposal=""),
            ),
            models.CheckConstraint(
                name="order_ends_after_start",
                violation_error_code="order_end", violation_error_message=ORDER_MESSAGE,
                condition=Q(order_end__isnull=True) | Q(order_start__isnull=True)
                | Q(order_end__gte=models.F("order_start")),
            ),
            models.CheckConstraint(
                name="archived_has_date",
                condition=~Q(status="archived") | Q(archived_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()}, {self.given_names}"

    def clean(self):
        """The record's own rules, in the user's words (forms, API and services share them)."""
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth >= today:
            errors["date_of_birth"] = "The date of birth must be in the past."
        if self.category == Category.THREE and not (
            self.cat3_capacity_for_serious_harm and self.cat3_needs_multi_agency_management
            and self.cat3_disposal
        ):
            errors["category"] = CAT3_MESSAGE
        if self.category == Category.PDP and self.cat3_disposal:
            errors["cat3_disposal"] = PDP_MESSAGE
        if self.order_start and self.order_end and self.order_end < self.order_start:
            errors["order_end"] = ORDER_MESSAGE
        if self.sentence_date and self.earliest_release_date and (
            self.earliest_release_date < self.sentence_date
        ):
            errors["earliest_release_date"] = "The release date must be after the sentence date."
        if self.sentence_date and self.identified_on and self.identified_on < self.sentence_date:
            errors["identified_on"] = (
                "The date identified as JMAPPA-eligible cannot be before the sentence date."
            )
        if self.case_manager_id and (
            self.lead_agency_id is None or self.case_manager.agency_id != self.lead_agency_id
        ):
            errors["case_manager"] = "The case manager must work for the lead agency."
        if self.withhold_from_offender and not self.withhold_reason.strip():
            errors["withhold_reason"] = (
                "Give the reasons for not telling the offender they are managed under "
                "JMAPPA (§3.6)."
            )
        if self.consent_to_share == Consent.GIVEN and not self.consent_date:
            errors["consent_date"] = "Give the date consent to share was given."
        if errors:
            raise ValidationError(errors)

    @property
    def reference(self) -> str:
        return f"J{self.pk:06d}" if self.pk else ""

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int:
        from django.utils import timezone

        return self.age_on(timezone.localdate())

    @property
    def is_child(self) -> bool:
        """Under 18: Children's Services must attend its meetings (§11)."""
        return self.age < 18

    @property
    def is_school_age(self) -> bool:
        """Of compulsory school age in Jersey (5 to 16): Education attends too (§11)."""
        return 5 <= self.age < 16

    @property
    def is_sex_offender(self) -> bool:
        return self.category == Category.ONE

    @property
    def retention_review_date(self) -> date:
        """The 100th anniversary of birth (§13.3)."""
        dob = self.date_of_birth
        try:
            return dob.replace(year=dob.year + 100)
        except ValueError:  # 29 February
            return dob.replace(year=dob.year + 100, day=28)

    @cached_property
    def retention_due_on(self) -> date:
        """When the archived record is (next) reviewed: the 100th anniversary of birth, or
        the next review date the latest decision to keep it gave (asked of the database
        only once the anniversary has passed: there is no decision before)."""
        from django.utils import timezone

        first = self.retention_review_date
        if first > timezone.localdate():
            return first
        latest = self.retention_reviews.order_by("-reviewed_on", "-id").values_list(
            "next_review_on", flat=True).first()
        return latest or first


class NominalUserObjectPermission(UserObjectPermissionBase):
    """guardian's per-user permissions on a nominal, with a real foreign key:
    need-to-know filtering is one indexed join, not a cast of text ids."""

    # guardian's unique (user, permission, content_object) is the index the filter uses.
    content_object = models.ForeignKey(Nominal, on_delete=models.CASCADE)


class NominalGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Nominal, on_delete=models.CASCADE)


class CaseChildQuerySet(models.QuerySet):
    """Everything under a case inherits the case's access rule."""

    def visible_to(self, user):
        from jmappa import access

        return self.filter(nominal__in=access.restrict_nominals(Nominal.objects.all(), user))


class CaseChild(models.Model):
    objects = CaseChildQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def case_id(self) -> int:
        return self.nominal_id










































