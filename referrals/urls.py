from django.urls import path

from . import pdf, views

app_name = "referrals"

urlpatterns = [
    path("", views.ReferralListView.as_view(), name="list"),
    path("new/", views.ReferralCreateView.as_view(), name="create"),
    path("screening/", views.ScreeningQueueView.as_view(), name="screening"),
    path("<int:pk>/", views.ReferralDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ReferralEditView.as_view(), name="edit"),
    path("<int:pk>/pdf/", pdf.ReferralPdfView.as_view(), name="pdf"),
    path("<int:pk>/submit/", views.ReferralSubmitView.as_view(), name="submit"),
    # The Co-ordinator's screening decisions.
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/reject/", views.RejectView.as_view(), name="reject"),
    path("<int:pk>/request-info/", views.RequestInfoView.as_view(), name="request_info"),
    path("<int:pk>/confirm-level-1/", views.ConfirmLevel1View.as_view(),
         name="confirm_level_1"),
]
