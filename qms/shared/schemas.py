"""API schemas of the shared mechanisms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

MAX_ID = 2**63 - 1  # the largest id a 64-bit column holds


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    language: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    is_read: bool


class UnreadCountOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int = Field(..., description="How many notifications were unread and are now read.")


class SignalOut(Schema):
    id: int
    subject_type: str
    subject_id: str
    organisation_id: int | None
    kind: str
    severity: str
    evidence: dict[str, Any]
    source: str
    occurred_at: dt.datetime
    created_at: dt.datetime
    dedupe_key: str


class SignalFilterIn(Schema):
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str | None = None
    min_severity: str | None = Field(None, description="info, low, medium, high or critical")
    subject_type: str | None = None
    subject_id: str | None = None
    source: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    organisation_id: int | None
    before: Any
    after: Any
    reason: str
    request_id: str
    ip: str | None


class AuditFilterIn(Schema):
    actor: str | None = Field(None, description="A user id, or part of the user name")
    action: str | None = Field(None, description="Action prefix, e.g. 'documents.'")
    object_type: str | None = Field(None, description="app_label.model, e.g. 'documents.document'")
    object_id: str | None = None
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID)
    date_from: dt.date | None = Field(None, description="First day (business time zone)")
    date_to: dt.date | None = Field(None, description="Last day, inclusive")
    q: str | None = Field(None, description="Free text")
