"""Test helpers for documents: a valid upload in one call, with real file bytes."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from qms.accounts.domain.roles import OrgKind
from qms.accounts.models import Organisation, User
from qms.accounts.services import add_membership, create_organisation, create_user
from qms.documents import services
from qms.documents.domain.types import uscc_check_char
from qms.documents.models import Document
from qms.shared.tests.samples import jpeg_bytes, pdf_bytes, png_bytes

_seq = itertools.count(1)

VALID_NUMBERS = {
    "food_production_licence_sc": "SC10631011500011",
    "ccc_certificate": "2021010901412345",
    "test_report": "CTI-2026-001",
}


def valid_uscc(body: str = "91310000MA1FL8XQ3") -> str:
    return body + uscc_check_char(body)


def unique_pdf() -> bytes:
    return pdf_bytes(text=f"document {next(_seq)}")


def today() -> dt.date:
    return services.business_today()


def make_merchant(name: str = "", role: str = "merchant_owner") -> tuple[Organisation, User]:
    n = next(_seq)
    org = create_organisation(actor=None, kind=OrgKind.MERCHANT, name=name or f"Shop {n}")
    user = create_user(
        actor=None,
        username=f"merchant{n}",
        email=f"m{n}@example.com",
        password=None,
        preferred_language="en",
    )
    add_membership(actor=None, user=user, organisation=org, role=role)
    return org, user


def upload(actor: Any, organisation: Organisation, **overrides: Any) -> Document:
    kind = overrides.pop("document_type_code", "food_production_licence_sc")
    data = overrides.pop("file_data", None)
    kw: dict[str, Any] = {
        "number": VALID_NUMBERS.get(kind, valid_uscc()),
        "issued_on": today() - dt.timedelta(days=100),
        "expires_on": today() + dt.timedelta(days=400),
        "issuer": "Shanghai SAMR",
        "file_name": "licence.pdf",
    }
    kw.update(overrides)
    return services.upload_document(
        actor=actor,
        organisation_id=organisation.pk,
        document_type_code=kind,
        file_data=data if data is not None else unique_pdf(),
        **kw,
    )


__all__ = [
    "jpeg_bytes",
    "make_merchant",
    "png_bytes",
    "today",
    "unique_pdf",
    "upload",
    "valid_uscc",
]
