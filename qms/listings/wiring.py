"""What the listings context registers with the shared mechanisms: notification kinds, quality
signal kinds and the re-scan deadline handler. ``register()`` runs in ``AppConfig.ready`` and
is safe to call twice."""

from __future__ import annotations

from typing import Any

from qms.shared.notifications import NotificationKind, register_kind
from qms.shared.signals import register_signal_kind

KIND_DECIDED = "listings.version_decided"
KIND_RESCAN_FLAGGED = "listings.rescan_flagged"
KIND_WITHDRAWN = "listings.withdrawn_after_deadline"
SIGNAL_REJECTED = "listings.version_rejected"
SIGNAL_WITHDRAWN = "listings.listing_withdrawn"
DEADLINE_KIND = "listings.rescan_withdrawal"
RULES_EFFECTIVE_KIND = "listings.rules_effective"
KIND_RULES_ANNOUNCED = "listings.rules_announced"
KIND_TAKEN_DOWN = "listings.taken_down"
KIND_TASK_OVERDUE = "listings.review_overdue"
TASK_SLA_KIND = "listings.review_sla"
SIGNAL_TAKEN_DOWN = "listings.listing_taken_down"

KINDS = (
    NotificationKind(
        key=KIND_DECIDED,
        subject={
            "en": "Listing L{{ listing_id }} version {{ number }}: {{ decision }}",
            "zh-hans": "商品 L{{ listing_id }} 第 {{ number }} 版：{% if decision == 'approved' %}"
            "已通过{% else %}未通过{% endif %}",
        },
        body={
            "en": 'Your listing "{{ title }}" (version {{ number }}) was {{ decision }}.'
            "{% if decision == 'rejected' %} Reasons:{% for r in reasons %}\n- {{ r }}"
            "{% endfor %}\nFix the listing and submit it again, or appeal the decision."
            "{% endif %}",
            "zh-hans": "您的商品“{{ title }}”（第 {{ number }} 版）"
            "{% if decision == 'approved' %}已审核通过。{% else %}未通过审核。原因："
            "{% for r in reasons_zh %}\n- {{ r }}{% endfor %}\n"
            "请修改后重新提交，或提出申诉。{% endif %}",
        },
    ),
    NotificationKind(
        key=KIND_RESCAN_FLAGGED,
        subject={
            "en": "Listing L{{ listing_id }} no longer meets the rules: fix it by {{ due }}",
            "zh-hans": "商品 L{{ listing_id }} 不再符合规则：请于 {{ due }} 前修改",
        },
        body={
            "en": 'After a rule change your live listing "{{ title }}" no longer complies:'
            "{% for r in reasons %}\n- {{ r }}{% endfor %}\nSubmit a corrected version by {{ due }}"
            " (Beijing time), or the listing will be withdrawn automatically.",
            "zh-hans": "规则变更后，您在售的商品“{{ title }}”不再合规："
            "{% for r in reasons_zh %}\n- {{ r }}{% endfor %}\n"
            "请于 {{ due }}（北京时间）前提交修改后的版本，否则商品将被自动下架。",
        },
    ),
    NotificationKind(
        key=KIND_RULES_ANNOUNCED,
        subject={
            "en": "Listing rules change on {{ date }}",
            "zh-hans": "商品发布规则将于 {{ date }} 变更",
        },
        body={
            "en": "{{ count }} rule change(s) taking effect on {{ date }} apply to your live "
            "listings:{% for r in rules %}\n- {{ r }}{% endfor %}\nOn that day all live "
            "listings are checked again; listings that no longer comply get a deadline to be "
            "corrected before they are withdrawn.",
            "zh-hans": "将于 {{ date }} 生效的 {{ count }} 项规则变更涉及您在售的商品："
            "{% for r in rules_zh|default:rules %}\n- {{ r }}{% endfor %}\n"
            "届时所有在售商品将被重新检查；不再合规的商品须在期限内整改，否则将被下架。",
        },
    ),
    NotificationKind(
        key=KIND_TASK_OVERDUE,
        subject={
            "en": "Listing review T{{ task_id }} is overdue",
            "zh-hans": "商品审核任务 T{{ task_id }} 已超时",
        },
        body={
            "en": 'The {{ kind }} review of listing L{{ listing_id }} ("{{ title }}") has waited '
            "more than one working day. Decide it, or release it for someone else.",
            "zh-hans": "商品 L{{ listing_id }}（“{{ title }}”）的审核任务已等待超过一个工作日。"
            "请尽快处理，或释放给其他审核员。",
        },
    ),
    NotificationKind(
        key=KIND_TAKEN_DOWN,
        subject={
            "en": "Listing L{{ listing_id }} was taken down by the platform",
            "zh-hans": "商品 L{{ listing_id }} 已被平台下架",
        },
        body={
            "en": 'Your listing "{{ title }}" was taken off sale. Reasons:'
            "{% for r in reasons %}\n- {{ r }}{% endfor %}\nWhat was found: {{ note }}\n"
            "Appeal the decision if it is wrong, or submit a corrected version: a reviewer "
            "checks it before it goes back on sale.",
            "zh-hans": "您的商品“{{ title }}”已被下架。原因："
            "{% for r in reasons_zh %}\n- {{ r }}{% endfor %}\n发现的问题：{{ note }}\n"
            "如对处理有异议，可提出申诉；也可提交整改后的版本，经人工审核通过后重新上架。",
        },
    ),
    NotificationKind(
        key=KIND_WITHDRAWN,
        subject={
            "en": "Listing L{{ listing_id }} was withdrawn",
            "zh-hans": "商品 L{{ listing_id }} 已下架",
        },
        body={
            "en": 'The deadline to correct "{{ title }}" passed, so the listing was withdrawn.',
            "zh-hans": "商品“{{ title }}”未在期限内完成整改，已被下架。",
        },
    ),
)

SIGNAL_KINDS = {
    SIGNAL_REJECTED: "A listing version was rejected by the rules or a reviewer",
    SIGNAL_WITHDRAWN: "A live listing was withdrawn after a re-scan deadline",
    SIGNAL_TAKEN_DOWN: "The platform took a live listing down (complaint, test, notice)",
}


def _deadline_handler(deadline: Any, point: str) -> None:
    from .services_rescan import handle_rescan_deadline

    handle_rescan_deadline(deadline, point)


def _task_sla_handler(deadline: Any, point: str) -> None:
    from .services_routing import notify_task_overdue

    if point == "due":
        notify_task_overdue(int(deadline.subject_id))


def _rules_effective_handler(deadline: Any, point: str) -> None:
    from .services_announce import handle_rules_effective

    handle_rules_effective(deadline, point)


def register() -> None:
    from qms.shared.deadlines import register_handler

    for kind in KINDS:
        register_kind(kind)
    for key, description in SIGNAL_KINDS.items():
        register_signal_kind(key, description=description)
    register_handler(DEADLINE_KIND, _deadline_handler)
    register_handler(RULES_EFFECTIVE_KIND, _rules_effective_handler)
    register_handler(TASK_SLA_KIND, _task_sla_handler)


register()
