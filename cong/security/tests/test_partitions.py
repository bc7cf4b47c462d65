"""Monthly partitions of the audit log on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from cong.security import partitions
from cong.security.audit import record
from cong.security.choices import AuditAction
from cong.security.models import AuditEvent

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'")


def test_rows_land_in_their_month_and_months_are_prepared_ahead(db):
    assert partitions.is_partitioned()
    made = partitions.audit_partitions_ensure(dt.date(2031, 5, 17))
    assert made == ["security_auditevent_203105", "security_auditevent_203106", "security_auditevent_203107"]
    assert partitions.audit_partitions_ensure(dt.date(2031, 5, 17)) == []
    event = record(AuditAction.EXPORT, message="tương lai")
    with connection.cursor() as c:
        c.execute("INSERT INTO security_auditevent (at, action, actor_name, user_agent, object_type, object_id,"
                  " object_repr, message, changes) VALUES ('2031-06-03 10:00+07', 'export', '', '', '', '', '',"
                  " 'thang sau', '{}') RETURNING tableoid::regclass::text")
        assert c.fetchone()[0] == "security_auditevent_203106"
        c.execute("SELECT tableoid::regclass::text FROM security_auditevent WHERE id = %s", [event.pk])
        assert c.fetchone()[0] == partitions.partition_name(timezone.now().date().replace(day=1))


def test_a_detached_month_keeps_its_rows_outside_the_live_log(db):
    partitions.audit_partitions_ensure(dt.date(2032, 1, 5))
    with connection.cursor() as c:
        c.execute("INSERT INTO security_auditevent (at, action, actor_name, user_agent, object_type, object_id,"
                  " object_repr, message, changes) VALUES ('2032-01-10 10:00+07', 'login', '', '', '', '', '',"
                  " 'luu tru', '{}')")
    name = partitions.audit_partition_detach(dt.date(2032, 1, 1))
    assert not AuditEvent.objects.filter(message="luu tru").exists()
    with connection.cursor() as c:
        c.execute(f'SELECT count(*) FROM "{name}" WHERE message = %s', ["luu tru"])  # noqa: S608
        assert c.fetchone()[0] == 1
    assert name not in partitions.audit_partitions()
