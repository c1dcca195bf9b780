"""The Risk Management Plan's pages: the plan of a case, an action and its progress log,
adding and changing actions, carrying those that cannot be delivered to a meeting (§8.3),
level 1 reviews (§9.2), home visits (§14.9), and "My actions", where owners log progress.

Thin views: access from jmappa/access.py (a case the user may not see answers 404, and so
does anything under it; a case they see but a change they may not make answers 403),
reads from plans/selectors.py, writes through plans/services.py. Every page about
a case writes one audit event when read; every write its own (the services do it).
"""

from .case import CasePlanView
from .mine import MyActionsView, ProgressRowView
from .plan import (
    ActionAddView,
    ActionDetailView,
    ActionEditView,
    CarryForwardView,
    PlanView,
)
from .reviews import Level1ReviewAddView, Level1ReviewListView
from .visits import HomeVisitAddView, HomeVisitListView, HomeVisitScheduleView

__all__ = [
    "ActionAddView", "ActionDetailView", "ActionEditView", "CarryForwardView", "CasePlanView",
    "HomeVisitAddView", "HomeVisitListView", "HomeVisitScheduleView", "Level1ReviewAddView",
    "Level1ReviewListView",
    "MyActionsView", "PlanView", "ProgressRowView",
]
