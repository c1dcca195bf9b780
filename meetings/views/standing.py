"""The Administrator's standing membership (§10.7): each agency's seat at level 2 and 3
meetings, the seniority it needs, and the standing member invited to every meeting."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView, View

from cases.models import Level
from jmappa.accounts.models import Agency, User
from jmappa.core.forms import add_service_errors

from .. import selectors
from ..forms.arranging import SeatForm
from ..models import PanelLevel, StandingMembership
from ..services import standing
from .base import ManagerPageMixin, _form_errors


class StandingMixin(ManagerPageMixin):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["level"] not in PanelLevel.values:
            raise Http404
        self.level = kwargs["level"]
        return super().dispatch(request, *args, **kwargs)


class StandingView(StandingMixin, TemplateView):
    """The standing membership of one level (§10.7): each agency's seat, the seniority it
    needs, the lowest grade that meets it, and the standing member invited to every
    meeting of the level."""

    template_name = "meetings/standing.html"

    def forms(self, data=None) -> list[SeatForm]:
        seats = selectors.standing_seats(self.level)
        agencies = Agency.objects.filter(Q(is_active=True) | Q(pk__in=seats.keys()))
        people: dict[int, list] = {}
        for user in User.objects.filter(is_active=True, agency__isnull=False).order_by(
                "last_name", "first_name", "username"):
            people.setdefault(user.agency_id, []).append(user)
        return [SeatForm(data, agency=agency, level=self.level, seat=seats.get(agency.pk),
                         people=people.get(agency.pk, []))
                for agency in agencies.order_by("name")]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(forms=self.forms()))

    def post(self, request, *args, **kwargs):
        forms = self.forms(request.POST)
        if all([form.is_valid() for form in forms]):
            changes = [(form, form.changes()) for form in forms]
            changes = [(form, wanted) for form, wanted in changes if wanted is not None]
            try:
                changed = standing.standing_memberships_save(
                    level=self.level, actor=request.user,
                    seats=[(form.agency, wanted) for form, wanted in changes])
            except standing.SeatRefused as refused:
                add_service_errors(changes[refused.index][0], refused)
            else:
                messages.success(request, f"Level {self.level} standing membership saved "
                                          f"({changed} seat{'s' if changed != 1 else ''} "
                                          "changed).")
                return redirect("meetings:standing", level=self.level)
        return self.render_to_response(self.get_context_data(forms=forms))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = kwargs["forms"]
        context.update(
            level=self.level, other_level=Level.THREE if self.level == Level.TWO else Level.TWO,
            title=f"Standing membership of level {self.level} meetings",
            form_errors=[(f, e) for f in forms for e in _form_errors(f)],
            defaults=[(agency, seniority, grade)
                      for agency, seniority, grade in standing.default_seats(self.level)],
            has_seats=StandingMembership.objects.filter(level=self.level).exists())
        return context


class StandingFillView(StandingMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        created = standing.standing_membership_fill(level=self.level, actor=request.user)
        if created:
            messages.success(request, "Filled in from the Guidance (§10.7): " + ", ".join(
                f"{seat.agency}, {seat.seniority}" for seat in created)
                + ". Check each seat and name its standing member.")
        else:
            messages.info(request, "Every agency the Guidance names already has a seat at "
                                   "this level: nothing was changed.")
        return redirect("meetings:standing", level=self.level)
