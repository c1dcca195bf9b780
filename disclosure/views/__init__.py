"""The disclosure app's pages: a case's disclosures and each disclosure's steps (agreed,
endorsed, carried out), the disclosure step of a meeting's minutes (a deferral's date), the
register of requests for minutes and each request's steps, the Executive Summary, and
attendance at a place of worship with its behaviour contract.

Thin views on the shared bases: access from jmappa/access.py (a record the user may not
see answers 404), reads from disclosure/selectors.py, writes through disclosure/services.
"""

from .disclosures import (
    CarryOutView,
    CaseDisclosuresView,
    DeferralView,
    DisclosureAddView,
    DisclosureDetailView,
    EndorseView,
)
from .requests import (
    ClarifyView,
    CorrespondenceAddView,
    DeclineView,
    RedirectView,
    RegisterView,
    RequestDetailView,
    RequestLogView,
    SummaryEditView,
    SummaryFinaliseView,
    SummaryIssueView,
    SummaryPdfView,
    SummaryStartView,
)
from .worship import (
    BreachActionView,
    BreachAddView,
    ContractPdfView,
    ContractScanView,
    ContractSignedView,
    RefusalView,
    WorshipAddView,
    WorshipDetailView,
    WorshipEditView,
)

__all__ = [
    "BreachActionView", "BreachAddView", "ContractPdfView", "ContractScanView",
    "ContractSignedView", "RefusalView", "WorshipAddView", "WorshipDetailView",
    "WorshipEditView", "CarryOutView", "CaseDisclosuresView", "ClarifyView",
    "CorrespondenceAddView",
    "DeclineView", "DeferralView", "DisclosureAddView", "DisclosureDetailView", "EndorseView",
    "RedirectView", "RegisterView", "RequestDetailView", "RequestLogView", "SummaryEditView",
    "SummaryFinaliseView", "SummaryIssueView", "SummaryPdfView", "SummaryStartView",
]
