"""The pages of intervention packages (namespace `interventions`), mounted at the site's root:
each path is written in full.

- /cases/<case>/interventions/...: the case's Interventions section, and starting a package;
- /intervention-packages/<pk>/...: its engagement record, adding an intervention, the log,
  a review point, closing it;
- /package-interventions/<pk>/...: one intervention of a package: its plan, the referral,
  the provider's answer, the person's agreement, its progress;
- /review-points/<pk>/held/: a review point recorded;
- /interventions/...: the catalogue of interventions.
"""

from django.urls import path

from . import views

app_name = "interventions"

urlpatterns = [
    path("cases/<int:pk>/interventions/", views.CaseInterventionsView.as_view(), name="case"),
    path("cases/<int:pk>/interventions/new/", views.PackageStartView.as_view(),
         name="start"),
    path("intervention-packages/<int:pk>/", views.EngagementView.as_view(),
         name="engagement"),
    path("intervention-packages/<int:pk>/interventions/new/", views.OptionAddView.as_view(),
         name="option_add"),
    path("intervention-packages/<int:pk>/log/new/", views.EntryAddView.as_view(),
         name="entry_add"),
    path("intervention-packages/<int:pk>/review-points/new/",
         views.ReviewPointAddView.as_view(), name="review_point_add"),
    path("intervention-packages/<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("package-interventions/<int:pk>/", views.OptionEditView.as_view(), name="option"),
    path("package-interventions/<int:pk>/referral/", views.ReferralView.as_view(),
         name="referral"),
    path("package-interventions/<int:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("package-interventions/<int:pk>/agreement/", views.AgreementView.as_view(),
         name="agreement"),
    path("package-interventions/<int:pk>/progress/", views.ProgressView.as_view(),
         name="progress"),
    path("review-points/<int:pk>/held/", views.HeldView.as_view(), name="held"),
    path("interventions/", views.CatalogueView.as_view(), name="catalogue"),
    path("interventions/new/", views.InterventionAddView.as_view(), name="intervention_add"),
    path("interventions/<int:pk>/", views.InterventionEditView.as_view(),
         name="intervention"),
]
