"""Automatic checks of EU trader information (Digital Services Act, Art. 30(1)).

Pure Python. A trader must give: name, address, telephone, e-mail (a); a copy of an
identification document (b); payment account details (c); the trade register it is entered in
and its number there (d); and a self-certification to offer only compliant products (e).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .iban import iban_problems

SELF_CERTIFICATION_TEXT = (
    "I certify that I offer only products or services that comply with the applicable rules "
    "of Union law (Regulation (EU) 2022/2065, Art. 30(1)(e))."
)


def self_certification_hash(text: str = SELF_CERTIFICATION_TEXT) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TraderData:
    name: str
    address: str
    phone: str
    email: str
    identity_document_verified: bool
    payment_account_iban: str
    trade_register_name: str
    trade_register_number: str
    self_certified: bool


def trader_problems(data: TraderData) -> list[str]:
    """Stable codes of what is missing or malformed; empty when the data may be verified."""
    problems: list[str] = []
    if not data.name.strip():
        problems.append("trader_name_missing")
    if not data.address.strip():
        problems.append("trader_address_missing")
    if not re.fullmatch(r"\+?[0-9][0-9 ()\-]{5,30}", data.phone.strip()):
        problems.append("trader_phone_invalid")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", data.email.strip()):
        problems.append("trader_email_invalid")
    if not data.identity_document_verified:
        problems.append("identity_document_not_verified")
    if not data.payment_account_iban:
        problems.append("payment_account_missing")
    else:
        problems.extend(iban_problems(data.payment_account_iban))
    if not data.trade_register_name.strip() or not data.trade_register_number.strip():
        problems.append("trade_register_missing")
    if not data.self_certified:
        problems.append("self_certification_missing")
    return problems
