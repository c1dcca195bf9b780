"""The "Due and overdue" page and the user's notifications (namespace `alerts`).

Thin views: the alerts come from selectors.py, already narrowed to the cases the user may
see; a case the user may not see answers 404. Showing alerts marks the user's notifications
of them read.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import ListView

from jmappa import access
from jmappa.accounts.models import Agency, User
from jmappa.core.forms import FilterForm
from jmappa.core.views import AuditedListMixin

from . import inbox, selectors
from .models import Rule

OVERDUE, SOON = "overdue", "soon"


class AlertFilterForm(FilterForm):
    rule = forms.ChoiceField(label="Rule", choices=[("", "Any rule"), *Rule.choices])
    agency = forms.ModelChoiceField(
        label="Lead agency", empty_label="Any agency",
        queryset=Agency.objects.filter(is_active=True).order_by("name"))
    person = forms.ModelChoiceField(
        label="Who must act", empty_label="Anyone",
        queryset=User.objects.filter(is_active=True, agency__isnull=False).order_by(
            "last_name", "first_name", "username"))
    due = forms.ChoiceField(label="Due", choices=[
        ("", "Overdue and due soon"), (OVERDUE, "Overdue"), (SOON, "Due soon")])
    everything = forms.BooleanField(label="Everything I can see")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username}")

    def filters(self) -> dict:
        # A value that is not valid is said beside its field and not applied.
        self.is_valid()
        data = self.cleaned_data
        due = data.get("due")
        return {
            "rule": data.get("rule") or None,
            "agency": data.get("agency"),
            "person": data.get("person"),
            "overdue": True if due == OVERDUE else False if due == SOON else None,
            "mine": not data.get("everything"),
        }


class AlertListView(access.LoginRequiredMixin, AuditedListMixin, ListView):
    """What is due and overdue: by default what the user (or their role) must act on;
    "everything I can see" shows every alert of the cases they may see. With a case
    (`alerts:case`), that case's alerts, for whoever may see the case."""

    template_name = "alerts/alert_list.html"
    context_object_name = "alerts"
    paginate_by = 50

    @cached_property
    def case(self):
        pk = self.kwargs.get("pk")
        return None if pk is None else access.get_nominal_or_404(self.request.user, pk)

    @cached_property
    def filter_form(self) -> AlertFilterForm:
        return AlertFilterForm(self.request.GET)

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_queryset(self):
        filters = self.filter_form.filters()
        if self.case is not None:
            filters["mine"] = False
        return selectors.alerts_for(self.request.user, case=self.case, today=self.today,
                                    **filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        alerts = selectors.shown(context["alerts"], self.today)
        inbox.mark_read(self.request.user, alerts=[alert.pk for alert in alerts])
        query = self.request.GET.copy()
        query.pop("page", None)
        everything = query.copy()
        everything["everything"] = "on"
        mine = query.copy()
        mine.pop("everything", None)
        context.update(
            alerts=alerts, case=self.case, filter_form=self.filter_form, today=self.today,
            query_string=query.urlencode(), everything_query=everything.urlencode(),
            mine_query=mine.urlencode(),
            mine=self.case is None and self.filter_form.filters()["mine"],
        )
        return context


class NotificationListView(access.LoginRequiredMixin, AuditedListMixin, ListView):
    """The user's notifications, newest first; those unread until now highlighted."""

    template_name = "alerts/notifications.html"
    context_object_name = "notifications"
    paginate_by = 50

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        notifications = list(context["notifications"])
        selectors.shown([n.alert for n in notifications if n.alert_id], today)
        inbox.mark_read(self.request.user,
                        notifications=[n.pk for n in notifications if n.read_at is None])
        context.update(notifications=notifications, today=today)
        return context
