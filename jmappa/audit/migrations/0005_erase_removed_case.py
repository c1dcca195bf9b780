from django.db import migrations, models

# The one change the append-only trail allows: when a case is removed at its retention
# review (§13.3), what its entries said about the person (the record's text, the values
# changed, the details) is withheld, so that no personal data outlives the record. Who did
# what, when, through what channel, to which kind of record and which id, stays.
#
# The application's runtime role may not UPDATE the trail at all (jmappa/core/dbroles.py):
# it calls audit_event_erase_removed_case(), which runs as the trail's owner and erases
# only the entries of a case that no longer exists; the trigger lets an UPDATE through only
# inside that function (a transaction-local setting it sets) and only if it leaves every
# column but those three as it was. DELETE stays refused.
FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('jmappa.audit_erasure', true) = 'on'
       AND (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.actor_username, NEW.actor_agency,
            NEW.channel, NEW.action, NEW.object_type, NEW.object_id, NEW.case_id,
            NEW.ip_address)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.actor_username, OLD.actor_agency,
            OLD.channel, OLD.action, OLD.object_type, OLD.object_id, OLD.case_id,
            OLD.ip_address) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % of audit events is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION audit_event_erase_removed_case(
    p_case_id bigint, p_records text[], p_patterns text[], p_note text, p_withheld text)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    about_case integer;
    searches integer;
BEGIN
    IF EXISTS (SELECT 1 FROM cases_nominal WHERE id = p_case_id) THEN
        RAISE EXCEPTION 'Case % still exists: only a removed case''s entries are erased',
            p_case_id USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('jmappa.audit_erasure', 'on', true);
    -- Every entry about the case or about a record removed with it.
    UPDATE audit_auditevent AS e SET
        object_repr = p_note,
        changes = COALESCE(
            (SELECT jsonb_object_agg(c.key, to_jsonb(p_withheld))
             FROM jsonb_each(CASE WHEN jsonb_typeof(e.changes) = 'object'
                                  THEN e.changes ELSE '{}'::jsonb END) AS c),
            '{}'::jsonb),
        detail = CASE WHEN e.detail = '' THEN '' ELSE p_withheld END
    WHERE (e.case_id = p_case_id OR e.object_type || ':' || e.object_id = ANY(p_records))
      AND e.object_repr IS DISTINCT FROM p_note;
    GET DIAGNOSTICS about_case = ROW_COUNT;
    -- The lists, searches and exports that showed it, or asked for the person by name or
    -- number: the address asked (the search typed) is withheld, the ids listed stay.
    UPDATE audit_auditevent AS e SET detail = p_withheld
    WHERE e.action IN ('list', 'deny', 'export', 'print') AND e.detail NOT IN ('', p_withheld)
      AND ((e.object_type = 'cases.nominal' AND jsonb_typeof(e.changes -> 'ids') = 'array'
            AND e.changes -> 'ids' @> to_jsonb(p_case_id))
           OR e.detail ~* ANY(p_patterns));
    GET DIAGNOSTICS searches = ROW_COUNT;
    PERFORM set_config('jmappa.audit_erasure', 'off', true);
    RETURN about_case + searches;
END;
$$;
"""

BACKWARD = """
DROP FUNCTION IF EXISTS audit_event_erase_removed_case(bigint, text[], text[], text, text);
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: % of audit events is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_verbs_list_and_deny'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('view', 'Viewed'), ('list', 'Listed'), ('deny', 'Denied'), ('create', 'Created'), ('change', 'Changed'), ('archive', 'Archived'), ('reactivate', 'Re-activated'), ('remove', 'Removed'), ('export', 'Exported'), ('print', 'Printed'), ('disclose', 'Disclosed'), ('login', 'Signed in'), ('logout', 'Signed out'), ('login_failed', 'Failed sign-in')], db_index=True, max_length=16),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
