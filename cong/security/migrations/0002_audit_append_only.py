"""The audit log is append-only, and monthly partitioned on PostgreSQL.

SQLite: triggers refuse UPDATE and DELETE. PostgreSQL: the (still empty)
table is re-created partitioned by range of ``at`` (primary key (id, at), the
same columns and index names as migration 0001, so Django's state holds), with
a default partition, the partitions of the coming months, and a row trigger
refusing UPDATE and DELETE. Months are archived by detaching their partition
(cong.security.partitions), never by deleting rows.

A later migration that rebuilds this table on SQLite must re-create the
triggers (SQLite's table rebuild drops them).
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER security_auditevent_no_update BEFORE UPDATE ON security_auditevent
       BEGIN SELECT RAISE(ABORT, 'security_auditevent is append-only'); END""",
    """CREATE TRIGGER security_auditevent_no_delete BEFORE DELETE ON security_auditevent
       BEGIN SELECT RAISE(ABORT, 'security_auditevent is append-only'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS security_auditevent_no_update",
    "DROP TRIGGER IF EXISTS security_auditevent_no_delete",
]

PG_FORWARD = [
    "DROP TABLE security_auditevent",
    "CREATE SEQUENCE security_auditevent_id_seq",
    """CREATE TABLE security_auditevent (
        id bigint NOT NULL DEFAULT nextval('security_auditevent_id_seq'),
        at timestamp with time zone NOT NULL,
        action varchar(32) NOT NULL,
        actor_name varchar(150) NOT NULL,
        ip inet NULL,
        user_agent varchar(255) NOT NULL,
        object_type varchar(100) NOT NULL,
        object_id varchar(64) NOT NULL,
        object_repr varchar(255) NOT NULL,
        message varchar(255) NOT NULL,
        changes jsonb NOT NULL,
        actor_id bigint NULL,
        portal_id bigint NULL,
        PRIMARY KEY (id, at)
    ) PARTITION BY RANGE (at)""",
    "ALTER SEQUENCE security_auditevent_id_seq OWNED BY security_auditevent.id",
    'CREATE INDEX "security_audit_at_id" ON "security_auditevent" ("at", "id")',
    'CREATE INDEX "security_audit_actor_at" ON "security_auditevent" ("actor_id", "at")',
    'CREATE INDEX "security_audit_action_at" ON "security_auditevent" ("action", "at")',
    'CREATE INDEX "security_audit_portal_at" ON "security_auditevent" ("portal_id", "at")',
    'CREATE INDEX "security_audit_object" ON "security_auditevent" ("object_type", "object_id")',
    "CREATE TABLE security_auditevent_default PARTITION OF security_auditevent DEFAULT",
    """CREATE FUNCTION security_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'security_auditevent is append-only'; END
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER security_auditevent_append_only BEFORE UPDATE OR DELETE
       ON security_auditevent FOR EACH ROW EXECUTE FUNCTION security_auditevent_refuse()""",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        for sql in PG_FORWARD:
            schema_editor.execute(sql)
        import datetime as dt

        from cong.security.partitions import _next_month, create_partition_sql

        month = dt.date.today().replace(day=1)
        for _ in range(3):
            schema_editor.execute(create_partition_sql(month))
            month = _next_month(month)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS security_auditevent_append_only ON security_auditevent")
        schema_editor.execute("DROP FUNCTION IF EXISTS security_auditevent_refuse()")


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
