"""The qualification document types: reference data and number rules. Pure Python.

``number_pattern`` is a full-match regular expression for the document number as printed.
``checksum`` names an extra check (``uscc``: the GB 32100-2015 check character of the
18-character Unified Social Credit Code printed on every PRC business licence since 2015).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CJK = "\u4e00-\u9fff"


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name_en: str
    name_zh: str
    markets: tuple[str, ...]
    requires_expiry: bool
    number_pattern: str
    number_hint: str
    checksum: str = ""
    description: str = ""
    allowed_files: tuple[str, ...] = field(default=("pdf", "jpeg", "png"))


DOCUMENT_TYPES: tuple[TypeSpec, ...] = (
    TypeSpec(
        "business_licence",
        "Business licence",
        "营业执照",
        ("CN",),
        False,
        r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}",
        "18-character Unified Social Credit Code, e.g. 91350100M000100Y43",
        "uscc",
        "Issued by the State Administration for Market Regulation (SAMR) or its local "
        "bureau. Most licences have no end date (长期).",
    ),
    TypeSpec(
        "food_production_licence_sc",
        "Food production licence (SC)",
        "食品生产许可证",
        ("CN",),
        True,
        r"SC\d{14}",
        "SC followed by 14 digits, e.g. SC10631011500011",
        description="Food Production Licensing Measures (SAMR Order No. 24); valid 5 years.",
    ),
    TypeSpec(
        "food_business_licence",
        "Food business licence",
        "食品经营许可证",
        ("CN",),
        True,
        r"JY\d{14}",
        "JY followed by 14 digits, e.g. JY13101150012345",
        description="Food Business Licensing and Filing Measures (SAMR Order No. 78); "
        "valid 5 years.",
    ),
    TypeSpec(
        "ccc_certificate",
        "CCC certificate",
        "强制性产品认证证书（3C）",
        ("CN",),
        True,
        r"\d{16}",
        "16 digits, e.g. 2021010901412345",
        description="China Compulsory Certification; certificates are valid 5 years.",
    ),
    TypeSpec(
        "trademark_registration",
        "Trademark registration certificate",
        "商标注册证",
        ("CN",),
        True,
        r"\d{5,9}",
        "CNIPA registration number, 5 to 9 digits",
        description="Trademark Law Art. 39: a registration is valid 10 years.",
    ),
    TypeSpec(
        "brand_authorisation",
        "Brand authorisation letter",
        "品牌授权书",
        ("CN", "EU"),
        True,
        r"[A-Za-z0-9\-/_.]{1,64}",
        "The letter's reference (letters, digits, - / _ .)",
        description="Signed by the brand owner or an authorised distributor; each link "
        "of the chain is a separate letter.",
    ),
    TypeSpec(
        "test_report",
        "Test report",
        "检验检测报告",
        ("CN", "EU"),
        False,
        r"[A-Za-z0-9\-/_.]{4,40}",
        "Report number as printed by the laboratory",
        description="From a CMA/CNAS-accredited (CN) or ISO/IEC 17025 (EU) laboratory.",
    ),
    TypeSpec(
        "iso9001",
        "ISO 9001 certificate",
        "ISO 9001 质量管理体系认证证书",
        ("CN", "EU"),
        True,
        r"[A-Za-z0-9\-/_. ]{4,40}",
        "Certificate number as printed",
        description="Issued by an accredited certification body; valid 3 years.",
    ),
    TypeSpec(
        "cosmetics_filing",
        "Cosmetics registration or filing",
        "化妆品注册/备案凭证",
        ("CN",),
        False,
        rf"(国妆(特|特进|备进|网备进|网备)字|[{_CJK}]{{1,2}}G妆网备字)[A-Z]?\d{{8,12}}",
        "e.g. 国妆特字G20210123 or 粤G妆网备字2021123456",
        description="Regulations on the Supervision and Administration of Cosmetics (2021).",
    ),
    TypeSpec(
        "medical_device_registration",
        "Medical device registration or filing",
        "医疗器械注册证/备案凭证",
        ("CN",),
        True,
        rf"([{_CJK}]械注[准进许]\d{{11}}|[{_CJK}]{{1,3}}械备\d{{8}}号?)",
        "e.g. 国械注准20153460390 or 粤穗械备20150001号",
        description="Regulations on the Supervision and Administration of Medical "
        "Devices (State Council Order No. 739); registrations are valid 5 years.",
    ),
    TypeSpec(
        "medical_device_business_licence",
        "Medical device business licence or filing",
        "医疗器械经营许可证/备案凭证",
        ("CN",),
        True,
        rf"[{_CJK}]{{2,14}}械经营[许备]\d{{8}}号?",
        "e.g. 粤穗食药监械经营许20150001号",
        description="Class III devices need a licence (5 years), class II a filing.",
    ),
    TypeSpec(
        "import_customs_declaration",
        "Import customs declaration",
        "进口货物报关单",
        ("CN",),
        False,
        r"\d{18}",
        "18-digit customs declaration number",
        description="For imported goods: proves legal import of the batch.",
    ),
    TypeSpec(
        "health_food_registration",
        "Health food registration or filing",
        "保健食品注册证书/备案凭证",
        ("CN",),
        True,
        r"(国食健(注|字)[GJ]\d{8}|食健备[GJ]\d{9,13})",
        "e.g. 国食健注G20150004 or 食健备G201932000123",
        description="Food Safety Law Art. 76; registrations are valid 5 years.",
    ),
    TypeSpec(
        "ce_declaration",
        "EU declaration of conformity (CE)",
        "欧盟符合性声明（CE）",
        ("EU",),
        False,
        r"[A-Za-z0-9\-/_. ]{2,60}",
        "The declaration's reference",
        description="Signed by the manufacturer under the applicable EU harmonisation "
        "legislation (Decision 768/2008/EC, Annex III).",
    ),
    TypeSpec(
        "identity_document",
        "Identity document of the legal representative",
        "法定代表人身份证件",
        ("CN", "EU"),
        True,
        r"(\d{17}[\dX]|[A-Z0-9]{6,12})",
        "18-character PRC resident ID or a passport number",
        description="Used only to check the representative named on the licence.",
    ),
    TypeSpec(
        "eu_trade_register_extract",
        "EU trade register extract",
        "欧盟商业登记摘录",
        ("EU",),
        False,
        r"[A-Za-z0-9 .\-/]{3,40}",
        "Register and number, e.g. HRB 123456 or RCS Paris 123 456 789",
        description="Digital Services Act Art. 30(1)(d): the trader's registration.",
    ),
)

BY_CODE: dict[str, TypeSpec] = {t.code: t for t in DOCUMENT_TYPES}

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def uscc_is_valid(code: str) -> bool:
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


CHECKSUMS = {"uscc": uscc_is_valid}


def normalise_number(number: str) -> str:
    """Trim, collapse inner whitespace runs, upper-case Latin letters."""
    return " ".join(number.split()).upper()


def number_problem(*, pattern: str, checksum: str, number: str) -> str | None:
    """Why ``number`` is not acceptable (``"pattern"`` or ``"checksum"``), or None."""
    if pattern and not re.fullmatch(pattern, number):
        return "pattern"
    if checksum and not CHECKSUMS[checksum](number):
        return "checksum"
    return None
