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
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from jmappa.accounts.models import Agency


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


# The record's rules in the user's words: Nominal.clean() and the forms' reading of the
# database constraints (cases.forms.CONSTRAINT_MESSAGES) say the same thing.
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
    given_names = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200)
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
        blank=True, help_text="Language, disability, learning needs, faith, and the like."
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
    sentence = models.TextField("sentence or order", blank=True)
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
    consent_scope = models.TextField(blank=True)
    withhold_from_offender = models.BooleanField(
        "offender not told they are managed under JMAPPA", default=False)
    withhold_reason = models.TextField(blank=True)

    # Lifecycle (§3.4, §13.3): never deleted.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    archived_on = models.DateField(null=True, blank=True)
    archive_reason = models.TextField(blank=True)

    # Exclusions on top of the team: only named users see a restricted case.
    restricted = models.BooleanField(default=False)
    restricted_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = NominalQuerySet.as_manager()

    audit_sensitive_fields = frozenset({"photo"})

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        permissions = [("view_victims", "Can see the victims of this case")]
        indexes = [
            models.Index(fields=["family_name", "given_names"]),
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["category", "level"]),
            models.Index(name_sort_key("family_name"), name_sort_key("given_names"), F("id"),
                         name="cases_nominal_name_order"),
        ]
        constraints = [
            models.CheckConstraint(
                name="cat3_needs_tests_and_disposal",
                condition=~Q(category="3") | (
                    Q(cat3_capacity_for_serious_harm=True)
                    & Q(cat3_needs_multi_agency_management=True)
                    & ~Q(cat3_disposal="")
                ),
            ),
            models.CheckConstraint(
                name="pdp_has_no_qualifying_disposal",
                condition=~Q(category="pdp") | Q(cat3_disposal=""),
            ),
            models.CheckConstraint(
                name="order_ends_after_start",
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


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    PREVIOUS_NAME = "previous_name", "Previous name"
    NICKNAME = "nickname", "Nickname"


class Alias(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=AliasKind.choices, default=AliasKind.ALIAS)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"


class Address(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="addresses")
    address = models.TextField()
    postcode = models.CharField(max_length=12, blank=True)
    date_from = models.DateField("from", null=True, blank=True)
    date_to = models.DateField("to", null=True, blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_current", "-date_from", "-id"]
        verbose_name_plural = "addresses"
        constraints = [
            models.UniqueConstraint(fields=["nominal"], condition=Q(is_current=True),
                                    name="one_current_address"),
            models.CheckConstraint(
                name="address_ends_after_start",
                condition=Q(date_to__isnull=True) | Q(date_from__isnull=True)
                | Q(date_to__gte=models.F("date_from")),
            ),
        ]

    def __str__(self) -> str:
        return self.address.replace("\n", ", ")


class LevelChange(CaseChild):
    """The management level history: from, to, reason, who decided."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="level_history")
    level = models.CharField(max_length=8, choices=Level.choices)
    date_from = models.DateField("from")
    date_to = models.DateField("to", null=True, blank=True)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date_from", "-id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} from {self.date_from:%d %b %Y}"


class RoshAssessment(CaseChild):
    """Risk of serious harm (§9.1): overall and by group at risk, in the community and in
    custody, with the narrative a chair needs. The latest is the current one."""

    GROUPS = ["public", "prisoners", "known_adult", "children", "staff"]

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="rosh_history")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    overall = models.CharField(max_length=10, choices=RiskLevel.choices)
    community_public = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    community_prisoners = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    community_known_adult = models.CharField(max_length=10, choices=RiskLevel.choices,
                                             blank=True)
    community_children = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    community_staff = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    custody_public = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    custody_prisoners = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    custody_known_adult = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    custody_children = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    custody_staff = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    who_is_at_risk = models.TextField()
    nature_of_risk = models.TextField("nature of the harm")
    imminence = models.TextField("how imminent")
    increases_risk = models.TextField("what increases the risk", blank=True)
    reduces_risk = models.TextField("what reduces the risk", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = "risk of serious harm assessment"

    def __str__(self) -> str:
        return f"RoSH {self.get_overall_display().lower()} ({self.assessed_on:%d %b %Y})"

    def by_group(self) -> list[tuple[str, str, str]]:
        """(group label, community level, custody level) for each group at risk."""
        labels = {"public": "Public", "prisoners": "Prisoners", "known_adult": "Known adult",
                  "children": "Children", "staff": "Staff"}
        rows = []
        for group in self.GROUPS:
            community = getattr(self, f"get_community_{group}_display")()
            custody = getattr(self, f"get_custody_{group}_display")()
            rows.append((labels[group], community, custody))
        return rows


class RiskTool(models.TextChoices):
    RM2000 = "rm2000", "Risk Matrix 2000"
    STABLE_ACUTE = "stable_acute_07", "Stable and Acute 2007"
    HCR20 = "hcr20", "HCR-20"
    SARA = "sara", "SARA"
    LSIR = "lsi_r", "LSI-R"
    OTHER = "other", "Other"


class RiskAssessment(CaseChild):
    """An assessment with a validated tool (§6)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE,
                                related_name="risk_assessments")
    tool = models.CharField(max_length=20, choices=RiskTool.choices)
    tool_other = models.CharField("other tool", max_length=100, blank=True)
    score = models.CharField("score or band", max_length=50)
    assessed_on = models.DateField()
    assessor = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_tool_display()}: {self.score} ({self.assessed_on:%d %b %Y})"


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
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nominal", "user"],
                                               name="one_exclusion_per_user")]

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
    """Victim details: the most sensitive information; their own permission (view_victims)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="victims")
    relationship = models.CharField("relationship to the offender", max_length=200)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices,
                                default=AgeBand.NOT_KNOWN)
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_KNOWN)
    contact_restrictions = models.TextField(blank=True)
    victim_liaison_contact = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Victim: {self.relationship}"


class TransferDirection(models.TextChoices):
    INTO_JERSEY = "in", "Into Jersey"
    OUT_OF_JERSEY = "out", "Out of Jersey"


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    COMPLETED = "completed", "Completed"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Transfer(CaseChild):
    """A transfer to or from Jersey (§12)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(max_length=4, choices=TransferDirection.choices)
    other_jurisdiction = models.CharField(max_length=200)
    restricted = models.BooleanField(
        "restricted transfer", default=False,
        help_text="Restricted: conditions of the order continue to apply after transfer.")
    is_community_order = models.BooleanField("transfer of a community order", default=False)
    cpo_permission_by = models.CharField("Chief Probation Officer's permission given by",
                                         max_length=200, blank=True)
    cpo_permission_on = models.DateField("permission given on", null=True, blank=True)
    status = models.CharField(max_length=10, choices=TransferStatus.choices,
                              default=TransferStatus.PROPOSED)
    transfer_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                name="community_order_transfer_needs_cpo_permission",
                condition=~Q(is_community_order=True, status__in=["agreed", "completed"])
                | (~Q(cpo_permission_by="") & Q(cpo_permission_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer {self.get_direction_display().lower()}: {self.other_jurisdiction}"


class Deviation(CaseChild):
    """A departure from the Guidance, with its reasons (§1.1, §14.11)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="deviations")
    what = models.TextField("what departs from the Guidance")
    why = models.TextField("the reasons")
    guidance_section = models.CharField(max_length=20, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"Deviation: {self.what[:60]}"


class StatusChange(CaseChild):
    """Archive and re-activation history: date, reason, by whom."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=10, choices=Status.choices)
    on = models.DateField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.on:%d %b %Y}"
