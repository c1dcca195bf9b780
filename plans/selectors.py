"""Reads of the Risk Management Plan, level 1 reviews and home visits, shared by the pages,
the API and the deadline rules: already restricted by access.py (the case's rule)."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from cases.models import Category, Level, LevelChange, Nominal
from jmappa import access
from jmappa.core import dates

from . import rules
from .models import (
    OPEN_ACTION_STATUSES,
    ActionProgress,
    ActionStatus,
    HomeVisit,
    Level1Review,
    PlanAction,
)

# The plan's groups, in the order the plan page shows them.
STATUS_ORDER = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.CANNOT_DELIVER,
                ActionStatus.DONE]



def _current_first():
    return Case(*[When(status=status, then=Value(rank))
                  for rank, status in enumerate(STATUS_ORDER)],
                default=Value(9), output_field=IntegerField())


def _overdue(today: date):
    return ExpressionWrapper(Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=today),
                             output_field=BooleanField())


def actions_for(user) -> QuerySet[PlanAction]:
    return PlanAction.objects.visible_to(user)


def plan_of(user, nominal: Nominal) -> QuerySet[PlanAction]:
    """The case's actions, current first (open and in progress by completion date, then those
    that cannot be delivered, then done), each with its progress, the meeting that agreed it,
    and what it was carried from or to."""
    return (
        actions_for(user).filter(nominal=nominal)
        .select_related("owner_agency", "owner", "meeting", "carried_from__meeting")
        .prefetch_related(
            Prefetch("progress", queryset=ActionProgress.objects.select_related("recorded_by")),
            Prefetch("carried_to", queryset=PlanAction.objects.select_related("meeting")),
        )
        .annotate(rank=_current_first(), is_overdue=_overdue(dates.today()))
        .order_by("rank", "due_date", "id")
    )


def action_page(user, nominal: Nominal) -> QuerySet[PlanAction]:
    """One action with what its page shows."""
    return plan_of(user, nominal).select_related("nominal", "created_by")


def filtered_actions(user, *, case=None, owner_agency=None, owner=None, status=None,
                overdue=None):
    """The actions of the cases `user` sees, by completion date, filtered."""
    actions = actions_for(user)
    if case is not None:
        actions = actions.filter(nominal=case)
    if owner_agency is not None:
        actions = actions.filter(owner_agency=owner_agency)
    if owner is not None:
        actions = actions.filter(owner_id=getattr(owner, "pk", owner))
    if status:
        actions = actions.filter(status=status)
    late = Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=dates.today())
    if overdue is True:
        actions = actions.filter(late)
    elif overdue is False:
        actions = actions.exclude(late)
    return actions.order_by("due_date", "id")


def my_actions(user, *, filters: dict | None = None) -> QuerySet[PlanAction]:
    """The open actions `user` owns, or their agency owns, across the cases they may see:
    overdue first (the earliest completion date first), each with its latest progress.

    `filters`: `case` (a nominal or its pk), `status` (open or in progress), `overdue`
    (True: only overdue ones), `whose` ("me": named on it; "agency": the agency's)."""
    filters = filters or {}
    today = dates.today()
    mine = Q(owner=user)
    if user.agency_id is not None:
        mine |= Q(owner_agency_id=user.agency_id)
    actions = actions_for(user).filter(mine, status__in=OPEN_ACTION_STATUSES)
    if filters.get("whose") == "me":
        actions = actions.filter(owner=user)
    elif filters.get("whose") == "agency" and user.agency_id is not None:
        actions = actions.filter(owner_agency_id=user.agency_id)
    if filters.get("case"):
        case = filters["case"]
        actions = actions.filter(nominal_id=getattr(case, "pk", case))
    if filters.get("status") in OPEN_ACTION_STATUSES:
        actions = actions.filter(status=filters["status"])
    if filters.get("overdue"):
        actions = actions.filter(due_date__lt=today)
    latest = ActionProgress.objects.filter(action=OuterRef("pk")).order_by("-on", "-id")
    return (
        actions.select_related("nominal", "owner_agency", "owner")
        .annotate(is_overdue=_overdue(today),
                  last_progress_on=Subquery(latest.values("on")[:1]),
                  last_progress_note=Subquery(latest.values("note")[:1]))
        .order_by("due_date", "nominal_id", "id")
    )


def my_actions_panel(user, *, shown: int = 5) -> dict:
    """The home page's view of "My actions": how many are open and overdue, and the first
    few (overdue first)."""
    actions = my_actions(user)
    counts = actions.aggregate(open=Count("id"),
                               overdue=Count("id", filter=Q(due_date__lt=dates.today())))
    return {**counts, "actions": list(actions[:shown]) if counts["open"] else []}


def my_action(user, pk) -> PlanAction:
    """One action as a row of "My actions" (whether or not it is still open); raises
    PlanAction.DoesNotExist outside the user's cases."""
    latest = ActionProgress.objects.filter(action=OuterRef("pk")).order_by("-on", "-id")
    return (
        actions_for(user).select_related("nominal", "owner_agency", "owner")
        .annotate(is_overdue=_overdue(dates.today()),
                  last_progress_on=Subquery(latest.values("on")[:1]),
                  last_progress_note=Subquery(latest.values("note")[:1]))
        .get(pk=pk)
    )


def meeting_actions(meeting) -> QuerySet[PlanAction]:
    """The case's plan as it stands for this meeting: the actions still open or in
    progress, and every action agreed at this meeting (what its minutes show and keep;
    meetings/plan_source.py)."""
    return (PlanAction.objects
            .filter(nominal_id=meeting.nominal_id)
            .filter(Q(status__in=OPEN_ACTION_STATUSES) | Q(meeting=meeting))
            .select_related("owner_agency", "owner")
            .order_by("due_date", "id"))


def overdue_actions(day: date) -> QuerySet[PlanAction]:
    """Every action still to be done whose completion date has passed on `day`, whatever
    the case: for the deadline sweep, which tells each owner."""
    return (PlanAction.objects.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=day)
            .select_related("nominal", "owner_agency", "owner").order_by("due_date", "id"))


