"""The rules of ``qms listings check --merchant``: required documents and brand authorisation.

They need the database: the merchant through ``qms.merchants`` selectors, its valid documents
through ``qms.documents`` selectors, the category's required documents and the brand chain
through ``qms.catalog`` selectors. Findings use the engine's ``Hit`` shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qms.catalog import selectors as catalog
from qms.documents.selectors import valid_document_codes
from qms.merchants.selectors import get_merchant
from qms.shared.domain.severity import Severity
from qms.shared.errors import NotFound

from .domain.engine import Hit

RULE_DOCUMENT = "listing.documents.required"
RULE_BRAND = "listing.brand.unauthorised"


def _category(code: str) -> Any | None:
    """The catalog category of ``code``, or of its nearest ancestor code the catalog has."""
    parts = code.split("/")
    while parts:
        try:
            return catalog.category_by_code("/".join(parts))
        except NotFound:
            parts.pop()
    return None


def _brand(actor: Any, name: str) -> Any | None:
    wanted = name.strip().casefold()
    for brand in catalog.list_brands(actor=actor, q=name.strip())[:50]:
        if wanted in (brand.name.casefold(), (brand.name_zh or "").casefold()):
            return brand
    return None


class MerchantChecker:
    """Checks listings of one merchant (looked up once, as ``actor`` may see it)."""

    def __init__(self, *, actor: Any, merchant_id: int) -> None:
        self.actor = actor
        self.merchant = get_merchant(actor=actor, merchant_id=merchant_id)
        self.org_id = self.merchant.organisation_id
        self.held = valid_document_codes(organisation_id=self.org_id)
        self._required: dict[tuple[str, str], list[str]] = {}

    def required_documents(self, category: str, market: str) -> list[str]:
        key = (category, market)
        if key not in self._required:
            found = _category(category)
            self._required[key] = (
                catalog.required_document_codes(category_id=found.pk, market=market)
                if found is not None
                else []
            )
        return self._required[key]

    def hits(self, listing: Mapping[str, Any], *, market: str) -> list[Hit]:
        out = [
            Hit(RULE_DOCUMENT, "missing_document", "documents", 0, 0, code, Severity.HIGH)
            for code in self.required_documents(listing["category"], market)
            if code not in self.held
        ]
        brand_name = listing.get("brand") or (listing.get("attributes") or {}).get("brand")
        if brand_name:
            brand = _brand(self.actor, brand_name)
            ok = (
                brand is not None
                and catalog.is_authorised(
                    organisation_id=self.org_id, brand_id=brand.pk, market=market
                ).ok
            )
            if not ok:
                out.append(
                    Hit(
                        RULE_BRAND,
                        "brand_unauthorised",
                        "brand",
                        0,
                        len(brand_name),
                        brand_name,
                        Severity.HIGH,
                    )
                )
        return out
