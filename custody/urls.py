"""Custody and joined-up planning's pages (namespace `custody`), mounted at the site's root:
each path is written in full.

- /cases/<case>/custody/...: the case's Custody section, and what is added to it;
- /breaches/<pk>/recall/: the decision on a recall requested;
- /joined-up-team/<pk>/: a member of the joined-up team;
- /planning-meetings/<pk>/...: a meeting of the team, its record, its cancellation;
- /team-actions/<pk>/: an action of the team actions log, its progress;
- /my-plans/<pk>/file/: a version of My Plan.
"""

from django.urls import path

from . import views

app_name = "custody"

urlpatterns = [
    path("cases/<int:pk>/custody/", views.CaseCustodyView.as_view(), name="case"),
    path("cases/<int:pk>/custody/sentences/new/", views.SentenceAddView.as_view(),
         name="sentence_add"),
    path("cases/<int:pk>/custody/events/new/", views.EventAddView.as_view(), name="event_add"),
    path("cases/<int:pk>/custody/conditions/new/", views.ConditionAddView.as_view(),
         name="condition_add"),
    path("cases/<int:pk>/custody/joint-visits/new/", views.JointVisitAddView.as_view(),
         name="joint_visit_add"),
    path("cases/<int:pk>/custody/breaches/new/", views.BreachAddView.as_view(),
         name="breach_add"),
    path("cases/<int:pk>/custody/team/new/", views.MemberAddView.as_view(), name="member_add"),
    path("cases/<int:pk>/custody/meetings/new/", views.MeetingArrangeView.as_view(),
         name="meeting_add"),
    path("cases/<int:pk>/custody/actions/new/", views.ActionAddView.as_view(),
         name="action_add"),
    path("cases/<int:pk>/custody/my-plan/new/", views.MyPlanAddView.as_view(),
         name="my_plan_add"),
    path("cases/<int:pk>/custody/pathway-reviews/new/", views.PathwayReviewAddView.as_view(),
         name="pathway_review_add"),
    path("breaches/<int:pk>/recall/", views.RecallDecideView.as_view(), name="recall"),
    path("joined-up-team/<int:pk>/", views.MemberEditView.as_view(), name="member"),
    path("planning-meetings/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("planning-meetings/<int:pk>/record/", views.MeetingRecordView.as_view(),
         name="meeting_record"),
    path("planning-meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(),
         name="meeting_cancel"),
    path("team-actions/<int:pk>/", views.ActionUpdateView.as_view(), name="action"),
    path("my-plans/<int:pk>/file/", views.MyPlanFileView.as_view(), name="my_plan_file"),
]
