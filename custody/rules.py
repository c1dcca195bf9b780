"""Joined-up planning's time rules (seed 003) and the swift recall (§14.7), read by the
deadline sweep (alerts/registry.py), one query each, as rows of subject_id, nominal_id,
due_on, assigned_to_id. Each is about the person's current sentence (the latest recorded)
while the case is active; who acts is the team's lead where the lead uses the service, else
the case manager.

- Planning Meeting 1 "within 10 weeks of sentencing" (or of a recall), until one is held;
- a Review Meeting: at least every three years for a life sentence, every two years for a
  long-term (determinate or extended) sentence and 10 months before its release, at least
  once before release for a short-term sentence or a recall; counted from the last meeting
  of the team held (or the sentence), while the person is in custody or hospital;
- the Final Review Meeting by the sentence's end, until one is held;
- the Personal Advisor's Pathway Plan review every six months;
- a recall requested and not yet decided: at once.
"""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least

from cases.models import CustodyStatus, Status
from jmappa.core.rules import AddMonths, rows

from .models import (
    LEAD_MONTHS,
    LIFE_REVIEW_YEARS,
    LONG_TERM,
    LONG_TERM_REVIEW_YEARS,
    NOT_PLANNED,
    PATHWAY_REVIEW_MONTHS,
    PLANNING_MEETING_1_WITHIN,
    BreachAction,
    PlanningMeetingKind,
    PlanningMeetingStatus,
    SentenceKind,
    TeamRole,
)

# "10 months before release": a Review Meeting held from two months before that date on
# answers it (one held two years before release does not).
PRE_RELEASE_WINDOW_MONTHS = 2
# The meetings of the team after which the review clock starts again.
REVIEWING = (PlanningMeetingKind.SECOND, PlanningMeetingKind.REVIEW,
             PlanningMeetingKind.FINAL)
IN_CUSTODY = (CustodyStatus.CUSTODY, CustodyStatus.HOSPITAL)


def _current_sentences() -> QuerySet:
    """Each active case's latest sentence, with who acts on it."""
    from .models import JoinedUpMember, Sentence

    latest = Sentence.objects.filter(nominal=OuterRef("nominal")).order_by(
        "-sentenced_on", "-id").values("pk")[:1]
    lead = JoinedUpMember.objects.filter(
        nominal=OuterRef("nominal"), role=OuterRef("nominal__joined_up_planning__lead"),
        left_on__isnull=True, user__isnull=False).order_by("joined_on", "id").values("user")[:1]
    return Sentence.objects.filter(pk=Subquery(latest), nominal__status=Status.ACTIVE).annotate(
        acts=Coalesce(Subquery(lead), F("nominal__case_manager_id"),
                      output_field=IntegerField()))


def _held(kinds, since: str = "sentenced_on") -> QuerySet:
    from .models import PlanningMeeting

    return PlanningMeeting.objects.filter(
        nominal=OuterRef("nominal"), kind__in=kinds, status=PlanningMeetingStatus.HELD,
        held_on__gte=OuterRef(since))


def planning_meeting_1_due(day: date, *, horizon: date) -> QuerySet:
    due = ExpressionWrapper(F("sentenced_on") + PLANNING_MEETING_1_WITHIN,
                            output_field=DateField())
    sentences = _current_sentences().exclude(kind__in=NOT_PLANNED).filter(
        nominal__custody_status__in=IN_CUSTODY).annotate(due=Cast(due, DateField())).filter(
        due__lte=horizon).exclude(Exists(_held([PlanningMeetingKind.FIRST])))
    return rows(sentences, due=F("due"), assigned=F("acts"))


