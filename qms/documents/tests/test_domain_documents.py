from __future__ import annotations

import re

import pytest

from qms.documents.domain.states import (
    TRANSITIONS,
    DocAction,
    DocState,
    IllegalDocumentMove,
    allowed_actions,
    next_state,
)
from qms.documents.domain.types import (
    BY_CODE,
    DOCUMENT_TYPES,
    number_problem,
    uscc_check_char,
    uscc_is_valid,
)

BRIEF_CODES = {
    "business_licence",
    "food_production_licence_sc",
    "food_business_licence",
    "ccc_certificate",
    "trademark_registration",
    "brand_authorisation",
    "test_report",
    "iso9001",
    "cosmetics_filing",
    "medical_device_registration",
    "medical_device_business_licence",
    "import_customs_declaration",
    "health_food_registration",
    "ce_declaration",
    "identity_document",
    "eu_trade_register_extract",
}


def test_every_type_of_the_contract_exists_once() -> None:
    assert {t.code for t in DOCUMENT_TYPES} == BRIEF_CODES
    assert len(DOCUMENT_TYPES) == len(BRIEF_CODES)


@pytest.mark.parametrize("spec", DOCUMENT_TYPES, ids=lambda s: s.code)
def test_examples_in_the_hints_match_their_pattern(spec: object) -> None:
    for example in re.findall(r"e\.g\. (\S+)", spec.number_hint):  # type: ignore[attr-defined]
        assert (
            number_problem(
                pattern=spec.number_pattern,
                checksum=spec.checksum,  # type: ignore[attr-defined]
                number=example,
            )
            is None
        ), example


@pytest.mark.parametrize(
    ("code", "number"),
    [
        ("food_production_licence_sc", "SC1063101150001"),  # 13 digits
        ("food_production_licence_sc", "JY10631011500011"),
        ("ccc_certificate", "202101090141234"),
        ("ccc_certificate", "20210109014123456"),
        ("business_licence", "91310000MA1FL8XQ3I"),  # I is not in the USCC alphabet
        ("import_customs_declaration", "12345"),
    ],
)
def test_bad_numbers(code: str, number: str) -> None:
    spec = BY_CODE[code]
    assert (
        number_problem(pattern=spec.number_pattern, checksum=spec.checksum, number=number)
        == "pattern"
    )


def test_uscc_check_character() -> None:
    # GB 32100-2015 examples published by SAMR
    assert uscc_is_valid("91350100M000100Y43")
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert not uscc_is_valid("91350100M000100Y44")
    spec = BY_CODE["business_licence"]
    assert (
        number_problem(pattern=spec.number_pattern, checksum="uscc", number="91350100M000100Y44")
        == "checksum"
    )


def test_transition_table() -> None:
    assert next_state(DocState.PENDING, DocAction.VERIFY) is DocState.VERIFIED
    assert next_state("pending", "reject") is DocState.REJECTED
    assert next_state("verified", "expire") is DocState.EXPIRED
    assert next_state("verified", "supersede") is DocState.SUPERSEDED
    for state in (DocState.REJECTED, DocState.EXPIRED, DocState.SUPERSEDED):
        assert allowed_actions(state) == []
    with pytest.raises(IllegalDocumentMove):
        next_state("rejected", "verify")
    with pytest.raises(IllegalDocumentMove):
        next_state("verified", "bogus")
    assert len(TRANSITIONS) == 5


def test_every_reason_has_labels_in_both_languages() -> None:
    from qms.documents.domain.states import REJECT_REASONS, REJECT_REASONS_ZH
    from qms.documents.forms import REASON_LABELS

    assert set(REASON_LABELS) == set(REJECT_REASONS) == set(REJECT_REASONS_ZH)
    assert {k: str(v) for k, v in REASON_LABELS.items()} == REJECT_REASONS
