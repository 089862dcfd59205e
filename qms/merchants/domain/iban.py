"""IBAN validation (ISO 13616): country, length per country, and the mod-97 check."""

from __future__ import annotations

import re

# Lengths for the SEPA countries and the commonest others (ISO 13616 registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24,
    "AT": 20,
    "BE": 16,
    "BG": 22,
    "CH": 21,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DK": 18,
    "EE": 20,
    "ES": 24,
    "FI": 18,
    "FR": 27,
    "GB": 22,
    "GI": 23,
    "GR": 27,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IS": 26,
    "IT": 27,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "MC": 27,
    "MT": 31,
    "NL": 18,
    "NO": 15,
    "PL": 28,
    "PT": 25,
    "RO": 24,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    "SM": 27,
    "VA": 22,
}


def normalise_iban(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def iban_mod97(iban: str) -> int:
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits for ``country`` + ``bban`` (used to build valid test IBANs)."""
    return f"{98 - iban_mod97(country + '00' + bban):02d}"


def iban_problems(value: str) -> list[str]:
    iban = normalise_iban(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return ["iban_format"]
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is None:
        return ["iban_country"]
    if len(iban) != expected:
        return ["iban_length"]
    if iban_mod97(iban) != 1:
        return ["iban_check_digits"]
    return []


def is_valid_iban(value: str) -> bool:
    return not iban_problems(value)
