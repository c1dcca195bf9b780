from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.NominalListView.as_view(), name="list"),
    path("<int:pk>/", views.NominalDetailView.as_view(), name="detail"),
]
