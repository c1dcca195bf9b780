from datetime import date

import pytest

from cases.selectors import nominal_list
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


def test_search_matches_the_whole_name_fuzzily(coordinator):
    smith = make_nominal(actor=coordinator, given_names="John", family_name="Smith")
    make_nominal(actor=coordinator, given_names="Peter", family_name="Jones")
    found = list(nominal_list(coordinator, filters={"q": "Jon Smyth"}))
    assert found == [smith]


def test_list_sorts_names_as_people_alphabetise_them(coordinator):
    for family in ["Brevinel", "de la Hougette", "Brécouier", "Amy"]:
        make_nominal(actor=coordinator, family_name=family, date_of_birth=date(1970, 1, 1))
    names = [n.family_name for n in nominal_list(coordinator, filters={"sort": "name"})]
    assert names == ["Amy", "Brécouier", "Brevinel", "de la Hougette"]


def test_risk_sort_puts_very_high_first_and_unassessed_last(coordinator):
    from cases.models import RiskLevel
    from cases.services import rosh_record

    cases = {level: make_nominal(actor=coordinator) for level in
             [RiskLevel.MEDIUM, RiskLevel.VERY_HIGH, RiskLevel.LOW, RiskLevel.HIGH]}
    unassessed = make_nominal(actor=coordinator)
    for level, nominal in cases.items():
        rosh_record(nominal=nominal, actor=coordinator, assessed_on=date(2026, 1, 1),
                    overall=level, who_is_at_risk="Partners", nature_of_risk="Violence",
                    imminence="Not imminent")
    order = list(nominal_list(coordinator, filters={"sort": "risk"}))
    assert order == [cases[RiskLevel.VERY_HIGH], cases[RiskLevel.HIGH],
                     cases[RiskLevel.MEDIUM], cases[RiskLevel.LOW], unassessed]
