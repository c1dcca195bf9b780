"""Real processes on private servers, for the fault tests: a PostgreSQL cluster and a Redis of
their own (initdb and redis-server in a temporary folder, on free ports), the web server
(gunicorn), Celery workers and beat started against them, and restarted or killed under them.

Nothing here touches the PostgreSQL and Redis the rest of the suite uses. PostgreSQL's server
programs are found with `pg_config --bindir` (or on PATH); as root they run as the `postgres`
user, which PostgreSQL requires. Every process is stopped at the end, and dies with pytest.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import redis
import requests
from celery import Celery

from tests.jobs.conftest import _die_with_the_test_run, wait_until

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_program(name: str) -> str | None:
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                check=True).stdout.strip()
        if (Path(bindir) / name).exists():
            return str(Path(bindir) / name)
    return shutil.which(name)


def missing(part: str) -> None:
    """A real part these tests need is not on this machine: skipped (pytest says so), or a
    failure where JMAPPA_REQUIRE_FAULTS=1 (CI), so that a missing part never passes as green."""
    if os.environ.get("JMAPPA_REQUIRE_FAULTS") == "1":
        pytest.fail(f"JMAPPA_REQUIRE_FAULTS=1 but {part}.")
    pytest.skip(part)


class PrivatePostgres:
    """A PostgreSQL cluster in `folder`, on `port`, trusting local connections."""

    def __init__(self, folder: Path) -> None:
        self.initdb, self.pg_ctl = _pg_program("initdb"), _pg_program("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            missing("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                missing("running as root without a postgres user to run PostgreSQL as")
            self.as_user = ["runuser", "-u", "postgres", "--"]
            os.chown(folder, owner.pw_uid, owner.pw_gid)
        self._run([self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres",
                   "-E", "UTF8", "--locale=C", "--no-sync"])
        self.start()
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE jmappa")

    def _run(self, args: list[str]) -> None:
        completed = subprocess.run([*self.as_user, *args], capture_output=True, text=True,
                                   cwd=self.folder)
        if completed.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {completed.stdout}{completed.stderr}")

    def url(self, database: str = "jmappa") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run([self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options,
                   "-w", "-t", "60", "start"])

    def stop(self, mode: str = "fast") -> None:
        self._run([self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop"])

    def restart(self) -> None:
        """Stopped (every connection cut) and started again on the same port."""
        self.stop("fast")
        self.start()

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url(), autocommit=True)


class PrivateRedis:
    def __init__(self, folder: Path) -> None:
        if not shutil.which("redis-server"):
            missing("redis-server is not installed")
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_the_test_run)
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        assert wait_until(lambda: _pings(client), 10), "redis-server did not start"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self) -> None:
        """Stopped (its data with it: no persistence) and started again on the same port."""
        self.stop()
        self.start()


def _pings(client: redis.Redis) -> bool:
    try:
        return client.ping()
    except redis.exceptions.RedisError:
        return False


class Process:
    """A process of the application (web, worker, beat), its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], folder: Path) -> None:
        self.name = name
        self.log_path = folder / f"{name}.log"
        self._log = open(self.log_path, "wb")  # closed in stop()
        self.process = subprocess.Popen(
            args, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, preexec_fn=_die_with_the_test_run)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def tail(self, lines: int = 30) -> str:
        text = "\n".join(self.output().splitlines()[-lines:])
        state = "running" if self.running else f"exited with {self.process.returncode}"
        return f"--- {self.name} ({state}), last {lines} lines ---\n{text}"

    def wait_for_output(self, text: str, timeout: float = START_TIMEOUT) -> None:
        if not wait_until(lambda: text in self.output() or not self.running, timeout):
            pytest.fail(f"{self.name}: no {text!r} in {timeout:.0f}s\n{self.tail()}")
        if text not in self.output():
            pytest.fail(f"{self.name} exited before {text!r}\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when the machine loses the process."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        try:
            if self.running:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
        finally:
            self._log.close()


class Stack:
    """The application on the private servers: start web servers, workers and beat."""

    # The sweep lock lapses this long after its holder dies, and a message taken by a worker
    # that died is given to another this long after: short, so that the tests are quick.
    LOCK_SECONDS = 4
    VISIBILITY_SECONDS = 4

    def __init__(self, folder: Path, postgres: PrivatePostgres, redis_server: PrivateRedis):
        self.folder = folder
        self.postgres = postgres
        self.redis = redis_server
        self.processes: list[Process] = []
        self.env = dict(os.environ)
        for variable in ("DJANGO_SETTINGS_MODULE", "TEST_REDIS_URL", "PYTEST_XDIST_WORKER"):
            self.env.pop(variable, None)
        self.env.update(
            DJANGO_SETTINGS_MODULE="tests.faults.settings",
            DATABASE_URL=postgres.url(),
            REDIS_URL=redis_server.url,
            SECRET_KEY="faults-only-" + "k" * 60,
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            EMAIL_URL="consolemail://",
            HEARTBEAT_SECONDS="1",
            DEADLINE_SWEEP_LOCK_SECONDS=str(self.LOCK_SECONDS),
            BROKER_VISIBILITY_TIMEOUT_SECONDS=str(self.VISIBILITY_SECONDS),
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
        )

    def manage(self, *args: str) -> str:
        completed = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT,
                                   env=self.env, capture_output=True, text=True, timeout=300)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code).strip()

    def _start(self, name: str, args: list[str]) -> Process:
        process = Process(name, args, self.env, self.folder)
        self.processes.append(process)
        return process

    def web(self, name: str = "web") -> WebServer:
        port = free_port()
        process = self._start(name, [
            sys.executable, "-m", "gunicorn", "jmappa.wsgi:application", "--bind",
            f"127.0.0.1:{port}", "--workers", "1", "--threads", "2", "--timeout", "60"])
        web = WebServer(process, f"http://127.0.0.1:{port}")
        assert wait_until(web.answers, START_TIMEOUT), process.tail()
        return web

    def worker(self, name: str = "worker") -> Process:
        process = self._start(name, [
            sys.executable, "-m", "celery", "-A", "jmappa", "worker", "--pool", "solo",
            "--without-mingle", "--without-gossip", "--loglevel", "INFO",
            "--hostname", f"{name}-{os.getpid()}@%h"])
        process.wait_for_output(" ready.")
        return process

    def beat(self) -> Process:
        return self._start("beat", [
            sys.executable, "-m", "celery", "-A", "jmappa", "beat", "--loglevel", "INFO",
            "--schedule", str(self.folder / "celerybeat-schedule")])

    def celery(self) -> Celery:
        """A client of the broker, as the web server sends tasks."""
        # Not the current app: the project's shared tasks must keep sending to the suite's
        # own broker once this private Redis is gone.
        app = Celery("faults", broker=self.redis.url, backend=self.redis.url,
                     set_as_current=False)
        app.conf.broker_connection_retry_on_startup = True
        return app

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()

    def heartbeat(self) -> str | None:
        with contextlib.suppress(redis.exceptions.RedisError):
            value = redis.Redis.from_url(self.redis.url, socket_timeout=2).get(
                "jmappa:worker-heartbeat")
            return value.decode() if value else None
        return None

    def count(self, sql: str) -> int:
        with self.postgres.connect() as conn:
            return conn.execute(sql).fetchone()[0]

    def state(self) -> tuple:
        """The alerts and notifications, as rows: what a sweep leaves."""
        with self.postgres.connect() as conn:
            alerts = conn.execute(
                "SELECT rule, subject_type, subject_id, due_on, assigned_to_id, "
                "resolved_at IS NULL FROM alerts_alert ORDER BY 1, 2, 3, 4").fetchall()
            told = conn.execute(
                "SELECT n.user_id, a.rule, a.subject_id, a.due_on FROM alerts_notification n "
                "JOIN alerts_alert a ON a.id = n.alert_id ORDER BY 1, 2, 3, 4").fetchall()
        return tuple(alerts), tuple(told)


