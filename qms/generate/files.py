"""Store the PDF of every document a ``--with-files`` run generated (demos only).

The builder hashed exactly these bytes, so ``Document.sha256`` and ``file`` point at them; the
files go through ``qms.shared.files`` like an upload (sniffed, checked, content-addressed).
"""

from __future__ import annotations

from qms.documents.models import Document
from qms.merchants.models import Merchant
from qms.shared.files import inspect_upload, store_checked_file

from .domain.pdf import document_pdf
from .models import GenerationRun

STORAGE_PREFIX = "documents"


def write_document_files(run: GenerationRun) -> int:
    label = "documents.Document"
    first, end = run.cursor["first_ids"][label], run.cursor["next_ids"][label]
    holders = {
        org: en or zh
        for org, en, zh in Merchant.objects.values_list(
            "organisation_id", "legal_name_en", "legal_name"
        )
    }
    stored = 0
    docs = (
        Document.objects.filter(pk__gte=first, pk__lt=end)
        .select_related("document_type")
        .order_by("pk")
    )
    for doc in docs.iterator(chunk_size=500):
        content = document_pdf(
            type_name=doc.document_type.name_en,
            number=doc.number,
            holder=holders.get(doc.organisation_id, ""),
            issuer=doc.issuer,
            issued_on=doc.issued_on.isoformat(),
            expires_on=doc.expires_on.isoformat() if doc.expires_on else None,
        )
        checked = inspect_upload(name=doc.original_name or "document.pdf", data=content)
        if checked.sha256 != doc.sha256:
            raise RuntimeError(f"Document #{doc.pk}: the regenerated file does not match its hash.")
        store_checked_file(checked, prefix=STORAGE_PREFIX)
        stored += 1
    return stored
