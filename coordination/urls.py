"""The pages of coordinated services plans (namespace `coordination`), mounted at the site's
root: each path is written in full.

- /cases/<case>/services-plan/...: the case's plan, and starting one;
- /services-plans/<pk>/...: adding a service, the endorsement, service updates, oversight
  notices and the sharing log of one plan;
- /planned-services/<pk>/, /service-updates/<pk>/, /oversight-notices/<pk>/: one of them;
- /panel/...: the multi-agency panel, its members and meetings (/panel-meetings/<pk>/held/),
  the provider catalogue (/providers/) and the systemic-issues log (/systemic-issues/).
"""

from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("cases/<int:pk>/services-plan/", views.CasePlanView.as_view(), name="case"),
    path("cases/<int:pk>/services-plan/new/", views.PlanAddView.as_view(), name="plan_add"),
    path("services-plans/<int:pk>/services/new/", views.ServiceAddView.as_view(),
         name="service_add"),
    path("services-plans/<int:pk>/endorse/", views.EndorseView.as_view(), name="endorse"),
    path("services-plans/<int:pk>/updates/new/", views.UpdateRequestView.as_view(),
         name="update_request"),
    path("services-plans/<int:pk>/notices/new/", views.NoticeAddView.as_view(),
         name="notice_add"),
    path("services-plans/<int:pk>/sharing/new/", views.SharingAddView.as_view(),
         name="sharing_add"),
    path("planned-services/<int:pk>/", views.ServiceEditView.as_view(), name="service"),
    path("service-updates/<int:pk>/", views.UpdateAnswerView.as_view(), name="update_answer"),
    path("oversight-notices/<int:pk>/", views.NoticeRespondView.as_view(),
         name="notice_respond"),
    path("panel/", views.PanelView.as_view(), name="panel"),
    path("panel/members/new/", views.PanelMemberAddView.as_view(), name="member_add"),
    path("panel/meetings/new/", views.PanelMeetingAddView.as_view(), name="meeting_add"),
    path("panel-meetings/<int:pk>/held/", views.PanelMeetingHeldView.as_view(),
         name="meeting_held"),
    path("providers/new/", views.ProviderAddView.as_view(), name="provider_add"),
    path("providers/<int:pk>/", views.ProviderEditView.as_view(), name="provider"),
    path("systemic-issues/new/", views.IssueAddView.as_view(), name="issue_add"),
    path("systemic-issues/<int:pk>/", views.IssueEditView.as_view(), name="issue"),
]
