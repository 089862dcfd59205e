"""Notification kinds and quality-signal kinds of the documents context (registered in
``DocumentsConfig.ready``)."""

from __future__ import annotations

from qms.shared.notifications import NotificationKind, register_kind
from qms.shared.signals import register_signal_kind

KINDS = (
    NotificationKind(
        key="documents.verified",
        subject={
            "en": "{{ type_name_en }} {{ number }} was verified",
            "zh-hans": "{{ type_name_zh }} {{ number }} 已审核通过",
        },
        body={
            "en": "Your {{ type_name_en }} (number {{ number }}) was verified."
            "{% if expires_on %} It is valid until {{ expires_on }}; we will remind you "
            "30, 7 and 1 days before.{% endif %}",
            "zh-hans": "您的{{ type_name_zh }}（编号 {{ number }}）已审核通过。"
            "{% if expires_on %}有效期至 {{ expires_on }}，我们将在到期前 30、7、1 天"
            "提醒您。{% endif %}",
        },
    ),
    NotificationKind(
        key="documents.rejected",
        subject={
            "en": "{{ type_name_en }} {{ number }} was rejected",
            "zh-hans": "{{ type_name_zh }} {{ number }} 未通过审核",
        },
        body={
            "en": "Your {{ type_name_en }} (number {{ number }}) was rejected: {{ reason }}."
            "{% if note %}\n\nReviewer's note: {{ note }}{% endif %}\n\n"
            "Upload a corrected document in the portal.",
            "zh-hans": "您的{{ type_name_zh }}（编号 {{ number }}）未通过审核：{{ reason_zh }}。"
            "{% if note %}\n\n审核备注：{{ note }}{% endif %}"
            "\n\n请在商家后台重新上传。",
        },
    ),
    NotificationKind(
        key="documents.expiring",
        subject={
            "en": "{{ type_name_en }} {{ number }} expires in {{ days_left }} day"
            "{{ days_left|pluralize }}",
            "zh-hans": "{{ type_name_zh }} {{ number }} 将在 {{ days_left }} 天后到期",
        },
        body={
            "en": "Your {{ type_name_en }} (number {{ number }}) is valid until "
            "{{ expires_on }}. Upload the renewed document before then"
            "{% if category_count %}, or selling in the {{ category_count }} "
            "categories that require it will be restricted{% endif %}.",
            "zh-hans": "您的{{ type_name_zh }}（编号 {{ number }}）有效期至 {{ expires_on }}。"
            "请在此之前上传更新后的证件"
            "{% if category_count %}，否则需要该证件的 {{ category_count }} 个类目"
            "将被限制经营{% endif %}。",
        },
    ),
    NotificationKind(
        key="documents.expired",
        subject={
            "en": "{{ type_name_en }} {{ number }} has expired",
            "zh-hans": "{{ type_name_zh }} {{ number }} 已过期",
        },
        body={
            "en": "Your {{ type_name_en }} (number {{ number }}) expired on {{ expires_on }}."
            "{% if category_count %} Selling in the categories that require it is "
            "restricted until a valid document is verified.{% endif %}",
            "zh-hans": "您的{{ type_name_zh }}（编号 {{ number }}）已于 {{ expires_on }} 到期。"
            "{% if category_count %}需要该证件的类目已被限制经营，"
            "直至新的证件审核通过。{% endif %}",
        },
    ),
)

SIGNAL_KINDS = {
    "documents.expired": "A verified qualification document of the organisation expired",
    "documents.forgery_suspected": "A reviewer suspected a forged or altered document",
}


def register() -> None:
    for kind in KINDS:
        register_kind(kind)
    for key, description in SIGNAL_KINDS.items():
        register_signal_kind(key, description=description)
