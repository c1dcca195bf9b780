"""The quarterly case audit (§15.4, §16.1): the defensibility test shown empirically. The
secretariat draws a quarter's random sample; the Co-ordinator or an SMB member scores each
case against the checklist; the results are shown by quarter. A case is shown as a KPI's row
is: by reference to an SMB member, withheld where the reference may not be shown to them."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from jmappa import access
from jmappa.core import dates
from jmappa.core.views import ServiceFormView

from .. import selectors, services
from ..forms import AuditDrawForm, AuditScoreForm
from ..models import AUDIT_CHECKLIST, AUDIT_ITEMS, AuditedCase, CaseAudit
from ..periods import Period, last_quarters
from .board import FORM_TEMPLATE, BoardPageMixin


def _shown(user, cases) -> dict[int, bool]:
    """Whether each case's reference may be shown to `user` (as a KPI's rows)."""
    allowed = access.kpi_reference_ids(user, {case.nominal_id for case in cases})
    return {case.pk: case.nominal_id in allowed for case in cases}


class AuditListView(BoardPageMixin, TemplateView):
    template_name = "kpi/audits.html"

    def get_context_data(self, **kwargs):
        audits = list(CaseAudit.objects.prefetch_related("cases"))
        return super().get_context_data(
            audits=[{"audit": audit, "period": Period.parse(audit.period),
                     "results": selectors.audit_results(audit)} for audit in audits],
            can_draw=access.can_manage_smb(self.request.user), **kwargs)


class AuditDrawView(access.RoleRequiredMixin, ServiceFormView):
    access_check = access.can_manage_smb
    template_name = FORM_TEMPLATE
    form_class = AuditDrawForm
    title = "Draw a quarter's case audit"
    intro = ("“Was everything that could reasonably have been done to prevent offenders from "
             "re-offending actually done?” (§16.1). A random sample of the cases managed at "
             "level 2 or 3 in the quarter is scored against the Guidance.")
    submit_label = "Draw the sample"

    def quarters(self) -> list[Period]:
        drawn = set(CaseAudit.objects.values_list("period", flat=True))
        return [q for q in reversed(last_quarters(dates.today(), 8)) if q.code not in drawn]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "quarters": self.quarters()}

    def get_initial(self):
        return {"size": services.audit_sample_size()}

    def blocked(self) -> str:
        return "" if self.quarters() else "Each of the last eight quarters has its sample."

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=reverse("kpi:audits"), **kwargs)

    def save(self, form) -> str:
        self.saved = services.case_audit_draw(
            period=Period.parse(form.cleaned_data["period"]), actor=self.request.user,
            size=form.cleaned_data["size"])
        return f"{self.saved.cases.count()} cases are drawn for the audit."

    def get_success_url(self) -> str:
        return reverse("kpi:audit", args=[self.saved.pk])


class AuditDetailView(BoardPageMixin, TemplateView):
    template_name = "kpi/audit.html"

    def get_context_data(self, **kwargs):
        audit = get_object_or_404(CaseAudit, pk=self.kwargs["pk"])
        cases = list(audit.cases.select_related("scored_by"))
        shown = _shown(self.request.user, cases)
        return super().get_context_data(
            audit=audit, period=Period.parse(audit.period),
            results=selectors.audit_results(audit),
            cases=[{"case": case, "shown": shown[case.pk]} for case in cases],
            can_score=access.can_score_case_audit(self.request.user),
            link_cases=access.kpi_rows_link_to_cases(self.request.user), **kwargs)


class AuditedCaseScoreView(access.RoleRequiredMixin, ServiceFormView):
    access_check = access.can_score_case_audit
    template_name = "kpi/audit_score.html"
    form_class = AuditScoreForm
    submit_label = "Save the score"
    stale_message = ("Someone else scored this case while you were scoring it: nothing was "
                     "saved. Open it again to see their answers.")

    def dispatch(self, request, *args, **kwargs):
        self.case = get_object_or_404(AuditedCase.objects.select_related("audit"),
                                      pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self._shown_or_404()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._shown_or_404()
        return super().post(request, *args, **kwargs)

    def _shown_or_404(self) -> None:
        if not _shown(self.request.user, [self.case])[self.case.pk]:
            raise Http404

    def get_title(self) -> str:
        return f"Score case J{self.case.nominal_id:06d}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "checklist": AUDIT_CHECKLIST}

    def get_initial(self):
        case = self.case
        answers = case.answers or case.suggested
        return {**{item: answers.get(item) for item in AUDIT_ITEMS},
                "defensible": "" if case.defensible is None else str(case.defensible),
                "findings": case.findings, "follow_up": case.follow_up,
                "follow_up_by": case.follow_up_by, "version": case.version}

    def get_context_data(self, **kwargs):
        case = self.case
        return super().get_context_data(
            case=case, period=Period.parse(case.audit.period),
            cancel_url=reverse("kpi:audit", args=[case.audit_id]),
            suggested=[(question, case.suggested.get(item)) for item, question, _w
                       in AUDIT_CHECKLIST],
            link_cases=access.kpi_rows_link_to_cases(self.request.user), **kwargs)

    def save(self, form) -> str:
        data = form.cleaned_data
        services.audited_case_score(
            case=self.case, actor=self.request.user, version=data["version"],
            answers={item: data.get(item) or "" for item in AUDIT_ITEMS},
            defensible=data.get("defensible") if data.get("defensible") != "" else None,
            findings=data.get("findings") or "", follow_up=data.get("follow_up") or "",
            follow_up_by=data.get("follow_up_by"))
        return f"Case J{self.case.nominal_id:06d} is scored."

    def get_success_url(self) -> str:
        return reverse("kpi:audit", args=[self.case.audit_id])
