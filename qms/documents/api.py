"""``/api/v1/documents``: types, upload, list, detail, download, verify, reject."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from qms.shared.errors import ValidationFailed
from qms.shared.files import open_stored
from qms.shared.pagination import Page, paginate
from qms.shared.requests import request_actor as _actor

from . import selectors, services
from .schemas import (
    DashboardOut,
    DocumentDetailOut,
    DocumentOut,
    DocumentTypeOut,
    RejectIn,
    VerifyIn,
)

router = Router(tags=["documents"])


@router.get("/types", response=list[DocumentTypeOut], summary="Document types")
def list_types(request: HttpRequest, market: str | None = None) -> list:
    return selectors.document_types(market=market)


@router.get("/dashboard", response=DashboardOut, summary="Counts for the dashboard")
def dashboard(request: HttpRequest) -> dict:
    return selectors.dashboard_counts(actor=_actor(request))


@router.post("", response={201: DocumentOut}, summary="Upload a document (multipart)")
def upload(
    request: HttpRequest,
    file: File[UploadedFile],
    document_type: Form[str],
    number: Form[str],
    issued_on: Form[dt.date],
    expires_on: Form[dt.date | None] = None,
    issuer: Form[str] = "",
    organisation_id: Form[int | None] = None,
    brand_id: Form[int | None] = None,
    category_id: Form[int | None] = None,
) -> Status:
    actor = _actor(request)
    doc = services.upload_document(
        actor=actor,
        organisation_id=selectors.upload_organisation_id(actor, organisation_id=organisation_id),
        document_type_code=document_type,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        issuer=issuer,
        file_name=file.name or "",
        file_data=file,
        brand_id=brand_id,
        category_id=category_id,
    )
    return Status(201, selectors.get_document(actor, document_id=doc.pk))


@router.get("", response=Page[DocumentOut], summary="Documents I may see")
def list_documents(
    request: HttpRequest,
    status: str | None = None,
    organisation_id: int | None = None,
    type: str | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> dict:
    qs = selectors.documents_for(
        _actor(request),
        status=status,
        organisation_id=organisation_id,
        type_code=type,
        q=q,
    )
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("-created_at", "-id"))
    return {"items": items, "next_cursor": nxt}


@router.get("/expiring", response=Page[DocumentOut], summary="Verified documents expiring soon")
def list_expiring(
    request: HttpRequest, within_days: int = 30, cursor: str | None = None, limit: int = 50
) -> dict:
    if within_days < 0 or within_days > 366:
        raise ValidationFailed("within_days must be between 0 and 366.", code="invalid_within_days")
    qs = selectors.expiring(_actor(request), within_days=within_days)
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("expires_on", "id"))
    return {"items": items, "next_cursor": nxt}


def _detail(actor: Any, document_id: int) -> Any:
    return selectors.get_document(actor, document_id=document_id)


@router.get("/{document_id}", response=DocumentDetailOut, summary="One document with history")
def detail(request: HttpRequest, document_id: int) -> Any:
    return _detail(_actor(request), document_id)


@router.get("/{document_id}/download", summary="The document's file")
def download(request: HttpRequest, document_id: int) -> FileResponse:
    doc = selectors.get_document(_actor(request), document_id=document_id)
    return FileResponse(
        open_stored(doc.file.name or ""),
        as_attachment=True,
        filename=doc.original_name,
        content_type=doc.content_type,
    )


@router.post("/{document_id}/verify", response=DocumentDetailOut, summary="Verify a document")
def verify(request: HttpRequest, document_id: int, body: VerifyIn) -> Any:
    services.verify_document(
        actor=_actor(request),
        document_id=document_id,
        note=body.note,
    )
    return _detail(_actor(request), document_id)


@router.post("/{document_id}/reject", response=DocumentDetailOut, summary="Reject a document")
def reject(request: HttpRequest, document_id: int, body: RejectIn) -> Any:
    services.reject_document(
        actor=_actor(request),
        document_id=document_id,
        reason_code=body.reason_code,
        note=body.note,
    )
    return _detail(_actor(request), document_id)
