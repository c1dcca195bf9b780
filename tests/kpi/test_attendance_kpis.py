"""KPI 4 (each SMB member at the Board's meetings) and KPI 5 (each invited agency, at the
seniority asked, at level 2 and 3 meetings), on hand-built histories."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Level
from jmappa.accounts.models import AgencyKind, Grade, Role
from kpi import services
from kpi.indicators import kpi4_smb_attendance, kpi5_agency_attendance
from kpi.models import SmbAttendanceStatus as S
from kpi.periods import Period
from meetings.models import Attendance, AttendanceMode, Invitation, MeetingStatus
from tests.factories import make_agency, make_user
from tests.kpi.histories import case_at, coordinator, meeting

pytestmark = pytest.mark.django_db

Q2 = Period(2026, 2)
AFTER = date(2026, 8, 1)


@pytest.fixture
def board():
    actor = coordinator()
    police = make_agency("Police", AgencyKind.POLICE)
    housing = make_agency("Housing", AgencyKind.HOUSING)
    police_seat = services.smb_seat_create(
        name="Police Service", agency=police, seniority="Superintendent or above",
        minimum_grade=Grade.SENIOR_MANAGER, actor=actor)
    housing_seat = services.smb_seat_create(
        name="Housing", agency=housing, seniority="Senior management",
        minimum_grade=Grade.SENIOR_MANAGER, actor=actor)
    superintendent = make_user(roles=[Role.SMB_MEMBER], agency=police,
                               grade=Grade.SENIOR_MANAGER)
    housing_manager = make_user(roles=[Role.SMB_MEMBER], agency=housing,
                                grade=Grade.MIDDLE_MANAGER)
    return {
        "actor": actor,
        "police": services.smb_member_appoint(seat=police_seat, member=superintendent,
                                              on=date(2025, 1, 1), actor=actor),
        "housing": services.smb_member_appoint(seat=housing_seat, member=housing_manager,
                                               on=date(2025, 1, 1), actor=actor),
        "housing_seat": housing_seat,
    }


def _held(board, day, **statuses):
    meeting_ = services.smb_meeting_create(on=day, actor=board["actor"])
    attendance = {board[name].pk: (status, "A Deputy" if status == S.DEPUTY else "")
                  for name, status in statuses.items()}
    return services.smb_meeting_record(meeting=meeting_, attendance=attendance,
                                       actor=board["actor"])


def _group(result, membership):
    return next(g for g in result.groups if g["id"] == membership.pk)


def test_smb_member_attendance_per_member_with_deputies_apart(board):
    _held(board, date(2026, 4, 10), police=S.PRESENT, housing=S.PRESENT)
    _held(board, date(2026, 5, 10), police=S.PRESENT, housing=S.DEPUTY)
    _held(board, date(2026, 6, 10), police=S.PRESENT, housing=S.APOLOGIES)

    result = kpi4_smb_attendance(Q2, today=AFTER)

    assert (result.numerator, result.denominator) == (4, 6)
    police, housing = _group(result, board["police"]), _group(result, board["housing"])
    assert (police["numerator"], police["denominator"], police["rag"]) == (3, 3, "green")
    assert (housing["numerator"], housing["deputy"], housing["apologies"]) == (1, 1, 1)
    assert housing["rag"] == "red"
    assert result.extra["members_at_target"] == 1


def test_smb_member_below_the_seats_grade_is_flagged(board):
    _held(board, date(2026, 4, 10), police=S.PRESENT, housing=S.PRESENT)

    result = kpi4_smb_attendance(Q2, today=AFTER)

    assert _group(result, board["housing"])["below_grade"] is True
    assert _group(result, board["police"])["below_grade"] is False


def test_a_member_is_measured_only_on_the_meetings_while_they_held_the_seat(board):
    _held(board, date(2026, 4, 10), police=S.PRESENT, housing=S.ABSENT)
    newcomer = make_user(roles=[Role.SMB_MEMBER], grade=Grade.SENIOR_MANAGER)
    successor = services.smb_member_appoint(seat=board["housing_seat"], member=newcomer,
                                            on=date(2026, 5, 1), actor=board["actor"])
    board["successor"] = successor
    _held(board, date(2026, 5, 10), police=S.PRESENT, successor=S.PRESENT)

    result = kpi4_smb_attendance(Q2, today=AFTER)

    assert _group(result, board["housing"])["denominator"] == 1
    assert _group(result, successor)["numerator"] == _group(result, successor)["denominator"] == 1


def test_recording_a_board_meeting_accounts_for_every_member(board):
    meeting_ = services.smb_meeting_create(on=date(2026, 4, 10), actor=board["actor"])
    with pytest.raises(ValidationError) as refused:
        services.smb_meeting_record(meeting=meeting_, actor=board["actor"],
                                    attendance={board["police"].pk: (S.DEPUTY, "")})
    assert f"member_{board['police'].pk}" in refused.value.message_dict
    assert f"member_{board['housing'].pk}" in refused.value.message_dict


def test_chair_rotates_among_police_probation_and_prison_seniors(board):
    actor = board["actor"]
    police_chair = make_user(agency=make_agency("SOJP", AgencyKind.POLICE),
                             grade=Grade.SENIOR_MANAGER)
    probation_chair = make_user(agency=make_agency("Probation", AgencyKind.PROBATION),
                                grade=Grade.EXECUTIVE)
    first = services.smb_chair_appoint(member=police_chair, on=date(2025, 1, 1), actor=actor)
    services.smb_chair_appoint(member=probation_chair, on=date(2026, 1, 1), actor=actor)

    first.refresh_from_db()
    assert first.date_to == date(2025, 12, 31)
    assert services.chair_on(date(2025, 6, 1)).member == police_chair
    assert services.chair_on(date(2026, 6, 1)).member == probation_chair
    with pytest.raises(ValidationError):
        services.smb_chair_appoint(member=make_user(agency=make_agency("H", AgencyKind.HOUSING),
                                                    grade=Grade.EXECUTIVE),
                                   on=date(2026, 6, 1), actor=actor)


# -- KPI 5 ----------------------------------------------------------------------------------


def _invite(meeting_, agency):
    Invitation.objects.create(meeting=meeting_, agency=agency, name="Invitee",
                              reason="standing")


def _attend(meeting_, agency, mode, meets=True, recorder=None):
    Attendance.objects.create(meeting=meeting_, agency=agency, mode=mode, meets_seniority=meets,
                              recorded_by=recorder or coordinator())


@pytest.fixture
def agencies():
    return {kind: make_agency(f"Agency {kind}", kind) for kind in (
        AgencyKind.POLICE, AgencyKind.PROBATION, AgencyKind.HOUSING,
        AgencyKind.HEALTH_SOCIAL_SERVICES, AgencyKind.EDUCATION)}


def test_agency_attendance_counts_report_only_and_remote_not_below_seniority(agencies):
    case = case_at(Level.TWO, date(2026, 4, 1))
    held = meeting(case, date(2026, 4, 20), Level.TWO)
    for agency in agencies.values():
        _invite(held, agency)
    _attend(held, agencies[AgencyKind.POLICE], AttendanceMode.IN_PERSON)
    _attend(held, agencies[AgencyKind.PROBATION], AttendanceMode.REPORT_ONLY, meets=None)
    _attend(held, agencies[AgencyKind.HOUSING], AttendanceMode.IN_PERSON, meets=False)
    _attend(held, agencies[AgencyKind.HEALTH_SOCIAL_SERVICES], AttendanceMode.VIDEO)
    # Education was invited and did not come.

    result = kpi5_agency_attendance(Q2, today=AFTER)

    assert (result.numerator, result.denominator) == (3, 5)
    assert result.extra["report"] == 1
    assert result.extra["below_seniority"] == 1
    assert result.extra["remote"] == 1
    assert result.extra["absent"] == 1
    outcome = {row["agency_id"]: row["outcome"] for row in result.rows}
    assert outcome[agencies[AgencyKind.HOUSING].pk] == "below_seniority"
    assert all(row["reference"] == case.reference for row in result.rows)


def test_the_best_of_an_agencys_attendees_decides_its_place(agencies):
    police = agencies[AgencyKind.POLICE]
    case = case_at(Level.THREE, date(2026, 4, 1))
    held = meeting(case, date(2026, 4, 20), Level.THREE)
    _invite(held, police)
    _invite(held, police)
    _attend(held, police, AttendanceMode.IN_PERSON, meets=False)
    _attend(held, police, AttendanceMode.TELEPHONE, meets=True)

    result = kpi5_agency_attendance(Q2, today=AFTER)

    assert (result.numerator, result.denominator) == (1, 1)
    assert result.rows[0]["outcome"] == "remote"


def test_agency_attendance_leaves_out_level1_unheld_meetings_and_withdrawn_invitations(
        agencies):
    police, housing = agencies[AgencyKind.POLICE], agencies[AgencyKind.HOUSING]
    case = case_at(Level.TWO, date(2026, 4, 1))
    level1 = meeting(case, date(2026, 4, 2), Level.ONE)
    scheduled = meeting(case, date(2026, 4, 3), Level.TWO, status=MeetingStatus.SCHEDULED)
    held = meeting(case, date(2026, 4, 20), Level.TWO, emergency=True)
    for meeting_ in (level1, scheduled, held):
        _invite(meeting_, police)
    Invitation.objects.create(meeting=held, agency=housing, name="Withdrawn",
                              reason="standing", withdrawn_at=timezone.now())

    result = kpi5_agency_attendance(Q2, today=AFTER)

    assert result.denominator == 1
    assert result.rows[0]["meeting_id"] == held.pk


def test_attendance_kpis_take_the_same_queries_whatever_the_number_of_meetings(
        agencies, board):
    def count(measure):
        with CaptureQueriesContext(connection) as queries:
            measure(Q2, today=AFTER)
        return len(queries)

    case = case_at(Level.TWO, date(2026, 4, 1))
    _invite(meeting(case, date(2026, 4, 20), Level.TWO), agencies[AgencyKind.POLICE])
    _held(board, date(2026, 4, 10), police=S.PRESENT, housing=S.PRESENT)
    few = count(kpi5_agency_attendance), count(kpi4_smb_attendance)
    for day in (5, 6, 7):
        held = meeting(case, date(2026, 5, day), Level.TWO)
        for agency in agencies.values():
            _invite(held, agency)
            _attend(held, agency, AttendanceMode.IN_PERSON)
        _held(board, date(2026, 5, day), police=S.PRESENT, housing=S.DEPUTY)
    assert (count(kpi5_agency_attendance), count(kpi4_smb_attendance)) == few == (3, 3)
