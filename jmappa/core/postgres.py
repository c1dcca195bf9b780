"""The configured PostgreSQL server as libpq sees it, for what works beside Django's own
connection: the backup drill's client programs, creating and dropping a database."""

from __future__ import annotations

import psycopg
from django.conf import settings

SSL_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey")


def server_params() -> dict[str, str]:
    """libpq's parameters for the `default` database's server (no database name): its host,
    or the embedded server's socket folder given in the URL's query, port, user, password
    and TLS options."""
    db = settings.DATABASES["default"]
    options = db.get("OPTIONS", {})
    params = {"host": db.get("HOST") or options.get("host"), "port": db.get("PORT"),
              "user": db.get("USER"), "password": db.get("PASSWORD")}
    params.update({option: options[option] for option in SSL_OPTIONS if option in options})
    return {key: str(value) for key, value in params.items() if value}


def maintenance_connection() -> psycopg.Connection:
    """An autocommit connection to the server's `postgres` database."""
    return psycopg.connect(dbname="postgres", autocommit=True, **server_params())
