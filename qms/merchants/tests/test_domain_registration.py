from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qms.merchants.domain.iban import iban_check_digits, iban_problems, is_valid_iban
from qms.merchants.domain.registration import (
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    is_valid_uscc,
    org_code_check_char,
    trade_register_problems,
    uscc_check_char,
    uscc_problems,
    validate_registration_number,
)
from qms.shared.errors import ValidationFailed

# Published codes of real companies (business licences shown on their websites).
REAL_USCC = ["91350100M000100Y43", "911101085923662400", "91110000802100433B", "91440300708461136T"]
ORG_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # positions 9-16 use the USCC alphabet


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    authority = draw(st.sampled_from(sorted(USCC_AUTHORITIES)))
    kind = draw(st.sampled_from(USCC_AUTHORITIES[authority]))
    division = draw(st.text("0123456789", min_size=6, max_size=6))
    org_body = draw(st.text(ORG_BODY, min_size=8, max_size=8))
    body17 = authority + kind + division + org_body + org_code_check_char(org_body)
    return body17 + uscc_check_char(body17)


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_codes_are_valid(code: str) -> None:
    assert uscc_problems(code) == []


def test_weights_are_powers_of_three_mod_31() -> None:
    from qms.merchants.domain.registration import USCC_WEIGHTS

    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_alphabet_lacks_i_o_s_v_z() -> None:
    assert len(USCC_ALPHABET) == 31
    assert not set("IOSVZ") & set(USCC_ALPHABET)


def test_org_code_check_digit_examples() -> None:
    # GB 11714's worked example: D2143569-X (weighted sum 199, 11 - 199 mod 11 = 10 -> X)
    assert org_code_check_char("D2143569") == "X"
    # the organisation code inside 91350100M000100Y43 is M000100Y-4
    assert org_code_check_char("M000100Y") == "4"


@given(valid_usccs())
def test_generated_codes_are_valid(code: str) -> None:
    assert uscc_problems(code) == []
    assert is_valid_uscc(code.lower())


@given(valid_usccs(), st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_any_single_character_change_is_detected(code: str, pos: int, ch: str) -> None:
    if code[pos] == ch:
        return
    changed = code[:pos] + ch + code[pos + 1 :]
    assert uscc_problems(changed) != []


@given(valid_usccs(), st.integers(0, 16))
def test_adjacent_transpositions_are_mostly_detected(code: str, pos: int) -> None:
    swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2 :]
    if swapped != code:
        assert not is_valid_uscc(swapped) or pos >= 17


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100YI3", "uscc_charset"),
        ("91350100M000100Y44", "uscc_check_char"),
        ("Z1350100M000100Y43", "uscc_charset"),
        ("99350100M000100Y43", "uscc_authority_kind"),
    ],
)
def test_invalid_codes_name_the_problem(code: str, problem: str) -> None:
    assert problem in uscc_problems(code)


def test_org_code_check_inside_uscc_is_verified() -> None:
    body = "91350100" + "M0001001"  # correct org check digit would be 0
    wrong_org = body + "5"
    code = wrong_org + uscc_check_char(wrong_org)
    assert uscc_problems(code) == ["uscc_org_code_check"]


def test_validate_registration_number_normalises_cn() -> None:
    assert (
        validate_registration_number(scheme="cn_uscc", country="cn", number=" 91350100m000100y43 ")
        == "91350100M000100Y43"
    )


def test_validate_rejects_uscc_for_other_country() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_registration_number(scheme="cn_uscc", country="DE", number=REAL_USCC[0])
    assert exc.value.code == "scheme_country_mismatch"


def test_validate_reports_first_problem_code() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_registration_number(scheme="cn_uscc", country="CN", number="91350100M000100Y44")
    assert exc.value.code == "uscc_check_char"


@pytest.mark.parametrize(
    ("country", "number", "ok"),
    [
        ("DE", "HRB 12345", True),
        ("DE", "12345", False),
        ("FR", "732829320", True),
        ("FR", "73282932", False),
        ("NL", "12345678", True),
        ("AT", "FN 123456a", True),
        ("SE", "556036-0793", True),
        ("SE", "", False),
    ],
)
def test_trade_register_patterns(country: str, number: str, ok: bool) -> None:
    assert (trade_register_problems(country, number) == []) is ok


def test_eu_scheme_needs_eu_country() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_registration_number(scheme="eu_trade_register", country="US", number="HRB 1")
    assert exc.value.code == "scheme_country_mismatch"


def test_other_scheme_checks_charset_only() -> None:
    assert (
        validate_registration_number(scheme="other", country="US", number="c-1234567")
        == "C-1234567"
    )
    with pytest.raises(ValidationFailed) as exc:
        validate_registration_number(scheme="other", country="US", number="#!")
    assert exc.value.code == "registration_number_format"


@pytest.mark.parametrize(
    "iban", ["DE89370400440532013000", "GB82 WEST 1234 5698 7654 32", "fr1420041010050500013m02606"]
)
def test_known_ibans_are_valid(iban: str) -> None:
    assert is_valid_iban(iban)


@pytest.mark.parametrize(
    ("iban", "problem"),
    [
        ("DE89370400440532013001", "iban_check_digits"),
        ("DE8937040044053201300", "iban_length"),
        ("XX89370400440532013000", "iban_country"),
        ("not an iban", "iban_format"),
    ],
)
def test_bad_ibans(iban: str, problem: str) -> None:
    assert iban_problems(iban) == [problem]


@given(st.text("0123456789", min_size=18, max_size=18), st.integers(0, 17), st.integers(1, 9))
def test_iban_single_digit_change_detected(bban: str, pos: int, delta: int) -> None:
    iban = "DE" + iban_check_digits("DE", bban) + bban
    assert is_valid_iban(iban)
    digit = (int(bban[pos]) + delta) % 10
    changed = "DE" + iban[2:4] + bban[:pos] + str(digit) + bban[pos + 1 :]
    assert not is_valid_iban(changed)
