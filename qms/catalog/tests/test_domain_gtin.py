from __future__ import annotations

from biip.gtin import Gtin
from hypothesis import assume, given
from hypothesis import strategies as st

from qms.catalog.domain.gtin import check_digit, has_valid_check_digit, validate_gtin

BODY_LENGTHS = st.sampled_from([7, 11, 12, 13])


def bodies() -> st.SearchStrategy[str]:
    return BODY_LENGTHS.flatmap(lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n))


def test_known_gtins() -> None:
    assert check_digit("400638133393") == 1  # EAN-13 4006381333931
    assert check_digit("03600029145") == 2  # UPC-A 036000291452
    assert check_digit("9638507") == 4  # EAN-8 96385074
    assert validate_gtin("4006381333931").gtin14 == "04006381333931"
    assert validate_gtin(" 9638 5074 ").format == "GTIN-8"
    assert validate_gtin("14006381333938").ok


def test_rejects_bad_input_with_reason() -> None:
    wrong = validate_gtin("4006381333932")
    assert not wrong.ok
    assert "expected 1, got 2" in wrong.reason
    assert "8, 12, 13 or 14 digits" in validate_gtin("12345").reason
    assert "digits only" in validate_gtin("40063813339X1").reason
    assert not validate_gtin("").ok


@given(bodies())
def test_appending_the_check_digit_makes_a_valid_gtin(body: str) -> None:
    value = body + str(check_digit(body))
    assert has_valid_check_digit(value)
    result = validate_gtin(value)
    assert result.ok
    assert result.gtin14 == value.zfill(14)
    assert Gtin.parse(value).as_gtin_14() == result.gtin14  # agrees with biip


@given(bodies(), st.data())
def test_changing_one_digit_is_detected(body: str, data: st.DataObject) -> None:
    value = body + str(check_digit(body))
    position = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != value[position]]))
    changed = value[:position] + replacement + value[position + 1 :]
    assert not has_valid_check_digit(changed)
    assert not validate_gtin(changed).ok


@given(bodies(), st.data())
def test_adjacent_transpositions_are_detected_unless_digits_differ_by_five(
    body: str, data: st.DataObject
) -> None:
    value = body + str(check_digit(body))
    i = data.draw(st.integers(min_value=0, max_value=len(value) - 2))
    a, b = value[i], value[i + 1]
    assume(a != b and abs(int(a) - int(b)) != 5)
    swapped = value[:i] + b + a + value[i + 2 :]
    assert not has_valid_check_digit(swapped)


@given(bodies())
def test_left_zero_padding_keeps_the_check_digit(body: str) -> None:
    value = body + str(check_digit(body))
    assume(len(value) < 14)
    assert has_valid_check_digit(value.zfill(14))
