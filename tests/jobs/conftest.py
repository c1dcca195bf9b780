"""Real Celery processes for the job tests: a worker (and beat) on the test Redis.

The processes run `python -m celery -A jmappa ...` from the repository root with
the test settings, pointed at exactly the PostgreSQL and Redis database that this
test process uses, so that a task sent from here reaches them and what they write
is read back here. Their output goes to a file, quoted in every failure.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

from jmappa.core import health

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _die_with_the_test_run() -> None:
    # Runs in the child between fork and exec: if pytest itself is killed, the
    # worker must not live on consuming the test broker of every later run.
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def celery_environment() -> dict[str, str]:
    """The environment of a Celery process that shares this test run's services."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="jmappa.settings_test",
        # Both URLs are set: by the caller, or by the embedded servers' activation.
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=os.environ["REDIS_URL"],
        # settings_test moves Redis to its own database: name it exactly.
        TEST_REDIS_URL=settings.REDIS_URL,
        HEARTBEAT_SECONDS="1",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


class CeleryProcess:
    """`python -m celery -A jmappa <args>`, its output in a log file."""

    def __init__(self, name: str, args: list[str], log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        self._ready = False
        self._log = open(log_path, "wb")  # closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "jmappa", *args],
            cwd=REPO_ROOT,
            env=celery_environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_the_test_run,
        )

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def tail(self, lines: int = 40) -> str:
        text = "\n".join(self.output().splitlines()[-lines:])
        state = "running" if self.running else f"exited with {self.process.returncode}"
        return f"--- celery {self.name} ({state}), last {lines} lines of output ---\n{text}"

    def wait_until_ready(self, timeout: float = START_TIMEOUT) -> None:
        """For a worker: wait for its "<hostname> ready." line (once)."""
        if not self._ready:
            self.wait_for_output(" ready.", timeout)
            self._ready = True

    def wait_for_output(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if not self.running:
                pytest.fail(f"celery {self.name} exited before {text!r}\n{self.tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"celery {self.name}: no {text!r} in {timeout:.0f}s\n{self.tail()}")
            time.sleep(0.05)

    def stop(self) -> None:
        try:
            if self.running:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=STOP_TIMEOUT)
        finally:
            self._log.close()


@contextlib.contextmanager
def celery_process(name: str, args: list[str], log_dir: Path) -> Iterator[CeleryProcess]:
    proc = CeleryProcess(name, args, log_dir / f"celery-{name}.log")
    try:
        yield proc
    finally:
        proc.stop()


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)


@pytest.fixture(scope="module")
def celery_worker_process(tmp_path_factory) -> Iterator[CeleryProcess]:
    """One real worker (solo pool) for the module, still starting when yielded.

    Tests call `wait_until_ready()` once they have started whatever else they
    need (beat), so that the two processes boot side by side.
    """
    hostname = f"jmappa-test-{os.getpid()}@%h"
    args = [
        "worker", "--pool", "solo", "--without-mingle", "--without-gossip",
        "--loglevel", "INFO", "--hostname", hostname,
    ]
    with celery_process("worker", args, tmp_path_factory.mktemp("celery-worker")) as worker:
        yield worker


@pytest.fixture
def start_beat(tmp_path) -> Iterator[Callable[[], CeleryProcess]]:
    """Starts `celery beat` (schedule file in tmp_path); stopped after the test."""
    with contextlib.ExitStack() as stack:

        def start() -> CeleryProcess:
            # DEBUG: beat then logs the id of every task it sends.
            args = ["beat", "--schedule", str(tmp_path / "celerybeat-schedule"),
                    "--loglevel", "DEBUG"]
            return stack.enter_context(celery_process("beat", args, tmp_path))

        yield start


@pytest.fixture
def heartbeat_redis() -> Iterator[redis.Redis]:
    """The Redis the heartbeat is recorded in, with no heartbeat in it yet."""
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)
    client.delete(health.HEARTBEAT_KEY)
    try:
        yield client
    finally:
        client.close()
