"""The Board's figures (namespace `kpi`): the dashboard, and the rows behind a figure."""

from django.urls import path

from . import views

app_name = "kpi"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("<str:period>/pack.pdf", views.PerformancePackView.as_view(), name="pack"),
    path("<str:period>/figures/<int:number>/", views.KpiDetailView.as_view(), name="detail"),
    path("<str:period>/figures/<int:number>/export.csv", views.KpiExportView.as_view(),
         name="export"),
]
