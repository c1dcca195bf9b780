from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from jmappa.accounts.forms import SignInForm
from jmappa.core import views as core_views

# Every app by its dotted name only: the project's URLconf composes the apps, it
# imports none of them. The admin site is for superusers only (jmappa/accounts/sites.py).
urlpatterns = [
    path("", include("home.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/", include("jmappa.accounts.second_factor_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("agencies/", include("jmappa.accounts.urls")),
    path("people/", include("jmappa.accounts.people_urls")),
    path("audit/", include("jmappa.audit.urls")),
    path("cases/", include("cases.urls")),
    path("referrals/", include("referrals.urls")),
    path("meetings/", include("meetings.urls")),
    # The plan's pages under /cases/<case>/plan/... and /actions/ (plans/urls.py).
    path("", include("plans.urls")),
    # Documents under /cases/<case>/documents/ and /documents/... (documents/urls.py).
    path("", include("documents.urls")),
    # Disclosures and requests for minutes (disclosure/urls.py).
    path("", include("disclosure.urls")),
    # Support planning (support/urls.py).
    path("", include("support.urls")),
    # Coordinated services plans and their panel (coordination/urls.py).
    path("", include("coordination.urls")),
    # Custody, release and joined-up planning (custody/urls.py).
    path("", include("custody.urls")),
    # Integrated intervention packages and their catalogue (interventions/urls.py).
    path("", include("interventions.urls")),
    path("alerts/", include("alerts.urls")),
    path("kpi/", include("kpi.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("home.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler403 = "jmappa.core.views.error_403"
handler404 = "jmappa.core.views.error_404"
handler500 = "jmappa.core.views.error_500"
