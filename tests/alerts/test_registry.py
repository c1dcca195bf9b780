"""Each rule names who must act, even where its subject names nobody."""

from alerts.models import Rule
from alerts.registry import RULES
from jmappa.accounts.models import Role


def test_every_rule_of_the_guidance_is_registered():
    assert set(RULES) == set(Rule.values)


def test_every_rule_falls_back_to_a_role_when_nobody_is_named():
    # An overdue action with no named owner at an agency with no SPOC still reaches someone.
    assert {code: spec.assigned_role for code, spec in RULES.items()
            if spec.assigned_role not in Role.values} == {}
