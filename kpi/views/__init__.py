"""The Board's pages: its figures (the dashboard, the rows behind a figure, the export and the
performance pack) and the Board itself (seats, members, Chair, meetings and attendance, and
its governance documents), the quarterly case audit, and the annual report."""

from .annual import (
    AnnualReportAnnexView,
    AnnualReportApproveView,
    AnnualReportEditView,
    AnnualReportListView,
    AnnualReportPdfView,
    AnnualReportPublishView,
    AnnualReportStartView,
    AnnualReportView,
    SectionAddView,
    SectionEditView,
    SectionRemoveView,
)
from .audits import AuditDetailView, AuditDrawView, AuditedCaseScoreView, AuditListView
from .board import (
    AppointView,
    AttendanceView,
    BoardView,
    ChairView,
    EscalationCloseView,
    EscalationsView,
    GovernanceAddView,
    GovernanceEditView,
    GovernanceFileView,
    GovernanceListView,
    MeetingArrangeView,
    MeetingDetailView,
    SmbActionAddView,
    SmbActionDoneView,
    SmbMinutesFinaliseView,
    SmbMinutesView,
)
from .figures import DashboardView, KpiDetailView, KpiExportView, PerformancePackView

__all__ = [
    "AnnualReportAnnexView", "AnnualReportApproveView", "AnnualReportEditView",
    "AnnualReportListView", "AnnualReportPdfView", "AnnualReportPublishView",
    "AnnualReportStartView", "AnnualReportView", "SectionAddView", "SectionEditView",
    "SectionRemoveView",
    "AuditDetailView", "AuditDrawView", "AuditListView", "AuditedCaseScoreView",
    "AppointView", "AttendanceView", "BoardView", "ChairView", "DashboardView",
    "EscalationCloseView", "EscalationsView", "GovernanceAddView", "GovernanceEditView",
    "GovernanceFileView", "GovernanceListView",
    "KpiDetailView", "KpiExportView", "MeetingArrangeView", "MeetingDetailView",
    "PerformancePackView", "SmbActionAddView", "SmbActionDoneView", "SmbMinutesFinaliseView",
    "SmbMinutesView",
]
