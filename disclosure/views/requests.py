"""The register of requests for minutes (§5.5), each request's steps, and the Minutes
Executive Summary (§5.6): drafted, edited and finalised by the Chair, issued, printed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log
from jmappa.core.forms import add_service_errors
from jmappa.core.pdf import pdf_response
from jmappa.core.versioning import StaleEdit
from jmappa.core.views import AuditedListMixin

from .. import selectors
from ..filters import MinutesRequestFilter, overdue_ids
from ..forms import (
    ClarifyForm,
    CorrespondenceForm,
    DeclineForm,
    IssueForm,
    MinutesRequestForm,
    RedirectForm,
    SummaryForm,
)
from ..models import SUMMARY_FIELDS, MinutesRequest, RequestOutcome, SummaryStatus
from ..pdf import render_summary_pdf
from ..services import requests, summaries
from .base import RecordFormView

PAGE_SIZE = 25


def request_url(minutes_request) -> str:
    return reverse("disclosure:request", args=[minutes_request.pk])


class RegisterView(AuditedListMixin, access.RoleRequiredMixin, TemplateView):
    """The register: every request for the Co-ordinator; the requests a Chair was referred
    or a practitioner received, for them."""

    access_check = access.sees_alerts
    template_name = "disclosure/register.html"
    listed_model = MinutesRequest

    def listed(self, context):
        return context["page_obj"].object_list

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        filtered = MinutesRequestFilter(
            self.request.GET, queryset=selectors.minutes_requests_visible(self.request.user))
        page = Paginator(filtered.qs.order_by("-received_on", "-id"), PAGE_SIZE).get_page(
            self.request.GET.get("page"))
        page.object_list = list(page.object_list)
        overdue = overdue_ids(timezone.localdate())
        for item in page.object_list:
            item.is_overdue = item.pk in overdue
        return super().get_context_data(title="Requests for minutes", filter=filtered,
                                        page_obj=page, **kwargs)


class RequestLogView(access.NominalAccessMixin, RecordFormView):
    access_check = access.can_log_minutes_request
    denied_status = 403
    form_class = MinutesRequestForm
    title = "Log a request for minutes"
    intro = ("Whoever receives a request for JMAPP minutes refers it to the Chair and tells "
             "the Co-ordinator (§5.5): logging it here does both. A full copy of the minutes "
             "is never provided.")
    submit_label = "Log the request"

    def back_url(self) -> str:
        return reverse("cases:detail", args=[self.nominal.pk])

    def save(self, form) -> str:
        self.saved = requests.minutes_request_log(nominal=self.nominal,
                                                  actor=self.request.user,
                                                  **form.cleaned_data)
        return "The request is logged; the Co-ordinator and the Chair are told."

    def get_success_url(self) -> str:
        return request_url(self.saved)


class RequestAccessMixin(access.ObjectAccessMixin):
    selector = selectors.minutes_requests_visible
    object_name = "minutes_request"

    def audit_case_id(self, obj):
        return obj.nominal_id


class RequestDetailView(RequestAccessMixin, TemplateView):
    template_name = "disclosure/request.html"

    def get_context_data(self, **kwargs):
        item = self.minutes_request
        summary = getattr(item, "summary", None) if hasattr(item, "summary") else None
        user = self.request.user
        return super().get_context_data(
            minutes_request=item, nominal=item.nominal, title="Request for minutes",
            summary=summary,
            correspondence=list(item.correspondence.all()),
            can_manage=access.can_manage_minutes_request(user, item),
            is_open=item.outcome == RequestOutcome.OPEN,
            can_write=summary is not None and access.can_write_summary(user, summary),
            **kwargs)


class RequestFormView(RequestAccessMixin, RecordFormView):
    access_check = access.can_manage_minutes_request
    denied_status = 403

    def blocked(self) -> str:
        if self.minutes_request.outcome != RequestOutcome.OPEN:
            return requests.CLOSED_MESSAGE
        return ""

    def back_url(self) -> str:
        return request_url(self.minutes_request)


class ClarifyView(RequestFormView):
    form_class = ClarifyForm
    title = "Clarify the request"
    intro = ("Ask exactly what information is sought, in writing. Often it is an agency's own "
             "information (a risk assessment, adjudications, a mental health assessment), and "
             "the requester is directed to that agency (§5.5).")

    def get_initial(self):
        item = self.minutes_request
        return {"clarification_sought": item.clarification_sought,
                "clarification_answer": item.clarification_answer,
                "clarified_on": item.clarified_on}

    def save(self, form) -> str:
        data = form.cleaned_data
        requests.minutes_request_clarify(
            minutes_request=self.minutes_request, actor=self.request.user,
            sought=data["clarification_sought"], answer=data["clarification_answer"],
            clarified_on=data["clarified_on"])
        return "The clarification is recorded."


class CorrespondenceAddView(RequestFormView):
    form_class = CorrespondenceForm
    title = "Record a letter or email"
    submit_label = "Record it"

    def blocked(self) -> str:
        return ""

    def save(self, form) -> str:
        requests.correspondence_add(minutes_request=self.minutes_request,
                                    actor=self.request.user, **form.cleaned_data)
        return "The letter or email is recorded."


class RedirectView(RequestFormView):
    form_class = RedirectForm
    title = "Redirect the requester"
    intro = ("The information belongs to the agency that holds it, not to the JMAPP meeting "
             "(§5.5): the requester is directed there, and the request closes.")
    submit_label = "Record the redirection"

    def save(self, form) -> str:
        requests.minutes_request_redirect(
            minutes_request=self.minutes_request, actor=self.request.user,
            agency=form.cleaned_data["redirected_to"],
            what=form.cleaned_data["redirected_what"])
        return "The request is closed: the requester is redirected."


class DeclineView(RequestFormView):
    form_class = DeclineForm
    title = "Decline the request"
    submit_label = "Decline it"

    def save(self, form) -> str:
        requests.minutes_request_decline(minutes_request=self.minutes_request,
                                         actor=self.request.user,
                                         reason=form.cleaned_data["declined_reason"])
        return "The request is declined, with its reason."


class SummaryStartView(RequestAccessMixin, View):
    """POST: the Executive Summary drafted from the minutes and the referral."""

    access_check = access.can_manage_minutes_request
    denied_status = 403

    def post(self, request, *args, **kwargs):
        try:
            summary = summaries.summary_draft(minutes_request=self.minutes_request,
                                              actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request_url(self.minutes_request))
        messages.success(request, "The Executive Summary is drafted from the minutes and the "
                                  "referral: the Chair edits and completes it.")
        if access.can_write_summary(request.user, summary):
            return redirect("disclosure:summary_edit", pk=self.minutes_request.pk)
        return redirect(request_url(self.minutes_request))


class SummaryMixin(RequestAccessMixin):
    def turn_away(self):
        self.summary = getattr(self.minutes_request, "summary", None) if hasattr(
            self.minutes_request, "summary") else None
        if self.summary is None:
            # Nothing drafted yet: the request's page offers to draft it.
            return redirect(request_url(self.minutes_request))
        return None


class SummaryEditView(SummaryMixin, RecordFormView):
    """The Chair edits the draft; a save over someone else's is refused, nothing typed
    lost."""

    form_class = SummaryForm
    template_name = "disclosure/summary_form.html"
    title = "Minutes Executive Summary"
    intro = ("Prepared by the Chair of the last meeting from all the minutes and the referral "
             "(§5.6). State the referring agency, never the officer, and copy in no victim "
             "detail.")
    submit_label = "Save the draft"

    def blocked(self) -> str:
        if not access.can_write_summary(self.request.user, self.summary):
            return "Only the Chair of the last meeting edits the Executive Summary."
        if self.summary.status != SummaryStatus.DRAFT:
            return summaries.LOCKED_MESSAGE
        return ""

    def back_url(self) -> str:
        return request_url(self.minutes_request)

    def get_initial(self):
        summary = self.summary
        return {**{name: getattr(summary, name) for name in SUMMARY_FIELDS},
                "victim_check_confirmed": summary.victim_check_confirmed,
                "version": summary.version}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        finalise = "finalise" in self.request.POST
        try:
            summary = summaries.summary_update(summary=self.summary, actor=self.request.user,
                                               version=version, **data)
            if finalise:
                summaries.summary_finalise(summary=summary, actor=self.request.user)
        except StaleEdit as stale:
            form.add_error(None, "Someone else saved the summary while you were editing it. "
                                 "Nothing you typed is lost: check their changes, then save "
                                 "again.")
            data = form.data.copy()
            data["version"] = str(stale.current.version)
            form.data = data
            return self.form_invalid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The Executive Summary is final." if finalise else
                         "The draft is saved.")
        return redirect(self.back_url())


class SummaryFinaliseView(SummaryEditView):
    """The same form, finalising: kept as its own address for the API and links."""

    def post(self, request, *args, **kwargs):
        request.POST = request.POST.copy()
        request.POST["finalise"] = "1"
        return super().post(request, *args, **kwargs)


class SummaryIssueView(SummaryMixin, RecordFormView):
    access_check = access.can_manage_minutes_request
    denied_status = 403
    form_class = IssueForm
    title = "Issue the Executive Summary"
    submit_label = "Record it as issued"

    def blocked(self) -> str:
        if self.summary.status != SummaryStatus.FINAL:
            return "Only a final Executive Summary is issued."
        return ""

    def back_url(self) -> str:
        return request_url(self.minutes_request)

    def save(self, form) -> str:
        summaries.summary_issue(summary=self.summary, actor=self.request.user,
                                issued_to=form.cleaned_data["issued_to"])
        return "The Executive Summary is recorded as issued; the request is closed."


class SummaryPdfView(SummaryMixin, View):
    """GET: the summary as a PDF; printing is audited, not read."""

    audit_reads = False

    def get(self, request, *args, **kwargs):
        content = render_summary_pdf(self.summary)
        audit_log(actor=request.user, action=Verb.PRINT, obj=self.summary,
                  case_id=self.summary.nominal_id,
                  detail=f"Minutes Executive Summary ({self.summary.get_status_display()}) "
                         f"printed as PDF")
        return pdf_response(content, f"executive-summary-{self.summary.nominal.reference}.pdf")