def my_action_cases(user) -> QuerySet[Nominal]:
    """The cases of the user's open actions, for the filter of "My actions"."""
    return Nominal.objects.filter(
        pk__in=my_actions(user).values("nominal_id")).order_by("family_name", "given_names")


def _carried():
    return Exists(PlanAction.objects.filter(carried_from=OuterRef("pk")))


def actions_to_carry(nominal: Nominal) -> QuerySet[PlanAction]:
    """The case's actions that cannot be delivered and are not yet carried to a meeting
    (§8.3)."""
    return (PlanAction.objects.filter(nominal=nominal, status=ActionStatus.CANNOT_DELIVER)
            .exclude(_carried())
            .select_related("owner_agency", "owner", "meeting").order_by("due_date", "id"))


def plan_summary(user, nominal: Nominal, *, next_few: int = 3) -> dict:
    """The case page's view of the plan: how many actions are open and overdue, the few due
    next, and whether the plan has the victim-protection and contingency actions §7.2 asks."""
    from .models import ActionType

    today = dates.today()
    actions = actions_for(user).filter(nominal=nominal)
    open_ = Q(status__in=OPEN_ACTION_STATUSES)
    counts = actions.annotate(carried=_carried()).aggregate(
        total=Count("id"),
        open=Count("id", filter=open_),
        overdue=Count("id", filter=open_ & Q(due_date__lt=today)),
        to_carry=Count("id", filter=Q(status=ActionStatus.CANNOT_DELIVER, carried=False)),
        victim=Count("id", filter=Q(action_type=ActionType.VICTIM_PROTECTION)
                     & ~Q(status=ActionStatus.CANNOT_DELIVER)),
        contingency=Count("id", filter=Q(action_type=ActionType.CONTINGENCY)
                          & ~Q(status=ActionStatus.CANNOT_DELIVER)),
    )
    due_next = list(
        actions.filter(open_).select_related("owner_agency", "owner")
        .annotate(is_overdue=_overdue(today)).order_by("due_date", "id")[:next_few]
    ) if counts["open"] else []
    return {**counts, "due_next": due_next}


