from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.AgencyListView.as_view(), name="agency_list"),
    path("new/", views.AgencyCreateView.as_view(), name="agency_add"),
    path("<int:pk>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("<int:pk>/edit/", views.AgencyChangeView.as_view(), name="agency_change"),
]
