"""Who issues each qualification document to a generated company."""

from __future__ import annotations

import random

from .domain.numbers import CERT_BODIES, LAB_PREFIX, LABS
from .plan import MerchantPlan

_ISSUERS: dict[tuple[str, str], dict[str, str]] = {}


def issuers_in(city: str, province: str) -> dict[str, str]:
    """Who issues each document type to a company registered in ``city``."""
    key = (city, province)
    found = _ISSUERS.get(key)
    if found is None:
        found = _ISSUERS[key] = {
            "business_licence": f"{city}市市场监督管理局",
            "food_production_licence_sc": f"{province}市场监督管理局",
            "food_business_licence": f"{city}市市场监督管理局",
            "ccc_certificate": "中国质量认证中心 (CQC)",
            "trademark_registration": "国家知识产权局商标局",
            "brand_authorisation": "品牌方 / Brand owner",
            "cosmetics_filing": "国家药品监督管理局",
            "medical_device_registration": f"{province}药品监督管理局",
            "medical_device_business_licence": f"{city}市市场监督管理局",
            "health_food_registration": "国家市场监督管理总局",
            "import_customs_declaration": "中华人民共和国海关",
            "identity_document": f"{city}市公安局",
        }
    return found


def issuer_of(
    code: str, rng: random.Random, issuers: dict[str, str], plan: MerchantPlan, number: str
) -> str:
    if plan.eu and code in {"eu_trade_register_extract", "identity_document"}:
        return (
            plan.eu.register
            if code == "eu_trade_register_extract"
            else "National identity document authority"
        )
    if code == "test_report":
        return next(
            (
                lab
                for lab, prefix in zip(LABS, LAB_PREFIX, strict=True)
                if number.startswith(prefix)
            ),
            LABS[0],
        )
    if code == "iso9001":
        return rng.choice(CERT_BODIES)
    return issuers.get(code, "")
