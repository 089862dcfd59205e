"""Bulk listing upload in the interchange format (JSONL, or CSV with the same keys).

Every row is parsed and checked first; if any row is wrong, the answer lists each error (row,
field, code, message) and nothing is imported. Otherwise all rows are imported in one
transaction: a row whose ``id`` matches one of the merchant's listings becomes a new version
of it, any other row a new listing. Text is stored as written (HTML included) and escaped
wherever it is shown.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qms.catalog import selectors as catalog
from qms.shared.audit import record_event
from qms.shared.errors import DomainError, ValidationFailed

from .inputs import (
    clean_attributes,
    clean_category,
    clean_gtin_field,
    clean_markets,
    clean_price,
)
from .models import Listing, ListingVersion
from .services import ListingInput, acting_org, create_listing, submit_version

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
KNOWN_COLUMNS = {
    "id",
    "market",
    "category",
    "title",
    "description",
    "attributes",
    "brand",
    "gtin",
    "price",
    "currency",
}


@dataclass
class RowError:
    row: int
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "code": self.code, "message": self.message}


@dataclass
class BulkReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    verdicts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.updated)


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationFailed(
            _("The file is larger than 5 MB."), code="file_too_large", max_bytes=MAX_BYTES
        )
    if not data.strip():
        raise ValidationFailed(_("The file is empty."), code="file_empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_("The file is not UTF-8 text."), code="file_not_utf8") from None


def parse_rows(*, name: str, data: bytes) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Rows as dicts in the batch format, and the syntax errors. CSV when the name ends in
    .csv (``attributes`` a JSON object, or ``attr.<key>`` columns); JSONL otherwise."""
    text = _decode(data)
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    if name.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        for number, raw in enumerate(reader, start=2):
            row: dict[str, Any] = {k: v for k, v in raw.items() if k in KNOWN_COLUMNS}
            attrs = {k[5:]: v for k, v in raw.items() if k and k.startswith("attr.") and v}
            if row.get("attributes"):
                try:
                    attrs.update(json.loads(row["attributes"]))
                except (ValueError, TypeError, AttributeError):
                    errors.append(
                        RowError(
                            number,
                            "attributes",
                            "attributes_invalid",
                            _("attributes is not a JSON object."),
                        )
                    )
            row["attributes"] = attrs
            row["_row"] = number
            rows.append(row)
    else:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                errors.append(
                    RowError(number, "", "json_invalid", _("The line is not a JSON object."))
                )
                continue
            if not isinstance(obj, dict):
                errors.append(
                    RowError(number, "", "json_invalid", _("The line is not a JSON object."))
                )
                continue
            obj["_row"] = number
            rows.append(obj)
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(
            _("At most %(n)s rows per upload.") % {"n": MAX_ROWS},
            code="too_many_rows",
            max_rows=MAX_ROWS,
        )
    if not rows and not errors:
        raise ValidationFailed(_("The file has no rows."), code="file_empty")
    return rows, errors


def _brand_id(name: str, actor: Any) -> int | None:
    from django.db.models import Q

    term = name.strip()
    if not term:
        return None
    found = catalog.list_brands(actor=actor).filter(Q(name__iexact=term) | Q(name_zh=term)).first()
    if found is None:
        raise ValidationFailed(
            _("Unknown brand %(b)s.") % {"b": name}, code="brand_unknown", field="brand"
        )
    return found.pk


def _to_input(row: dict[str, Any], actor: Any) -> ListingInput:
    for key in ("title", "description", "category", "market", "id", "brand", "gtin"):
        value = row.get(key)
        if value is not None and not isinstance(value, (str, int, float)):
            raise ValidationFailed(
                _("%(k)s must be text.") % {"k": key}, code="field_invalid", field=key
            )
    market = str(row.get("market") or "").strip()
    return ListingInput(
        external_id=str(row.get("id") or "").strip(),
        title=str(row.get("title") or ""),
        description=str(row.get("description") or ""),
        attributes=clean_attributes(row.get("attributes")),
        category=clean_category(str(row.get("category") or "")).code,
        markets=clean_markets([m for m in market.split(",") if m.strip()]),
        gtin=clean_gtin_field(str(row.get("gtin") or "")),
        brand_id=_brand_id(str(row.get("brand") or ""), actor),
        price=clean_price(row.get("price")),
        currency=str(row.get("currency") or "CNY")[:3],
    )


def check_rows(
    rows: list[dict[str, Any]], *, actor: Any
) -> tuple[list[ListingInput], list[RowError]]:
    inputs: list[ListingInput] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        number = int(row["_row"])
        try:
            data = _to_input(row, actor)
            if not data.title.strip():
                raise ValidationFailed(
                    _("title is required."), code="field_required", field="title"
                )
            if len(data.title) > 300:
                raise ValidationFailed(
                    _("title is longer than 300 characters."), code="field_too_long", field="title"
                )
        except DomainError as exc:
            errors.append(
                RowError(number, str(exc.details.get("field", "")), exc.code, exc.message)
            )
            continue
        if data.external_id:
            if data.external_id in seen:
                errors.append(
                    RowError(
                        number,
                        "id",
                        "duplicate_id",
                        _("The id %(i)s is also on row %(r)s.")
                        % {"i": data.external_id, "r": seen[data.external_id]},
                    )
                )
                continue
            seen[data.external_id] = number
        inputs.append(data)
    return inputs, errors


@transaction.atomic
def import_listings(
    *, actor: Any, name: str, data: bytes, merchant_org_id: int | None = None
) -> BulkReport:
    """Import every row or none. Raises ``ValidationFailed`` (``bulk_rows_invalid``, with
    ``errors``) when a row is wrong; a failure while importing rolls everything back."""
    org_id = acting_org(actor, merchant_org_id)
    rows, errors = parse_rows(name=name, data=data)
    inputs, row_errors = check_rows(rows, actor=actor)
    errors = sorted([*errors, *row_errors], key=lambda e: (e.row, e.field))
    if errors:
        raise ValidationFailed(
            _("%(n)s rows have errors; nothing was imported.")
            % {"n": len({e.row for e in errors})},
            code="bulk_rows_invalid",
            errors=[e.as_dict() for e in errors[:500]],
        )
    existing = dict(
        Listing.objects.filter(
            merchant_org_id=org_id, external_id__in=[i.external_id for i in inputs if i.external_id]
        ).values_list("external_id", "pk")
    )
    report = BulkReport()
    for index, item in enumerate(inputs):
        try:
            if item.external_id in existing:
                version = submit_version(
                    actor=actor, listing_id=existing[item.external_id], data=item
                )
                report.updated.append(version.listing_id)
            else:
                listing = create_listing(actor=actor, data=item, merchant_org_id=org_id)
                version = ListingVersion.objects.filter(listing=listing).latest("number")
                report.created.append(listing.pk)
        except DomainError as exc:
            raise ValidationFailed(
                _("Row %(r)s: %(m)s Nothing was imported.")
                % {"r": rows[index]["_row"], "m": exc.message},
                code="bulk_rows_invalid",
                errors=[
                    RowError(
                        int(rows[index]["_row"]),
                        str(exc.details.get("field", "")),
                        exc.code,
                        exc.message,
                    ).as_dict()
                ],
            ) from None
        report.verdicts[version.verdict] = report.verdicts.get(version.verdict, 0) + 1
    record_event(
        actor=actor,
        action="listings.bulk_import",
        object_type="listings.bulkimport",
        object_id=f"{org_id}:{name[:80]}",
        organisation_id=org_id,
        after={
            "created": len(report.created),
            "updated": len(report.updated),
            "verdicts": report.verdicts,
        },
    )
    return report
