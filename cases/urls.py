from django.urls import path

from .views import access_decisions, chronology, edit, read, record, retention, sections

app_name = "cases"
urlpatterns = [
    path("", read.NominalListView.as_view(), name="list"),
    path("export.csv", read.NominalExportView.as_view(), name="export"),
    path("retention/", read.RetentionReviewView.as_view(), name="retention"),
    path("deviations/", read.DeviationListView.as_view(), name="deviations"),
    # The case page, one section at a time (cases.sections); the case's own URL is its Summary.
    path("<int:pk>/", sections.SummaryView.as_view(), name="detail"),
    path("<int:pk>/risk/", sections.RiskView.as_view(), name="risk"),
    path("<int:pk>/team/", sections.TeamView.as_view(), name="team"),
    path("<int:pk>/history/", sections.HistoryView.as_view(), name="history"),
    path("<int:pk>/photo/", read.NominalPhotoView.as_view(), name="photo"),
    # The forms: create, edit and the parts of the record.
    path("new/", edit.NominalCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", edit.NominalEditView.as_view(), name="edit"),
    path("<int:pk>/archive/", edit.NominalArchiveView.as_view(), name="archive"),
    path("<int:pk>/reactivate/", edit.NominalReactivateView.as_view(), name="reactivate"),
    path("<int:pk>/retention/keep/", retention.RetentionKeepView.as_view(),
         name="retention_keep"),
    path("<int:pk>/retention/remove/", retention.RetentionRemoveView.as_view(),
         name="retention_remove"),
    path("<int:pk>/victims/", record.VictimsView.as_view(), name="victims"),
    path("<int:pk>/aliases/new/", record.AliasAddView.as_view(), name="alias_add"),
    path("<int:pk>/addresses/new/", record.AddressAddView.as_view(), name="address_add"),
    path("<int:pk>/level/", record.LevelSetView.as_view(), name="level_set"),
    path("<int:pk>/rosh/new/", record.RoshAddView.as_view(), name="rosh_add"),
    path("<int:pk>/risk-assessments/new/", record.RiskAssessmentAddView.as_view(),
         name="risk_assessment_add"),
    path("<int:pk>/team/new/", record.TeamAddView.as_view(), name="team_add"),
    path("<int:pk>/team/<int:member_pk>/end/", record.TeamEndView.as_view(), name="team_end"),
    path("<int:pk>/transfers/new/", record.TransferAddView.as_view(), name="transfer_add"),
    path("<int:pk>/transfers/<int:transfer_pk>/edit/", record.TransferEditView.as_view(),
         name="transfer_edit"),
    path("<int:pk>/deviations/new/", record.DeviationAddView.as_view(), name="deviation_add"),
    path("<int:pk>/chronology/", chronology.ChronologyView.as_view(), name="chronology"),
    path("<int:pk>/chronology/new/", chronology.ContactAddView.as_view(), name="contact_add"),
    path("<int:pk>/access/", access_decisions.CaseAccessView.as_view(), name="access"),
]
