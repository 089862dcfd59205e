"""GTIN (GS1 Global Trade Item Number) check digits and normalisation. Pure Python.

GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) and GTIN-14 share one mod-10 check digit: from the
right, digits are weighted 3, 1, 3, 1 ... (the check digit itself excluded); the check digit
brings the weighted sum up to a multiple of ten. Zero-padding on the left does not change it,
so every GTIN is comparable as a 14-digit GTIN.
"""

from __future__ import annotations

from dataclasses import dataclass

from biip import ParseError
from biip.gtin import Gtin

GTIN_LENGTHS = (8, 12, 13, 14)


def check_digit(body: str) -> int:
    """The GS1 check digit for ``body`` (the digits without the check digit)."""
    if not body.isdigit() or not body.isascii():
        raise ValueError("A GTIN body has digits only.")
    total = 0
    for position, char in enumerate(reversed(body)):
        total += int(char) * (3 if position % 2 == 0 else 1)
    return (10 - total % 10) % 10


def has_valid_check_digit(value: str) -> bool:
    """True when ``value`` is all digits, of a GTIN length, and its last digit checks out."""
    if len(value) not in GTIN_LENGTHS or not value.isdigit() or not value.isascii():
        return False
    return check_digit(value[:-1]) == int(value[-1])


@dataclass(frozen=True)
class GtinCheck:
    ok: bool
    value: str  # the input without blanks
    gtin14: str | None = None
    format: str | None = None  # "GTIN-8" ... "GTIN-14"
    reason: str = ""


def validate_gtin(raw: str) -> GtinCheck:
    """Check a GTIN as entered (blanks ignored): length, digits and check digit.

    The check digit is computed here and confirmed with biip, which also knows GS1 prefixes.
    """
    value = "".join(raw.split())
    if not value.isdigit() or not value.isascii():
        return GtinCheck(ok=False, value=value, reason="A GTIN has digits only.")
    if len(value) not in GTIN_LENGTHS:
        return GtinCheck(
            ok=False, value=value, reason=f"A GTIN has 8, 12, 13 or 14 digits, not {len(value)}."
        )
    if not has_valid_check_digit(value):
        expected = check_digit(value[:-1])
        return GtinCheck(
            ok=False,
            value=value,
            reason=f"The check digit is wrong: expected {expected}, got {value[-1]}.",
        )
    try:
        parsed = Gtin.parse(value)
    except ParseError as exc:
        return GtinCheck(ok=False, value=value, reason=str(exc))
    return GtinCheck(ok=True, value=value, gtin14=parsed.as_gtin_14(), format=str(parsed.format))
