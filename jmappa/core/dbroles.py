"""Least privilege in the database: the application runs as a role that owns nothing.

Migrations run as the owner of the schema; the web server, the worker and beat connect as
the runtime role (settings.DATABASE_RUNTIME_ROLE), which may read and write the
application's tables but may only add to the audit trail and read it: no UPDATE, DELETE or
TRUNCATE there, and, owning no table and being no superuser, it can neither disable the
append-only trigger nor set session_replication_role to step round it.

`grant_runtime_role()` (the `grant_runtime_role` command, and after every `migrate` when the
setting names a role) grants exactly that, on the tables that exist and, by default
privileges, on those later migrations create.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections
from psycopg import sql

TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
# What the audit trail's table keeps from TABLE_PRIVILEGES and everything else.
AUDIT_REVOKED = "UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"


class UnsafeRuntimeRole(Exception):
    pass


def audit_table() -> str:
    return apps.get_model("audit", "AuditEvent")._meta.db_table


def grant_runtime_role(role: str, *, using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR rolbypassrls, current_user = rolname FROM pg_roles "
            "WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            raise UnsafeRuntimeRole(f"There is no database role {role!r}: create it first.")
        if row[0] or row[1]:
            raise UnsafeRuntimeRole(
                f"The runtime role {role!r} must not be a superuser, nor the role that "
                "migrates: it is the one the append-only audit trail holds back.")
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND pg_get_userbyid(c.relowner) = %s", [role])
        if cursor.fetchone()[0]:
            raise UnsafeRuntimeRole(f"The runtime role {role!r} owns tables: it must own "
                                    "nothing.")
        who = sql.Identifier(role)
        for statement in (
            "GRANT CONNECT ON DATABASE {database} TO {role}",
            "GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {{schema}} TO {{role}}",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {{schema}} GRANT {TABLE_PRIVILEGES} "
            "ON TABLES TO {role}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES "
            "TO {role}",
            f"REVOKE {AUDIT_REVOKED} ON {{audit}} FROM {{role}}",
            f"REVOKE {AUDIT_REVOKED} ON {{audit}} FROM PUBLIC",
        ):
            cursor.execute(sql.SQL(statement).format(
                database=sql.Identifier(connection.settings_dict["NAME"]),
                schema=sql.Identifier(_current_schema(cursor)),
                role=who, audit=sql.Identifier(audit_table())))


def _current_schema(cursor) -> str:
    cursor.execute("SELECT current_schema()")
    return cursor.fetchone()[0]


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: keep the runtime role's grants in step with the tables. The signal is
    sent once per app with models, after all the migrations: grant on the last one."""
    from django.conf import settings

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if settings.DATABASE_RUNTIME_ROLE and sender is last:
        grant_runtime_role(settings.DATABASE_RUNTIME_ROLE, using=using)
