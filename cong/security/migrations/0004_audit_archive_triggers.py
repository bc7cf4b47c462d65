"""Append-only with archiving.

The live audit table keeps refusing UPDATE; DELETE is refused unless an
``AuditArchive`` row covers the entry's time and id (the archive job writes
that row first, in the same transaction). ``AuditArchive`` rows themselves cannot be
changed or deleted.
"""

from django.db import migrations

from cong.core.migration_ops import vendor_sql

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS security_auditevent_no_delete",
    """CREATE TRIGGER security_auditevent_no_delete BEFORE DELETE ON security_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM security_auditarchive a
                        WHERE OLD.at >= a.start AND OLD.at < a."end"
                          AND OLD.id >= a.first_id AND OLD.id <= a.last_id)
       BEGIN SELECT RAISE(ABORT, 'security_auditevent is append-only'); END""",
    """CREATE TRIGGER security_auditarchive_no_update BEFORE UPDATE ON security_auditarchive
       BEGIN SELECT RAISE(ABORT, 'security_auditarchive is append-only'); END""",
    """CREATE TRIGGER security_auditarchive_no_delete BEFORE DELETE ON security_auditarchive
       BEGIN SELECT RAISE(ABORT, 'security_auditarchive is append-only'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS security_auditarchive_no_update",
    "DROP TRIGGER IF EXISTS security_auditarchive_no_delete",
    "DROP TRIGGER IF EXISTS security_auditevent_no_delete",
    """CREATE TRIGGER security_auditevent_no_delete BEFORE DELETE ON security_auditevent
       BEGIN SELECT RAISE(ABORT, 'security_auditevent is append-only'); END""",
]

PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION security_auditevent_refuse() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND EXISTS (
              SELECT 1 FROM security_auditarchive a WHERE OLD.at >= a.start AND OLD.at < a."end"
                AND OLD.id >= a.first_id AND OLD.id <= a.last_id) THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'security_auditevent is append-only';
       END
       $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION security_auditarchive_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'security_auditarchive is append-only'; END
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER security_auditarchive_append_only BEFORE UPDATE OR DELETE
       ON security_auditarchive FOR EACH ROW EXECUTE FUNCTION security_auditarchive_refuse()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS security_auditarchive_append_only ON security_auditarchive",
    "DROP FUNCTION IF EXISTS security_auditarchive_refuse()",
    """CREATE OR REPLACE FUNCTION security_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'security_auditevent is append-only'; END
       $$ LANGUAGE plpgsql""",
]


class Migration(migrations.Migration):
    dependencies = [("security", "0003_security_keys_and_audit_archive")]
    operations = [vendor_sql(sqlite=(SQLITE_FORWARD, SQLITE_BACKWARD), postgresql=(PG_FORWARD, PG_BACKWARD))]
