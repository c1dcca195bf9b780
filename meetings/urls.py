"""Meetings (namespace `meetings`): the meetings list and page, scheduling, invitations,
attendance and follow-ups; the Administrator's panel dates and standing membership; the
minutes of a meeting (`pk` is the meeting's): drafting and finalising, the versions,
corrections, distribution, the Chair's consent to share, the PDF."""

from django.urls import path

from . import pdf
from .views import attendance, case, invitations, minutes, panels, schedule, standing

app_name = "meetings"
urlpatterns = [
    path("", schedule.MeetingListView.as_view(), name="list"),
    path("<int:pk>/", schedule.MeetingDetailView.as_view(), name="detail"),
    # The Meetings section of a case's page (cases.sections); `pk` is the case's.
    path("case/<int:pk>/", case.CaseMeetingsView.as_view(), name="case"),
    path("<int:pk>/cancel/", schedule.MeetingCancelView.as_view(), name="cancel"),
    path("<int:pk>/offender-information/", schedule.OffenderInformationView.as_view(),
         name="offender_information"),
    path("<int:pk>/attendance/", attendance.AttendanceView.as_view(), name="attendance"),
    # Scheduling: from an accepted referral, or from the case.
    path("schedule/referral/<int:referral_pk>/", schedule.ScheduleView.as_view(),
         name="schedule_referral"),
    path("schedule/case/<int:nominal_pk>/", schedule.ScheduleView.as_view(), name="schedule"),
    # Invitations.
    path("<int:pk>/invitations/new/", invitations.InvitationAddView.as_view(),
         name="invitation_add"),
    path("<int:pk>/invitations/send/", invitations.InvitationsSendView.as_view(),
         name="invitations_send"),
    path("<int:pk>/invitations/remind/", invitations.InvitationsRemindView.as_view(),
         name="invitations_remind"),
    path("<int:pk>/invitations/check/", invitations.InvitationsBuildView.as_view(),
         name="invitations_build"),
    path("invitations/<int:pk>/answer/", invitations.RespondView.as_view(), name="respond"),
    path("invitations/<int:pk>/withdraw/", invitations.InvitationWithdrawView.as_view(),
         name="invitation_withdraw"),
    # Follow-ups of non-attendance (§10.10).
    path("follow-ups/", attendance.FollowUpListView.as_view(), name="follow_ups"),
    path("follow-ups/<int:pk>/close/", attendance.FollowUpCloseView.as_view(),
         name="follow_up_close"),
    # The Administrator's: panel dates (§10.6) and standing membership (§10.7).
    path("panels/", panels.PanelListView.as_view(), name="panels"),
    path("panels/day/", panels.PanelDayView.as_view(), name="panel_day"),
    path("panels/new/", panels.PanelAddView.as_view(), name="panel_add"),
    path("panels/<int:pk>/cancel/", panels.PanelCancelView.as_view(), name="panel_cancel"),
    path("standing/<str:level>/", standing.StandingView.as_view(), name="standing"),
    path("standing/<str:level>/fill/", standing.StandingFillView.as_view(),
         name="standing_fill"),
    # Minutes: drafting, finalising, corrections, distribution, the PDF.
    path("<int:pk>/minutes/", minutes.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/minutes/start/", minutes.StartView.as_view(), name="minutes_start"),
    path("<int:pk>/minutes/version/<int:number>/", minutes.ReadView.as_view(),
         name="minutes_version"),
    path("<int:pk>/minutes/correct/", minutes.CorrectView.as_view(), name="minutes_correct"),
    path("<int:pk>/minutes/distribute/", minutes.DistributeView.as_view(),
         name="minutes_distribute"),
    path("<int:pk>/minutes/consent/", minutes.ConsentView.as_view(), name="minutes_consent"),
    path("<int:pk>/minutes/pdf/", pdf.MinutesPdfView.as_view(), name="minutes_pdf"),
    path("<int:pk>/minutes/version/<int:number>/pdf/", pdf.MinutesPdfView.as_view(),
         name="minutes_version_pdf"),
]
