"""The case register's forms: the nominal itself and what every form of the register
shares (nominal.py), the parts of the record (record.py), the Co-ordinator's access
decisions (access_decisions.py)."""

from ..models import CAT3_MESSAGE  # noqa: F401 (the forms speak the model's words)
from .access_decisions import ExclusionForm, RestrictForm
from .nominal import (
    NOT_IN_FUTURE,
    PHOTO_MAX_BYTES,
    RESTRICTED_MESSAGE,
    NominalCreateForm,
    NominalEditForm,
    NominalForm,
    StatusForm,
)
from .record import (
    TEAM_ROLES_ON_THE_RECORD,
    AddressForm,
    AliasForm,
    DeviationForm,
    LevelForm,
    RiskAssessmentForm,
    RoshForm,
    TeamEndForm,
    TeamMemberForm,
    TransferForm,
    VictimForm,
)

__all__ = [
    "NOT_IN_FUTURE", "PHOTO_MAX_BYTES",
    "RESTRICTED_MESSAGE", "TEAM_ROLES_ON_THE_RECORD", "AddressForm", "AliasForm",
    "DeviationForm", "ExclusionForm", "LevelForm", "NominalCreateForm", "NominalEditForm",
    "NominalForm", "RestrictForm", "RiskAssessmentForm", "RoshForm", "StatusForm",
    "TeamEndForm", "TeamMemberForm", "TransferForm", "VictimForm",
]
