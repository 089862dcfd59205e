"""Writes of the documents context: upload, verify, reject, supersede, expire.

Every transition locks the document, checks the transition table, writes the new status, a
``DocumentStatusChange`` row and an audit row in one transaction; events are published and
notifications queued inside it (notifications are sent after commit).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.accounts.permissions import ensure_can, profile
from qms.shared.audit import record_event, snapshot
from qms.shared.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from qms.shared.events import publish
from qms.shared.files import inspect_upload, store_checked_file

from . import expiry
from .checks import business_today, check_fields
from .domain.states import (
    LIVE_STATES,
    REASONS_NEEDING_NOTE,
    REJECT_REASONS,
    DocAction,
    DocState,
    IllegalDocumentMove,
    next_state,
)
from .models import Document, DocumentStatusChange, DocumentType
from .reference import load_document_types

__all__ = [
    "business_today",
    "expire_document",
    "load_document_types",
    "reject_document",
    "upload_document",
    "verify_document",
]

AUDIT_FIELDS = (
    "status",
    "number",
    "issued_on",
    "expires_on",
    "reviewed_by",
    "reviewed_at",
    "review_reason_code",
)
STORAGE_PREFIX = "documents"


def _ensure_can_upload(actor: Any, organisation_id: int) -> None:
    p = profile(actor)
    if "documents.manage" in p.permissions:
        org_model = Document._meta.get_field("organisation").related_model
        if not org_model._default_manager.filter(pk=organisation_id, is_active=True).exists():
            raise NotFound(_("No such organisation."), code="organisation_not_found")
        return
    if p.is_merchant and organisation_id not in p.merchant_org_ids:
        raise NotFound(_("No such organisation."), code="organisation_not_found")
    ensure_can(actor, "documents.upload", merchant_org_id=organisation_id)


@transaction.atomic
def upload_document(
    *,
    actor: Any,
    organisation_id: int,
    document_type_code: str,
    number: str,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    issuer: str = "",
    file_name: str,
    file_data: bytes | IO[bytes] | Any,
    brand_id: int | None = None,
    category_id: int | None = None,
) -> Document:
    """Check everything (permission, type, number, dates, file), then store the file and the
    document as ``pending``. Identical bytes already pending or verified for the same
    organisation and type are refused (``document_duplicate``). Nothing is written on error."""
    _ensure_can_upload(actor, organisation_id)
    doc_type = DocumentType.objects.filter(code=document_type_code, is_active=True).first()
    if doc_type is None:
        raise ValidationFailed(
            _("Unknown document type %(code)s.") % {"code": document_type_code},
            code="document_type_unknown",
            field="document_type",
        )
    clean_number = check_fields(
        doc_type=doc_type, number=number, issued_on=issued_on, expires_on=expires_on
    )
    checked = inspect_upload(
        name=file_name, data=file_data, allowed=doc_type.allowed_files or ("pdf", "jpeg", "png")
    )
    duplicate = Document.objects.filter(
        organisation_id=organisation_id,
        document_type=doc_type,
        sha256=checked.sha256,
        status__in=[s.value for s in LIVE_STATES],
    ).first()
    if duplicate is not None:
        raise Conflict(
            _("This file was already uploaded for this document type."),
            code="document_duplicate",
            document_id=duplicate.pk,
        )
    stored = store_checked_file(checked, prefix=STORAGE_PREFIX)
    try:
        with transaction.atomic():
            doc = Document.objects.create(
                organisation_id=organisation_id,
                document_type=doc_type,
                number=clean_number,
                issuer=issuer.strip()[:200],
                issued_on=issued_on,
                expires_on=expires_on,
                file=stored,
                sha256=checked.sha256,
                size=checked.size,
                content_type=checked.mime,
                original_name=checked.original_name,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
                brand_id=brand_id,
                category_id=category_id,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This file was already uploaded for this document type."), code="document_duplicate"
        ) from exc
    _history(doc, "", DocAction.UPLOAD, actor)
    record_event(
        actor=actor,
        obj=doc,
        action="document.upload",
        organisation_id=organisation_id,
        after={
            **snapshot(doc, AUDIT_FIELDS),
            "type": doc_type.code,
            "sha256": doc.sha256,
            "size": doc.size,
            "file": doc.original_name,
        },
    )
    return doc


def _locked(document_id: int) -> Document:
    doc = (
        Document.objects.select_for_update()
        .select_related("document_type")
        .filter(pk=document_id)
        .first()
    )
    if doc is None:
        raise NotFound(_("No such document."), code="document_not_found")
    return doc


def _move(doc: Document, action: DocAction) -> DocState:
    try:
        return next_state(doc.status, action)
    except IllegalDocumentMove:
        raise IllegalTransition(state=doc.status, action=action.value) from None


def _history(
    doc: Document,
    from_status: str,
    action: DocAction,
    actor: Any,
    reason_code: str = "",
    note: str = "",
) -> None:
    DocumentStatusChange.objects.create(
        document=doc,
        from_status=from_status,
        to_status=doc.status,
        action=action.value,
        actor=actor if getattr(actor, "pk", None) else None,
        reason_code=reason_code,
        note=note,
    )


def _ensure_reviewer(actor: Any, doc: Document) -> None:
    p = profile(actor)
    if p.is_merchant and not p.is_platform and doc.organisation_id not in p.merchant_org_ids:
        raise NotFound(_("No such document."), code="document_not_found")
    ensure_can(actor, "documents.verify", merchant_org_id=doc.organisation_id)


@transaction.atomic
def verify_document(*, actor: Any, document_id: int, note: str = "") -> Document:
    """Accept a pending document, supersede the organisation's earlier verified document of
    the same type (and brand/category), and start the expiry watch."""
    doc = _locked(document_id)
    _ensure_reviewer(actor, doc)
    before = snapshot(doc, AUDIT_FIELDS)
    new_status = _move(doc, DocAction.VERIFY)
    if doc.expires_on is not None and doc.expires_on < business_today():
        raise ValidationFailed(
            _("The document has expired; reject it instead."), code="document_already_expired"
        )
    doc.status, doc.reviewed_by, doc.reviewed_at = new_status.value, actor, timezone.now()
    doc.review_reason_code, doc.review_note = "", note.strip()
    doc.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_reason_code",
            "review_note",
            "updated_at",
        ]
    )
    _history(doc, before["status"], DocAction.VERIFY, actor, note=doc.review_note)
    record_event(
        actor=actor,
        obj=doc,
        action="document.verify",
        before=before,
        after=snapshot(doc, AUDIT_FIELDS),
        reason=doc.review_note,
        organisation_id=doc.organisation_id,
    )
    _supersede_older(doc, actor)
    if doc.expires_on is not None:
        expiry.watch(doc)
    publish(
        "documents.verified",
        document_id=doc.pk,
        organisation_id=doc.organisation_id,
        type_code=doc.document_type.code,
    )
    expiry.notify_decision(doc, kind="documents.verified")
    return doc


def _supersede_older(doc: Document, actor: Any) -> None:
    older = (
        Document.objects.select_for_update()
        .filter(
            organisation_id=doc.organisation_id,
            document_type_id=doc.document_type_id,
            brand_id=doc.brand_id,
            category_id=doc.category_id,
            status=DocState.VERIFIED.value,
        )
        .exclude(pk=doc.pk)
    )
    for old in older:
        before = old.status
        old.status = _move(old, DocAction.SUPERSEDE).value
        old.superseded_by = doc
        old.save(update_fields=["status", "superseded_by", "updated_at"])
        _history(old, before, DocAction.SUPERSEDE, actor, note=f"replaced by #{doc.pk}")
        record_event(
            actor=actor,
            obj=old,
            action="document.supersede",
            before={"status": before},
            after={"status": old.status, "superseded_by": doc.pk},
            organisation_id=old.organisation_id,
        )
        expiry.unwatch(old)


@transaction.atomic
def reject_document(*, actor: Any, document_id: int, reason_code: str, note: str = "") -> Document:
    """Refuse a pending document with a coded reason (``REJECT_REASONS``) and a note."""
    doc = _locked(document_id)
    _ensure_reviewer(actor, doc)
    if reason_code not in REJECT_REASONS:
        raise ValidationFailed(
            _("Choose a reason for the rejection."),
            code="reject_reason_invalid",
            field="reason_code",
            allowed=sorted(REJECT_REASONS),
        )
    if reason_code in REASONS_NEEDING_NOTE and not note.strip():
        raise ValidationFailed(
            _("Explain this reason in the note."), code="reject_note_required", field="note"
        )
    before = snapshot(doc, AUDIT_FIELDS)
    doc.status = _move(doc, DocAction.REJECT).value
    doc.reviewed_by, doc.reviewed_at = actor, timezone.now()
    doc.review_reason_code, doc.review_note = reason_code, note.strip()
    doc.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_reason_code",
            "review_note",
            "updated_at",
        ]
    )
    _history(doc, before["status"], DocAction.REJECT, actor, reason_code, doc.review_note)
    record_event(
        actor=actor,
        obj=doc,
        action="document.reject",
        before=before,
        after=snapshot(doc, AUDIT_FIELDS),
        reason=f"{reason_code}: {doc.review_note}",
        organisation_id=doc.organisation_id,
    )
    publish(
        "documents.rejected",
        document_id=doc.pk,
        organisation_id=doc.organisation_id,
        type_code=doc.document_type.code,
    )
    expiry.notify_decision(doc, kind="documents.rejected")
    if reason_code == "forgery_suspected":
        expiry.emit_quality_signal(doc, kind="documents.forgery_suspected", severity="high")
    return doc


@transaction.atomic
def expire_document(*, actor: Any = None, document_id: int, note: str = "") -> Document:
    """Mark a document expired (the expiry watch calls this when the date passes)."""
    doc = _locked(document_id)
    if actor is not None:
        ensure_can(actor, "documents.manage", merchant_org_id=doc.organisation_id)
    before = doc.status
    doc.status = _move(doc, DocAction.EXPIRE).value
    doc.save(update_fields=["status", "updated_at"])
    _history(doc, before, DocAction.EXPIRE, actor, note=note)
    record_event(
        actor=actor,
        obj=doc,
        action="document.expire",
        before={"status": before},
        after={"status": doc.status, "expires_on": doc.expires_on},
        reason=note,
        organisation_id=doc.organisation_id,
    )
    expiry.unwatch(doc)
    publish(
        "documents.expired",
        document_id=doc.pk,
        organisation_id=doc.organisation_id,
        type_code=doc.document_type.code,
    )
    expiry.notify_expired(doc)
    expiry.emit_quality_signal(doc, kind="documents.expired", severity="medium")
    return doc
