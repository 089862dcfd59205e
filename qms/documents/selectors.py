"""Reads of the documents context, scoped by the actor.

Platform staff with ``documents.view`` see every organisation's documents; merchant users
with ``documents.view_own`` only their organisations'. Another organisation's document is
``NotFound`` (404), never ``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from qms.accounts.permissions import profile
from qms.shared.errors import NotFound, PermissionDenied, ValidationFailed

from .domain.states import DocState
from .models import Document, DocumentStatusChange, DocumentType
from .services import business_today


def document_types(*, market: str | None = None) -> list[DocumentType]:
    types = list(DocumentType.objects.filter(is_active=True).order_by("code"))
    if market:
        types = [t for t in types if market in (t.markets or [])]
    return types


def document_type_by_code(code: str) -> DocumentType:
    found = DocumentType.objects.filter(code=code).first()
    if found is None:
        raise NotFound(
            _("Unknown document type %(code)s.") % {"code": code}, code="document_type_unknown"
        )
    return found


def upload_organisation_id(actor: Any, *, organisation_id: int | None = None) -> int:
    """The organisation an upload is for: the one given, or the merchant user's only one."""
    if organisation_id is not None:
        return organisation_id
    orgs = sorted(profile(actor).merchant_org_ids)
    if len(orgs) != 1:
        raise ValidationFailed(
            _("Say which organisation the document belongs to."),
            code="organisation_required",
            field="organisation_id",
        )
    return orgs[0]


def _scoped(actor: Any) -> QuerySet[Document]:
    p = profile(actor)
    qs = Document.objects.select_related("document_type", "organisation")
    if "documents.view" in p.permissions:
        return qs
    if "documents.view_own" in p.permissions:
        return qs.filter(organisation_id__in=p.merchant_org_ids)
    raise PermissionDenied(
        _("Your role does not allow viewing documents."),
        code="permission_denied",
        permission="documents.view",
    )


def documents_for(
    actor: Any,
    *,
    status: str | None = None,
    organisation_id: int | None = None,
    type_code: str | None = None,
    q: str = "",
) -> QuerySet[Document]:
    """The documents ``actor`` may see, filtered."""
    qs = _scoped(actor)
    if status:
        qs = qs.filter(status=status)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if type_code:
        qs = qs.filter(document_type__code=type_code)
    if q.strip():
        term = q.strip()
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(organisation__name__icontains=term)
            | Q(original_name__icontains=term)
        )
    return qs.order_by("-created_at", "-id")


def get_document(actor: Any, *, document_id: int) -> Document:
    doc = _scoped(actor).filter(pk=document_id).first()
    if doc is None:
        raise NotFound(_("No such document."), code="document_not_found")
    return doc


def history_of(*, document: Document) -> QuerySet[DocumentStatusChange]:
    return document.history.select_related("actor").order_by("at", "id")


def verification_queue(actor: Any) -> QuerySet[Document]:
    """Pending documents, oldest first: the reviewers' work list."""
    return _scoped(actor).filter(status=DocState.PENDING.value).order_by("created_at", "id")


def expiring(actor: Any, *, within_days: int = 30, on: dt.date | None = None) -> QuerySet[Document]:
    """Verified documents whose expiry date falls within ``within_days`` from ``on``."""
    today = on or business_today()
    return (
        _scoped(actor)
        .filter(
            status=DocState.VERIFIED.value,
            expires_on__isnull=False,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=within_days),
        )
        .order_by("expires_on", "id")
    )


def _valid_on(organisation_id: int, day: dt.date) -> QuerySet[Document]:
    """The organisation's verified documents in force on ``day``."""
    return (
        Document.objects.filter(organisation_id=organisation_id, status=DocState.VERIFIED.value)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .filter(issued_on__lte=day)
    )


def valid_document_codes(*, organisation_id: int, on: dt.date | None = None) -> set[str]:
    """Codes of the document types the organisation holds a verified, unexpired document of
    on date ``on`` (business date; today by default). Not actor-scoped: for other contexts."""
    day = on or business_today()
    return set(_valid_on(organisation_id, day).values_list("document_type__code", flat=True))


def valid_document(
    *,
    organisation_id: int,
    type_code: str,
    document_id: int | None = None,
    on: dt.date | None = None,
) -> Document | None:
    """The organisation's verified document of ``type_code`` in force on ``on`` (the most
    recently issued), or, with ``document_id``, that very document if it is one; None
    otherwise. Not actor-scoped: for other contexts (the public shop page shows the
    business licence; the DSA trader check needs the identity document the trader named)."""
    qs = _valid_on(organisation_id, on or business_today()).filter(document_type__code=type_code)
    if document_id is not None:
        qs = qs.filter(pk=document_id)
    return qs.order_by("-issued_on", "-id").first()


def dashboard_counts(*, actor: Any) -> dict[str, int]:
    """``documents_to_verify``, ``documents_expiring_30d``, ``documents_expired`` in the
    actor's scope (one query)."""
    today = business_today()
    soon = today + dt.timedelta(days=30)
    row = _scoped(actor).aggregate(
        documents_to_verify=Count("id", filter=Q(status=DocState.PENDING.value)),
        documents_expiring_30d=Count(
            "id",
            filter=Q(status=DocState.VERIFIED.value, expires_on__gte=today, expires_on__lte=soon),
        ),
        documents_expired=Count("id", filter=Q(status=DocState.EXPIRED.value)),
    )
    return {k: int(v or 0) for k, v in row.items()}
