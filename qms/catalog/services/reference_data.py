"""Loading the reference category tree (``qms/catalog/data/categories.json``).

Idempotent: categories are matched by code and updated in place; requirements are matched by
(category, market, document type). Running it twice changes nothing the second time. Used by
``qms load_catalog`` and by the demo data generator.

File format: ``{"version", "source", "currency", "categories": [...]}``; each category has
``code``, ``name_en``, ``name_zh``, optional ``risk_level`` (inherited from the parent when
absent), optional ``deposit_amount`` (the parent's when the risk level is inherited, else the
default for the risk level), optional ``sort_order`` (position among siblings x 10),
optional ``is_active`` and ``requirements`` (``market``, ``document_type_code``,
``mandatory``, ``note``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from qms.shared.audit import record_event
from qms.shared.memo import forget

from ..domain.constants import DEFAULT_CURRENCY, TOP_LEVEL_CODES, parent_code
from ..errors import ErrorCode, invalid
from ..models import Category, CategoryDocumentRequirement
from ..selectors.categories import MEMO_PREFIX
from ._common import clean_deposit, clean_document_type, clean_market, clean_risk, ensure_manage
from .categories import CODE_PATTERN, default_deposit

REFERENCE_PATH = Path(__file__).resolve().parent.parent / "data" / "categories.json"
_FIELDS = (
    "parent_id",
    "name_en",
    "name_zh",
    "risk_level",
    "deposit_amount",
    "currency",
    "is_active",
    "sort_order",
)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    requirements_created: int = 0
    requirements_updated: int = 0
    requirements_removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.requirements_created
            or self.requirements_updated
            or self.requirements_removed
        )


def read_reference_file(path: Path | str | None = None) -> dict[str, Any]:
    with open(path or REFERENCE_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def _resolve(entries: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
    """Check the entries and fill inherited values. Parents come before children."""
    seen: dict[str, dict[str, Any]] = {}
    siblings: dict[str | None, int] = {}
    out = []
    for entry in sorted(entries, key=lambda e: str(e.get("code", "")).count("/")):
        code = str(entry.get("code", ""))
        if not CODE_PATTERN.match(code) or code in seen:
            raise invalid(ErrorCode.REFERENCE_DATA_INVALID, f"Bad or repeated code {code!r}.")
        pcode = parent_code(code)
        if pcode is None and code not in TOP_LEVEL_CODES:
            raise invalid(
                ErrorCode.REFERENCE_DATA_INVALID,
                f"{code!r} is not one of the fixed top-level codes.",
            )
        parent = seen.get(pcode) if pcode else None
        if pcode and parent is None:
            stored = (
                Category.objects.filter(code=pcode).values("risk_level", "deposit_amount").first()
            )
            if stored is None:
                raise invalid(
                    ErrorCode.REFERENCE_DATA_INVALID, f"{code!r} has no parent {pcode!r}."
                )
            parent = dict(stored)
        if "risk_level" in entry:
            risk = clean_risk(entry["risk_level"])
            deposit = entry.get("deposit_amount", default_deposit(risk))
        elif parent is not None:
            risk, deposit = (
                parent["risk_level"],
                entry.get("deposit_amount", parent["deposit_amount"]),
            )
        else:
            raise invalid(ErrorCode.REFERENCE_DATA_INVALID, f"{code!r} needs a risk level.")
        position = siblings.get(pcode, 0) + 1
        siblings[pcode] = position
        resolved = {
            "code": code,
            "parent_code": pcode,
            "name_en": entry["name_en"],
            "name_zh": entry["name_zh"],
            "risk_level": risk,
            "deposit_amount": clean_deposit(deposit),
            "currency": entry.get("currency", currency),
            "is_active": bool(entry.get("is_active", True)),
            "sort_order": int(entry.get("sort_order", position * 10)),
            "requirements": [
                (
                    clean_market(r["market"]),
                    clean_document_type(r["document_type_code"]),
                    bool(r.get("mandatory", True)),
                    str(r.get("note", "")),
                )
                for r in entry.get("requirements", [])
            ],
        }
        seen[code] = resolved
        out.append(resolved)
    return out


@transaction.atomic
def load_reference_catalog(
    *,
    actor: Any = None,
    path: Path | str | None = None,
    data: dict[str, Any] | None = None,
    prune_requirements: bool = False,
) -> LoadReport:
    """Create or update the categories and requirements of the reference file (or ``data``).

    ``actor`` None is the system (command line, demo generator); a user needs
    ``catalog.manage``. ``prune_requirements`` removes requirements of the loaded categories
    that the file no longer states. Writes in bulk; one audit row summarises the load.
    """
    if actor is not None:
        ensure_manage(actor)
    doc = data if data is not None else read_reference_file(path)
    entries = _resolve(list(doc.get("categories", [])), doc.get("currency", DEFAULT_CURRENCY))
    report = LoadReport()
    existing = {c.code: c for c in Category.objects.select_for_update()}
    by_depth: dict[int, list[dict[str, Any]]] = {}
    for e in entries:
        by_depth.setdefault(e["code"].count("/"), []).append(e)
    for depth in sorted(by_depth):
        new, changed = [], []
        for e in by_depth[depth]:
            values = {k: e[k] for k in _FIELDS if k != "parent_id"}
            values["parent_id"] = existing[e["parent_code"]].pk if e["parent_code"] else None
            cat = existing.get(e["code"])
            if cat is None:
                new.append(Category(code=e["code"], **values))
            elif any(
                getattr(cat, k) != (Decimal(v) if k == "deposit_amount" else v)
                for k, v in values.items()
            ):
                for k, v in values.items():
                    setattr(cat, k, v)
                cat.updated_at = timezone.now()
                changed.append(cat)
            else:
                report.unchanged += 1
        for cat in Category.objects.bulk_create(new):
            existing[cat.code] = cat
            report.created.append(cat.code)
        if changed:
            Category.objects.bulk_update(changed, [*_FIELDS, "updated_at"])
            report.updated.extend(c.code for c in changed)
    if any(c.pk is None for c in existing.values()):  # backends without RETURNING
        existing = {c.code: c for c in Category.objects.all()}
    _sync_requirements(entries, existing, report, prune=prune_requirements)
    forget(MEMO_PREFIX)
    if report.changed:
        record_event(
            actor=actor,
            action="catalog.reference.load",
            object_type="catalog.category",
            object_id="reference",
            detail={
                "version": doc.get("version", ""),
                "created": report.created,
                "updated": report.updated,
                "requirements_created": report.requirements_created,
                "requirements_updated": report.requirements_updated,
                "requirements_removed": report.requirements_removed,
            },
        )
    return report


def _sync_requirements(
    entries: list[dict[str, Any]],
    categories: dict[str, Category],
    report: LoadReport,
    *,
    prune: bool,
) -> None:
    ids = [categories[e["code"]].pk for e in entries]
    current = {
        (r.category_id, r.market, r.document_type_code): r
        for r in CategoryDocumentRequirement.objects.filter(category_id__in=ids)
    }
    wanted: set[tuple[int, str, str]] = set()
    new, changed = [], []
    for e in entries:
        cid = categories[e["code"]].pk
        for market, doc_code, mandatory, note in e["requirements"]:
            key = (cid, market, doc_code)
            wanted.add(key)
            row = current.get(key)
            if row is None:
                new.append(
                    CategoryDocumentRequirement(
                        category_id=cid,
                        market=market,
                        document_type_code=doc_code,
                        mandatory=mandatory,
                        note=note,
                    )
                )
            elif (row.mandatory, row.note) != (mandatory, note):
                row.mandatory, row.note = mandatory, note
                changed.append(row)
    CategoryDocumentRequirement.objects.bulk_create(new)
    CategoryDocumentRequirement.objects.bulk_update(changed, ["mandatory", "note"])
    report.requirements_created, report.requirements_updated = len(new), len(changed)
    if prune:
        stale = [r.pk for k, r in current.items() if k not in wanted]
        CategoryDocumentRequirement.objects.filter(pk__in=stale).delete()
        report.requirements_removed = len(stale)
