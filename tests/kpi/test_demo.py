"""seed_demo's Board: seats, members, a rotated Chair and eight quarters of meetings."""

import pytest
from django.utils import timezone

from kpi.periods import Period
from tests.helpers import demo  # noqa: F401  (the seeded world, once for the module)

pytestmark = pytest.mark.django_db


def test_the_demo_board_has_seats_a_rotated_chair_and_eight_quarters_of_meetings(demo):  # noqa: F811
    from kpi.models import SmbChair, SmbMeeting, SmbMembership, SmbSeat
    from kpi.selectors import dashboard

    assert SmbSeat.objects.count() == 9
    assert SmbChair.objects.count() == 2
    assert SmbMeeting.objects.filter(status="held").count() >= 7
    assert any(m.below_grade for m in SmbMembership.objects.select_related("seat"))
    today = timezone.localdate()
    kpi4 = next(item for item in dashboard(Period.quarter_of(today), today)
                if item["kpi"].number == 4)
    assert any(result.rag != "green" for result in kpi4["trend"] if result.denominator)
