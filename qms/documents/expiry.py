"""The expiry watch: one deadline per verified document with an expiry date.

A document is valid through its expiry date (in ``QMS_BUSINESS_TIME_ZONE``); the deadline
``document:<id>:expiry`` is due at 00:00 the day after, with warnings 30, 7 and 1 days before.
At a warning the organisation's users are notified and ``documents.expiring`` is published;
at due the document is marked expired, ``documents.expired`` is published (the merchants
context restricts the categories that need the document) and a quality signal is emitted.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from qms.accounts.selectors import user_ids_by_organisation, user_ids_in_organisation
from qms.shared.audit import record_event
from qms.shared.deadlines import cancel_deadline, schedule_deadline
from qms.shared.events import publish
from qms.shared.models import Deadline
from qms.shared.notifications import notify
from qms.shared.signals import emit_signal

from .models import Document

logger = logging.getLogger(__name__)

DEADLINE_KIND = "documents.expiry"
SUBJECT_TYPE = "documents.document"
WARNING_DAYS = (30, 7, 1)


def deadline_key(document_id: int) -> str:
    return f"document:{document_id}:expiry"


def lapse_moment(expires_on: dt.date) -> dt.datetime:
    """The moment the document stops being valid: 00:00 after its expiry date, business zone."""
    zone = ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE)
    return dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time(0), tzinfo=zone)


def watch(doc: Document) -> Deadline:
    assert doc.expires_on is not None
    return schedule_deadline(
        key=deadline_key(doc.pk),
        kind=DEADLINE_KIND,
        subject_type=SUBJECT_TYPE,
        subject_id=str(doc.pk),
        due_at=lapse_moment(doc.expires_on),
        warnings=[dt.timedelta(days=d) for d in WARNING_DAYS],
        payload={"organisation_id": doc.organisation_id, "type_code": doc.document_type.code},
    )


def unwatch(doc: Document) -> None:
    cancel_deadline(key=deadline_key(doc.pk))


def portal_link(doc: Document) -> str:
    return f"/portal/documents/{doc.pk}/"


def _context(doc: Document, **extra: Any) -> dict[str, Any]:
    return {
        "document_id": doc.pk,
        "number": doc.number,
        "type_code": doc.document_type.code,
        "type_name_en": doc.document_type.name_en,
        "type_name_zh": doc.document_type.name_zh,
        "expires_on": doc.expires_on.isoformat() if doc.expires_on else "",
        **extra,
    }


def _recipients(doc: Document) -> list[int]:
    return user_ids_in_organisation(organisation_id=doc.organisation_id)


def notify_decision(doc: Document, *, kind: str) -> None:
    from .domain.states import REJECT_REASONS, REJECT_REASONS_ZH

    notify(
        kind=kind,
        user_ids=_recipients(doc),
        context=_context(
            doc,
            reason=REJECT_REASONS.get(doc.review_reason_code, ""),
            reason_zh=REJECT_REASONS_ZH.get(doc.review_reason_code, ""),
            note=doc.review_note,
        ),
        dedupe_key=f"{kind}:{doc.pk}",
        link=portal_link(doc),
    )


def affected_category_ids(doc: Document) -> list[int]:
    """Categories that require this document type (any market): they are at risk."""
    from qms.catalog import selectors as catalog_selectors

    return list(catalog_selectors.categories_requiring(document_type_code=doc.document_type.code))


def notify_expired(doc: Document) -> None:
    notify(
        kind="documents.expired",
        user_ids=_recipients(doc),
        context=_context(doc, category_count=len(affected_category_ids(doc))),
        dedupe_key=f"documents.expired:{doc.pk}",
        link=portal_link(doc),
    )


def emit_quality_signal(doc: Document, *, kind: str, severity: str) -> None:
    emit_signal(
        subject_type="accounts.organisation",
        subject_id=doc.organisation_id,
        organisation_id=doc.organisation_id,
        kind=kind,
        severity=severity,
        evidence={
            "document_id": doc.pk,
            "type_code": doc.document_type.code,
            "number": doc.number,
            "expires_on": doc.expires_on,
            "reason_code": doc.review_reason_code,
        },
        source="documents",
        dedupe_key=f"{kind}:{doc.pk}",
    )


def handle_expiry_deadline(deadline: Deadline, point: str) -> None:
    """Deadline handler for ``documents.expiry``: a warning or the lapse."""
    handle_expiry_deadlines([(deadline, point)])


def handle_expiry_deadlines(items: list[tuple[Deadline, str]]) -> None:
    """Batch deadline handler for ``documents.expiry`` (the scheduler hands over every point
    of a batch at once): locks the documents and reads their recipients in a query or two,
    then handles each warning or lapse in order."""
    from . import services

    docs = _locked_documents([int(deadline.subject_id) for deadline, _ in items])
    warned = [docs[int(d.subject_id)] for d, p in items if p != "due" and int(d.subject_id) in docs]
    recipients = user_ids_by_organisation(organisation_ids=[d.organisation_id for d in warned])
    for deadline, point in items:
        doc = docs.get(int(deadline.subject_id))
        if doc is None or doc.status != "verified":
            continue  # replaced, expired by hand or removed: nothing to watch any more
        if point == "due":
            services.expire_document(
                actor=None, document_id=doc.pk, note="The expiry date has passed."
            )
            # Another point of the same batch sees the document as it is now.
            doc.status = Document.objects.values_list("status", flat=True).get(pk=doc.pk)
            continue
        _warn(doc, point, recipients.get(doc.organisation_id, []))


def _locked_documents(ids: list[int]) -> dict[int, Document]:
    wanted = sorted(set(ids))
    found: dict[int, Document] = {}
    for i in range(0, len(wanted), 500):
        qs = (
            Document.objects.select_for_update()
            .select_related("document_type")
            .filter(pk__in=wanted[i : i + 500])
            .order_by("pk")
        )
        found.update((doc.pk, doc) for doc in qs)
    return found


def _warn(doc: Document, point: str, user_ids: list[int]) -> None:
    days_left = int(point.removeprefix("warn:").removesuffix("d"))
    with transaction.atomic():
        record_event(
            actor=None,
            obj=doc,
            action="document.expiry_warning",
            organisation_id=doc.organisation_id,
            detail={"days_left": days_left, "expires_on": doc.expires_on},
        )
        publish(
            "documents.expiring",
            document_id=doc.pk,
            organisation_id=doc.organisation_id,
            type_code=doc.document_type.code,
            days_left=days_left,
        )
        notify(
            kind="documents.expiring",
            user_ids=user_ids,
            context=_context(
                doc, days_left=days_left, category_count=len(affected_category_ids(doc))
            ),
            dedupe_key=f"documents.expiring:{doc.pk}:{point}",
            link=portal_link(doc),
        )
