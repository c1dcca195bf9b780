"""The deadline sweep: alerts raised once, resolved when the condition clears, everyone
told once, the digest once a day; idempotent, safe to re-run after a crash, one at a time.

The sweep is tested here against two rules of the registry's shape defined in this
module (a flag on the nominal says "due"), so that what is tested is the sweep itself;
the last test runs it over the real rules.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.models import F, IntegerField, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts import registry
from alerts import sweep as sweep_module
from alerts.models import Alert, Notification, Rule
from alerts.notify import send_digests
from alerts.registry import RuleSpec
from alerts.services import alerts_refresh_case
from alerts.sweep import run_sweep, sweep, sweep_lock
from cases.models import Nominal
from cases.services import exclusion_add, nominal_restrict
from jmappa.accounts.models import Role
from tests.factories import make_nominal, make_user

DAY = date(2026, 11, 23)
DUE = date(2026, 11, 20)
PERSON_FLAG = "PERSON"
ROLE_FLAG = "ROLE"


def flagged_for_case_manager(day: date, *, horizon: date):
    """Every nominal whose PNC number starts PERSON, due on DUE, for its case manager."""
    return (Nominal.objects.filter(pnc_number__startswith=PERSON_FLAG)
            .annotate(subject_id=F("pk"), nominal_id=F("pk"), due_on=Value(DUE),
                      assigned_to_id=F("case_manager_id"))
            .values("subject_id", "nominal_id", "due_on", "assigned_to_id"))


def flagged_for_the_role(day: date, *, horizon: date):
    """Every nominal whose PNC number starts ROLE, due on its date of birth, nobody named."""
    return (Nominal.objects.filter(pnc_number__startswith=ROLE_FLAG)
            .annotate(subject_id=F("pk"), nominal_id=F("pk"), due_on=F("date_of_birth"),
                      assigned_to_id=Value(None, output_field=IntegerField()))
            .values("subject_id", "nominal_id", "due_on", "assigned_to_id"))


FAKE_RULES = {
    Rule.ACTION_OVERDUE: RuleSpec(Rule.ACTION_OVERDUE,
                                  f"{__name__}.flagged_for_case_manager", "cases.nominal",
                                  "the case manager", assigned_role=Role.COORDINATOR,
                                  soon_working_days=0),
    Rule.RETENTION_REVIEW: RuleSpec(Rule.RETENTION_REVIEW, f"{__name__}.flagged_for_the_role",
                                    "cases.nominal", "the Co-ordinator",
                                    assigned_role=Role.COORDINATOR, soon_working_days=0),
}


@pytest.fixture
def fake_rules(monkeypatch):
    monkeypatch.setattr(registry, "RULES", dict(FAKE_RULES))
    return FAKE_RULES


@pytest.fixture
def manager(police):
    return make_user("dora", roles=[Role.PRACTITIONER], agency=police,
                     email="dora@police.example", first_name="Dora")


@pytest.fixture
def coordinators(police):
    return [make_user(name, roles=[Role.COORDINATOR], agency=police,
                      email=f"{name}@police.example") for name in ("erin", "fred")]


def person_case(manager, **fields):
    return make_nominal(case_manager=manager, pnc_number=f"{PERSON_FLAG}-{fields.pop('n', 1)}",
                        **fields)


def role_case(**fields):
    return make_nominal(pnc_number=f"{ROLE_FLAG}-{fields.pop('n', 1)}", **fields)


def state() -> tuple[set, set]:
    """Everything the sweep decides, without ids or times."""
    alerts = set(Alert.objects.values_list(
        "rule", "subject_type", "subject_id", "nominal_id", "due_on", "assigned_to_id",
        "assigned_role").filter(resolved_at__isnull=True))
    resolved = set(Alert.objects.filter(resolved_at__isnull=False).values_list(
        "rule", "subject_id", "due_on"))
    notifications = set(Notification.objects.values_list(
        "user_id", "alert__rule", "alert__subject_id", "alert__due_on"))
    return alerts | {("resolved", *row) for row in resolved}, notifications


def test_sweep_raises_one_alert_per_subject_for_the_named_person_and_tells_them(
        fake_rules, manager, coordinators):
    case = person_case(manager)

    result = sweep(DAY)

    alert = Alert.objects.get(rule=Rule.ACTION_OVERDUE)
    assert (alert.subject_type, alert.subject_id, alert.nominal_id, alert.due_on) == (
        "cases.nominal", case.pk, case.pk, DUE)
    assert alert.assigned_to == manager and alert.resolved_at is None
    assert list(Notification.objects.values_list("user", "alert")) == [(manager.pk, alert.pk)]
    assert result.rules[Rule.ACTION_OVERDUE].raised == 1
    assert result.rules[Rule.ACTION_OVERDUE].notified == 1


def test_an_alert_naming_nobody_tells_every_active_holder_of_the_role(
        fake_rules, coordinators, police):
    make_user("gone", roles=[Role.COORDINATOR], agency=police, is_active=False)
    case = role_case(date_of_birth=date(1926, 11, 23))

    sweep(DAY)

    alert = Alert.objects.get(rule=Rule.RETENTION_REVIEW, subject_id=case.pk)
    assert alert.assigned_to is None and alert.assigned_role == Role.COORDINATOR
    told = set(Notification.objects.filter(alert=alert).values_list("user__username", flat=True))
    # Every active Co-ordinator, including the one the nominal factory made.
    assert {"erin", "fred"} <= told and "gone" not in told


def test_an_alert_whose_named_person_has_left_goes_to_the_role(fake_rules, manager,
                                                               coordinators):
    person_case(manager)
    manager.is_active = False
    manager.save()

    sweep(DAY)

    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"erin", "fred"} <= told and "dora" not in told


def test_sweeping_twice_changes_nothing_and_sends_nothing_more(
        fake_rules, manager, coordinators, django_capture_on_commit_callbacks):
    person_case(manager, n=1)
    person_case(manager, n=2)
    role_case()
    with django_capture_on_commit_callbacks(execute=True):
        first = run_sweep(DAY)
    before = state()
    times = list(Alert.objects.order_by("pk").values_list("pk", "raised_at", "resolved_at"))
    sent = len(mail.outbox)
    assert first.total("raised") == 3 and first.emailed >= 2 and sent == first.emailed

    with django_capture_on_commit_callbacks(execute=True):
        second = run_sweep(DAY)

    assert state() == before
    assert list(Alert.objects.order_by("pk").values_list(
        "pk", "raised_at", "resolved_at")) == times
    assert (second.total("raised"), second.total("reopened"), second.total("resolved"),
            second.total("notified"), second.emailed) == (0, 0, 0, 0, 0)
    assert len(mail.outbox) == sent


def test_a_condition_clearing_resolves_the_alert_and_its_return_reopens_it(
        fake_rules, manager):
    case = person_case(manager)
    sweep(DAY)
    Nominal.objects.filter(pk=case.pk).update(pnc_number="")

    result = sweep(DAY)

    alert = Alert.objects.get(subject_id=case.pk)
    assert alert.resolved_at is not None
    assert result.rules[Rule.ACTION_OVERDUE].resolved == 1

    Nominal.objects.filter(pk=case.pk).update(pnc_number=f"{PERSON_FLAG}-1")
    result = sweep(DAY)

    alert.refresh_from_db()
    assert alert.resolved_at is None and Alert.objects.count() == 1
    assert result.rules[Rule.ACTION_OVERDUE].reopened == 1
    # Told once, not again on its return.
    assert Notification.objects.filter(alert=alert).count() == 1


def test_a_new_due_date_is_a_new_alert_and_the_old_one_is_resolved(fake_rules, coordinators):
    case = role_case(date_of_birth=date(1926, 11, 23))
    sweep(DAY)
    Nominal.objects.filter(pk=case.pk).update(date_of_birth=date(1926, 12, 1))

    sweep(DAY)

    assert {(alert.due_on, alert.resolved_at is None) for alert in Alert.objects.all()} == {
        (date(1926, 11, 23), False), (date(1926, 12, 1), True)}


def test_a_new_case_manager_takes_the_alert_and_is_told(fake_rules, manager, police):
    case = person_case(manager)
    sweep(DAY)
    successor = make_user("hana", roles=[Role.PRACTITIONER], agency=police)
    Nominal.objects.filter(pk=case.pk).update(case_manager=successor)

    result = sweep(DAY)

    alert = Alert.objects.get()
    assert alert.assigned_to == successor
    assert result.rules[Rule.ACTION_OVERDUE].reopened == 1
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "dora", "hana"}


def test_a_sweep_that_fails_part_way_and_is_run_again_ends_as_one_clean_run(
        fake_rules, manager, coordinators, monkeypatch):
    for n in range(3):
        person_case(manager, n=n)
        role_case(n=n)
    real = sweep_module._sweep_rule

    def fail_on_the_second_rule(spec, *args):
        if spec.rule == Rule.RETENTION_REVIEW:
            raise RuntimeError("worker lost")
        return real(spec, *args)

    monkeypatch.setattr(sweep_module, "_sweep_rule", fail_on_the_second_rule)
    with pytest.raises(RuntimeError):
        sweep(DAY)
    # Each rule commits on its own: the first is complete, the second untouched.
    assert set(Alert.objects.values_list("rule", flat=True)) == {Rule.ACTION_OVERDUE}

    monkeypatch.setattr(sweep_module, "_sweep_rule", real)
    sweep(DAY)
    after_the_crash = state()

    Notification.objects.all().delete()
    Alert.objects.all().delete()
    sweep(DAY)
    assert state() == after_the_crash
    assert Alert.objects.count() == 6


def test_a_second_sweep_while_one_runs_does_nothing(fake_rules, manager):
    person_case(manager)

    with sweep_lock() as held:
        assert held
        result = run_sweep(DAY)

    assert result.skipped and result.status == "skipped"
    assert not Alert.objects.exists()
    # The lock is released: the next sweep runs.
    assert not run_sweep(DAY).skipped
    assert Alert.objects.count() == 1


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(
        fake_rules, manager, coordinators, django_assert_max_num_queries):
    for n in range(3):
        person_case(manager, n=n)
        role_case(n=n)
    with CaptureQueriesContext(connection) as few:
        sweep(DAY)
    Notification.objects.all().delete()
    Alert.objects.all().delete()
    for n in range(3, 30):
        person_case(manager, n=n)
        role_case(n=n)

    with django_assert_max_num_queries(len(few.captured_queries)):
        result = sweep(DAY)
    assert result.total("raised") == 60


def test_a_sweep_of_one_case_touches_no_other_case(fake_rules, manager):
    mine = person_case(manager, n=1)
    other = person_case(manager, n=2)
    sweep(DAY)
    Nominal.objects.filter(pk__in=[mine.pk, other.pk]).update(pnc_number="")

    result = alerts_refresh_case(mine.pk, DAY)

    assert result.total("resolved") == 1
    assert set(Alert.objects.open().values_list("nominal_id", flat=True)) == {other.pk}


def test_each_person_is_told_once_per_alert_whatever_the_number_of_sweeps(
        fake_rules, manager, coordinators):
    for n in range(2):
        person_case(manager, n=n)
    role_case()
    for _ in range(3):
        sweep(DAY)
    pairs = list(Notification.objects.values_list("user_id", "alert_id"))
    assert len(pairs) == len(set(pairs))
    assert Notification.objects.filter(user=manager).count() == 2


def no_case_yet(day: date, *, horizon: date):
    """Flagged nominals, one answered twice: once with its case and once with none."""
    flagged = flagged_for_case_manager(day, horizon=horizon)
    return flagged.union(
        Nominal.objects.filter(pnc_number__startswith=PERSON_FLAG)
        .annotate(subject_id=F("pk") + 1000000,
                  nominal_id=Value(None, output_field=IntegerField()),
                  due_on=Value(DUE), assigned_to_id=F("case_manager_id"))
        .values("subject_id", "nominal_id", "due_on", "assigned_to_id"), all=True)


def test_a_row_with_no_case_yet_is_raised_and_shown_in_the_digest_as_a_referral(
        monkeypatch, manager, coordinators, django_capture_on_commit_callbacks):
    spec = RuleSpec(Rule.REFERRAL_MEETING_DUE, f"{__name__}.no_case_yet", "cases.nominal",
                    "the Co-ordinator", assigned_role=Role.COORDINATOR, soon_working_days=0)
    monkeypatch.setattr(registry, "RULES", {spec.rule: spec})
    case = person_case(manager)

    result = sweep(DAY)

    assert result.total("raised") == 2
    assert set(Alert.objects.values_list("subject_id", "nominal_id")) == {
        (case.pk, case.pk), (case.pk + 1000000, None)}
    with django_capture_on_commit_callbacks(execute=True):
        send_digests()
    (to_dora,) = [m for m in mail.outbox if m.to == ["dora@police.example"]]
    assert f"referral R{case.pk + 1000000:06d}" in to_dora.body
    assert f"case {case.reference}" in to_dora.body


# -- the digest -----------------------------------------------------------------------------


def test_the_digest_is_one_email_per_person_listing_case_references_never_names(
        fake_rules, manager, coordinators, django_capture_on_commit_callbacks):
    first = person_case(manager, n=1, given_names="Zebedee", family_name="Quistwater")
    second = person_case(manager, n=2)
    sweep(DAY)

    with django_capture_on_commit_callbacks(execute=True):
        sent = send_digests()

    to_dora = [m for m in mail.outbox if m.to == ["dora@police.example"]]
    assert sent == len(mail.outbox) and len(to_dora) == 1
    body = to_dora[0].body
    assert first.reference in body and second.reference in body
    assert "Plan action overdue" in body and "Friday 20 November 2026" in body
    assert f"/cases/{first.pk}/" in body
    assert "Zebedee" not in body + to_dora[0].subject
    assert "Quistwater" not in body + to_dora[0].subject
    assert Notification.objects.filter(user=manager, emailed_at__isnull=True).count() == 0


def test_no_digest_when_nothing_is_new_and_none_for_a_resolved_alert(
        fake_rules, manager, django_capture_on_commit_callbacks):
    case = person_case(manager)
    sweep(DAY)
    Nominal.objects.filter(pk=case.pk).update(pnc_number="")
    sweep(DAY)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 0
    assert mail.outbox == []


def test_what_is_raised_later_in_the_day_waits_for_the_next_days_digest(
        fake_rules, manager, django_capture_on_commit_callbacks):
    person_case(manager, n=1)
    sweep(DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 1
    person_case(manager, n=2)
    sweep(DAY)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1


def test_the_digest_tells_nobody_of_a_case_they_were_excluded_from_since(
        fake_rules, manager, coordinators, django_capture_on_commit_callbacks):
    kept = person_case(manager, n=1)
    excluded = person_case(manager, n=2)
    sweep(DAY)
    exclusion_add(nominal=excluded, user=manager, reason="Knows the victim",
                  actor=coordinators[0])

    with django_capture_on_commit_callbacks(execute=True):
        send_digests()

    (to_dora,) = [m for m in mail.outbox if m.to == ["dora@police.example"]]
    assert kept.reference in to_dora.body
    assert excluded.reference not in to_dora.body


def test_the_digest_tells_only_the_named_of_a_case_restricted_since(
        fake_rules, manager, coordinators, django_capture_on_commit_callbacks):
    managed = person_case(manager)
    for_the_role = role_case(n=2, date_of_birth=DUE)
    also_for_the_role = role_case(n=3, date_of_birth=DUE)
    sweep(DAY)
    erin, fred = coordinators
    for case in (managed, for_the_role):
        nominal_restrict(nominal=case, reason="High profile", named_users=[], actor=erin)

    with django_capture_on_commit_callbacks(execute=True):
        send_digests()

    assert [m for m in mail.outbox if m.to == ["dora@police.example"]] == []
    (to_erin,) = [m for m in mail.outbox if m.to == ["erin@police.example"]]
    (to_fred,) = [m for m in mail.outbox if m.to == ["fred@police.example"]]
    assert for_the_role.reference in to_erin.body
    assert for_the_role.reference not in to_fred.body
    assert also_for_the_role.reference in to_fred.body


def test_the_digest_asks_the_access_rule_in_a_fixed_number_of_queries(
        fake_rules, manager, coordinators, police, django_capture_on_commit_callbacks):
    person_case(manager, n=1)
    sweep(DAY)
    with CaptureQueriesContext(connection) as one:
        send_digests()
    for n in range(2, 6):
        other = make_user(f"manager{n}", roles=[Role.PRACTITIONER], agency=police,
                          email=f"manager{n}@police.example")
        person_case(other, n=n)
    sweep(DAY + timedelta(days=1))
    with CaptureQueriesContext(connection) as many:
        send_digests(now=timezone.now() + timedelta(days=1))
    assert len(many) == len(one)


# -- by hand, and over the real rules -------------------------------------------------------


def test_the_command_sweeps_the_given_day_and_prints_the_counts(fake_rules, manager, capsys):
    person_case(manager)

    call_command("run_deadline_sweep", "--date", "2026-11-23", "--no-email")

    out = capsys.readouterr().out
    assert "Deadline sweep for 2026-11-23" in out
    assert "action_overdue" in out and "retention_review" in out
    assert Alert.objects.count() == 1


def test_the_command_refuses_a_date_it_cannot_read(fake_rules):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_deadline_sweep", "--date", "23/11/2026")


def test_the_real_rules_sweep_twice_to_the_same_state(manager, coordinators):
    person_case(manager)
    role_case()
    sweep(DAY)
    before = state()

    result = sweep(DAY)

    assert set(result.rules) == set(registry.RULES)
    assert state() == before
    assert result.total("raised") + result.total("resolved") + result.total("notified") == 0
