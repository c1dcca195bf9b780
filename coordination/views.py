"""The pages of coordinated services plans (seed 002): the case's Services plan section and
the forms of its plan, services, endorsement, service updates, oversight notices and sharing
log (read by whoever reads the case, 404 outside it); the panel with its members and
meetings, the provider catalogue and the systemic-issues log (its members and those who
manage it)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from cases.views.base import CaseRecordFormView, CaseSectionMixin, CaseWorkFormView
from jmappa import access
from jmappa.audit.services import audit_list
from jmappa.core import dates
from jmappa.core.views import ServiceFormView

from . import selectors, services
from .forms import (
    ConfirmForm,
    EndorseForm,
    IssueForm,
    IssueUpdateForm,
    NoticeForm,
    NoticeResponseForm,
    PanelMeetingForm,
    PanelMemberForm,
    PlanForm,
    ProviderForm,
    ServiceForm,
    SharingForm,
    UpdateAnswerForm,
    UpdateRequestForm,
)
from .models import PanelMeeting, Provider, ServicesPlan, SystemicIssue

PANEL_FORM = "kpi/board_form.html"



class CasePlanView(CaseSectionMixin, access.NominalAccessMixin, TemplateView):
    template_name = "coordination/case_plan.html"
    section = "services"

    def get_context_data(self, **kwargs):
        user, nominal = self.request.user, self.nominal
        plans = selectors.case_plans(user, nominal)
        if plans:
            audit_list(actor=user, model=ServicesPlan, ids=[p.pk for p in plans],
                       detail=self.request.get_full_path())
        return super().get_context_data(
            title="Coordinated services plan", plans=plans, today=dates.today(),
            can_keep=access.can_keep_services_plan(user, nominal),
            can_endorse=access.can_endorse_services_plan(user), **kwargs)


class CaseFormView(CaseWorkFormView):
    access_check = access.can_keep_services_plan
    section_url = "coordination:case"


class RecordFormView(CaseRecordFormView):
    """A form about one record of a case's plan, for those who keep it; back to the case."""

    access_check = access.can_keep_services_plan_record
    section_url = "coordination:case"

    def nominal_of(self, obj):
        return obj.plan.nominal if hasattr(obj, "plan") else obj.nominal


class PlanAddView(CaseFormView):
    form_class = PlanForm
    title = "Start a coordinated services plan"
    intro = ("The services made available to a person on a supervision order or an interim "
             "supervision order, each addressing a risk factor of re-offending; endorsed by "
             "the multi-agency panel, which commits its member agencies to deliver them.")
    submit_label = "Start the plan"

    def save(self, form) -> str:
        services.plan_create(nominal=self.nominal, actor=self.request.user,
                             **form.cleaned_data)
        return "The plan is started: add its services."


class ServiceAddView(RecordFormView):
    selector = selectors.plans_visible
    object_name = "plan"
    form_class = ServiceForm
    title = "Add a service to the plan"
    submit_label = "Add the service"

    def get_initial(self):
        return {}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        services.service_add(plan=self.plan, actor=self.request.user, **data)
        return "The service is added."


class ServiceEditView(RecordFormView):
    selector = selectors.services_visible
    object_name = "service"
    form_class = ServiceForm
    title = "A service of the plan"
    submit_label = "Save"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.service}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        data.pop("provider", None)
        services.service_update(service=self.service, actor=self.request.user,
                                version=data.pop("version", None), **data)
        return "Saved."


class EndorseView(RecordFormView):
    selector = selectors.plans_visible
    object_name = "plan"
    access_check = access.for_any(access.can_endorse_services_plan)
    form_class = EndorseForm
    title = "The panel endorsed the plan"
    intro = ("Endorsement commits each member agency, and its funded services, to deliver the "
             "services of the plan as they stand today.")
    submit_label = "Record the endorsement"

    def get_initial(self):
        return {}

    def save(self, form) -> str:
        endorsement = services.plan_endorse(plan=self.plan, actor=self.request.user,
                                            **form.cleaned_data)
        return f"Endorsed at the panel of {endorsement.endorsed_on:%-d %B %Y}."


class UpdateRequestView(RecordFormView):
    selector = selectors.plans_visible
    object_name = "plan"
    form_class = UpdateRequestForm
    title = "Ask a provider for a service update"
    intro = ("Before the panel: the service delivered over the previous six months and the "
             "service and treatment goals over the coming six, at the plan's conference or in "
             "writing.")
    submit_label = "Record the request"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_initial(self):
        return {"requested_on": dates.today()}

    def save(self, form) -> str:
        services.update_request(plan=self.plan, actor=self.request.user, **form.cleaned_data)
        return "The request is recorded."


class UpdateAnswerView(RecordFormView):
    selector = selectors.updates_visible
    object_name = "update"
    form_class = UpdateAnswerForm
    title = "The provider's service update"
    submit_label = "Record the answer"

    def get_initial(self):
        return {"version": self.update.version, "answered_on": dates.today()}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        services.update_answer(request=self.update, actor=self.request.user,
                               version=data.pop("version", None), **data)
        return "The answer is recorded."


