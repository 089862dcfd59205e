"""The DSA trader check names one identity document: that very document must be the
organisation's own, of the identity type, verified and in force."""

from __future__ import annotations

from typing import Any

import pytest

from qms.documents.selectors import valid_document
from qms.merchants.services_trader import automatic_problems, save_trader_info

from .factories import give_document, make_merchant

pytestmark = pytest.mark.django_db


def _save(owner: Any, merchant: Any, document_id: int) -> Any:
    return save_trader_info(
        actor=owner,
        merchant_id=merchant.pk,
        name="Tea House EU",
        address="Hauptstr. 1, Berlin",
        phone="+49 30 123456",
        email="eu@tea.example",
        identity_document_id=document_id,
        payment_account_iban="DE89370400440532013000",
        trade_register_name="AG Berlin",
        trade_register_number="HRB 12345",
        self_certified=True,
    )


def test_only_the_named_verified_identity_document_counts() -> None:
    merchant, _app, owner = make_merchant("Tea House")
    other, _app2, _owner2 = make_merchant("Other House")
    verified = give_document(merchant, "identity_document")
    pending = give_document(merchant, "identity_document", status="pending")
    licence = give_document(merchant, "business_licence")
    foreign = give_document(other, "identity_document")
    for wrong in (pending, licence, foreign):
        info = _save(owner, merchant, wrong.pk)
        assert automatic_problems(info) == ["identity_document_not_verified"], wrong
    info = _save(owner, merchant, verified.pk)
    assert automatic_problems(info) == []


def test_valid_document_picks_the_newest_in_force() -> None:
    merchant, _app, _owner = make_merchant("Tea House")
    older = give_document(merchant, "business_licence")
    newer = give_document(merchant, "business_licence")
    give_document(merchant, "business_licence", status="rejected")
    org = merchant.organisation_id
    assert valid_document(organisation_id=org, type_code="business_licence") == newer
    assert (
        valid_document(organisation_id=org, type_code="business_licence", document_id=older.pk)
        == older
    )
    assert valid_document(organisation_id=org, type_code="identity_document") is None
