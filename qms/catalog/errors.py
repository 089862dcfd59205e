"""Error codes of the catalog context. Each code, once published, keeps its meaning."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from qms.shared.errors import Conflict, NotFound, ValidationFailed


class ErrorCode(StrEnum):
    CATEGORY_NOT_FOUND = "category_not_found"
    CATEGORY_CODE_INVALID = "category_code_invalid"
    CATEGORY_CODE_TAKEN = "category_code_taken"
    CATEGORY_PARENT_MISSING = "category_parent_missing"
    CATEGORY_INACTIVE = "category_inactive"
    RISK_LEVEL_INVALID = "risk_level_invalid"
    DEPOSIT_INVALID = "deposit_invalid"
    MARKET_INVALID = "market_invalid"
    DOCUMENT_TYPE_INVALID = "document_type_invalid"
    REQUIREMENT_NOT_FOUND = "requirement_not_found"
    BRAND_NOT_FOUND = "brand_not_found"
    BRAND_NAME_TAKEN = "brand_name_taken"
    BRAND_SUSPENDED = "brand_suspended"
    AUTHORISATION_NOT_FOUND = "authorisation_not_found"
    ORGANISATION_NOT_FOUND = "organisation_not_found"
    ORGANISATION_NOT_MERCHANT = "organisation_not_merchant"
    ORGANISATION_NOT_SUPPLIER = "organisation_not_supplier"
    PRODUCT_NOT_FOUND = "product_not_found"
    PRODUCT_IN_USE = "product_in_use"
    SKU_NOT_FOUND = "sku_not_found"
    SKU_CODE_TAKEN = "sku_code_taken"
    INVALID_GTIN = "invalid_gtin"
    GTIN_TAKEN = "gtin_taken"
    AUTHORISATION_CHAIN_TOO_LONG = "authorisation_chain_too_long"
    AUTHORISATION_SELF_GRANT = "authorisation_self_grant"
    FIELD_NOT_EDITABLE = "field_not_editable"
    NAME_REQUIRED = "name_required"
    REFERENCE_DATA_INVALID = "reference_data_invalid"


def not_found(code: ErrorCode | str, what: str, **details: Any) -> NotFound:
    return NotFound(f"{what} not found.", code=str(code), **details)


def invalid(code: ErrorCode | str, message: str, **details: Any) -> ValidationFailed:
    return ValidationFailed(message, code=str(code), **details)


def conflict(code: ErrorCode | str, message: str, **details: Any) -> Conflict:
    return Conflict(message, code=str(code), **details)
