"""Reference data the generator builds on: categories (catalog), document types (documents)
and the published quality agreements (merchants), loaded through their owners' services."""

from __future__ import annotations

from qms.catalog.models import Category
from qms.catalog.selectors.categories import required_document_codes
from qms.catalog.services.reference_data import load_reference_catalog
from qms.documents.models import DocumentType
from qms.documents.services import load_document_types
from qms.merchants.models import AgreementTemplate
from qms.merchants.services_agreements import ensure_default_agreement

from .context import CategoryInfo, DocTypeInfo, Reference


def ensure_reference_data() -> None:
    """Load (or refresh) the reference catalogue, the document types and the platform's
    quality agreement. Idempotent."""
    load_document_types()
    load_reference_catalog(actor=None)
    ensure_default_agreement(actor=None)


def load_reference() -> Reference:
    categories: list[CategoryInfo] = []
    for c in Category.objects.filter(is_active=True).order_by("code"):
        categories.append(
            CategoryInfo(
                id=c.pk,
                code=c.code,
                top=c.code.split("/")[0],
                risk_level=c.risk_level,
                deposit_amount=f"{c.deposit_amount:.2f}",
                currency=c.currency,
                name_en=c.name_en,
                name_zh=c.name_zh,
                required={
                    m: required_document_codes(category_id=c.pk, market=m) for m in ("CN", "EU")
                },
            )
        )
    by_top: dict[str, list[CategoryInfo]] = {}
    for info in categories:
        if "/" in info.code:
            by_top.setdefault(info.top, []).append(info)
    for info in categories:
        if "/" not in info.code and info.code not in by_top:
            by_top[info.code] = [info]
    doc_types = {
        t.code: DocTypeInfo(
            id=t.pk,
            code=t.code,
            requires_expiry=t.requires_expiry,
            name_en=t.name_en,
            name_zh=t.name_zh,
        )
        for t in DocumentType.objects.filter(is_active=True).order_by("code")
    }
    templates = [
        (t.pk, t.text_sha256)
        for t in AgreementTemplate.objects.filter(status="published").order_by("code", "id")
    ]
    return Reference(categories=categories, by_top=by_top, doc_types=doc_types, templates=templates)
