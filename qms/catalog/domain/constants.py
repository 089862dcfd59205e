"""Reference values of the catalog: markets, risk levels, document type codes, brand states.

Pure Python (no Django): used by models for choices and constraints, by services to validate
input, and by the reference data loader.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Market(StrEnum):
    CN = "CN"
    EU = "EU"


MARKETS: tuple[str, ...] = tuple(m.value for m in Market)


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


RISK_LEVELS: tuple[str, ...] = tuple(r.value for r in RiskLevel)

# Deposit a merchant pays per category when the category does not set its own (CNY).
DEFAULT_DEPOSIT_CNY: dict[RiskLevel, Decimal] = {
    RiskLevel.LOW: Decimal("10000.00"),
    RiskLevel.MEDIUM: Decimal("30000.00"),
    RiskLevel.HIGH: Decimal("50000.00"),
}
DEFAULT_CURRENCY = "CNY"

# The 14 top-level category codes of the listing batch format (fixed by the interchange spec).
TOP_LEVEL_CODES: tuple[str, ...] = (
    "food",
    "health_supplement",
    "cosmetics",
    "medical_device",
    "electronics",
    "home",
    "apparel",
    "toys",
    "baby",
    "pet",
    "outdoor",
    "books",
    "collectibles",
    "tobacco",
)

# The qualification document types of the documents context (codes fixed by the team brief).
DOCUMENT_TYPE_CODES: tuple[str, ...] = (
    "business_licence",
    "food_production_licence_sc",
    "food_business_licence",
    "ccc_certificate",
    "trademark_registration",
    "brand_authorisation",
    "test_report",
    "iso9001",
    "cosmetics_filing",
    "medical_device_registration",
    "medical_device_business_licence",
    "import_customs_declaration",
    "health_food_registration",
    "ce_declaration",
    "identity_document",
    "eu_trade_register_extract",
)


class BrandStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class AuthorisationStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


CATEGORY_CODE_SEPARATOR = "/"


def parent_code(code: str) -> str | None:
    """``"food/tea"`` -> ``"food"``; a top-level code has no parent."""
    head, sep, _ = code.rpartition(CATEGORY_CODE_SEPARATOR)
    return head if sep else None


def ancestor_codes(code: str) -> list[str]:
    """Codes from the root down to ``code`` itself: ``"a/b/c"`` -> ``["a", "a/b", "a/b/c"]``."""
    parts = code.split(CATEGORY_CODE_SEPARATOR)
    return [CATEGORY_CODE_SEPARATOR.join(parts[: i + 1]) for i in range(len(parts))]
