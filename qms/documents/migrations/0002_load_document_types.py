"""Load the qualification document types (idempotent: update_or_create by code)."""

from django.db import migrations


def load(apps, schema_editor):
    from qms.documents.domain.types import DOCUMENT_TYPES

    DocumentType = apps.get_model("documents", "DocumentType")
    for spec in DOCUMENT_TYPES:
        DocumentType.objects.update_or_create(
            code=spec.code,
            defaults={
                "name_en": spec.name_en, "name_zh": spec.name_zh, "markets": list(spec.markets),
                "requires_expiry": spec.requires_expiry, "number_pattern": spec.number_pattern,
                "number_hint": spec.number_hint, "checksum": spec.checksum,
                "description": spec.description, "allowed_files": list(spec.allowed_files),
                "is_active": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
