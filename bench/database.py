"""The benchmarks' own databases: created, marked complete, dropped through the `postgres`
maintenance database on the configured server, reached through a `bench` connection alias
(or by pointing `default` at them while measuring), and filled with COPY."""

from __future__ import annotations

from contextlib import contextmanager, suppress
from copy import deepcopy
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import connections
from psycopg import sql as pgsql

from jmappa.core.postgres import maintenance_connection

BENCH_ALIAS = "bench"


def database_state(name: str) -> str | None:
    """None if there is no such database, else its comment ('' if none)."""
    with maintenance_connection() as conn:
        row = conn.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database "
            "WHERE datname = %s", [name]).fetchone()
    return None if row is None else row[0]


def drop_database(name: str) -> None:
    with maintenance_connection() as conn:
        conn.execute(pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(pgsql.Identifier(name)))


def create_database(name: str) -> None:
    drop_database(name)
    with maintenance_connection() as conn:
        conn.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name)))


def mark_complete(name: str, note: str) -> None:
    """Note on the database that its generation finished (what `database_state` reads), so a
    later run with --reuse knows it is whole."""
    with maintenance_connection() as conn:
        conn.execute(pgsql.SQL("COMMENT ON DATABASE {} IS {}").format(
            pgsql.Identifier(name), pgsql.Literal(note)))


def add_alias(name: str) -> None:
    bench = deepcopy(connections["default"].settings_dict)
    bench["NAME"] = name
    bench["TEST"] = {**bench.get("TEST", {}), "NAME": None}
    connections.settings[BENCH_ALIAS] = bench
    settings.DATABASES[BENCH_ALIAS] = bench


def remove_alias() -> None:
    if BENCH_ALIAS in connections.settings:
        connections[BENCH_ALIAS].close()
        with suppress(AttributeError):
            del connections[BENCH_ALIAS]
        connections.settings.pop(BENCH_ALIAS, None)
    settings.DATABASES.pop(BENCH_ALIAS, None)


@contextmanager
def default_points_at(name: str):
    """`default` on the bench database, as Django's test runner switches it to the test
    database; switched back whatever happens."""
    connection = connections["default"]
    if connection.in_atomic_block:
        raise CommandError("Run bench_access outside a transaction (in pytest: "
                           "django_db(transaction=True)).")
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES["default"]["NAME"] = name
    ContentType.objects.clear_cache()
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        settings.DATABASES["default"]["NAME"] = original
        ContentType.objects.clear_cache()


def copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    if isinstance(value, str):
        return (str(value).replace("\\", "\\\\").replace("\t", "\\t")
                .replace("\n", "\\n").replace("\r", "\\r"))
    return str(value)


def copy(alias: str, model, fields: list[str], rows, chunk: int = 20_000) -> int:
    """COPY rows (tuples in `fields` order) into the model's table: much faster than
    bulk_create for the large link tables."""
    columns = [model._meta.get_field(f).column for f in fields]
    statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
        pgsql.Identifier(model._meta.db_table),
        pgsql.SQL(", ").join(pgsql.Identifier(c) for c in columns))
    count = 0
    with connections[alias].cursor() as cursor, cursor.cursor.copy(statement) as copy:
        lines = []
        for row in rows:
            lines.append("\t".join(map(copy_text, row)))
            if len(lines) >= chunk:
                copy.write("\n".join(lines) + "\n")
                count += len(lines)
                lines = []
        if lines:
            copy.write("\n".join(lines) + "\n")
            count += len(lines)
    return count


def copy_objects(alias: str, objs: list) -> None:
    """COPY unsaved model instances, every stored column but generated ones, primary key
    included (set beforehand); then move the table's id sequence past them."""
    model = type(objs[0])
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    rows = (
        [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
        for obj in objs
    )
    copy(alias, model, [f.name for f in fields], rows)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT max(id) FROM {table}))")
