"""The deadline sweep: make the Alert table say what the rules say on a day.

For each rule (registry.RULES), a fixed number of statements, whatever the number of
cases: the rule's query is run once into a temporary table, then

1. raise: INSERT ... SELECT from those rows, ON CONFLICT on (rule, subject, due date).
   An alert already there is left alone, unless it had been resolved and is due again
   (it is reopened) or the person who must act has changed (it is reassigned), so that
   a second sweep on the same data changes nothing;
2. resolve: UPDATE the rule's open alerts that the rows no longer include;
3. notify: INSERT ... SELECT a Notification for the person named on each open alert,
   or, where nobody is named (or that person has left), for every active user holding
   the alert's role; ON CONFLICT (user, alert) DO NOTHING, so nobody is told twice.

Each rule runs in its own transaction: a sweep stopped part-way (a worker killed, a
database restart) leaves the rules already swept complete and the others untouched,
and since every statement computes the state from the data rather than from what the
last sweep did, running it again reaches exactly the state of one clean run. Short
transactions also keep row locks brief while people are using the system.

The full sweep holds a Redis lock (`sweep_lock`): a second sweep started while one
runs (two beat schedulers, a hand run during the morning run) does nothing and says
"skipped". The unique constraints on Alert and Notification are the last line.

After the rules, the full sweep destroys the meetings' papers marked not to be kept once
their minutes are final (Appendix C, documents/services.py): a paper already destroyed is
left alone, so running it twice destroys nothing more.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from documents.services import destroy_due

from . import registry
from .models import Alert, Notification
from .registry import RuleSpec

logger = logging.getLogger(__name__)

LOCK_NAME = "alerts:deadline-sweep"
# The lock is renewed every third of this while its sweep runs, so that a lock left by a
# worker that died (SIGKILL, the machine lost) lapses this soon, and the sweep redelivered to
# another worker (tasks.deadline_sweep) can run. Settings: DEADLINE_SWEEP_LOCK_SECONDS.
DEFAULT_LOCK_SECONDS = 60


def lock_seconds() -> int:
    return int(getattr(settings, "DEADLINE_SWEEP_LOCK_SECONDS", DEFAULT_LOCK_SECONDS))


# The rows a rule answers, for the length of that rule's transaction.
ROWS_TABLE = "alert_sweep_rows"


@dataclass
class RuleCounts:
    raised: int = 0
    reopened: int = 0
    resolved: int = 0
    notified: int = 0


@dataclass
class SweepResult:
    day: date
    skipped: bool = False
    rules: dict[str, RuleCounts] = field(default_factory=dict)
    emailed: int = 0
    # Meetings' papers destroyed once their minutes were final (Appendix C).
    destroyed: int = 0

    @property
    def status(self) -> str:
        return "skipped" if self.skipped else "done"

    def total(self, name: str) -> int:
        return sum(getattr(counts, name) for counts in self.rules.values())

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "status": self.status,
            "raised": self.total("raised"),
            "reopened": self.total("reopened"),
            "resolved": self.total("resolved"),
            "notified": self.total("notified"),
            "emailed": self.emailed,
            "destroyed": self.destroyed,
            "rules": {rule: vars(counts) for rule, counts in self.rules.items()},
        }


def _lock_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=10)


@contextlib.contextmanager
def sweep_lock() -> Iterator[bool]:
    """Yields True when this process holds the sweep lock, False when another does.

    The key carries the cache's prefix, so that separate installations (and test runs)
    on one Redis never block each other.
    """
    client = _lock_client()
    seconds = lock_seconds()
    # thread_local=False: the renewal thread must see the token this thread acquired.
    lock = client.lock(cache.make_key(LOCK_NAME), timeout=seconds, blocking=False,
                       thread_local=False)
    acquired = lock.acquire()
    done = threading.Event()
    renewer = threading.Thread(target=_renew, args=(lock, seconds / 3, done), daemon=True,
                               name="sweep-lock-renewal")
    if acquired:
        renewer.start()
    try:
        yield acquired
    finally:
        if acquired:
            done.set()
            renewer.join(timeout=10)
            with contextlib.suppress(redis.exceptions.RedisError):
                lock.release()
        client.close()


def _renew(lock, every: float, done: threading.Event) -> None:
    """Keeps the lock for as long as its sweep runs, and no longer than its process lives."""
    while not done.wait(every):
        try:
            lock.reacquire()
        except redis.exceptions.LockError:
            logger.error("The deadline sweep lock was lost while the sweep ran.")
            return
        except redis.exceptions.RedisError as error:  # Redis restarting: try again
            logger.warning("Could not renew the deadline sweep lock: %s", error)


def _rule_sql(spec: RuleSpec, day: date) -> tuple[str, tuple]:
    queryset = spec.rows(day).order_by()
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _case_filter(alias: str, nominal_ids: list[int] | None) -> tuple[str, tuple]:
    if nominal_ids is None:
        return "", ()
    return f" AND {alias}.nominal_id = ANY(%s)", (nominal_ids,)


def _sweep_rule(spec: RuleSpec, day: date, now, nominal_ids: list[int] | None) -> RuleCounts:
    alerts = Alert._meta.db_table
    notifications = Notification._meta.db_table
    users = get_user_model()._meta.db_table
    rule_sql, rule_params = _rule_sql(spec, day)
    # The rule's columns by name and type, whatever order and types (a bare NULL, a date
    # passed as a parameter) its query gives them.
    typed = (f"SELECT r.subject_id::bigint AS subject_id, r.nominal_id::bigint AS nominal_id, "
             f"r.due_on::date AS due_on, r.assigned_to_id::bigint AS assigned_to_id "
             f"FROM ({rule_sql}) AS r")
    counts = RuleCounts()
    with connection.cursor() as cursor:
        q_filter, q_params = _case_filter("q", nominal_ids)
        # The rule's answer, computed once, for both the raising and the resolving.
        # DISTINCT ON: one row per subject and due date, so that a rule answering the
        # same subject twice cannot make the statement touch one alert twice. A row may
        # have no case yet (a referral being screened): the Co-ordinator's.
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE {ROWS_TABLE} ON COMMIT DROP AS
            SELECT DISTINCT ON (q.subject_id, q.due_on) q.*
            FROM ({typed}) AS q
            WHERE q.subject_id IS NOT NULL AND q.due_on IS NOT NULL{q_filter}
            ORDER BY q.subject_id, q.due_on, q.assigned_to_id NULLS LAST
            """,
            (*rule_params, *q_params),
        )
        cursor.execute(f"ANALYZE {ROWS_TABLE}")
        cursor.execute(
            f"""
            WITH upserted AS (
                INSERT INTO {alerts} AS a
                    (rule, subject_type, subject_id, nominal_id, due_on, assigned_to_id,
                     assigned_role, raised_at)
                SELECT %s, %s, q.subject_id, q.nominal_id, q.due_on, q.assigned_to_id, %s, %s
                FROM {ROWS_TABLE} AS q
                ON CONFLICT (rule, subject_type, subject_id, due_on) DO UPDATE
                    SET resolved_at = NULL, assigned_to_id = EXCLUDED.assigned_to_id
                    WHERE a.resolved_at IS NOT NULL
                       OR a.assigned_to_id IS DISTINCT FROM EXCLUDED.assigned_to_id
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM upserted
            """,
            (spec.rule, spec.subject_type, spec.assigned_role, now),
        )
        counts.raised, counts.reopened = cursor.fetchone()

        a_filter, a_params = _case_filter("a", nominal_ids)
        # Right after many alerts were raised, the table's statistics still say it is
        # nearly empty and the planner would loop over the rule's rows once per alert
        # (minutes at 100,000 cases): a hash anti-join is right at every size here.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            f"""
            UPDATE {alerts} AS a SET resolved_at = %s
            WHERE a.rule = %s AND a.subject_type = %s AND a.resolved_at IS NULL{a_filter}
              AND NOT EXISTS (
                  SELECT 1 FROM {ROWS_TABLE} AS q
                  WHERE q.subject_id = a.subject_id AND q.due_on = a.due_on)
            """,
            (now, spec.rule, spec.subject_type, *a_params),
        )
        counts.resolved = cursor.rowcount
        cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
        cursor.execute(f"DROP TABLE {ROWS_TABLE}")

        # The named person where active; otherwise every active holder of the role (the
        # roles array unnested, so that both are plain equality joins).
        cursor.execute(
            f"""
            INSERT INTO {notifications} (user_id, alert_id, created_at)
            SELECT told.user_id, told.alert_id, %s
            FROM (
                SELECT u.id AS user_id, a.id AS alert_id
                FROM {alerts} AS a JOIN {users} AS u ON u.id = a.assigned_to_id AND u.is_active
                WHERE a.rule = %s AND a.resolved_at IS NULL{a_filter}
                UNION ALL
                SELECT holder.id, a.id
                FROM {alerts} AS a
                JOIN (SELECT id, unnest(roles) AS role FROM {users} WHERE is_active) AS holder
                  ON holder.role = a.assigned_role
                LEFT JOIN {users} AS named ON named.id = a.assigned_to_id AND named.is_active
                WHERE a.rule = %s AND a.resolved_at IS NULL AND named.id IS NULL{a_filter}
            ) AS told
            WHERE NOT EXISTS (
                SELECT 1 FROM {notifications} AS n
                WHERE n.alert_id = told.alert_id AND n.user_id = told.user_id)
            ON CONFLICT (user_id, alert_id) DO NOTHING
            """,
            (now, spec.rule, *a_params, spec.rule, *a_params),
        )
        counts.notified = cursor.rowcount
    return counts


def sweep(day: date | None = None, *, rules: Iterable[str] | None = None,
          nominal_ids: Iterable[int] | None = None) -> SweepResult:
    """Raise, resolve and notify every rule's alerts for `day` (today by default).

    `rules` limits the sweep to those rule codes; `nominal_ids` to those cases (the
    write-through after a change to one case). Neither takes the sweep lock: the full
    sweep of a day is `run_sweep`.
    """
    day = day or timezone.localdate()
    ids = None if nominal_ids is None else sorted({int(pk) for pk in nominal_ids})
    specs = [registry.RULES[code] for code in rules] if rules else list(registry.RULES.values())
    result = SweepResult(day=day)
    for spec in specs:
        with transaction.atomic():
            result.rules[str(spec.rule)] = _sweep_rule(spec, day, timezone.now(), ids)
    return result


def run_sweep(day: date | None = None, *, send_digest: bool = True) -> SweepResult:
    """The day's full sweep, then the email digest; "skipped" while another one runs."""
    from .notify import send_digests

    day = day or timezone.localdate()
    with sweep_lock() as acquired:
        if not acquired:
            logger.info("Deadline sweep for %s skipped: another sweep is running.", day)
            return SweepResult(day=day, skipped=True)
        result = sweep(day)
        result.destroyed = destroy_due()
        if send_digest:
            result.emailed = send_digests()
    logger.info("Deadline sweep for %s: %s", day, result.as_dict())
    return result
