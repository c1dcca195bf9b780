"""Support planning's pages (namespace `support`), mounted at the site's root: each path is
written in full.

- /cases/<case>/support/...: the case's Support section, and what is added to it;
- /support-planning/<pk>/...: its dates and the professionals' information exchange;
- /support-people/<pk>/...: a member of the network, and sending them their pack;
- /network-sendings/<pk>/pack.pdf: the pack of one sending;
- /support-consents/<pk>/...: a signed consent, its scan, its withdrawal;
- /support-meetings/<pk>/...: a Support Planning Meeting, its record, final or cancelled;
- /safety-plans/<pk>/: a version of the safety plan;
- /offending-disclosed/<pk>/passed/: offending disclosed, passed to the Police.
"""

from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("cases/<int:pk>/support/", views.CaseSupportView.as_view(), name="case"),
    path("cases/<int:pk>/support/start/", views.PlanningStartView.as_view(), name="start"),
    path("cases/<int:pk>/support/people/new/", views.PersonAddView.as_view(),
         name="person_add"),
    path("cases/<int:pk>/support/consents/new/", views.ConsentAddView.as_view(),
         name="consent_add"),
    path("cases/<int:pk>/support/consent-form.pdf", views.ConsentFormPdfView.as_view(),
         name="consent_form"),
    path("cases/<int:pk>/support/meetings/new/", views.MeetingArrangeView.as_view(),
         name="meeting_add"),
    path("cases/<int:pk>/support/safety-plan/new/", views.SafetyPlanAddView.as_view(),
         name="safety_plan_add"),
    path("cases/<int:pk>/support/offending/new/", views.OffendingAddView.as_view(),
         name="offending_add"),
    path("support-planning/<int:pk>/", views.PlanningEditView.as_view(), name="planning_edit"),
    path("support-planning/<int:pk>/exchange/", views.ExchangeView.as_view(),
         name="exchange"),
    path("support-people/<int:pk>/", views.PersonEditView.as_view(), name="person"),
    path("support-people/<int:pk>/send/", views.SendView.as_view(), name="send"),
    path("network-sendings/<int:pk>/pack.pdf", views.SendingPackView.as_view(),
         name="sending_pack"),
    path("support-consents/<int:pk>/file/", views.ConsentFileView.as_view(),
         name="consent_file"),
    path("support-consents/<int:pk>/withdraw/", views.ConsentWithdrawView.as_view(),
         name="consent_withdraw"),
    path("support-meetings/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("support-meetings/<int:pk>/record/", views.MeetingRecordView.as_view(),
         name="meeting_record"),
    path("support-meetings/<int:pk>/finalise/", views.MeetingFinaliseView.as_view(),
         name="meeting_finalise"),
    path("support-meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(),
         name="meeting_cancel"),
    path("safety-plans/<int:pk>/", views.SafetyPlanView.as_view(), name="safety_plan"),
    path("offending-disclosed/<int:pk>/passed/", views.OffendingPassedView.as_view(),
         name="offending_passed"),
]
