"""The Risk Management Plan, level 1 reviews and home visits of a case, included by
cases/urls.py (namespace `cases`)."""

from django.urls import path

from . import plan_views as views

urlpatterns = [
    path("<int:pk>/plan/", views.PlanView.as_view(), name="plan"),
    path("<int:pk>/plan/new/", views.ActionAddView.as_view(), name="action_add"),
    path("<int:pk>/plan/carry/", views.CarryForwardView.as_view(), name="actions_carry"),
    path("<int:pk>/plan/<int:action_pk>/", views.ActionDetailView.as_view(),
         name="action_detail"),
    path("<int:pk>/plan/<int:action_pk>/edit/", views.ActionEditView.as_view(),
         name="action_edit"),
    path("<int:pk>/level-1-reviews/", views.Level1ReviewListView.as_view(),
         name="level1_reviews"),
    path("<int:pk>/level-1-reviews/new/", views.Level1ReviewAddView.as_view(),
         name="level1_review_add"),
    path("<int:pk>/home-visits/", views.HomeVisitListView.as_view(), name="home_visits"),
    path("<int:pk>/home-visits/new/", views.HomeVisitAddView.as_view(), name="home_visit_add"),
]
