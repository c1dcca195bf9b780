"""What is due and overdue, and the user's notifications (namespace `alerts`, mounted at
/alerts/)."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.AlertListView.as_view(), name="list"),
    path("case/<int:pk>/", views.AlertListView.as_view(), name="case"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
]
