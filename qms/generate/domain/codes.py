"""Identifiers the generator invents, valid by the same rules the contexts validate with.

The check characters come from their owners: GB 32100/GB 11714 from
``qms.merchants.domain.registration``, GS1 from ``qms.catalog.domain.gtin``, ISO 13616 from
``qms.merchants.domain.iban``. Here they are only assembled into realistic numbers.
"""

from __future__ import annotations

from qms.catalog.domain.gtin import check_digit as gtin_check_digit
from qms.merchants.domain.iban import IBAN_LENGTHS, iban_check_digits
from qms.merchants.domain.registration import (
    USCC_ALPHABET,
    org_code_check_char,
    uscc_check_char,
)

# Organisation codes issued since 2015 start with "MA" followed by 6 characters.
_BODY_SPACE = 31**6
_BODY_STEP = 700_001  # coprime with 31**6: spreads consecutive serials over the space


def make_uscc(*, division: str, serial: int, authority: str = "9", org_type: str = "1") -> str:
    """A valid unified social credit code, unique per ``serial`` (< 31**6): registration
    authority (9 = market regulation), entity kind (1 = enterprise), the six-digit
    administrative division and a GB 11714 organisation code."""
    if len(division) != 6 or not division.isdigit():
        raise ValueError("The administrative division has six digits.")
    n = (serial * _BODY_STEP) % _BODY_SPACE
    tail = ""
    for _ in range(6):
        n, r = divmod(n, 31)
        tail = USCC_ALPHABET[r] + tail
    body8 = "MA" + tail
    first17 = authority + org_type + division + body8 + org_code_check_char(body8)
    return first17 + uscc_check_char(first17)


def make_gtin13(*, prefix: str, item: int) -> str:
    """A GTIN-13 from a GS1 company prefix (country prefix included) and an item reference."""
    width = 12 - len(prefix)
    body = prefix + str(item % 10**width).zfill(width)
    return body + str(gtin_check_digit(body))


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def make_siren(serial: int) -> str:
    """A French SIREN: 8 digits and a Luhn check digit."""
    body = str(300_000_00 + serial % 60_000_000).zfill(8)
    return body + luhn_digit(body)


def make_es_cif(serial: int, letter: str = "B") -> str:
    """A Spanish CIF of a company (``B`` = S.L.): letter, 7 digits, control digit."""
    digits = str(serial % 10**7).zfill(7)
    even = sum(int(digits[i]) for i in (1, 3, 5))
    odd = sum(sum(divmod(int(digits[i]) * 2, 10)) for i in (0, 2, 4, 6))
    control = (10 - (even + odd) % 10) % 10
    return f"{letter}{digits}{control}"


def make_iban(country: str, serial: int) -> str:
    """A valid IBAN of ``country`` with a numeric BBAN derived from ``serial``."""
    length = IBAN_LENGTHS[country] - 4
    bban = str(serial).zfill(length)[-length:]
    return country + iban_check_digits(country, bban) + bban


def eu_register_number(country: str, serial: int, city_code: str = "MI") -> str:
    """A trade register number in the format the country's register uses."""
    if country == "DE":
        return f"HRB {10000 + serial % 890000}"
    if country == "FR":
        return make_siren(serial)
    if country == "IT":
        return f"{city_code}{1000000 + serial % 8999999}"
    if country == "ES":
        return make_es_cif(serial)
    if country == "NL":
        return str(10000000 + serial % 89999999)
    if country == "PL":
        return str(serial % 10**10).zfill(10)
    return f"REG {serial}"
