"""On PostgreSQL the append-only trigger lets one thing through: an erasure's rewrite of the rows
about the child being erased (`oversight.audit.actions.pseudonymise`), in the erasure's own
transaction (`oversight.erasing_child`, set locally to the child's id). Only the columns of
`ERASABLE_COLUMNS` may change (child_reference, before, after, reason, path of an entry;
child_reference of a child shown), and only on rows naming that child; every other UPDATE, and
every DELETE, is refused as before."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
DECLARE
    erasing text := current_setting('oversight.erasing_child', true);
    editable text[];
BEGIN
    IF TG_OP = 'UPDATE' AND coalesce(erasing, '') <> '' THEN
        IF TG_TABLE_NAME = 'audit_childshown' THEN
            editable := ARRAY['child_reference'];
            IF OLD.child_id::text = erasing
               AND (to_jsonb(NEW) - editable) = (to_jsonb(OLD) - editable) THEN
                RETURN NEW;
            END IF;
        ELSE
            editable := ARRAY['child_reference', 'before', 'after', 'reason', 'path'];
            IF (OLD.child_id::text = erasing OR EXISTS (
                    SELECT 1 FROM audit_childshown s
                    WHERE s.entry_id = OLD.id AND s.child_id::text = erasing))
               AND (to_jsonb(NEW) - editable) = (to_jsonb(OLD) - editable) THEN
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# 0003's function: every UPDATE and DELETE refused.
PREVIOUS = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_every_action")]

    operations = [migrations.RunPython(forwards, backwards)]
