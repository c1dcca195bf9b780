from django.urls import include, path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.NominalListView.as_view(), name="list"),
    path("export.csv", views.NominalExportView.as_view(), name="export"),
    path("retention/", views.RetentionReviewView.as_view(), name="retention"),
    path("deviations/", views.DeviationListView.as_view(), name="deviations"),
    path("<int:pk>/", views.NominalDetailView.as_view(), name="detail"),
    path("<int:pk>/photo/", views.NominalPhotoView.as_view(), name="photo"),
    # The forms: create, edit and the parts of the record.
    path("", include("cases.urls_edit")),
]
