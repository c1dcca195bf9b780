"""The plan's own app: the minutes read it through meetings' plan source, and the audit
rows written before the move still name a record the case page can describe."""

from jmappa.audit.wording import record_kind as _record_kind
from meetings import plan_source
from plans import selectors
from plans.models import ActionType


def test_the_plan_app_is_the_source_the_minutes_read():
    assert plan_source.current() is selectors


def test_the_minutes_name_the_plans_own_action_type_codes():
    assert plan_source.ActionType.VICTIM_PROTECTION == ActionType.VICTIM_PROTECTION
    assert plan_source.ActionType.CONTINGENCY == ActionType.CONTINGENCY


def test_audit_rows_written_before_the_move_still_say_what_record_they_are_about():
    assert _record_kind("cases.planaction") == _record_kind("plans.planaction") == "Action"
    assert _record_kind("cases.level1review") == "Level 1 review"
    assert _record_kind("cases.homevisit") == "Home visit"
