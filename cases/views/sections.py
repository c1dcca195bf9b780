"""The case page, one section at a time under its sub-navigation (cases.sections): the
Summary (the record), Risk, Team and History here; Meetings and Plan are drawn by their own
apps. Each section reads the case with only what it shows (selectors.nominal_page), in a
fixed number of queries. Outside the case (or excluded from it) the case does not exist: 404.
"""

from __future__ import annotations

from django.utils import timezone
from django.views.generic import DetailView

from jmappa import access
from jmappa.accounts.models import Role
from jmappa.audit import wording
from jmappa.audit.selectors import audit_events

from .. import decisions, selectors
from ..models import Category, TeamRole
from ..rules import IDENTIFICATION_DAYS
from ..sections import CaseSection, register
from .base import CaseSectionMixin

CASE_HISTORY_LENGTH = 50
TEAM_ROLE_ORDER = [TeamRole.CASE_MANAGER, TeamRole.VISOR_MANAGER, TeamRole.AGENCY_CONTACT,
                   TeamRole.MEETING_INVITEE, TeamRole.ACTION_OWNER]


def register_sections() -> None:
    """The register's own sections (the other apps add theirs from their AppConfig)."""
    register(CaseSection("summary", "Summary", "cases:detail", order=10))
    register(CaseSection("risk", "Risk", "cases:risk", order=20))
    register(CaseSection("team", "Team", "cases:team", order=30))
    register(CaseSection("history", "History", "cases:history", order=90))


class CaseSectionView(access.NominalAccessMixin, CaseSectionMixin, DetailView):
    """One section of the case page, on cases/case_base.html."""

    url_kwarg = "pk"
    context_object_name = "nominal"

    def visible(self, user):
        return selectors.nominal_page(user, self.section)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nominal, user = self.object, self.request.user
        can_change = access.can_change_nominal(user, nominal)
        can_manage_access = access.can_manage_case_access(user)
        context.update(
            today=timezone.localdate(),
            can_change=can_change,
            can_archive=can_change and access.can_archive(user),
            can_manage_access=can_manage_access,
            sees_restriction_reason=can_manage_access,
        )
        return context


class SummaryView(CaseSectionView):
    """The record: who the offender is, where they live, their sentence and dates, what is
    due, what is shared with them."""

    section = "summary"
    template_name = "cases/section_summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nominal, user = self.object, self.request.user
        context.update(
            latest_rosh=nominal.rosh_history.order_by("-assessed_on", "-id").first(),
            can_view_victims=access.can_view_victims(user, nominal),
            is_category_3=nominal.category == Category.THREE,
            identification=self._identification(nominal),
            withholding=decisions.where_decided(decisions.WITHHOLDING, nominal),
        )
        return context

    @staticmethod
    def _identification(nominal) -> dict | None:
        """How many days after sentence the case was identified (§3.3: within 3 days)."""
        if not (nominal.sentence_date and nominal.identified_on):
            return None
        days = (nominal.identified_on - nominal.sentence_date).days
        return {"days": days, "late": days > IDENTIFICATION_DAYS.days,
                "limit": IDENTIFICATION_DAYS.days}


class RiskView(CaseSectionView):
    """Risk of serious harm by who is at risk (§9.1), the risk assessments (§6) and the
    management level's history."""

    section = "risk"
    template_name = "cases/section_risk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rosh_history = list(self.object.rosh_history.all())
        context.update(latest_rosh=rosh_history[0] if rosh_history else None,
                       rosh_history=rosh_history)
        return context


class TeamView(CaseSectionView):
    """Who sees the case: its team, now and before, and the agencies involved."""

    section = "team"
    template_name = "cases/section_team.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = context["today"]
        team = sorted(self.object.team.all(),
                      key=lambda m: (TEAM_ROLE_ORDER.index(m.role)
                                     if m.role in TEAM_ROLE_ORDER else 99,
                                     -m.date_from.toordinal()))
        context.update(
            team_current=[m for m in team if m.date_to is None or m.date_to > today],
            team_past=[m for m in team if m.date_to is not None and m.date_to <= today],
        )
        return context


class HistoryView(CaseSectionView):
    """What happened to the case: archive and re-activation (§13.3), the deviations from the
    Guidance (§1.1), and, for those who manage it, who changed what, in words."""

    section = "history"
    template_name = "cases/section_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nominal, user = self.object, self.request.user
        # Who read or changed this case is itself sensitive: shown to those who manage it.
        if context["can_change"] or access.has_role(user, Role.COORDINATOR):
            context["history"] = self._history(
                nominal, user, victims=access.can_view_victims(user, nominal),
                access_decisions=context["can_manage_access"])
        return context

    @staticmethod
    def _history(nominal, user, *, victims: bool, access_decisions: bool) -> list:
        """The case's latest changes in words (jmappa/audit/wording.py), without what the
        viewer may not see through them: victim records without the victim permission, and
        the Co-ordinator's exclusions and restriction reasons for anyone else. Reads are in
        the audit trail."""
        hidden_types, hidden_fields = set(), set()
        if not victims:
            hidden_types.add("cases.victim")
        if not access_decisions:
            hidden_types |= {"cases.exclusion", "cases.namedaccess"}
            hidden_fields.add("restricted_reason")
        events = (audit_events(user=user, filters={"case": nominal.pk})
                  .exclude(object_type__in=hidden_types)
                  .exclude(action__in=wording.READS)
                  .select_related("actor")[:CASE_HISTORY_LENGTH])
        return wording.describe(events, hidden_fields=hidden_fields)
