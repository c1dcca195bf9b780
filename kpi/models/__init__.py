"""The Strategic Management Board (§15) and what its KPIs (§16.2) are measured from: the
Board (board), the quarterly snapshots, the running quarter's figures kept case by case
(running), the governance documents, the case audit and the annual report."""

from .annual import (  # noqa: F401
    AnnualReport,
    AnnualReportSection,
    AnnualReportStatus,
    SectionKind,
)
from .audits import (  # noqa: F401
    AUDIT_CHECKLIST,
    AUDIT_ITEMS,
    AuditAnswer,
    AuditedCase,
    CaseAudit,
)
from .board import (  # noqa: F401
    CHAIR_AGENCY_KINDS,
    SmbAction,
    SmbAttendance,
    SmbAttendanceStatus,
    SmbChair,
    SmbMeeting,
    SmbMeetingStatus,
    SmbMembership,
    SmbMinutes,
    SmbMinutesStatus,
    SmbSeat,
    TermQuerySet,
)
from .governance import (  # noqa: F401
    GovernanceDocument,
    GovernanceKind,
    private_governance_name,
)
from .running import (  # noqa: F401
    RunningDisclosure,
    RunningPlace,
    RunningReview,
    RunningStamp,
    StaleCase,
)
from .snapshots import (  # noqa: F401
    KpiSnapshot,
    SnapshotFrozen,
)
