"""Test data for the merchants context: merchants with users, categories, verified documents."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from qms.accounts.domain.roles import Role
from qms.accounts.models import User
from qms.accounts.services import add_membership, create_user
from qms.catalog.models import Brand, Category, CategoryDocumentRequirement
from qms.documents.models import Document, DocumentType
from qms.merchants.domain.registration import org_code_check_char, uscc_check_char
from qms.merchants.models import Application, Merchant
from qms.merchants.services import register_merchant_applicant

_seq = itertools.count(1)


def make_uscc(n: int) -> str:
    org_body = f"{n:08d}"
    body17 = "91" + "310000" + org_body + org_code_check_char(org_body)
    return body17 + uscc_check_char(body17)


def make_merchant(
    name: str = "", *, markets: tuple[str, ...] = ("CN",), **kw: Any
) -> tuple[Merchant, Application, User]:
    """A registered applicant: merchant (pending), draft application, owner user."""
    n = next(_seq)
    name = name or f"Merchant {n}"
    data: dict[str, Any] = {
        "legal_name": f"{name} Co., Ltd.",
        "registration_number": make_uscc(n),
        "legal_representative": "Zhang San",
        "registered_address": "1 Road, Shanghai",
    }
    data.update(kw)
    with transaction.atomic():
        merchant, app = register_merchant_applicant(
            organisation_name=name,
            username=f"owner{n}",
            email=f"owner{n}@example.com",
            password=None,
            markets=markets,
            **data,
        )
    owner = User.objects.get(username=f"owner{n}")
    return merchant, app, owner


def add_staff(merchant: Merchant, username: str) -> User:
    user = create_user(
        actor=None, username=username, email=f"{username}@example.com", password=None
    )
    add_membership(
        actor=None, user=user, organisation=merchant.organisation, role=Role.MERCHANT_STAFF
    )
    return user


def make_category(
    code: str,
    *,
    risk: str = "low",
    deposit: str = "10000.00",
    requires: dict[str, list[str]] | None = None,
    parent: Category | None = None,
) -> Category:
    cat = Category.objects.create(
        code=code,
        parent=parent,
        name_en=code.title(),
        name_zh=code,
        risk_level=risk,
        deposit_amount=Decimal(deposit),
    )
    for market, codes in (requires or {}).items():
        for doc_code in codes:
            CategoryDocumentRequirement.objects.create(
                category=cat, market=market, document_type_code=doc_code
            )
    return cat


def make_brand(name: str) -> Brand:
    return Brand.objects.create(name=name, owner_name=f"{name} Holding")


def doc_type(code: str) -> DocumentType:
    return DocumentType.objects.get_or_create(
        code=code, defaults={"name_en": code, "name_zh": code, "markets": ["CN", "EU"]}
    )[0]


def give_document(merchant: Merchant, code: str, *, status: str = "verified") -> Document:
    today = timezone.localdate()
    return Document.objects.create(
        organisation=merchant.organisation,
        document_type=doc_type(code),
        number=f"{code}-{next(_seq)}",
        issued_on=today - dt.timedelta(days=30),
        expires_on=today + dt.timedelta(days=365),
        file=f"docs/{code}.pdf",
        sha256=f"{next(_seq):064d}",
        size=100,
        content_type="application/pdf",
        original_name=f"{code}.pdf",
        status=status,
    )


# --- standing and agreements (services_standing / services_agreements tests) ---------------


def make_live_merchant(
    name: str = "",
    *,
    categories: tuple[Category, ...] = (),
    markets: tuple[str, ...] = ("CN",),
    standing: str = "active",
    **kw: Any,
) -> tuple[Merchant, User]:
    """An approved merchant in ``standing`` selling in ``categories``; and its owner."""
    from qms.merchants.models import MerchantCategory

    merchant, _app, owner = make_merchant(name, markets=markets, **kw)
    Merchant.objects.filter(pk=merchant.pk).update(standing=standing, markets=list(markets))
    for cat in categories:
        MerchantCategory.objects.create(merchant=merchant, category=cat)
    merchant.refresh_from_db()
    return merchant, owner
