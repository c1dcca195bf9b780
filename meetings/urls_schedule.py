"""Arranging and holding meetings (namespace `meetings`, included by meetings/urls.py): the
meetings list and page, scheduling, invitations, attendance and follow-ups; and the
Administrator's panel dates and standing membership."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="cancel"),
    path("<int:pk>/offender-information/", views.OffenderInformationView.as_view(),
         name="offender_information"),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    # Scheduling: from an accepted referral, or from the case.
    path("schedule/referral/<int:referral_pk>/", views.ScheduleView.as_view(),
         name="schedule_referral"),
    path("schedule/case/<int:nominal_pk>/", views.ScheduleView.as_view(), name="schedule"),
    # Invitations.
    path("<int:pk>/invitations/new/", views.InvitationAddView.as_view(),
         name="invitation_add"),
    path("<int:pk>/invitations/send/", views.InvitationsSendView.as_view(),
         name="invitations_send"),
    path("<int:pk>/invitations/check/", views.InvitationsBuildView.as_view(),
         name="invitations_build"),
    path("invitations/<int:pk>/answer/", views.RespondView.as_view(), name="respond"),
    path("invitations/<int:pk>/withdraw/", views.InvitationWithdrawView.as_view(),
         name="invitation_withdraw"),
    # Follow-ups of non-attendance (§10.10).
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_ups"),
    path("follow-ups/<int:pk>/close/", views.FollowUpCloseView.as_view(),
         name="follow_up_close"),
    # The Administrator's: panel dates (§10.6) and standing membership (§10.7).
    path("panels/", views.PanelListView.as_view(), name="panels"),
    path("panels/new/", views.PanelAddView.as_view(), name="panel_add"),
    path("panels/<int:pk>/cancel/", views.PanelCancelView.as_view(), name="panel_cancel"),
    path("standing/<str:level>/", views.StandingView.as_view(), name="standing"),
    path("standing/<str:level>/fill/", views.StandingFillView.as_view(),
         name="standing_fill"),
]
