"""Reads for the onboarding workflow: the review queue, history, the documents checklist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from qms.accounts.permissions import ensure_can, profile
from qms.catalog import selectors as catalog_selectors
from qms.documents import selectors as documents_selectors
from qms.shared.errors import NotFound

from .models import Application, ApplicationStatusChange


def applications_for(*, actor: Any) -> QuerySet[Application]:
    """Applications the actor may see: all for staff, its own organisation's for a merchant."""
    p = profile(actor)
    qs = Application.objects.select_related("merchant").prefetch_related("category_rows", "brands")
    if p.is_platform and "merchants.view" in p.permissions:
        return qs
    if p.is_merchant and "merchants.view_own" in p.permissions:
        return qs.filter(merchant__organisation_id__in=p.merchant_org_ids)
    return qs.none()


def get_application(*, actor: Any, application_id: int) -> Application:
    app = applications_for(actor=actor).filter(pk=application_id).first()
    if app is None:
        raise NotFound("No such application.", code="application_not_found")
    return app


def application_queue(
    *, actor: Any, state: str | None = None, risk: str | None = None, market: str | None = None
) -> QuerySet[Application]:
    """Submitted work for reviewers, oldest first (FIFO)."""
    ensure_can(actor, "merchants.review_application")
    states = [state] if state else ["submitted", "in_review", "awaiting_second_approval"]
    qs = applications_for(actor=actor).filter(state__in=states)
    if risk:
        qs = qs.filter(risk_level=risk)
    if market:
        qs = (
            qs.filter(markets__contains=[market])
            if _json_contains()
            else qs.filter(markets__icontains=f'"{market}"')
        )
    return qs.order_by("submitted_at", "id")


def _json_contains() -> bool:
    return connection.vendor == "postgresql"


def application_history(*, actor: Any, application_id: int) -> QuerySet[ApplicationStatusChange]:
    app = get_application(actor=actor, application_id=application_id)
    return app.history.select_related("actor").order_by("at", "id")


def current_application(*, actor: Any, merchant_id: int) -> Application | None:
    """The open application of the merchant, else its latest one."""
    qs = applications_for(actor=actor).filter(merchant_id=merchant_id)
    open_app = qs.exclude(state__in=["approved", "rejected", "withdrawn"]).first()
    return open_app or qs.order_by("-created_at", "-id").first()


@dataclass(frozen=True)
class ChecklistItem:
    category_code: str
    market: str
    document_type: str
    verified: bool


def document_checklist(app: Application) -> list[ChecklistItem]:
    """Every mandatory document per applied category and market, and whether a verified,
    unexpired one is on file for the merchant."""
    today = timezone.localdate(timezone.now(), ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE))
    valid = set(
        documents_selectors.valid_document_codes(
            organisation_id=app.merchant.organisation_id, on=today
        )
    )
    items: list[ChecklistItem] = []
    for row in app.category_rows.select_related("category").order_by("category__code"):
        for market in app.markets:
            codes = catalog_selectors.required_document_codes(
                category_id=row.category_id, market=market
            )
            for code in sorted(codes):
                items.append(ChecklistItem(row.category.code, market, code, code in valid))
    return items


def missing_documents(app: Application) -> dict[tuple[str, str], list[str]]:
    """``(category code, market) -> [document type codes]`` still missing or unverified."""
    out: dict[tuple[str, str], list[str]] = {}
    for item in document_checklist(app):
        if not item.verified:
            out.setdefault((item.category_code, item.market), []).append(item.document_type)
    return out
