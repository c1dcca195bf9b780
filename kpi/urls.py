"""The Board's pages (namespace `kpi`): the dashboard and the rows behind a figure; the Board
itself under board/ (seats, members, Chair); board-meetings/ its meetings, their minutes and
actions (board-actions/ an action done); governance/ its documents and their reviews; audits/
and audited-cases/ the quarterly case audit; escalations/ non-attendance escalated to the
Board (§10.10); annual-reports/ the annual report by year (§15.5), annual-report-sections/
its sections."""

from django.urls import path

from . import views

app_name = "kpi"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("board/seats/<int:pk>/appoint/", views.AppointView.as_view(), name="appoint"),
    path("board/chair/", views.ChairView.as_view(), name="chair"),
    path("board-meetings/new/", views.MeetingArrangeView.as_view(), name="board_meeting_add"),
    path("board-meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="board_meeting"),
    path("board-meetings/<int:pk>/attendance/", views.AttendanceView.as_view(),
         name="attendance"),
    path("audits/", views.AuditListView.as_view(), name="audits"),
    path("audits/new/", views.AuditDrawView.as_view(), name="audit_draw"),
    path("audits/<int:pk>/", views.AuditDetailView.as_view(), name="audit"),
    path("audited-cases/<int:pk>/", views.AuditedCaseScoreView.as_view(), name="audit_score"),
    path("board-meetings/<int:pk>/minutes/", views.SmbMinutesView.as_view(),
         name="board_minutes"),
    path("board-meetings/<int:pk>/minutes/finalise/", views.SmbMinutesFinaliseView.as_view(),
         name="board_minutes_finalise"),
    path("board-meetings/<int:pk>/actions/new/", views.SmbActionAddView.as_view(),
         name="board_action_add"),
    path("board-actions/<int:pk>/done/", views.SmbActionDoneView.as_view(),
         name="board_action_done"),
    path("escalations/", views.EscalationsView.as_view(), name="escalations"),
    path("escalations/<int:pk>/", views.EscalationCloseView.as_view(),
         name="escalation_close"),
    path("governance/", views.GovernanceListView.as_view(), name="governance"),
    path("governance/new/", views.GovernanceAddView.as_view(), name="governance_add"),
    path("governance/<int:pk>/", views.GovernanceEditView.as_view(), name="governance_edit"),
    path("governance/<int:pk>/file/", views.GovernanceFileView.as_view(),
         name="governance_file"),
    path("annual-reports/", views.AnnualReportListView.as_view(), name="annual_reports"),
    path("annual-reports/new/", views.AnnualReportStartView.as_view(),
         name="annual_report_start"),
    path("annual-reports/<int:year>/", views.AnnualReportView.as_view(), name="annual_report"),
    path("annual-reports/<int:year>/statistics/", views.AnnualReportEditView.as_view(),
         name="annual_report_edit"),
    path("annual-reports/<int:year>/sections/new/", views.SectionAddView.as_view(),
         name="annual_section_add"),
    path("annual-reports/<int:year>/approve/", views.AnnualReportApproveView.as_view(),
         name="annual_report_approve"),
    path("annual-reports/<int:year>/publish/", views.AnnualReportPublishView.as_view(),
         name="annual_report_publish"),
    path("annual-reports/<int:year>/report.pdf", views.AnnualReportPdfView.as_view(),
         name="annual_report_pdf"),
    path("annual-reports/<int:year>/annex.csv", views.AnnualReportAnnexView.as_view(),
         name="annual_report_annex"),
    path("annual-report-sections/<int:pk>/", views.SectionEditView.as_view(),
         name="annual_section_edit"),
    path("annual-report-sections/<int:pk>/remove/", views.SectionRemoveView.as_view(),
         name="annual_section_remove"),
    path("<str:period>/pack.pdf", views.PerformancePackView.as_view(), name="pack"),
    path("<str:period>/figures/<int:number>/", views.KpiDetailView.as_view(), name="detail"),
    path("<str:period>/figures/<int:number>/export.csv", views.KpiExportView.as_view(),
         name="export"),
]
