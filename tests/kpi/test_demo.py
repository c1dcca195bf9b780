"""seed_demo's Board: seats, members, a rotated Chair and eight quarters of meetings."""

import pytest
from django.utils import timezone

from alerts.models import Rule
from alerts.registry import RULES
from kpi.periods import Period
from tests.helpers import demo  # noqa: F401  (the seeded world, once for the module)

pytestmark = pytest.mark.django_db


def test_the_demo_board_met_each_quarter_but_the_last_and_has_this_quarters_arranged(demo):  # noqa: F811
    from kpi.models import SmbChair, SmbMeeting, SmbMembership, SmbSeat
    from kpi.rules import quarter_subject
    from kpi.selectors import dashboard

    assert SmbSeat.objects.count() == 9
    assert SmbChair.objects.count() == 2
    today = timezone.localdate()
    held = SmbMeeting.objects.filter(status="held")
    assert held.count() == 6
    last = Period.quarter_of(today).previous()
    assert not held.filter(date__range=(last.start, today)).exists()
    assert SmbMeeting.objects.get(status="scheduled").date > today
    assert quarter_subject(last) in {
        row["subject_id"] for row in RULES[Rule.QUARTER_WITHOUT_SMB_MEETING].rows(today)}
    assert any(m.below_grade for m in SmbMembership.objects.select_related("seat"))
    kpi4 = next(item for item in dashboard(Period.quarter_of(today), today)
                if item["kpi"].number == 4)
    assert any(result.rag != "green" for result in kpi4["trend"] if result.denominator)
