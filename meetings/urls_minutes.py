"""The minutes of a meeting (`pk` is the meeting's): drafting and finalising, the versions,
corrections, distribution, the Chair's consent to share, the PDF."""

from django.urls import path

from . import pdf
from . import views_minutes as views

urlpatterns = [
    path("<int:pk>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/minutes/start/", views.StartView.as_view(), name="minutes_start"),
    path("<int:pk>/minutes/version/<int:number>/", views.ReadView.as_view(),
         name="minutes_version"),
    path("<int:pk>/minutes/correct/", views.CorrectView.as_view(), name="minutes_correct"),
    path("<int:pk>/minutes/distribute/", views.DistributeView.as_view(),
         name="minutes_distribute"),
    path("<int:pk>/minutes/consent/", views.ConsentView.as_view(), name="minutes_consent"),
    path("<int:pk>/minutes/pdf/", pdf.MinutesPdfView.as_view(), name="minutes_pdf"),
    path("<int:pk>/minutes/version/<int:number>/pdf/", pdf.MinutesPdfView.as_view(),
         name="minutes_version_pdf"),
]
