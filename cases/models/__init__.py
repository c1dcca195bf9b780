"""The register's data: the nominal and the invariants of one row (nominal.py), the parts of
its record (record.py: aliases, addresses, level history, risk of serious harm, risk
assessments, transfers, deviations, status changes), the retention review (retention.py)
and who is on the case (team.py: the team, the agencies, exclusions, named access,
victims). Imported from here as before."""

from .chronology import ContactEntry, ContactKind  # noqa: F401
from .nominal import (  # noqa: F401
    CAT3_MESSAGE,
    ORDER_MESSAGE,
    PDP_MESSAGE,
    RISK_ORDER,
    CaseChild,
    CaseChildQuerySet,
    Cat3Disposal,
    Category,
    Consent,
    CustodyStatus,
    Eligibility,
    Gender,
    Level,
    Nominal,
    NominalGroupObjectPermission,
    NominalQuerySet,
    NominalUserObjectPermission,
    OrderType,
    RiskLevel,
    Status,
    name_sort_key,
)
from .record import (  # noqa: F401
    CPO_MESSAGE,
    Address,
    Alias,
    AliasKind,
    Deviation,
    LevelChange,
    RiskAssessment,
    RiskTool,
    RoshAssessment,
    StatusChange,
    Transfer,
    TransferDirection,
    TransferStatus,
)
from .retention import RETENTION_YEARS, RetentionReview, retention_due  # noqa: F401
from .team import (  # noqa: F401
    TEAM_ROLES_THAT_CHANGE,
    AgeBand,
    CaseAgency,
    Exclusion,
    NamedAccess,
    TeamMember,
    TeamMemberQuerySet,
    TeamRole,
    Victim,
)
