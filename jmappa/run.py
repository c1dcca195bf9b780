"""`make run`: the web server, a Celery worker and Celery beat, stopped together by Ctrl-C.

Run after `migrate` and `seed_demo`. When the embedded PostgreSQL and Redis are
in use, they are stopped too (their data stays in ./var/).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jmappa.settings")


def _sweep_now() -> None:
    """Queues one deadline sweep, so that alerts show at once, not only after the
    morning's; the worker runs it when ready (a second sweep at once is skipped)."""
    try:
        from jmappa.celery import app

        app.send_task("alerts.tasks.deadline_sweep", expires=6 * 60 * 60)
    except Exception as error:  # the server runs without it; the morning sweep follows
        print(f"Could not queue the first deadline sweep: {error}", file=sys.stderr,
              flush=True)


def site_url(address: str) -> str:
    """The address the web server answers on, as emails link to it: `JMAPPA_ADDRESS`'s host
    and port, a wildcard host ("0.0.0.0", "::") read as this machine's name for itself."""
    host, _, port = address.rpartition(":")
    host = host.strip("[]") or "localhost"
    if host in ("0.0.0.0", "::"):
        host = "localhost"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}" if port else f"http://{host}"


def main() -> int:
    from jmappa import embedded

    is_embedded = embedded.activate()
    if is_embedded:
        os.environ.setdefault("DEBUG", "1")
        var = embedded.VAR_DIR
    else:
        var = os.path.join(os.getcwd(), "var")
    os.makedirs(var, exist_ok=True)
    address = os.environ.get("JMAPPA_ADDRESS", "127.0.0.1:8000")
    # Emails (sent by the web server and the worker) link to the address served here,
    # unless the environment says otherwise.
    os.environ.setdefault("SITE_URL", site_url(address))
    python = sys.executable
    commands = {
        "web": [python, "manage.py", "runserver", address],
        "worker": [python, "-m", "celery", "-A", "jmappa", "worker", "--loglevel", "INFO",
                   "--concurrency", "2"],
        "beat": [python, "-m", "celery", "-A", "jmappa", "beat", "--loglevel", "INFO",
                 "--schedule", os.path.join(var, "celerybeat-schedule")],
    }
    processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
    _sweep_now()
    print(f"JMAPPA Case Manager on http://{address}/ (Ctrl-C stops it)", flush=True)

    stopping = False

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    exit_code = 0
    while not stopping:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"{name} stopped (exit {process.returncode}); stopping the rest.",
                      file=sys.stderr, flush=True)
                exit_code = process.returncode or 1
                stopping = True
                break
        time.sleep(0.5)

    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    if is_embedded:
        embedded.stop()
        print("Stopped. Data kept in ./var/.", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
