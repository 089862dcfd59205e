"""Reading the listing batch format (../shared/spec/listing-batch-format.md). Pure Python.

``parse_line`` turns one JSONL line into a listing dict or raises ``BatchLineError`` with a
stable ``code``: one bad line never stops a batch.
"""

from __future__ import annotations

import json
from typing import Any

CATEGORIES = frozenset(
    {
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
    }
)
MARKETS = frozenset({"CN", "EU"})
MAX_LINE_CHARS = 200_000
MAX_TEXT_CHARS = {"title": 500, "description": 50_000}


class BatchLineError(ValueError):
    def __init__(self, code: str, message: str, *, listing_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.listing_id = listing_id

    def as_dict(self, line: int) -> dict[str, Any]:
        return {
            "line": line,
            "id": self.listing_id,
            "error": {"code": self.code, "message": self.message},
        }


def _str_or_none(data: dict[str, Any], key: str, listing_id: str | None) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise BatchLineError(f"{key}_not_text", f"“{key}” must be a string.", listing_id=listing_id)


def parse_line(line: str) -> dict[str, Any]:
    """The listing of one line, checked against the interchange format."""
    if len(line) > MAX_LINE_CHARS:
        raise BatchLineError(
            "line_too_long", f"The line is longer than {MAX_LINE_CHARS} characters."
        )
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BatchLineError(
            "invalid_json", f"Not valid JSON: {exc.msg} at column {exc.colno}."
        ) from None
    if not isinstance(data, dict):
        raise BatchLineError("not_an_object", "Each line must be one JSON object.")
    raw_id = data.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or str(raw_id) == "":
        raise BatchLineError("id_required", "“id” (a string) is required.")
    listing_id = str(raw_id)
    market = _str_or_none(data, "market", listing_id)
    if market is not None and market.upper() not in MARKETS:
        raise BatchLineError(
            "unknown_market",
            f"Unknown market {market!r}; one of {', '.join(sorted(MARKETS))}.",
            listing_id=listing_id,
        )
    category = _str_or_none(data, "category", listing_id)
    if not category or category.strip("/").split("/")[0] not in CATEGORIES:
        raise BatchLineError(
            "unknown_category",
            f"Unknown category {category!r}; a top-level code of the batch format is required.",
            listing_id=listing_id,
        )
    for key, limit in MAX_TEXT_CHARS.items():
        value = _str_or_none(data, key, listing_id)
        if value is not None and len(value) > limit:
            raise BatchLineError(
                f"{key}_too_long",
                f"“{key}” is longer than {limit} characters.",
                listing_id=listing_id,
            )
    if not (data.get("title") or "").strip():
        raise BatchLineError("title_required", "“title” is required.", listing_id=listing_id)
    attributes = data.get("attributes")
    attributes = {} if attributes is None else attributes
    if not isinstance(attributes, dict):
        raise BatchLineError(
            "attributes_not_object", "“attributes” must be an object.", listing_id=listing_id
        )
    bad = sorted(
        k
        for k, v in attributes.items()
        if not isinstance(v, str | int | float) or isinstance(v, bool)
    )
    if bad:
        raise BatchLineError(
            "attribute_not_text",
            f"Attribute values must be strings: {', '.join(bad)}.",
            listing_id=listing_id,
        )
    brand = _str_or_none(data, "brand", listing_id)
    gtin = data.get("gtin")
    if gtin is not None and not isinstance(gtin, str | int):
        raise BatchLineError("gtin_not_text", "“gtin” must be a string.", listing_id=listing_id)
    return {
        "id": listing_id,
        "market": market.upper() if market else None,
        "category": category.strip("/"),
        "title": data.get("title") or "",
        "description": data.get("description") or "",
        "attributes": {str(k): str(v) for k, v in attributes.items()},
        "brand": brand,
        "gtin": None if gtin is None else str(gtin),
    }
