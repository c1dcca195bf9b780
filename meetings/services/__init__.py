"""Every write about arranging and holding JMAPP meetings (§10), and about their minutes:
one transaction each, with its audit event. A module per job:

- panels: the set monthly dates of level 2 and 3 meetings (§10.6);
- standing: who each agency sends, at what seniority (§10.7);
- scheduling: a meeting of a case, its cancellation, the offender's written information;
- invitations: built, sent, withdrawn, answered (§10.7, §10.8, §11);
- attendance: holding the meeting, the seniority check, the follow-ups (§10.10);
- minutes: drafting, finalising, corrections (§10.12);
- distribution: final minutes to the SPOCs, the Chair's consent to share them.

The emails are meetings/notify.py; the reads, meetings/selectors.py. The names below are
those of the arranging and holding of meetings, for `from meetings import services`.
"""

from ..models import KIND_LEVEL
from ..selectors import review_due
from .attendance import (
    follow_up_close,
    meeting_record_attendance,
    meets_seniority,
    minutes_final,
)
from .common import local_datetime, upcoming_from
from .invitations import (
    CHILDREN_AT_RISK,
    children_at_risk,
    invitation_add,
    invitation_candidates,
    invitation_respond,
    invitation_withdraw,
    invitations_build,
    invitations_remind,
    invitations_send,
    seat_gaps,
    unanswered,
)
from .panels import (
    MAX_SERIES_MONTHS,
    monthly_dates,
    panel_date_add,
    panel_date_cancel,
    panel_dates_add_monthly,
)
from .scheduling import (
    PANEL_KINDS,
    chair_problem,
    due_date,
    late_message,
    meeting_cancel,
    meeting_offender_information_set,
    meeting_schedule,
)
from .standing import (
    DEFAULT_STANDING,
    SeatRefused,
    default_seats,
    standing_membership_fill,
    standing_membership_set,
    standing_memberships_save,
)

__all__ = [
    "CHILDREN_AT_RISK", "DEFAULT_STANDING", "KIND_LEVEL", "MAX_SERIES_MONTHS", "PANEL_KINDS",
    "SeatRefused", "chair_problem", "children_at_risk", "default_seats",
    "due_date", "follow_up_close", "invitation_add", "invitation_candidates",
    "invitation_respond", "invitation_withdraw", "invitations_build", "invitations_remind",
    "invitations_send",
    "late_message", "local_datetime", "meeting_cancel", "meeting_offender_information_set",
    "meeting_record_attendance", "meeting_schedule", "meets_seniority", "minutes_final",
    "monthly_dates", "panel_date_add", "panel_date_cancel", "panel_dates_add_monthly",
    "review_due", "seat_gaps", "standing_membership_fill", "standing_membership_set",
    "standing_memberships_save", "unanswered", "upcoming_from",
]
