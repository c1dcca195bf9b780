"""Custody to community: what the register needs to know of a sentence and its end, and the
joined-up planning around a person in prison and on release (seed 003).

- `Sentence`: the sentence (or remand, or recall) with its length and dates, so that "12
  months custody or more" (Category 2, §3.8) and the time left are computed, not typed. The
  latest is the current one;
- `CustodyEvent`: remand, sentence, a transfer between prisons or to hospital (the receiving
  establishment told the person is JMAPPA-eligible, §3.1, §12), hospital admission and
  discharge, release, recall;
- `Condition`: orders and conditions with their dates: notification, licence conditions,
  Sexual Offences Prevention Orders and their prohibitions, Restraining Orders (excluded
  places, named people: the disclosure consideration of §5.2), curfews, exclusion zones;
- `JointVisit`: a pre-release visit to the prisoner by the Police and Probation together
  (§14.7);
- `Breach`: a breach of an order or condition, or non-compliance (with an intervention of
  the person's package, interventions/), who reported it and the action taken; `Recall`: the
  decision, its reasons and, on a recall, what led to it, what broke down and what helped;
- `JoinedUpMember`: the joined-up team (Prison Offender Manager, Probation Practitioner, Personal
  Advisor, Care Experience Specialist, Recall Officer, the remand support roles);
- `JoinedUpPlanning`: who leads now (by the time left, recall and remand) and since when;
- `PlanningMeeting`: Joined-up Planning Meetings 1 and 2, the Review Meetings and the Final
  Review Meeting (meetings/kinds.py declares each kind);
- `TeamAction`, `TeamActionUpdate`: the team actions log, owned by a named practitioner or by
  the person, reviewed at each meeting;
- `MyPlan`: the person's own plan, attached, a new version each time;
- `PathwayPlanReview`: the Personal Advisor's six-monthly Pathway Plan review.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import CaseChild, Nominal
from jmappa.core import uploads
from jmappa.core.validators import TEXT_MAX_LENGTH, validate_name
from jmappa.workdays import add_months

LEAD_MONTHS = 10  # "more than 10 months left": the Prison Offender Manager leads
CATEGORY_TWO_MONTHS = 12  # "sentenced to 12 months custody or more" (§3.8)
PLANNING_MEETING_1_WITHIN = timedelta(weeks=10)  # "within 10 weeks of sentencing"
LIFE_REVIEW_YEARS = 3  # "at least every three years for a life sentence"
LONG_TERM_REVIEW_YEARS = 2  # "every two years for a long-term sentence"
PATHWAY_REVIEW_MONTHS = 6  # "Personal Advisors review Pathway Plans every six months"


class SentenceKind(models.TextChoices):
    DETERMINATE = "determinate", "Determinate sentence"
    EXTENDED = "extended", "Extended sentence"
    LIFE = "life", "Life sentence"
    SHORT_TERM = "short_term", "Short-term sentence"
    REMAND = "remand", "Remand in custody"
    RECALL = "recall", "Recall to prison"
    HOSPITAL_ORDER = "hospital_order", "Hospital order"


# The review cadence of seed 003: a determinate or extended sentence is long-term.
LONG_TERM = (SentenceKind.DETERMINATE, SentenceKind.EXTENDED)
# A sentence with nothing to count down to: no length, no release date of its own.
WITHOUT_LENGTH = (SentenceKind.LIFE, SentenceKind.REMAND, SentenceKind.RECALL,
                  SentenceKind.HOSPITAL_ORDER)
# Joined-up planning (seed 003) is for people in prison: not on remand, nor in hospital.
NOT_PLANNED = (SentenceKind.REMAND, SentenceKind.HOSPITAL_ORDER)


class Sentence(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="sentences")
    kind = models.CharField("type", max_length=16, choices=SentenceKind.choices)
    length_months = models.PositiveIntegerField(
        "length in months", null=True, blank=True,
        help_text="The custodial term. Not for a life sentence, remand or recall.")
    sentenced_on = models.DateField("date of sentence (or of remand or recall)")
    earliest_release_on = models.DateField("earliest release date", null=True, blank=True)
    temporary_release_on = models.DateField(
        "eligibility date for release on temporary licence", null=True, blank=True)
    licence_end_on = models.DateField("licence end date", null=True, blank=True)
    sentence_end_on = models.DateField("sentence end date", null=True, blank=True)
    establishment = models.CharField("prison or hospital", max_length=200, blank=True)
    offence = models.TextField("offence and court", blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sentenced_on", "-id"]
        indexes = [models.Index(fields=["nominal", "-sentenced_on", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.sentenced_on:%-d %B %Y}"

    @property
    def twelve_months_or_more(self) -> bool:
        """"Sentenced to 12 months custody or more" (§3.8): a life sentence is."""
        if self.kind == SentenceKind.LIFE:
            return True
        return bool(self.length_months and self.length_months >= CATEGORY_TWO_MONTHS)

    def time_left_over_lead_line(self, day: date) -> bool:
        """More than 10 months left before release on `day` (the Prison Offender Manager
        leads); exactly 10 months is "10 months or less"."""
        if self.kind == SentenceKind.LIFE and self.earliest_release_on is None:
            return True  # no release date in sight
        if self.earliest_release_on is None:
            return False
        return self.earliest_release_on > add_months(day, LEAD_MONTHS)

    @property
    def long_term(self) -> bool:
        return self.kind in LONG_TERM

    @property
    def lead_line_on(self) -> date | None:
        """The day the time left falls to 10 months: the lead passes to Probation."""
        if self.earliest_release_on is None:
            return None
        return add_months(self.earliest_release_on, -LEAD_MONTHS)


class EventKind(models.TextChoices):
    REMAND = "remand", "Remanded in custody"
    SENTENCE = "sentence", "Sentenced to custody"
    PRISON_TRANSFER = "prison_transfer", "Transferred to another prison"
    HOSPITAL_TRANSFER = "hospital_transfer", "Transferred from prison to hospital"
    HOSPITAL_ADMISSION = "hospital_admission", "Admitted to hospital"
    HOSPITAL_DISCHARGE = "hospital_discharge", "Discharged from hospital"
    RELEASE = "release", "Released from custody"
    RECALL = "recall", "Recalled to prison"


# Where the person is after each event: the register's "in custody / in hospital / in the
# community" follows the latest event.
EVENT_PLACE = {
    EventKind.REMAND: "custody", EventKind.SENTENCE: "custody",
    EventKind.PRISON_TRANSFER: "custody", EventKind.RECALL: "custody",
    EventKind.HOSPITAL_TRANSFER: "hospital", EventKind.HOSPITAL_ADMISSION: "hospital",
    EventKind.HOSPITAL_DISCHARGE: "community", EventKind.RELEASE: "community",
}
# A move to another establishment: the receiving one is told the person is JMAPPA-eligible.
TRANSFERS = (EventKind.PRISON_TRANSFER, EventKind.HOSPITAL_TRANSFER)


class CustodyEvent(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="custody_events")
    kind = models.CharField("what happened", max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField("date")
    establishment = models.CharField("prison, hospital or address", max_length=200,
                                     blank=True)
    receiving_told = models.BooleanField(
        "the receiving establishment was told the person is JMAPPA-eligible", default=False)
    notes = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.occurred_on:%-d %B %Y}"


class ConditionKind(models.TextChoices):
    NOTIFICATION = "notification", "Notification requirements (registration period)"
    LICENCE = "licence", "Licence condition"
    SOPO = "sopo", "Sexual Offences Prevention Order prohibition"
    RESTRAINING = "restraining", "Restraining Order"
    CURFEW = "curfew", "Curfew"
    EXCLUSION_ZONE = "exclusion_zone", "Exclusion zone"


class Condition(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="conditions")
    kind = models.CharField("order or condition", max_length=16,
                            choices=ConditionKind.choices)
    terms = models.TextField("what it requires or prohibits", max_length=TEXT_MAX_LENGTH)
    excluded_places = models.TextField(
        "places excluded from", blank=True, max_length=TEXT_MAX_LENGTH,
        help_text="A Restraining Order's excluded places, an exclusion zone.")
    named_people = models.TextField(
        "named people not to be contacted", blank=True, max_length=TEXT_MAX_LENGTH,
        help_text="Only those who read the case's victims see these names.")
    starts_on = models.DateField("starts")
    ends_on = models.DateField("ends", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    # The people named: victims, in effect, read with the case's victim permission only.
    audit_sensitive_fields = frozenset({"named_people"})

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(
            name="condition_ends_after_start",
            violation_error_code="ends_on",
            violation_error_message="The order or condition cannot end before it starts.",
            condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.starts_on:%-d %B %Y}"

    @property
    def calls_for_disclosure_consideration(self) -> bool:
        """§5.2: a Restraining Order excluding the offender from a place or from contact with
        named persons is one of the circumstances in which disclosure is considered."""
        return self.kind == ConditionKind.RESTRAINING and bool(
            self.excluded_places.strip() or self.named_people.strip())

    def in_force(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class JointVisit(CaseChild):
    """"Timely and focussed pre-release work facilitated through joint visits by the Police
    and Probation Service to prisoners pre-release" (§14.7)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="joint_visits")
    visited_on = models.DateField("visited on")
    police_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       related_name="+", verbose_name="for the Police")
    probation_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                          related_name="+", verbose_name="for Probation")
    purpose = models.TextField("what the visit covered: release plan, conditions, "
                               "restrictions", max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"Joint visit of {self.visited_on:%-d %B %Y}"


class BreachAction(models.TextChoices):
    WARNING = "warning", "Warning given"
    PROCEEDINGS = "proceedings", "Breach proceedings started"
    RECALL_REQUESTED = "recall_requested", "Recall requested"
    NONE = "none", "No further action"


class Breach(CaseChild):
    """A breach of an order or condition, or other non-compliance."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="breaches")
    condition = models.ForeignKey(Condition, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="breaches",
                                  verbose_name="the order or condition breached")
    # Non-compliance with an intervention of the person's package (interventions/).
    intervention = models.ForeignKey(
        "interventions.PackageIntervention", null=True, blank=True, on_delete=models.PROTECT,
        related_name="breaches", verbose_name="the intervention not complied with")
    occurred_on = models.DateField("when it happened")
    what_happened = models.TextField(max_length=TEXT_MAX_LENGTH)
    reported_by = models.CharField("who reported it", max_length=200)
    action = models.CharField("action taken", max_length=16, choices=BreachAction.choices)
    action_on = models.DateField("action taken on")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "breaches"

    def __str__(self) -> str:
        return f"Breach of {self.occurred_on:%-d %B %Y}"


class Recall(CaseChild):
    """The decision on a recall request ("a swift recall policy", §14.7), and on a recall the
    questions seed 003 asks the team."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="recalls")
    breach = models.OneToOneField(Breach, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="recall")
    decided_on = models.DateField("decided on")
    recalled = models.BooleanField("recalled to prison")
    reasons = models.TextField("the reasons for the decision", max_length=TEXT_MAX_LENGTH)
    what_led = models.TextField("what led to the recall", blank=True,
                                max_length=TEXT_MAX_LENGTH)
    what_broke_down = models.TextField(
        "what support, relationships or stability broke down before it", blank=True,
        max_length=TEXT_MAX_LENGTH)
    what_helped = models.TextField("what support helped before it, and what was missing",
                                   blank=True, max_length=TEXT_MAX_LENGTH)
    needed_on_release = models.TextField("what support must be in place on release",
                                         blank=True, max_length=TEXT_MAX_LENGTH)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"Recall decision of {self.decided_on:%-d %B %Y}"


class TeamRole(models.TextChoices):
    POM = "pom", "Prison Offender Manager"
    PROBATION = "probation", "Probation Practitioner"
    PERSONAL_ADVISOR = "personal_advisor", "Personal Advisor"
    CARE_EXPERIENCE = "care_experience", "Care Experience Specialist"
    RECALL_OFFICER = "recall_officer", "Recall Officer"
    # Who delivers support on remand, with the team.
    CHANGING_LIVES = "changing_lives", "Changing lives worker"
    PRE_RELEASE = "pre_release", "Pre-release team"
    SOLICITOR = "solicitor", "Solicitor"
    WING_STAFF = "wing_staff", "Wing staff"


class JoinedUpMember(CaseChild):
    """A member of the joined-up team: a user of the service, or someone named who is not."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="joined_up_team")
    role = models.CharField(max_length=20, choices=TeamRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="joined_up_roles",
                             verbose_name="user of the service",
                             help_text="Told when the lead changes.")
    name = models.CharField(max_length=200, blank=True, validators=[validate_name],
                            help_text="For someone who does not use the service.")
    organisation = models.CharField(max_length=200, blank=True)
    contact = models.CharField("phone or email", max_length=200, blank=True)
    joined_on = models.DateField("in the team from")
    left_on = models.DateField("left the team on", null=True, blank=True)

    class Meta:
        ordering = ["role", "joined_on", "id"]

    def __str__(self) -> str:
        who = self.user.get_full_name() if self.user_id else self.name
        return f"{who}, {self.get_role_display()}"

    @property
    def display_name(self) -> str:
        return (self.user.get_full_name() or self.user.username) if self.user_id else self.name


class JoinedUpPlanning(CaseChild):
    """Who leads the joined-up team now. Kept, not only computed, so that a change of lead
    (the sentence passing the 10-month line, a recall) is noticed and the team told."""

    nominal = models.OneToOneField(Nominal, on_delete=models.PROTECT,
                                   related_name="joined_up_planning")
    lead = models.CharField(max_length=20, choices=TeamRole.choices)
    lead_since = models.DateField()
    lead_reason = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"Led by the {self.get_lead_display()}"


class PlanningMeetingKind(models.TextChoices):
    FIRST = "planning_1", "Joined-up Planning Meeting 1"
    SECOND = "planning_2", "Joined-up Planning Meeting 2"
    REVIEW = "review", "Joined-up Review Meeting"
    FINAL = "final_review", "Final Review Meeting"


class PlanningMeetingStatus(models.TextChoices):
    ARRANGED = "arranged", "Arranged"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "Face to face"
    PHONE = "phone", "By phone"
    VIDEO = "video", "By video call"


class PlanningMeeting(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="planning_meetings")
    kind = models.CharField(max_length=16, choices=PlanningMeetingKind.choices)
    held_on = models.DateField("date")
    mode = models.CharField("how", max_length=10, choices=MeetingMode.choices,
                            default=MeetingMode.IN_PERSON)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=PlanningMeetingStatus.choices,
                              default=PlanningMeetingStatus.ARRANGED)
    chair = models.CharField("organiser and chair", max_length=20, choices=TeamRole.choices)
    present = models.ManyToManyField(JoinedUpMember, blank=True, related_name="+",
                                     verbose_name="team members present")
    person_present = models.BooleanField("the person was present", default=False)
    # The record: the sections each kind asks for (meetings/kinds.py).
    information_shared = models.TextField(
        "information shared: care journey, offending, risk and safety, identity, current "
        "situation", blank=True, max_length=TEXT_MAX_LENGTH)
    recall_review = models.TextField(
        "on a recall: what led to it, what broke down, what must be in place on release",
        blank=True, max_length=TEXT_MAX_LENGTH)
    approach_agreed = models.TextField(
        "the trauma-informed approach and agenda agreed for Planning Meeting 2", blank=True,
        max_length=TEXT_MAX_LENGTH)
    my_plan_completed = models.TextField("My Plan completed with the person", blank=True,
                                         max_length=TEXT_MAX_LENGTH)
    plans_updated = models.TextField("OASys and Pathway Plans updated and aligned",
                                     blank=True, max_length=TEXT_MAX_LENGTH)
    progress = models.TextField(
        "progress against My Plan and the actions; changes in risk, wellbeing or "
        "circumstances", blank=True, max_length=TEXT_MAX_LENGTH)
    ending_support = models.TextField(
        "support coming to an end: what continues, warm handovers, the Termination OASys",
        blank=True, max_length=TEXT_MAX_LENGTH)
    next_steps = models.TextField("next steps, and when the team meets again", blank=True,
                                  max_length=TEXT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["nominal", "kind", "status", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.held_on:%-d %B %Y}"


class TeamAction(CaseChild):
    """An action of the team actions log: owned by a team member or by the person."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="team_actions")
    action = models.TextField(max_length=TEXT_MAX_LENGTH)
    owner = models.ForeignKey(JoinedUpMember, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="actions", verbose_name="who will complete it",
                              help_text="Leave empty where the person themselves owns it.")
    by_the_person = models.BooleanField("the person themselves completes it", default=False)
    due_on = models.DateField("to be completed by")
    done_on = models.DateField("completed on", null=True, blank=True)
    agreed_at = models.ForeignKey(PlanningMeeting, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="actions_agreed",
                                  verbose_name="agreed at the meeting")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["done_on", "due_on", "id"]
        constraints = [models.CheckConstraint(
            name="team_action_has_one_owner",
            violation_error_code="owner",
            violation_error_message="Say who completes it: a member of the team, or the "
                                    "person themselves.",
            condition=(Q(owner__isnull=False) & Q(by_the_person=False))
            | (Q(owner__isnull=True) & Q(by_the_person=True)))]

    def __str__(self) -> str:
        return f"Team action due {self.due_on:%-d %B %Y}"


class TeamActionUpdate(models.Model):
    """Progress on an action, or its review at a meeting."""

    action = models.ForeignKey(TeamAction, on_delete=models.CASCADE, related_name="updates")
    meeting = models.ForeignKey(PlanningMeeting, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                verbose_name="reviewed at the meeting")
    note = models.TextField("progress", max_length=TEXT_MAX_LENGTH)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Progress of {self.at:%-d %B %Y}"


def private_my_plan_name(instance, filename: str) -> str:
    return uploads.private_name("my-plan", filename)


class MyPlan(CaseChild):
    """The person's own plan: what matters to them, their goals and the support that will help
    them, attached; each upload a new version."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="my_plans")
    number = models.PositiveIntegerField("version")
    file = models.FileField(upload_to=private_my_plan_name)
    file_name = models.CharField(max_length=255)
    file_content_type = models.CharField(max_length=100)
    note = models.TextField("what changed", blank=True, max_length=TEXT_MAX_LENGTH)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    audit_sensitive_fields = frozenset({"file"})

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["nominal", "number"],
                                               name="one_my_plan_version_number")]

    def __str__(self) -> str:
        return f"My Plan, version {self.number}"


class PathwayPlanReview(CaseChild):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT,
                                related_name="pathway_plan_reviews")
    reviewed_on = models.DateField("reviewed on")
    reviewed_by = models.ForeignKey(JoinedUpMember, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="the Personal Advisor")
    summary = models.TextField("what changed in the Pathway Plan", max_length=TEXT_MAX_LENGTH)
    team_took_part = models.BooleanField("the joined-up team took part", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Pathway Plan review, {self.reviewed_on:%-d %B %Y}"
