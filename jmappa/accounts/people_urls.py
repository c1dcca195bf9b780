"""The people, their API tokens and lock-outs, as the Co-ordinator and Administrators keep
them (the Django admin is for superusers only)."""

from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("new/", views.PersonCreateView.as_view(), name="add"),
    path("<int:pk>/", views.PersonChangeView.as_view(), name="change"),
    path("<int:pk>/active/", views.PersonActiveView.as_view(), name="active"),
    path("<int:pk>/password-link/", views.PersonPasswordLinkView.as_view(),
         name="password_link"),
    path("<int:pk>/token/", views.ApiTokenIssueView.as_view(), name="token_issue"),
    path("tokens/", views.ApiTokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="token_revoke"),
    path("lockouts/", views.LockoutListView.as_view(), name="lockouts"),
    path("lockouts/<int:pk>/clear/", views.LockoutClearView.as_view(), name="lockout_clear"),
]
