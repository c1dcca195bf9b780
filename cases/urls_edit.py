"""The register's forms, included by cases/urls.py (namespace `cases`)."""

from django.urls import path

from . import views_edit as views

urlpatterns = [
    path("new/", views.NominalCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.NominalEditView.as_view(), name="edit"),
    path("<int:pk>/archive/", views.NominalArchiveView.as_view(), name="archive"),
    path("<int:pk>/reactivate/", views.NominalReactivateView.as_view(), name="reactivate"),
    path("<int:pk>/victims/", views.VictimsView.as_view(), name="victims"),
    path("<int:pk>/aliases/new/", views.AliasAddView.as_view(), name="alias_add"),
    path("<int:pk>/addresses/new/", views.AddressAddView.as_view(), name="address_add"),
    path("<int:pk>/level/", views.LevelSetView.as_view(), name="level_set"),
    path("<int:pk>/rosh/new/", views.RoshAddView.as_view(), name="rosh_add"),
    path("<int:pk>/risk-assessments/new/", views.RiskAssessmentAddView.as_view(),
         name="risk_assessment_add"),
    path("<int:pk>/team/new/", views.TeamAddView.as_view(), name="team_add"),
    path("<int:pk>/team/<int:member_pk>/end/", views.TeamEndView.as_view(), name="team_end"),
    path("<int:pk>/transfers/new/", views.TransferAddView.as_view(), name="transfer_add"),
    path("<int:pk>/transfers/<int:transfer_pk>/edit/", views.TransferEditView.as_view(),
         name="transfer_edit"),
    path("<int:pk>/deviations/new/", views.DeviationAddView.as_view(), name="deviation_add"),
    path("<int:pk>/access/", views.CaseAccessView.as_view(), name="access"),
]
