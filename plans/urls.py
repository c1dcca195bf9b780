"""The plan's pages (namespace `plans`), mounted at the site's root: each path is written
in full, as it has always been addressed.

- /cases/<case>/plan/...: the case's Risk Management Plan and its actions;
- /cases/<case>/level-1-reviews/ and /cases/<case>/home-visits/: the supervision around it;
- /home-visits/: the home-visit schedule across the user's caseload;
- /actions/: "My actions", the open actions a practitioner or their agency owns, and the
  quick progress entry of each row.
"""

from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("cases/<int:pk>/plan/", views.PlanView.as_view(), name="plan"),
    # The Plan section of the case's page (cases.sections).
    path("cases/<int:pk>/plan/summary/", views.CasePlanView.as_view(), name="case"),
    path("cases/<int:pk>/plan/new/", views.ActionAddView.as_view(), name="action_add"),
    path("cases/<int:pk>/plan/carry/", views.CarryForwardView.as_view(), name="actions_carry"),
    path("cases/<int:pk>/plan/<int:action_pk>/", views.ActionDetailView.as_view(),
         name="action_detail"),
    path("cases/<int:pk>/plan/<int:action_pk>/edit/", views.ActionEditView.as_view(),
         name="action_edit"),
    path("cases/<int:pk>/level-1-reviews/", views.Level1ReviewListView.as_view(),
         name="level1_reviews"),
    path("cases/<int:pk>/level-1-reviews/new/", views.Level1ReviewAddView.as_view(),
         name="level1_review_add"),
    path("cases/<int:pk>/home-visits/", views.HomeVisitListView.as_view(), name="home_visits"),
    path("cases/<int:pk>/home-visits/new/", views.HomeVisitAddView.as_view(),
         name="home_visit_add"),
    path("home-visits/", views.HomeVisitScheduleView.as_view(), name="visit_schedule"),
    path("actions/", views.MyActionsView.as_view(), name="mine"),
    path("actions/<int:pk>/progress/", views.ProgressRowView.as_view(), name="progress"),
]
