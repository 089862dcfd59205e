"""Small, valid sample inputs for tests: PDFs that pass the upload checks, licence numbers."""

from __future__ import annotations

import io

from pypdf import PdfWriter

from qms.documents.domain.types import uscc_check_char

_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def pdf_bytes(label: str = "qms test document") -> bytes:
    """A one-page PDF; `label` goes into its metadata, so different labels differ in bytes
    (the upload check refuses the same file twice for one organisation and type)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": label})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _org_code_check(body8: str) -> str:
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def uscc(serial: int) -> str:
    """A valid Unified Social Credit Code (GB 32100-2015) of a Shanghai enterprise: authority
    9 kind 1, division 310000, organisation code (GB 11714) with its check, then the check
    character. Different serials (0 to 99,999,999) give different codes."""
    org8 = f"{serial:08d}"
    first17 = f"91310000{org8}{_org_code_check(org8)}"
    return first17 + uscc_check_char(first17)
