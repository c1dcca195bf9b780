"""Attendance at a place of worship (§5.4) and the behaviour contract (§14.10): the
assessment, the contract (its terms, printed with signature lines, signed or refused), and
breaches reported to the case manager."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log
from jmappa.core.pdf import pdf_response
from jmappa.core.uploads import private_file_response

from .. import selectors
from ..forms import (
    BreachActionForm,
    BreachForm,
    ContractSignedForm,
    RefusalForm,
    WorshipAssessForm,
    WorshipEditForm,
)
from ..models import WorshipStatus
from ..pdf import render_contract_pdf
from ..services import worship
from ..services.worship import ASSESS_FIELDS
from .base import RecordFormView

NOT_OPEN = "The contract has already been signed or refused: it is no longer changed here."


def worship_url(arrangement) -> str:
    return reverse("disclosure:worship", args=[arrangement.pk])


class WorshipAccessMixin(access.ObjectAccessMixin):
    selector = selectors.worship_visible
    object_name = "arrangement"

    def audit_case_id(self, obj):
        return obj.nominal_id


class WorshipFormView(WorshipAccessMixin, RecordFormView):
    """A step of the arrangement, for those who manage it; back to the arrangement."""

    access_check = access.can_manage_worship_record
    denied_status = 403

    def blocked(self) -> str:
        return NOT_OPEN if self.arrangement.status != WorshipStatus.ASSESSED else ""

    def get_initial(self):
        return {"version": self.arrangement.version}

    def back_url(self) -> str:
        return worship_url(self.arrangement)


class WorshipAddView(access.NominalAccessMixin, RecordFormView):
    access_check = access.can_manage_worship
    denied_status = 403
    form_class = WorshipAssessForm
    title = "Record a wish to attend a place of worship"
    intro = ("Where a registered sex offender whose offences were against children, or another "
             "offender who presents a risk of harm to children or identified victims, wishes to "
             "practise their religion, the case manager assesses the risk it could present "
             "(§5.4). The contract of behaviour starts from the specimen of §14.10.")
    submit_label = "Record the assessment"

    def back_url(self) -> str:
        return reverse("disclosure:case", args=[self.nominal.pk])

    def save(self, form) -> str:
        self.saved = worship.worship_assess(nominal=self.nominal, actor=self.request.user,
                                            **form.cleaned_data)
        return "The assessment is recorded. Agree the contract's terms with the offender."

    def get_success_url(self) -> str:
        return worship_url(self.saved)


class WorshipDetailView(WorshipAccessMixin, TemplateView):
    template_name = "disclosure/worship.html"

    def get_context_data(self, **kwargs):
        user, arrangement = self.request.user, self.arrangement
        manages = access.can_manage_worship(user, arrangement.nominal)
        return super().get_context_data(
            arrangement=arrangement, nominal=arrangement.nominal,
            title="Attendance at a place of worship",
            terms=arrangement.terms,
            breaches=list(arrangement.breaches.select_related("recorded_by", "action_by")),
            can_manage=manages, is_open=arrangement.status == WorshipStatus.ASSESSED,
            disclosed=worship.disclosed_to_leader(arrangement), **kwargs)


class WorshipEditView(WorshipFormView):
    form_class = WorshipEditForm
    title = "Change the assessment and the contract"
    submit_label = "Save"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "nominal": self.arrangement.nominal}

    def get_initial(self):
        arrangement = self.arrangement
        return {**{name: getattr(arrangement, name) for name in ASSESS_FIELDS},
                "discussed_with_offender": str(arrangement.discussed_with_offender),
                "disclosure": arrangement.disclosure_id,
                "contract_terms": arrangement.contract_terms, "version": arrangement.version}

    def save(self, form) -> str:
        worship.worship_update(arrangement=self.arrangement, actor=self.request.user,
                               **form.cleaned_data)
        return "Saved."


class ContractSignedView(WorshipFormView):
    form_class = ContractSignedForm
    title = "Record the contract signed"
    intro = ("Print the contract, have the offender and his offender manager sign it, then "
             "record the date and attach a scan of the signed copy.")
    submit_label = "Record the signed contract"

    def save(self, form) -> str:
        worship.worship_contract_signed(arrangement=self.arrangement, actor=self.request.user,
                                        **form.cleaned_data)
        return "The signed contract is recorded."


class RefusalView(WorshipFormView):
    form_class = RefusalForm
    title = "The offender is unwilling to sign"
    intro = ("Probation and the Police consider whether to seek a restrictive condition on a "
             "licence or a Restraining Order to prevent him being in the place of worship. "
             "The outcome is recorded on ViSOR and here (§5.4).")
    submit_label = "Record the decision"

    def save(self, form) -> str:
        worship.worship_refused(arrangement=self.arrangement, actor=self.request.user,
                                **form.cleaned_data)
        return "The decision is recorded."


class BreachAddView(WorshipAccessMixin, RecordFormView):
    """Whoever reads the arrangement records a breach reported to them; the case manager is
    alerted at once."""

    form_class = BreachForm
    title = "Record a breach of the contract"
    intro = "Any breach of the contract is reported to the case manager (§5.4)."
    submit_label = "Record the breach"

    def blocked(self) -> str:
        return "" if self.arrangement.status == WorshipStatus.SIGNED else \
            worship.NOT_SIGNED_MESSAGE

    def back_url(self) -> str:
        return worship_url(self.arrangement)

    def save(self, form) -> str:
        worship.breach_report(arrangement=self.arrangement, actor=self.request.user,
                              **form.cleaned_data)
        return "The breach is recorded; the case manager is alerted."


class BreachActionView(access.ObjectAccessMixin, RecordFormView):
    selector = selectors.breaches_visible
    object_name = "breach"
    access_check = access.can_manage_worship_record
    denied_status = 403
    form_class = BreachActionForm
    title = "Record the action taken on the breach"
    submit_label = "Record the action"

    def audit_case_id(self, obj):
        return obj.nominal_id

    def get_initial(self):
        return {"action_taken": self.breach.action_taken, "version": self.breach.version}

    def back_url(self) -> str:
        return worship_url(self.breach.arrangement)

    def save(self, form) -> str:
        worship.breach_action(breach=self.breach, actor=self.request.user,
                              **form.cleaned_data)
        return "The action taken is recorded."


class ContractPdfView(WorshipAccessMixin, View):
    """GET: the contract to sign, as a PDF; printing is audited, not read."""

    audit_reads = False

    def get(self, request, *args, **kwargs):
        arrangement = self.arrangement
        content = render_contract_pdf(arrangement)
        audit_log(actor=request.user, action=Verb.PRINT, obj=arrangement,
                  case_id=arrangement.nominal_id, detail="Behaviour contract printed as PDF")
        return pdf_response(content, f"worship-contract-{arrangement.nominal.reference}.pdf")


class ContractScanView(WorshipAccessMixin, View):
    """GET: the scan of the signed contract, as an attachment the browser does not keep;
    each download is audited."""

    audit_reads = False

    def get(self, request, *args, **kwargs):
        arrangement = self.arrangement
        if not arrangement.scan:
            raise Http404
        try:
            handle = arrangement.scan.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        audit_log(actor=request.user, action=Verb.VIEW, obj=arrangement,
                  case_id=arrangement.nominal_id, detail="Signed contract downloaded")
        return private_file_response(handle, filename=arrangement.scan_name,
                                     content_type=arrangement.scan_content_type)
