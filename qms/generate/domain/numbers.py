"""Document numbers in the format each document type prints (see ``documents.domain.types``)."""

from __future__ import annotations

import random

from .rand import ri

LABS = (
    "SGS-CSTC Standards Technical Services Co., Ltd.",
    "Intertek Testing Services Shenzhen Ltd.",
    "TÜV SÜD Certification and Testing (China) Co., Ltd.",
    "Bureau Veritas Shenzhen Co., Ltd.",
    "华测检测认证集团股份有限公司 (CTI)",
    "广州检验检测认证集团有限公司",
    "Eurofins Scientific",
)
LAB_PREFIX = ("SZ", "GZIN", "TSC", "BVSZ", "A22", "GTI", "EUR")
CERT_BODIES = (
    "中国质量认证中心 (CQC)",
    "DNV Business Assurance",
    "SGS United Kingdom Ltd.",
    "方圆标志认证集团",
    "TÜV Rheinland",
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PROVINCE_SHORT = {
    "浙江省": "浙",
    "广东省": "粤",
    "上海市": "沪",
    "北京市": "京",
    "江苏省": "苏",
    "福建省": "闽",
    "山东省": "鲁",
    "四川省": "川",
    "湖北省": "鄂",
    "河南省": "豫",
    "湖南省": "湘",
    "安徽省": "皖",
    "陕西省": "陕",
    "天津市": "津",
}


def resident_id(rng: random.Random, division: str, year: int) -> str:
    """An 18-character PRC resident identity number with its ISO 7064 MOD 11-2 check."""
    body = f"{division}{year}{ri(rng, 1, 12):02d}{ri(rng, 1, 28):02d}{ri(rng, 0, 999):03d}"
    return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def document_number(
    code: str,
    rng: random.Random,
    *,
    year: int,
    division: str,
    province: str,
    registration: str,
    serial: int,
) -> str:
    short = PROVINCE_SHORT.get(province, "粤")
    rnd = rng.random

    def d(lo: int, hi: int) -> int:
        return lo + int(rnd() * (hi - lo + 1))

    match code:
        case "business_licence" | "eu_trade_register_extract":
            return registration
        case "food_production_licence_sc":
            return f"SC1{d(0, 3)}{division[:4]}{d(0, 99999999):08d}"
        case "food_business_licence":
            return f"JY1{division}{d(0, 9999999):07d}"
        case "ccc_certificate":
            return f"{year}0{d(1, 9)}{d(0, 9999999999):010d}"
        case "trademark_registration":
            return str(d(10_000_000, 69_999_999))
        case "brand_authorisation":
            return f"BA-{year}-{serial:07d}"
        case "test_report":
            return f"{rng.choice(LAB_PREFIX)}{year}-{d(0, 999999):06d}"
        case "iso9001":
            return f"00{d(100, 999)}Q{d(10000, 99999)}R{d(0, 3)}M"
        case "cosmetics_filing":
            return f"{short}G妆网备字{year}{d(0, 999999):06d}"
        case "medical_device_registration":
            return f"{short}械注准{year}2{d(0, 999999):06d}"
        case "medical_device_business_licence":
            return f"{short}食药监械经营许{year}{d(0, 9999):04d}号"
        case "import_customs_declaration":
            return f"{d(0, 9999):04d}{year}{d(0, 9999999999):010d}"
        case "health_food_registration":
            return f"国食健注G{year}{d(0, 9999):04d}"
        case "ce_declaration":
            return f"DoC-{year}-{serial:06d}"
        case "identity_document":
            return resident_id(rng, division, year - 30 - d(0, 25))
        case _:
            return f"{code.upper()[:6]}-{year}-{serial}"
