""""My actions": the open actions a practitioner or their agency owns, and the quick
progress entry of each row (namespace `actions`, mounted at /actions/)."""

from django.urls import path

from . import plan_views as views

app_name = "actions"

urlpatterns = [
    path("", views.MyActionsView.as_view(), name="mine"),
    path("<int:pk>/progress/", views.ProgressRowView.as_view(), name="progress"),
]
