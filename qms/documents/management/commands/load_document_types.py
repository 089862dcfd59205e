"""``qms load_document_types``: create or update the document types (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qms.documents.services import load_document_types


class Command(BaseCommand):
    help = "Create or update the qualification document types from qms.documents.domain.types."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = load_document_types()
        self.stdout.write(f"document types: {created} created, {updated} updated")
