"""Notification kinds of the merchants context and who receives them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from qms.accounts.selectors import user_ids_in_organisation, user_ids_with_roles
from qms.shared.notifications import NotificationKind, notify, register_kind

REVIEWER_ROLES = ["reviewer", "quality_manager"]
SECOND_APPROVER_ROLES = ["quality_manager", "admin"]

KINDS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "merchants.application_submitted": (
        {"en": "Application {{ code }} to review", "zh-hans": "待审核入驻申请 {{ code }}"},
        {
            "en": "{{ merchant }} submitted its onboarding application for {{ markets }}.",
            "zh-hans": "{{ merchant }} 提交了入驻申请（市场：{{ markets }}）。",
        },
    ),
    "merchants.application_info_requested": (
        {
            "en": "More information needed for your application",
            "zh-hans": "您的入驻申请需要补充资料",
        },
        {
            "en": "The reviewer asks: {{ info_request }} Please answer by {{ due }}; otherwise the "
            "application is withdrawn.",
            "zh-hans": "审核员要求：{{ info_request }} 请在 {{ due }} 前补充，逾期申请将自动撤回。",
        },
    ),
    "merchants.application_info_due_soon": (
        {
            "en": "Your application will be withdrawn on {{ due }}",
            "zh-hans": "您的入驻申请将于 {{ due }} 自动撤回",
        },
        {
            "en": "We are still waiting for the information we asked for.",
            "zh-hans": "我们仍在等待您补充所需资料。",
        },
    ),
    "merchants.application_awaiting_second_approval": (
        {
            "en": "High-risk application {{ code }} needs a second approval",
            "zh-hans": "高风险入驻申请 {{ code }} 需要二次审批",
        },
        {
            "en": "{{ first_approver }} approved {{ merchant }}; a second approver must decide.",
            "zh-hans": "{{ first_approver }} 已初审通过 {{ merchant }}，需另一位审批人复核。",
        },
    ),
    "merchants.application_approved": (
        {"en": "Your application was approved", "zh-hans": "您的入驻申请已通过"},
        {
            "en": "Welcome to the platform. Deposit: {{ deposit }}. {{ conditions }}",
            "zh-hans": "欢迎入驻。保证金：{{ deposit }}。{{ conditions }}",
        },
    ),
    "merchants.application_rejected": (
        {"en": "Your application was rejected", "zh-hans": "您的入驻申请未通过"},
        {"en": "Reasons: {{ reasons }}. {{ text }}", "zh-hans": "原因：{{ reasons }}。{{ text }}"},
    ),
    "merchants.application_withdrawn": (
        {"en": "Application {{ code }} was withdrawn", "zh-hans": "入驻申请 {{ code }} 已撤回"},
        {"en": "{{ why }}", "zh-hans": "{{ why }}"},
    ),
    "merchants.application_review_overdue": (
        {
            "en": "Application {{ code }} has been in review for 3 working days",
            "zh-hans": "入驻申请 {{ code }} 已审核 3 个工作日",
        },
        {
            "en": "Please decide or ask the merchant for information.",
            "zh-hans": "请尽快作出决定或要求商家补充资料。",
        },
    ),
    "merchants.trader_info_to_verify": (
        {
            "en": "Trader information of {{ merchant }} to verify",
            "zh-hans": "待核验 {{ merchant }} 的经营者信息",
        },
        {
            "en": "The EU trader information (DSA Art. 30) changed and passed the automatic "
            "checks.",
            "zh-hans": "欧盟经营者信息（DSA第30条）已变更并通过自动检查。",
        },
    ),
    "merchants.trader_info_failed": (
        {
            "en": "Your EU trader information could not be verified",
            "zh-hans": "您的欧盟经营者信息未通过核验",
        },
        {"en": "Problems: {{ reasons }}.", "zh-hans": "问题：{{ reasons }}。"},
    ),
}


def register_kinds() -> None:
    for key, (subject, body) in KINDS.items():
        register_kind(NotificationKind(key=key, subject=subject, body=body))


def merchant_user_ids(organisation_id: int) -> list[int]:
    return user_ids_in_organisation(organisation_id=organisation_id)


def reviewer_ids() -> list[int]:
    return user_ids_with_roles(roles=REVIEWER_ROLES)


def second_approver_ids(*, exclude: Iterable[int] = ()) -> list[int]:
    skip = set(exclude)
    return [u for u in user_ids_with_roles(roles=SECOND_APPROVER_ROLES) if u not in skip]


def send(
    kind: str, *, user_ids: Iterable[int], context: dict[str, Any], dedupe_key: str, link: str = ""
) -> None:
    ids = sorted(set(user_ids))
    if ids:
        notify(kind=kind, user_ids=ids, context=context, dedupe_key=dedupe_key, link=link)
