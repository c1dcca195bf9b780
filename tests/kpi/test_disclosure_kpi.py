"""KPI 3: the disclosure decision recorded in the final minutes of every level 2 and 3
meeting; deferrals shown apart, meetings without final minutes missed."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Level
from kpi.indicators import MEASURES
from kpi.periods import Period
from meetings.models import DisclosureDecision, Minutes, MinutesStatus
from tests.kpi.histories import case_at, coordinator, meeting

pytestmark = pytest.mark.django_db

Q2 = Period(2026, 2)
AFTER = date(2026, 8, 1)


def _minutes(held, status, decision="", considered=True, number=1):
    return Minutes.objects.create(meeting=held, number=number, status=status,
                                  disclosure_considered=considered,
                                  disclosure_decision=decision, drafted_by=coordinator())


def test_disclosure_decision_recorded_deferred_or_missing():
    case = case_at(Level.THREE, date(2026, 4, 1))
    recorded = meeting(case, date(2026, 4, 1), Level.THREE)
    _minutes(recorded, MinutesStatus.FINAL, DisclosureDecision.NOT_DISCLOSE)
    deferred = meeting(case, date(2026, 4, 20), Level.THREE)
    _minutes(deferred, MinutesStatus.FINAL, DisclosureDecision.DEFER)
    draft_only = meeting(case, date(2026, 5, 10), Level.THREE)
    _minutes(draft_only, MinutesStatus.DRAFT, DisclosureDecision.DISCLOSE)
    meeting(case, date(2026, 5, 30), Level.TWO)  # no minutes at all
    silent = meeting(case, date(2026, 6, 10), Level.THREE)
    _minutes(silent, MinutesStatus.FINAL, considered=False)
    meeting(case, date(2026, 6, 11), Level.ONE)  # level 1: not in KPI 3

    result = MEASURES[3](Q2, today=AFTER)

    assert (result.numerator, result.denominator) == (2, 5)
    assert result.extra["deferred"] == 1
    assert result.extra["no_final_minutes"] == 2
    assert result.extra["no_decision"] == 1
    assert result.rag == "red"


def test_a_superseded_version_does_not_count_only_the_current_final():
    case = case_at(Level.TWO, date(2026, 4, 1))
    held = meeting(case, date(2026, 4, 1), Level.TWO)
    _minutes(held, MinutesStatus.SUPERSEDED, DisclosureDecision.DISCLOSE)
    _minutes(held, MinutesStatus.FINAL, considered=False, number=2)

    assert MEASURES[3](Q2, today=AFTER).numerator == 0


def test_kpi3_takes_the_same_queries_whatever_the_number_of_meetings():
    def count():
        with CaptureQueriesContext(connection) as queries:
            MEASURES[3](Q2, today=AFTER)
        return len(queries)

    case = case_at(Level.TWO, date(2026, 4, 1))
    _minutes(meeting(case, date(2026, 4, 1), Level.TWO), MinutesStatus.FINAL, "disclose")
    few = count()
    for day in (2, 3, 4):
        _minutes(meeting(case, date(2026, 5, day), Level.TWO), MinutesStatus.FINAL, "defer")
    assert count() == few == 3
