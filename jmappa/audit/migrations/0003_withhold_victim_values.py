from django.db import migrations

# The records of which every field is sensitive (audit_sensitive_fields = EVERY_FIELD), as
# they stood when this was written, with the name the trail gives them instead of their text.
EVERY_FIELD_TYPES = {"cases.victim": "Victim"}
WITHHELD = "(withheld)"
TRIGGER = "audit_event_append_only"


def withhold_sensitive_values(apps, schema_editor):
    """Victim details written into the trail before they were withheld: the fields named,
    their values replaced. The one rewrite of the trail, done as its owner, the append-only
    trigger set aside for it alone and back before the migration ends."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    trail = AuditEvent.objects.using(schema_editor.connection.alias)  # the database migrated
    table = schema_editor.quote_name(AuditEvent._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        # Checks deferred to the end of the transaction are run now: the table cannot be
        # altered with any pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {TRIGGER}")
        try:
            for object_type, name in EVERY_FIELD_TYPES.items():
                events = trail.filter(object_type=object_type)
                for event in events.only("pk", "changes", "object_repr").iterator():
                    changes = dict.fromkeys(event.changes or {}, WITHHELD)
                    if changes != event.changes or event.object_repr != name:
                        trail.filter(pk=event.pk).update(
                            changes=changes, object_repr=name)
        finally:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [migrations.RunPython(withhold_sensitive_values, migrations.RunPython.noop)]
