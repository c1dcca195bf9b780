from django.urls import path

from . import second_factor_views as views

app_name = "second_factor"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("second-factor/", views.manage, name="manage"),
    path("second-factor/set-up/", views.enrol, name="enrol"),
    path("second-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("second-factor/remove/", views.remove, name="remove"),
]
