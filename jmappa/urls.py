from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from cases import api as cases_api
from cases import plan_api
from jmappa.accounts import api as accounts_api
from jmappa.accounts.forms import SignInForm
from jmappa.alerts import api as alerts_api
from jmappa.core import views as core_views
from meetings import api as meetings_api
from referrals import api as referrals_api

router = DefaultRouter()
router.register("agencies", accounts_api.AgencyViewSet, basename="agency")
router.register("offenders", cases_api.NominalViewSet, basename="offender")
router.register("referrals", referrals_api.ReferralViewSet, basename="referral")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")
router.register("actions", plan_api.ActionViewSet, basename="action")
router.register("alerts", alerts_api.AlertViewSet, basename="alert")

admin.site.site_header = "JMAPPA Case Manager administration"
admin.site.site_title = "JMAPPA administration"

urlpatterns = [
    path("", core_views.HomeView.as_view(), name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("agencies/", include("jmappa.accounts.urls")),
    path("audit/", include("jmappa.audit.urls")),
    path("cases/", include("cases.urls")),
    path("referrals/", include("referrals.urls")),
    path("meetings/", include("meetings.urls")),
    path("actions/", include("cases.urls_actions")),
    path("alerts/", include("jmappa.alerts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/me/", accounts_api.me, name="api-me"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler403 = "jmappa.core.views.error_403"
handler404 = "jmappa.core.views.error_404"
handler500 = "jmappa.core.views.error_500"
