"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit rows; the retention
purge sets ``qms.audit_purge`` for its own transaction. SQLite relies on the model guard."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION qms_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('qms.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER shared_auditevent_append_only
  BEFORE UPDATE OR DELETE ON shared_auditevent
  FOR EACH ROW EXECUTE FUNCTION qms_audit_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS shared_auditevent_append_only ON shared_auditevent;
DROP FUNCTION IF EXISTS qms_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("shared", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
