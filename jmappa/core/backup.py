"""Backups of the database with PostgreSQL's own tools: `pg_dump -Fc` and `pg_restore`.

The client programs are found on PATH, else in `pg_config --bindir`; the connection is the
configured `default` database's (host, port, user, password passed in the environment, never
on the command line). A restore goes into a database it creates, never over a live one:
check it there, then point DATABASE_URL at it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from psycopg import sql as pgsql

from jmappa import embedded
from jmappa.core.postgres import SSL_OPTIONS, maintenance_connection, server_params


def program(name: str) -> str:
    bundled = embedded.postgres_bindir()
    if bundled is not None and (bundled / name).exists():
        return str(bundled / name)
    found = shutil.which(name)
    if found:
        return found
    try:
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        bindir = ""
    candidate = Path(bindir) / name
    if bindir and candidate.exists():
        return str(candidate)
    raise CommandError(f"{name} not found: install PostgreSQL's client programs.")


def _database() -> dict:
    return settings.DATABASES["default"]


def client_environment() -> dict[str, str]:
    """libpq's variables for the configured server (the password stays off the command line):
    PGHOST, PGPORT, PGUSER, PGPASSWORD and the TLS ones, none inherited from elsewhere."""
    variables = {f"PG{key.upper()}": value for key, value in server_params().items()}
    env = {key: value for key, value in os.environ.items()
           if key not in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD",
                          *(f"PG{option.upper()}" for option in SSL_OPTIONS))}
    return {**env, **variables}


def _run(args: list[str]) -> None:
    completed = subprocess.run(args, env=client_environment(), capture_output=True, text=True)
    if completed.returncode != 0:
        raise CommandError(f"{Path(args[0]).name} failed ({completed.returncode}): "
                           f"{completed.stderr.strip()}")


def dump(output: Path, *, database: str | None = None) -> Path:
    """The whole database in pg_dump's custom format (compressed, restorable table by table)."""
    name = database or _database()["NAME"]
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    _run([program("pg_dump"), "--format=custom", "--file", str(partial), "--dbname", name])
    partial.replace(output)  # a dump cut short never looks like a finished one
    return output


def database_exists(name: str) -> bool:
    with maintenance_connection() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [name]).fetchone() is not None


def create_database(name: str) -> None:
    with maintenance_connection() as conn:
        conn.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name)))


def drop_database(name: str) -> None:
    with maintenance_connection() as conn:
        conn.execute(pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(pgsql.Identifier(name)))


def restore(source: Path, into: str, *, no_owner: bool = False) -> None:
    """`source` restored into a new database `into`, which must not exist yet; on failure
    the half-restored database is dropped."""
    if not source.is_file():
        raise CommandError(f"No backup at {source}.")
    if into == _database()["NAME"]:
        raise CommandError("Refusing to restore over the database in use: name a new one.")
    if database_exists(into):
        raise CommandError(f"The database {into!r} exists already: restore into a new one.")
    create_database(into)
    args = [program("pg_restore"), "--exit-on-error", "--single-transaction",
            "--dbname", into]
    if no_owner:
        args += ["--no-owner", "--no-privileges"]
    try:
        _run([*args, str(source)])
    except CommandError:
        drop_database(into)
        raise