# -- home visits and level 1 reviews -----------------------------------------------------------


def _registered_on(nominal: Nominal) -> date:
    return timezone.localtime(nominal.created_at).date()


def last_home_visit(nominal: Nominal) -> date | None:
    return HomeVisit.objects.filter(nominal=nominal).aggregate(last=Max("visited_on"))["last"]


def next_home_visit_due(nominal: Nominal, *, last_visit: date | None = None) -> date | None:
    """When the next visit to a Registered Sex Offender's home is due, by the overall risk
    the case is managed at (§14.9); from the last visit, or from the day the case came on
    the register when none is recorded. None for other cases, or without an overall risk."""
    if nominal.category != Category.ONE or not nominal.rosh:
        return None
    last = last_visit or last_home_visit(nominal) or _registered_on(nominal)
    return rules.home_visit_due(last, nominal.rosh)


def level1_review_basis(nominal: Nominal) -> date | None:
    """What the next level 1 review counts from: the last level 1 review, the last level 1
    meeting held, or the day the case was set at level 1, whichever is latest (one query)."""
    from meetings.models import Meeting, MeetingKind, MeetingStatus

    if nominal.level != Level.ONE:
        return None

    def latest(queryset, field):
        return Subquery(queryset.filter(nominal=OuterRef("pk")).order_by()
                        .values("nominal").annotate(last=Max(field)).values("last")[:1])

    found = Nominal.objects.filter(pk=nominal.pk).annotate(
        reviewed=latest(Level1Review.objects.all(), "reviewed_on"),
        met=latest(Meeting.objects.filter(kind=MeetingKind.LEVEL_1, starts_at__lte=timezone.now())
                   .exclude(status=MeetingStatus.CANCELLED), "starts_at"),
        set_on=latest(LevelChange.objects.filter(level=Level.ONE, date_to__isnull=True),
                      "date_from"),
    ).values("reviewed", "met", "set_on").first() or {}
    met = found.get("met")
    dates = [d for d in (found.get("reviewed"), met and timezone.localtime(met).date(),
                         found.get("set_on")) if d]
    return max(dates) if dates else _registered_on(nominal)


def next_level1_review_due(nominal: Nominal) -> date | None:
    """The latest date of the next level 1 review (§9.2), or None for a case not at level 1."""
    basis = level1_review_basis(nominal)
    return rules.level1_review_due(basis) if basis else None


def level1_reviews_of(user, nominal: Nominal) -> QuerySet[Level1Review]:
    return (Level1Review.objects.visible_to(user).filter(nominal=nominal)
            .select_related("recorded_by"))


def home_visits_of(user, nominal: Nominal) -> QuerySet[HomeVisit]:
    return HomeVisit.objects.visible_to(user).filter(nominal=nominal).select_related(
        "recorded_by")


def home_visit_schedule(user, *, today: date, due: str = "", mine: bool = True
                        ) -> QuerySet[Nominal]:
    """The home-visit schedule across the user's caseload (§14.9): the Registered Sex
    Offenders they may see, each with `last_visit` and `due`, the most overdue first.

    `due`: "" overdue or due within a month, "overdue" overdue only, "all" every one on the
    schedule; `mine`: only the cases where the user is the ViSOR manager or case manager.
    One query for the page whatever the number of cases.
    """
    nominals = rules.with_home_visit_due(access.restrict_nominals(Nominal.objects.all(), user))
    if mine:
        nominals = nominals.filter(Q(visor_manager=user) | Q(case_manager=user))
    if due == "overdue":
        nominals = nominals.filter(due__lt=today)
    elif due != "all":
        nominals = nominals.filter(due__lte=rules.add_months(today, 1))
    return nominals.select_related("visor_manager", "case_manager", "lead_agency").order_by(
        "due", "id")