class WebServer:
    def __init__(self, process: Process, base: str) -> None:
        self.process = process
        self.base = base

    def answers(self) -> bool:
        assert self.process.running, self.process.tail()
        with contextlib.suppress(requests.RequestException):
            return requests.get(f"{self.base}/healthz", timeout=5).status_code == 200
        return False

    def get(self, path: str, session: str | None = None) -> requests.Response:
        # The session cookie by hand: it is Secure, and these requests are plain HTTP.
        cookies = {"sessionid": session} if session else None
        return requests.get(f"{self.base}{path}", cookies=cookies, timeout=30,
                            allow_redirects=False)


# The data: a Co-ordinator, a practitioner and cases on which the sweep raises alerts.
SEED = """
from datetime import date
from django.test import Client
from jmappa.accounts.models import Role
from tests.factories import make_nominal, make_user
coordinator = make_user("coord", roles=[Role.COORDINATOR])
practitioner = make_user("prac", roles=[Role.PRACTITIONER])
for n in range(6):
    make_nominal(sentence_date=date(2026, 1, 5), identified_on=date(2026, 2, 2))
client = Client()
client.force_login(practitioner)
print(client.cookies["sessionid"].value)
"""
SWEEP_DAY = "2026-11-23"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """Private PostgreSQL and Redis, migrated and seeded; the session key of a signed-in
    practitioner (who needs no second factor) in `stack.session`."""
    # Not under pytest's own temporary folder: as root that is closed to the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="jmappa-faults-"))
    postgres = PrivatePostgres(folder)
    redis_server = None
    try:
        redis_server = PrivateRedis(folder)
        stack = Stack(folder, postgres, redis_server)
        stack.manage("migrate", "--noinput")
        stack.session = stack.shell(SEED).splitlines()[-1]
        yield stack
        stack.stop_all()
    finally:
        if redis_server:
            redis_server.stop()
        with contextlib.suppress(RuntimeError):
            postgres.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def fresh(stack) -> Iterator[Stack]:
    """The stack with no alert, no task queued, no sweep lock; its processes stopped after."""
    with stack.postgres.connect() as conn:
        conn.execute("TRUNCATE alerts_notification, alerts_alert")
    redis.Redis.from_url(stack.redis.url).flushdb()
    try:
        yield stack
    finally:
        stack.stop_all()


def sweep(stack: Stack, timeout: float = 90) -> dict:
    """The deadline sweep sent as beat sends it; its answer once a worker has run it."""
    result = stack.celery().send_task("alerts.tasks.deadline_sweep",
                                      kwargs={"day": SWEEP_DAY})
    return result.get(timeout=timeout)


def eventually(condition: Callable[[], bool], timeout: float, what: str) -> None:
    assert wait_until(condition, timeout, interval=0.2), what
