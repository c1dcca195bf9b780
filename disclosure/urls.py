"""The disclosure app's pages (namespace `disclosure`), mounted at the site's root: each path
is written in full.

- /cases/<case>/disclosures/...: a case's disclosures (§5.1-§5.3), and recording one;
- /disclosures/<pk>/...: one disclosure: read, endorse, carried out;
- /meetings/<meeting>/minutes/disclosure-deferral/: the minutes' disclosure step, deferred;
- /cases/<case>/worship/new/, /worship/<pk>/...: attendance at a place of worship (§5.4) and
  the behaviour contract (§14.10); /worship-breaches/<pk>/action/ the action on a breach;
- /minutes-requests/...: the register of requests for minutes (§5.5) and the Executive
  Summary (§5.6); /cases/<case>/minutes-requests/new/ logs one.
"""

from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("cases/<int:pk>/disclosures/", views.CaseDisclosuresView.as_view(), name="case"),
    path("cases/<int:pk>/disclosures/new/", views.DisclosureAddView.as_view(), name="add"),
    path("disclosures/<int:pk>/", views.DisclosureDetailView.as_view(), name="detail"),
    path("disclosures/<int:pk>/endorse/", views.EndorseView.as_view(), name="endorse"),
    path("disclosures/<int:pk>/carried-out/", views.CarryOutView.as_view(), name="carry_out"),
    path("meetings/<int:pk>/minutes/disclosure-deferral/", views.DeferralView.as_view(),
         name="deferral"),
    path("minutes-requests/", views.RegisterView.as_view(), name="register"),
    path("cases/<int:pk>/minutes-requests/new/", views.RequestLogView.as_view(),
         name="request_log"),
    path("minutes-requests/<int:pk>/", views.RequestDetailView.as_view(), name="request"),
    path("minutes-requests/<int:pk>/clarify/", views.ClarifyView.as_view(), name="clarify"),
    path("minutes-requests/<int:pk>/letters/new/", views.CorrespondenceAddView.as_view(),
         name="letter_add"),
    path("minutes-requests/<int:pk>/redirect/", views.RedirectView.as_view(),
         name="redirect"),
    path("minutes-requests/<int:pk>/decline/", views.DeclineView.as_view(), name="decline"),
    path("minutes-requests/<int:pk>/summary/start/", views.SummaryStartView.as_view(),
         name="summary_start"),
    path("minutes-requests/<int:pk>/summary/", views.SummaryEditView.as_view(),
         name="summary_edit"),
    path("minutes-requests/<int:pk>/summary/finalise/", views.SummaryFinaliseView.as_view(),
         name="summary_finalise"),
    path("minutes-requests/<int:pk>/summary/issue/", views.SummaryIssueView.as_view(),
         name="summary_issue"),
    path("minutes-requests/<int:pk>/summary.pdf", views.SummaryPdfView.as_view(),
         name="summary_pdf"),
    path("cases/<int:pk>/worship/new/", views.WorshipAddView.as_view(), name="worship_add"),
    path("worship/<int:pk>/", views.WorshipDetailView.as_view(), name="worship"),
    path("worship/<int:pk>/change/", views.WorshipEditView.as_view(), name="worship_edit"),
    path("worship/<int:pk>/contract.pdf", views.ContractPdfView.as_view(),
         name="contract_pdf"),
    path("worship/<int:pk>/signed/", views.ContractSignedView.as_view(), name="signed"),
    path("worship/<int:pk>/signed-contract/", views.ContractScanView.as_view(),
         name="signed_scan"),
    path("worship/<int:pk>/unwilling/", views.RefusalView.as_view(), name="refused"),
    path("worship/<int:pk>/breaches/new/", views.BreachAddView.as_view(), name="breach_add"),
    path("worship-breaches/<int:pk>/action/", views.BreachActionView.as_view(),
         name="breach_action"),
]
