"""Checking what a merchant sends: text limits, attributes, markets, price, category, GTIN.
Each check returns the clean value or raises ``ValidationFailed`` with the field's name."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from qms.catalog import selectors as catalog
from qms.catalog.services import clean_gtin
from qms.shared.errors import DomainError, ValidationFailed

MARKETS = ("CN", "EU")
MAX_ATTRIBUTES = 100
MAX_ATTRIBUTE_VALUE = 2000


def _text(value: Any, *, field_name: str, limit: int, required: bool = False) -> str:
    text = str(value or "").replace("\x00", "")
    if required and not text.strip():
        raise ValidationFailed(
            _("%(f)s is required.") % {"f": field_name}, code="field_required", field=field_name
        )
    if len(text) > limit:
        raise ValidationFailed(
            _("%(f)s is longer than %(n)s characters.") % {"f": field_name, "n": limit},
            code="field_too_long",
            field=field_name,
            limit=limit,
        )
    return text


def clean_attributes(raw: Any) -> dict[str, str]:
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise ValidationFailed(
            _("attributes must be an object of key -> text."),
            code="attributes_invalid",
            field="attributes",
        )
    if len(raw) > MAX_ATTRIBUTES:
        raise ValidationFailed(
            _("At most %(n)s attributes.") % {"n": MAX_ATTRIBUTES},
            code="attributes_invalid",
            field="attributes",
        )
    out: dict[str, str] = {}
    for key, value in raw.items():
        k = str(key).replace("\x00", "").strip()[:100]
        if not k or isinstance(value, (dict, list)):
            raise ValidationFailed(
                _("Attribute %(k)s must have a text value.") % {"k": k or "?"},
                code="attributes_invalid",
                field=f"attributes.{k}",
            )
        out[k] = _text(value, field_name=f"attributes.{k}", limit=MAX_ATTRIBUTE_VALUE)
    return out


def clean_markets(raw: Any) -> list[str]:
    markets = sorted({str(m).strip().upper() for m in (raw or [])})
    if not markets or any(m not in MARKETS for m in markets):
        raise ValidationFailed(
            _("Markets must be one or more of CN, EU."),
            code="market_invalid",
            field="markets",
            allowed=list(MARKETS),
        )
    return markets


def clean_price(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        price = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            _("The price is not a number."), code="price_invalid", field="price"
        ) from None
    if price < 0 or price >= Decimal("1e12"):
        raise ValidationFailed(_("The price is out of range."), code="price_invalid", field="price")
    return price


def clean_category(code: str) -> Any:
    try:
        category = catalog.category_by_code(str(code or "").strip())
    except DomainError:
        raise ValidationFailed(
            _("Unknown category %(c)s.") % {"c": code}, code="category_unknown", field="category"
        ) from None
    if not category.is_active:
        raise ValidationFailed(
            _("The category %(c)s is closed.") % {"c": code},
            code="category_inactive",
            field="category",
        )
    return category


def clean_gtin_field(raw: str | None) -> str:
    try:
        value, _gtin14 = clean_gtin(raw or "")
    except DomainError as exc:
        raise ValidationFailed(exc.message, code="invalid_gtin", field="gtin") from None
    return value
