"""The disclosure app's pages (namespace `disclosure`), mounted at the site's root: each path
is written in full.

- /cases/<case>/disclosures/...: a case's disclosures (§5.1-§5.3), and recording one;
- /disclosures/<pk>/...: one disclosure: read, endorse, carried out;
- /meetings/<meeting>/minutes/disclosure-deferral/: the minutes' disclosure step, deferred;
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
]
