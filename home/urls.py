from django.urls import path

from .views import HomeView, ManageView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("manage/", ManageView.as_view(), name="manage"),
]
