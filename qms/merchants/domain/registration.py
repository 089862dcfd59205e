"""Registration numbers of companies: PRC unified social credit codes and the rest.

Pure functions, no Django. ``validate_registration_number`` is what services call; it returns
the normalised number or raises ``ValidationFailed`` with a stable code.

- GB 32100-2015 (统一社会信用代码): 18 characters from the 31-character alphabet
  ``0-9`` plus ``A-Y`` without ``I O S V Z``. Position 1 is the registration authority, 2 the
  entity kind, 3-8 the administrative division (digits), 9-17 the organisation code (GB 11714,
  itself carrying a check digit in position 17) and 18 the check character:
  ``C18 = 31 - (sum(value(Ci) * 3^(i-1) mod 31) mod 31)`` with 31 mapped to ``0``.
- GB 11714-1997 (组织机构代码): 8 body characters (``0-9``, ``A-Z``) and a check character
  ``11 - (sum(value(Ci) * W_i) mod 11)`` with weights 3 7 9 10 5 8 4 2; 10 is ``X``, 11 is ``0``.
"""

from __future__ import annotations

import re
from enum import StrEnum

from qms.shared.errors import ValidationFailed

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUES = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
USCC_WEIGHTS = tuple(
    pow(3, i, 31) for i in range(17)
)  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Registration authority (position 1) and, per authority, the entity kinds (position 2).
USCC_AUTHORITIES: dict[str, str] = {
    "1": "19",  # organisation establishment authorities (机构编制)
    "2": "19",  # foreign affairs
    "3": "12345679",  # judicial administration
    "4": "19",  # culture
    "5": "1239",  # civil affairs
    "6": "129",  # tourism
    "7": "129",  # religious affairs
    "8": "19",  # trade unions
    "9": "123",  # market regulation (enterprises, individual businesses, cooperatives)
    "A": "19",  # military
    "N": "12349",  # agriculture
    "Y": "1",  # other
}


class RegistrationScheme(StrEnum):
    CN_USCC = "cn_uscc"
    EU_TRADE_REGISTER = "eu_trade_register"
    OTHER = "other"


def uscc_check_char(body17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are ``body17``."""
    if len(body17) != 17 or any(ch not in USCC_VALUES for ch in body17):
        raise ValueError("body must be 17 characters of the USCC alphabet")
    total = sum(USCC_VALUES[ch] * w for ch, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """The 9th character of a GB 11714 organisation code whose body is ``body8``."""
    if len(body8) != 8 or any(ch not in ORG_CODE_ALPHABET for ch in body8):
        raise ValueError("body must be 8 characters 0-9 or A-Z")
    total = sum(
        ORG_CODE_ALPHABET.index(ch) * w for ch, w in zip(body8, ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def uscc_problems(code: str) -> list[str]:
    """Why ``code`` is not a valid USCC (stable snake_case codes); empty when valid."""
    if len(code) != 18:
        return ["uscc_length"]
    if any(ch not in USCC_VALUES for ch in code):
        return ["uscc_charset"]
    problems: list[str] = []
    kinds = USCC_AUTHORITIES.get(code[0])
    if kinds is None or code[1] not in kinds:
        problems.append("uscc_authority_kind")
    if not code[2:8].isdigit():
        problems.append("uscc_division")
    org = code[8:17]
    if all(ch in ORG_CODE_ALPHABET for ch in org[:8]) and org_code_check_char(org[:8]) != org[8]:
        problems.append("uscc_org_code_check")
    if uscc_check_char(code[:17]) != code[17]:
        problems.append("uscc_check_char")
    return problems


def is_valid_uscc(code: str) -> bool:
    return not uscc_problems(normalise(code))


def normalise(number: str) -> str:
    return re.sub(r"[\s\-.]", "", number or "").upper()


# Trade-register number formats we are sure of, by ISO country. Elsewhere in the EU only the
# length (4-30) and charset (letters, digits, space, / - .) are checked.
TRADE_REGISTER_PATTERNS: dict[str, tuple[str, str]] = {
    "DE": (r"(HRA|HRB|GNR|PR|VR)\s?\d{1,6}(\s?[A-Z]{1,2})?", "HRB 12345 (Handelsregister)"),
    "FR": (r"\d{9}|\d{14}", "9-digit SIREN or 14-digit SIRET"),
    "NL": (r"\d{8}", "8-digit KvK number"),
    "BE": (r"[01]\d{9}", "10-digit enterprise number (KBO/BCE)"),
    "IT": (r"[A-Z]{2}\d{5,7}", "REA number, e.g. MI1234567"),
    "ES": (r"[A-HJ-NP-SUVW]\d{7}[0-9A-J]", "CIF/NIF, e.g. B12345678"),
    "AT": (r"FN\s?\d{1,6}[a-z]", "Firmenbuch number, e.g. FN 123456a"),
    "IE": (r"\d{5,6}", "CRO number"),
    "PL": (r"\d{10}", "10-digit KRS number"),
}
GENERIC_NUMBER = r"[A-Z0-9][A-Z0-9 /.\-]{2,29}"
EU_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()  # noqa: SIM905
)


def trade_register_problems(country: str, number: str) -> list[str]:
    value = (number or "").strip().upper()
    if not value:
        return ["registration_number_required"]
    rule = TRADE_REGISTER_PATTERNS.get(country.upper())
    if rule is not None:
        return (
            [] if re.fullmatch(rule[0], value, flags=re.IGNORECASE) else ["trade_register_format"]
        )
    return [] if re.fullmatch(GENERIC_NUMBER, value) else ["registration_number_format"]


def validate_registration_number(*, scheme: str, country: str, number: str) -> str:
    """The normalised number, or ``ValidationFailed`` saying what is wrong."""
    scheme = RegistrationScheme(scheme)
    country = (country or "").upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ValidationFailed(
            "The country must be an ISO 3166-1 alpha-2 code.", code="invalid_country"
        )
    if scheme is RegistrationScheme.CN_USCC:
        if country != "CN":
            raise ValidationFailed(
                "A unified social credit code belongs to a company in China.",
                code="scheme_country_mismatch",
            )
        value = normalise(number)
        problems = uscc_problems(value)
        if problems:
            raise ValidationFailed(
                "This is not a valid unified social credit code (GB 32100-2015).",
                code=problems[0],
                problems=problems,
            )
        return value
    if scheme is RegistrationScheme.EU_TRADE_REGISTER:
        if country not in EU_COUNTRIES:
            raise ValidationFailed(
                "A trade register in the EU needs an EU country.", code="scheme_country_mismatch"
            )
        value = " ".join((number or "").upper().split())
        problems = trade_register_problems(country, value)
        if problems:
            hint = TRADE_REGISTER_PATTERNS.get(country, ("", "4-30 letters and digits"))[1]
            raise ValidationFailed(
                f"The trade register number does not look right ({hint}).",
                code=problems[0],
                problems=problems,
            )
        return value
    value = " ".join((number or "").upper().split())
    if not re.fullmatch(GENERIC_NUMBER, value):
        raise ValidationFailed(
            "A registration number has 3-30 letters, digits, spaces, / - or .",
            code="registration_number_format",
        )
    return value