class NoticeAddView(RecordFormView):
    selector = selectors.plans_visible
    object_name = "plan"
    form_class = NoticeForm
    title = "Record a notice from the oversight body"
    submit_label = "Record the notice"

    def get_initial(self):
        return {"received_on": dates.today()}

    def save(self, form) -> str:
        services.notice_record(plan=self.plan, actor=self.request.user, **form.cleaned_data)
        return "The notice is recorded."


class NoticeRespondView(RecordFormView):
    selector = selectors.notices_visible
    object_name = "notice"
    form_class = NoticeResponseForm
    title = "Respond to the oversight body's notice"
    submit_label = "Record the response"

    def get_initial(self):
        return {"version": self.notice.version, "responded_on": dates.today()}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        services.notice_respond(notice=self.notice, actor=self.request.user,
                                version=data.pop("version", None), **data)
        return "The response is recorded."


class SharingAddView(RecordFormView):
    selector = selectors.plans_visible
    object_name = "plan"
    form_class = SharingForm
    title = "Record information shared"
    intro = ("A plan's information is used or disclosed only for the purposes the law lists: "
             "each sharing records its purpose.")
    submit_label = "Record the sharing"

    def get_initial(self):
        return {"shared_on": dates.today()}

    def save(self, form) -> str:
        services.sharing_record(plan=self.plan, actor=self.request.user, **form.cleaned_data)
        return "The sharing is recorded."


# -- the panel -------------------------------------------------------------------------------------


class PanelView(access.RoleRequiredMixin, TemplateView):
    access_check = access.can_view_panel
    template_name = "coordination/panel.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members=list(selectors.current_members()),
            meetings=list(selectors.panel_meetings()[:24]), today=dates.today(),
            issues=list(selectors.systemic_issues()),
            providers=list(Provider.objects.select_related("agency")),
            can_manage=access.can_manage_panel(self.request.user), **kwargs)


class PanelFormView(access.RoleRequiredMixin, ServiceFormView):
    access_check = access.can_manage_panel
    template_name = PANEL_FORM

    def get_success_url(self) -> str:
        return reverse("coordination:panel")

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.get_success_url(), **kwargs)


class PanelMemberAddView(PanelFormView):
    form_class = PanelMemberForm
    title = "Appoint a member of the panel"
    intro = ("The panel brings together executive delegates of the member agencies; one of "
             "them chairs it.")
    submit_label = "Appoint"

    def save(self, form) -> str:
        services.panel_member_appoint(actor=self.request.user, **form.cleaned_data)
        return "Appointed."


class PanelMeetingAddView(PanelFormView):
    form_class = PanelMeetingForm
    title = "Arrange a panel meeting"
    submit_label = "Arrange it"

    def save(self, form) -> str:
        services.panel_meeting_arrange(actor=self.request.user, **form.cleaned_data)
        return "The panel meeting is arranged."


class PanelMeetingHeldView(PanelFormView):
    form_class = ConfirmForm
    title = "The panel met"
    submit_label = "Record it held"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(PanelMeeting, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=f"The panel of {self.meeting.date:%-d %B %Y} was held.", **kwargs)

    def save(self, form) -> str:
        services.panel_meeting_held(meeting=self.meeting, actor=self.request.user)
        return "The panel meeting is recorded as held."


class ProviderAddView(PanelFormView):
    form_class = ProviderForm
    title = "Add a provider to the catalogue"
    submit_label = "Add the provider"

    def save(self, form) -> str:
        services.provider_save(actor=self.request.user, **form.cleaned_data)
        return "The provider is in the catalogue."


class ProviderEditView(PanelFormView):
    form_class = ProviderForm
    title = "A provider of the catalogue"

    def dispatch(self, request, *args, **kwargs):
        self.provider = get_object_or_404(Provider, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.provider}

    def save(self, form) -> str:
        services.provider_save(actor=self.request.user, provider=self.provider,
                               **form.cleaned_data)
        return "Saved."


class IssueAddView(PanelFormView):
    access_check = access.can_view_panel
    form_class = IssueForm
    title = "Log a systemic issue"
    intro = "A problem in the provision of services across cases, for the panel to resolve."
    submit_label = "Log the issue"

    def get_initial(self):
        return {"raised_on": dates.today()}

    def save(self, form) -> str:
        services.issue_raise(actor=self.request.user, **form.cleaned_data)
        return "The issue is logged."


class IssueEditView(PanelFormView):
    access_check = access.can_view_panel
    form_class = IssueUpdateForm
    title = "A systemic issue"
    submit_label = "Save"

    def dispatch(self, request, *args, **kwargs):
        self.issue = get_object_or_404(SystemicIssue, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"steps": self.issue.steps, "resolved_on": self.issue.resolved_on,
                "version": self.issue.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=self.issue.issue, **kwargs)

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        services.issue_update(issue=self.issue, actor=self.request.user,
                              version=data.pop("version", None), **data)
        return "Saved."
