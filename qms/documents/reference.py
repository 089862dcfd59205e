"""Loading the document types (reference data) from ``domain.types`` into the database."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .domain.types import DOCUMENT_TYPES, TypeSpec
from .models import DocumentType


def load_document_types() -> tuple[int, int]:
    """Create or update every type of ``domain.types.DOCUMENT_TYPES``; (created, updated)."""
    created = updated = 0
    with transaction.atomic():
        for spec in DOCUMENT_TYPES:
            _, was_created = DocumentType.objects.update_or_create(
                code=spec.code, defaults=type_defaults(spec)
            )
            created += was_created
            updated += not was_created
    return created, updated


def type_defaults(spec: TypeSpec) -> dict[str, Any]:
    return {
        "name_en": spec.name_en,
        "name_zh": spec.name_zh,
        "markets": list(spec.markets),
        "requires_expiry": spec.requires_expiry,
        "number_pattern": spec.number_pattern,
        "number_hint": spec.number_hint,
        "checksum": spec.checksum,
        "description": spec.description,
        "allowed_files": list(spec.allowed_files),
        "is_active": True,
    }
