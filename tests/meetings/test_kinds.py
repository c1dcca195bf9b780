"""One registry of meeting kinds (meetings/kinds.py): the JMAPP levels with the behaviour they
always had, the Support Planning Meeting beside them; what each declares is what the code
does."""

from __future__ import annotations

import pytest
from django.apps import apps

from alerts.models import Rule
from meetings.kinds import KINDS, Attends, jmapp_kinds
from meetings.models import KIND_LEVEL, Meeting, MeetingKind, Minutes
from meetings.services.minutes import finalise_problems
from tests.factories import make_nominal, make_user
from tests.kpi.histories import meeting

pytestmark = pytest.mark.django_db


def test_the_offender_never_attends_a_jmapp_meeting_and_the_person_always_attends_an_spm():
    assert {kind.attends for kind in jmapp_kinds()} == {Attends.NEVER}
    assert KINDS["support_planning"].attends == Attends.ALWAYS


def test_the_jmapp_kinds_are_the_meeting_kinds_with_their_levels():
    assert [(k.code, k.label) for k in jmapp_kinds()] == list(MeetingKind.choices)
    assert KIND_LEVEL == {"level_1": "1", "level_2": "2", "level_3": "3", "emergency_2": "2",
                          "emergency_3": "3"}


def test_each_kind_is_kept_by_a_model_and_watched_by_rules_of_the_sweep():
    for kind in KINDS.values():
        model = apps.get_model(kind.record)
        for section in kind.sections:
            model_field = (Minutes if model is Meeting else model)._meta.get_field(section.name)
            assert model_field is not None
        assert set(kind.rules) <= set(Rule.values), kind.code


def test_the_sections_a_jmapp_kind_requires_are_those_finalising_asks_for(coordinator):
    nominal = make_nominal(actor=coordinator)
    from datetime import date

    held = meeting(nominal, date(2026, 3, 2), "2", actor=coordinator)
    minutes = Minutes(meeting=held, drafted_by=make_user(), confidentiality_read=False)
    asked = set(finalise_problems(minutes, actions=[])) - {"plan"}
    assert asked == set(KINDS["level_2"].required)
