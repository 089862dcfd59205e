from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .domain.states import REJECT_REASONS


class DocumentTypeOut(Schema):
    code: str
    name_en: str
    name_zh: str
    markets: list[str]
    requires_expiry: bool
    number_pattern: str
    number_hint: str
    description: str
    allowed_files: list[str]


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    action: str
    actor_id: int | None
    at: dt.datetime
    reason_code: str
    note: str


class DocumentOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    document_type: str
    number: str
    issuer: str
    issued_on: dt.date
    expires_on: dt.date | None
    status: str
    sha256: str
    size: int
    content_type: str
    original_name: str
    uploaded_by_id: int | None
    reviewed_by_id: int | None
    reviewed_at: dt.datetime | None
    review_reason_code: str
    review_note: str
    brand_id: int | None
    category_id: int | None
    superseded_by_id: int | None
    created_at: dt.datetime
    download_url: str

    @staticmethod
    def resolve_organisation_name(obj: object) -> str:
        return obj.organisation.name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_document_type(obj: object) -> str:
        return obj.document_type.code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_download_url(obj: object) -> str:
        return f"/api/v1/documents/{obj.pk}/download"  # type: ignore[attr-defined]


class DocumentDetailOut(DocumentOut):
    history: list[StatusChangeOut]

    @staticmethod
    def resolve_history(obj: object) -> list:
        return list(obj.history.order_by("at", "id"))  # type: ignore[attr-defined]


class VerifyIn(Schema):
    note: str = Field("", max_length=2000)


class RejectIn(Schema):
    reason_code: str = Field(..., description="One of: " + ", ".join(sorted(REJECT_REASONS)))
    note: str = Field("", max_length=2000)


class DashboardOut(Schema):
    documents_to_verify: int
    documents_expiring_30d: int
    documents_expired: int
