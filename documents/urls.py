from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("cases/<int:pk>/documents/", views.CaseDocumentsView.as_view(), name="case"),
    path("cases/<int:pk>/documents/new/", views.DocumentUploadView.as_view(), name="upload"),
    path("documents/<int:pk>/download/", views.DocumentDownloadView.as_view(),
         name="download"),
    path("documents/<int:pk>/destruction/", views.DestructionView.as_view(),
         name="destruction"),
]
