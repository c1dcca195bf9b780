"""The API's root: one router over every app's endpoints, under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from alerts import api as alerts_api
from cases import api as cases_api
from coordination import api as coordination_api
from custody import api as custody_api
from disclosure import api as disclosure_api
from documents import api as documents_api
from interventions import api as interventions_api
from jmappa.accounts import api as accounts_api
from kpi import api as kpi_api
from meetings import api as meetings_api
from plans import api as plan_api
from referrals import api as referrals_api
from support import api as support_api

router = DefaultRouter()
router.register("agencies", accounts_api.AgencyViewSet, basename="agency")
router.register("offenders", cases_api.NominalViewSet, basename="offender")
router.register("referrals", referrals_api.ReferralViewSet, basename="referral")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")
router.register("actions", plan_api.ActionViewSet, basename="action")
router.register("contacts", cases_api.ContactViewSet, basename="contact")
router.register("documents", documents_api.DocumentViewSet, basename="document")
router.register("alerts", alerts_api.AlertViewSet, basename="alert")
router.register("disclosures", disclosure_api.DisclosureViewSet, basename="disclosure")
router.register("minutes-requests", disclosure_api.MinutesRequestViewSet,
                basename="minutes-request")
router.register("support-meetings", support_api.SupportMeetingViewSet,
                basename="support-meeting")
router.register("support-people", support_api.SupportPersonViewSet, basename="support-person")
router.register("safety-plans", support_api.SafetyPlanViewSet, basename="safety-plan")
router.register("services-plans", coordination_api.ServicesPlanViewSet,
                basename="services-plan")
router.register("sentences", custody_api.SentenceViewSet, basename="sentence")
router.register("custody-events", custody_api.CustodyEventViewSet, basename="custody-event")
router.register("breaches", custody_api.BreachViewSet, basename="breach")
router.register("planning-meetings", custody_api.PlanningMeetingViewSet,
                basename="planning-meeting")
router.register("team-actions", custody_api.TeamActionViewSet, basename="team-action")
router.register("interventions", interventions_api.InterventionViewSet, basename="intervention")
router.register("intervention-packages", interventions_api.PackageViewSet,
                basename="intervention-package")
router.register("package-interventions", interventions_api.PackageInterventionViewSet,
                basename="package-intervention")
router.register("review-points", interventions_api.ReviewPointViewSet, basename="review-point")

urlpatterns = [
    path("me/", accounts_api.me, name="api-me"),
    path("kpis/", kpi_api.KpiFiguresView.as_view(), name="api-kpis"),
    path("", include(router.urls)),
]
