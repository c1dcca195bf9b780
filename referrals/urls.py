from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("<int:pk>/", views.ReferralDetailView.as_view(), name="detail"),
]
