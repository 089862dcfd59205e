"""Reason codes for onboarding decisions: one taxonomy, shown in zh/en, stored as codes."""

from __future__ import annotations

from dataclasses import dataclass

from qms.shared.errors import ValidationFailed


@dataclass(frozen=True)
class ReasonCode:
    code: str
    en: str
    zh: str
    uses: frozenset[str]  # "reject", "request_info"


def _r(code: str, en: str, zh: str, *uses: str) -> ReasonCode:
    return ReasonCode(code, en, zh, frozenset(uses))


REASONS: dict[str, ReasonCode] = {
    r.code: r
    for r in (
        _r(
            "documents_missing",
            "A mandatory qualification document is missing",
            "缺少必备资质文件",
            "reject",
            "request_info",
        ),
        _r(
            "documents_invalid",
            "A document is expired, unreadable or not genuine",
            "资质文件过期、不清晰或不真实",
            "reject",
            "request_info",
        ),
        _r(
            "licence_scope_mismatch",
            "The business scope does not cover the categories applied for",
            "经营范围不包含申请类目",
            "reject",
            "request_info",
        ),
        _r(
            "company_data_mismatch",
            "Company data differs from the business licence",
            "主体信息与营业执照不一致",
            "reject",
            "request_info",
        ),
        _r(
            "brand_authorisation_missing",
            "The brand authorisation chain is missing or broken",
            "品牌授权链缺失或不完整",
            "reject",
            "request_info",
        ),
        _r(
            "trader_info_unverified",
            "EU trader information (DSA Art. 30) is incomplete or unverified",
            "欧盟经营者信息（DSA第30条）不完整或未核验",
            "reject",
            "request_info",
        ),
        _r(
            "contact_unreachable",
            "Quality or after-sales contact could not be reached",
            "质量或售后联系人无法联系",
            "reject",
            "request_info",
        ),
        _r(
            "prohibited_category",
            "The platform does not admit this category for this market",
            "平台不开放该市场的此类目",
            "reject",
        ),
        _r(
            "false_information",
            "False or forged information was submitted",
            "提交虚假或伪造信息",
            "reject",
        ),
        _r(
            "previous_violations",
            "Serious earlier violations by the company or its principals",
            "企业或其负责人有严重违规记录",
            "reject",
        ),
        _r("other", "Other (see the text)", "其他（见说明）", "reject", "request_info"),
    )
}


def reason_choices(use: str) -> list[ReasonCode]:
    return [r for r in REASONS.values() if use in r.uses]


def check_reason_codes(codes: list[str], *, use: str, text: str = "") -> list[str]:
    """Validated, de-duplicated codes for ``use``; at least one; ``other`` needs text."""
    if not codes:
        raise ValidationFailed("Choose at least one reason.", code="reason_required")
    unknown = [c for c in codes if c not in REASONS or use not in REASONS[c].uses]
    if unknown:
        raise ValidationFailed(
            f"Unknown reason code(s): {', '.join(unknown)}.",
            code="unknown_reason_code",
            unknown=unknown,
        )
    if "other" in codes and not text.strip():
        raise ValidationFailed(
            "Explain the reason 'other' in the text.", code="reason_text_required"
        )
    return list(dict.fromkeys(codes))
