"""The people and records of the disclosure tests: Alice (Co-ordinator, chairs), Bob (police
practitioner, the case manager), Charlie (Housing, not on the case), Victor (Assistant Chief
Constable, who endorses), Sam (a Superintendent: senior, not of chief-officer grade)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cases.models import Level
from disclosure.models import OffenderInvolvement, RecipientKind, Trigger
from disclosure.services import disclosures
from jmappa.accounts.models import AgencyKind, Grade, Role
from meetings.models import MeetingKind
from meetings.services import minutes as minutes_services
from tests.factories import make_agency, make_nominal, make_user
from tests.meetings.test_minutes_services import complete, make_full_plan, make_meeting


@pytest.fixture
def probation(db):
    return make_agency("Probation", AgencyKind.PROBATION)


@pytest.fixture
def administrator(police):
    return make_user("ada", roles=[Role.ADMINISTRATOR], agency=police, first_name="Ada",
                     last_name="Administrator")


@pytest.fixture
def senior_officer(police):
    return make_user("victor", roles=[Role.PRACTITIONER], agency=police, grade=Grade.EXECUTIVE,
                     first_name="Victor", last_name="Endorser",
                     job_title="Assistant Chief Constable")


@pytest.fixture
def superintendent(police):
    return make_user("sam", roles=[Role.PRACTITIONER], agency=police,
                     grade=Grade.SENIOR_MANAGER, first_name="Sam", last_name="Superintendent")


@pytest.fixture
def nominal(coordinator, practitioner):
    return make_nominal(actor=coordinator, case_manager=practitioner, level=Level.THREE,
                        level_reason="Accepted at level 3", given_names="Terence",
                        family_name="Le Marquand")


@pytest.fixture
def meeting(nominal, coordinator):
    return make_meeting(nominal, chair=coordinator, kind=MeetingKind.LEVEL_3)


@pytest.fixture
def draft(meeting, administrator):
    return minutes_services.minutes_start(meeting=meeting, actor=administrator)


def agreed_fields(**overrides) -> dict:
    fields = {
        "recipient_name": "Gerald Pallot",
        "recipient_kind": RecipientKind.EMPLOYER,
        "recipient_role": "Manager, Pallot Garden Centre",
        "recipient_relationship": "His new employer",
        "recipient_contact": "01534 000000",
        "trigger": Trigger.GROOMING,
        "risk_to_offender": "Low: the employer is discreet and the workforce is small.",
        "recipient_identification": "Confirmed by the police at the garden centre.",
        "alternatives": "A licence condition alone: rejected, the job brings him into "
                        "contact with families every weekend.",
        "offender_involvement": OffenderInvolvement.CONSENTS,
        "offender_involvement_notes": "He agreed, and will be present.",
        "recipient_preparation": "Knows nothing yet; told it is confidential; reports to PC "
                                 "Vibert.",
        "level_of_disclosure": "Risk factors and the licence conditions; not the offences.",
        "key_triggers": "If he is seen alone with a child, call PC Vibert at once.",
        "support_if_breakdown": "Victim liaison and his probation officer on call.",
        "offender_told": True,
        "recipient_told_offender_unaware": False,
        "planned_by": date.today() + timedelta(days=7),
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def agreed(nominal, meeting, coordinator, senior_officer):
    return disclosures.disclosure_agree(nominal=nominal, meeting=meeting, actor=coordinator,
                                        endorser=senior_officer, **agreed_fields())


__all__ = ["complete", "make_full_plan", "make_meeting"]
