"""Writes to the category tree and its document requirements (``catalog.manage``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction

from qms.shared.audit import record_event, snapshot
from qms.shared.memo import forget

from ..domain.constants import DEFAULT_CURRENCY, DEFAULT_DEPOSIT_CNY, RiskLevel, parent_code
from ..errors import ErrorCode, conflict, invalid, not_found
from ..models import Category, CategoryDocumentRequirement
from ..selectors.categories import MEMO_PREFIX
from ._common import (
    clean_deposit,
    clean_document_type,
    clean_market,
    clean_name,
    clean_risk,
    ensure_manage,
    now,
)

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)*$")
CATEGORY_FIELDS = [
    "code",
    "parent",
    "name_en",
    "name_zh",
    "risk_level",
    "deposit_amount",
    "currency",
    "is_active",
    "sort_order",
]
EDITABLE = {
    "name_en",
    "name_zh",
    "risk_level",
    "deposit_amount",
    "currency",
    "is_active",
    "sort_order",
}


def default_deposit(risk_level: str) -> Decimal:
    return DEFAULT_DEPOSIT_CNY[RiskLevel(risk_level)]


@transaction.atomic
def create_category(
    *,
    actor: Any,
    code: str,
    name_en: str,
    name_zh: str,
    risk_level: str,
    deposit_amount: Decimal | str | None = None,
    currency: str = DEFAULT_CURRENCY,
    sort_order: int = 0,
    is_active: bool = True,
) -> Category:
    """A new category; its parent is the category whose code is ``code`` up to the last ``/``."""
    ensure_manage(actor)
    code = code.strip().lower()
    if not CODE_PATTERN.match(code):
        raise invalid(
            ErrorCode.CATEGORY_CODE_INVALID,
            "A code is lower-case segments of letters, digits and _ joined by /.",
            category_code=code,
        )
    if Category.objects.filter(code=code).exists():
        raise conflict(
            ErrorCode.CATEGORY_CODE_TAKEN, "A category with this code exists.", category_code=code
        )
    parent = None
    if (pcode := parent_code(code)) is not None:
        parent = Category.objects.filter(code=pcode).first()
        if parent is None:
            raise invalid(
                ErrorCode.CATEGORY_PARENT_MISSING,
                f"Create the parent category {pcode!r} first.",
                parent_code=pcode,
            )
    risk = clean_risk(risk_level)
    category = Category.objects.create(
        code=code,
        parent=parent,
        name_en=clean_name(name_en, "English name"),
        name_zh=clean_name(name_zh, "Chinese name"),
        risk_level=risk,
        deposit_amount=clean_deposit(
            deposit_amount if deposit_amount is not None else default_deposit(risk)
        ),
        currency=currency.upper()[:3],
        sort_order=sort_order,
        is_active=is_active,
    )
    record_event(
        actor=actor,
        obj=category,
        action="catalog.category.create",
        after=snapshot(category, CATEGORY_FIELDS),
    )
    forget(MEMO_PREFIX)
    return category


@transaction.atomic
def update_category(*, actor: Any, category_id: int, **changes: Any) -> Category:
    """Change names, risk level, deposit, currency, activity or sort order (not the code)."""
    ensure_manage(actor)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise invalid(
            ErrorCode.FIELD_NOT_EDITABLE,
            f"These fields cannot be changed: {', '.join(sorted(unknown))}.",
        )
    try:
        category = Category.objects.select_for_update().get(pk=category_id)
    except Category.DoesNotExist:
        raise not_found(ErrorCode.CATEGORY_NOT_FOUND, "Category", category_id=category_id) from None
    before = snapshot(category, sorted(changes))
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name_en": lambda v: clean_name(v, "English name"),
        "name_zh": lambda v: clean_name(v, "Chinese name"),
        "risk_level": clean_risk,
        "deposit_amount": clean_deposit,
        "currency": lambda v: str(v).upper()[:3],
        "is_active": bool,
        "sort_order": int,
    }
    for name, value in changes.items():
        setattr(category, name, cleaners[name](value))
    category.updated_at = now()
    category.save(update_fields=[*changes, "updated_at"])
    record_event(
        actor=actor,
        obj=category,
        action="catalog.category.update",
        before=before,
        after=snapshot(category, sorted(changes)),
    )
    forget(MEMO_PREFIX)
    return category


@transaction.atomic
def set_category_requirement(
    *,
    actor: Any,
    category_id: int,
    market: str,
    document_type_code: str,
    mandatory: bool = True,
    note: str = "",
) -> CategoryDocumentRequirement:
    """State (or restate) that ``category`` requires a document type in ``market``."""
    ensure_manage(actor)
    market = clean_market(market)
    clean_document_type(document_type_code)
    try:
        category = Category.objects.select_for_update().get(pk=category_id)
    except Category.DoesNotExist:
        raise not_found(ErrorCode.CATEGORY_NOT_FOUND, "Category", category_id=category_id) from None
    req = CategoryDocumentRequirement.objects.filter(
        category=category, market=market, document_type_code=document_type_code
    ).first()
    before = snapshot(req, ["mandatory", "note"]) if req else None
    if req is None:
        req = CategoryDocumentRequirement.objects.create(
            category=category,
            market=market,
            document_type_code=document_type_code,
            mandatory=mandatory,
            note=note.strip(),
        )
    else:
        req.mandatory, req.note = mandatory, note.strip()
        req.save(update_fields=["mandatory", "note"])
    record_event(
        actor=actor,
        obj=req,
        action="catalog.requirement.set",
        before=before,
        after={
            "category": category.code,
            "market": market,
            "document_type_code": document_type_code,
            "mandatory": mandatory,
            "note": req.note,
        },
    )
    forget(MEMO_PREFIX)
    return req


@transaction.atomic
def remove_category_requirement(*, actor: Any, requirement_id: int) -> None:
    ensure_manage(actor)
    req = (
        CategoryDocumentRequirement.objects.select_for_update()
        .select_related("category")
        .filter(pk=requirement_id)
        .first()
    )
    if req is None:
        raise not_found(
            ErrorCode.REQUIREMENT_NOT_FOUND, "Requirement", requirement_id=requirement_id
        )
    record_event(
        actor=actor,
        obj=req,
        action="catalog.requirement.remove",
        before={
            "category": req.category.code,
            "market": req.market,
            "document_type_code": req.document_type_code,
            "mandatory": req.mandatory,
        },
    )
    req.delete()
    forget(MEMO_PREFIX)
