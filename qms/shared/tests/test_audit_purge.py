"""Retention: `qms purge_audit` deletes expired rows; nothing else may change or delete them."""

from __future__ import annotations

import datetime as dt
import importlib
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from qms.shared.audit import purge_expired_audit_events
from qms.shared.models import AuditEvent

from .factories import AuditEventFactory


def test_purge_command_deletes_only_rows_older_than_the_retention(db, settings):
    settings.QMS_AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    expired = AuditEventFactory(at=now - dt.timedelta(days=31))
    kept = AuditEventFactory(at=now - dt.timedelta(days=29))
    out = io.StringIO()
    call_command("purge_audit", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 audit event(s) older than 30 days."
    assert not AuditEvent.objects.filter(pk=expired.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()


def test_purge_command_accepts_a_reference_time(db, settings):
    settings.QMS_AUDIT_RETENTION_DAYS = 3 * 365
    row = AuditEventFactory(at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))
    call_command("purge_audit", "--now", "2025-12-31T00:00:00", stdout=io.StringIO())
    assert AuditEvent.objects.filter(pk=row.pk).exists()
    call_command("purge_audit", "--now", "2026-01-02T00:00:00", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(pk=row.pk).exists()


def test_the_default_retention_is_three_years(monkeypatch):
    monkeypatch.delenv("QMS_AUDIT_RETENTION_DAYS", raising=False)
    from config.settings import base

    assert importlib.reload(base).QMS_AUDIT_RETENTION_DAYS == 3 * 365


def test_audit_rows_cannot_be_changed_or_deleted_outside_the_purge(db, settings):
    """PostgreSQL refuses UPDATE and DELETE in a trigger (migration 0002); on SQLite the
    model refuses. The purge still deletes expired rows on both."""
    settings.QMS_AUDIT_RETENTION_DAYS = 30
    row = AuditEventFactory(at=timezone.now() - dt.timedelta(days=400), reason="original")
    with pytest.raises(RuntimeError):
        row.save()
    with pytest.raises(RuntimeError):
        row.delete()
    if connection.vendor == "postgresql":
        table = AuditEvent._meta.db_table
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=row.pk).update(reason="rewritten")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=row.pk).delete()
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])  # noqa: S608
    assert AuditEvent.objects.get(pk=row.pk).reason == "original"
    assert purge_expired_audit_events() == 1
    assert not AuditEvent.objects.filter(pk=row.pk).exists()