def review_meeting_due(day: date, *, horizon: date) -> QuerySet:
    last = _held(REVIEWING).order_by("-held_on").values("held_on")[:1]
    base = Coalesce(Subquery(last), F("sentenced_on"))
    pre_release = AddMonths(F("earliest_release_on"), -LEAD_MONTHS)
    answered = Exists(_held(REVIEWING).filter(held_on__gte=AddMonths(
        OuterRef("earliest_release_on"), -(LEAD_MONTHS + PRE_RELEASE_WINDOW_MONTHS))))
    due = Case(
        When(kind=SentenceKind.LIFE, then=AddMonths(base, 12 * LIFE_REVIEW_YEARS)),
        When(Q(kind__in=LONG_TERM, earliest_release_on__isnull=False) & ~Q(answered=True),
             then=Least(AddMonths(base, 12 * LONG_TERM_REVIEW_YEARS), pre_release)),
        When(kind__in=LONG_TERM, then=AddMonths(base, 12 * LONG_TERM_REVIEW_YEARS)),
        # "At least once": by the release, where none has been held since the sentence.
        When(Q(kind__in=[SentenceKind.SHORT_TERM, SentenceKind.RECALL])
             & ~Q(reviewed=True), then=F("earliest_release_on")),
        default=None, output_field=DateField())
    sentences = _current_sentences().filter(nominal__custody_status__in=IN_CUSTODY).annotate(
        answered=answered, reviewed=Exists(_held(REVIEWING)), due=due).filter(
        due__isnull=False, due__lte=horizon)
    return rows(sentences, due=F("due"), assigned=F("acts"))


def final_review_due(day: date, *, horizon: date) -> QuerySet:
    sentences = _current_sentences().exclude(kind__in=NOT_PLANNED).filter(
        sentence_end_on__isnull=False, sentence_end_on__lte=horizon).exclude(
        Exists(_held([PlanningMeetingKind.FINAL])))
    return rows(sentences, due=F("sentence_end_on"), assigned=F("acts"))


def pathway_plan_review_due(day: date, *, horizon: date) -> QuerySet:
    from .models import JoinedUpMember, PathwayPlanReview

    last = PathwayPlanReview.objects.filter(
        nominal=OuterRef("nominal"), reviewed_on__gte=OuterRef("joined_on")).order_by(
        "-reviewed_on").values("reviewed_on")[:1]
    advisors = JoinedUpMember.objects.filter(
        role=TeamRole.PERSONAL_ADVISOR, left_on__isnull=True,
        nominal__status=Status.ACTIVE).annotate(
        due=AddMonths(Coalesce(Subquery(last), F("joined_on")), PATHWAY_REVIEW_MONTHS)).filter(
        due__lte=horizon)
    return rows(advisors, due=F("due"),
                assigned=Coalesce(F("user_id"), F("nominal__case_manager_id"),
                                     output_field=IntegerField()))


def recall_decision_due(day: date, *, horizon: date) -> QuerySet:
    from .models import Breach, Recall

    waiting = Breach.objects.filter(
        action=BreachAction.RECALL_REQUESTED, nominal__status=Status.ACTIVE,
        action_on__lte=horizon).exclude(Exists(Recall.objects.filter(breach=OuterRef("pk"))))
    return rows(waiting, due=F("action_on"), assigned=F("nominal__case_manager_id"))


# What the case's Custody section says is due, from the same rules as the alerts.
DUE_ON_THE_PAGE = (
    (planning_meeting_1_due, "Joined-up Planning Meeting 1"),
    (review_meeting_due, "A Joined-up Review Meeting"),
    (final_review_due, "The Final Review Meeting"),
    (pathway_plan_review_due, "The Pathway Plan review"),
    (recall_decision_due, "The recall decision"),
)


def due_for_case(nominal_id: int, day: date) -> list[tuple[str, date]]:
    """(what, due on) of every clock of this case, however far ahead: one query a rule."""
    far = date(day.year + 50, 1, 1)
    return [(label, row["due_on"]) for rule, label in DUE_ON_THE_PAGE
            for row in rule(day, horizon=far).filter(nominal_id=nominal_id)]
