"""Wiring for agreements, standing and re-verification: notification kinds, deadline handlers
and the document events that restrict and restore categories. ``register()`` runs once, from
``MerchantsConfig.ready``.

- ``documents.expired``: every category of the merchant that requires that document type, in a
  market the merchant sells in, is restricted (``document_expired``).
- ``documents.verified``: the ``document_expired`` restrictions of a category are lifted once all
  documents it requires in the merchant's markets are valid.
- ``merchants.standing_changed``: a merchant that became active gets its first re-verification
  six months later; a terminated one has its re-verification cancelled.
"""

from __future__ import annotations

from typing import Any

from qms.catalog import selectors as catalog
from qms.shared.deadlines import register_handler
from qms.shared.events import subscribe
from qms.shared.models import Deadline
from qms.shared.notifications import NotificationKind, register_kind

from . import services_agreements, services_reverification, services_standing
from .domain.standing import RESTRICTABLE, Standing
from .models import Merchant, MerchantCategory, StandingRestriction

KINDS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "merchants.standing_changed": (
        {
            "en": "Your shop's standing: {{ standing_en }}",
            "zh-hans": "店铺经营状态变更：{{ standing_zh }}",
        },
        {
            "en": "{{ merchant }} is now {{ standing_en }}. "
            "Reason: {{ reason_en }}. {{ reason_text }}",
            "zh-hans": "{{ merchant }} 当前经营状态：{{ standing_zh }}。"
            "原因：{{ reason_zh }}。{{ reason_text }}",
        },
    ),
    "merchants.category_restricted": (
        {
            "en": "Category {{ category_en }} is restricted",
            "zh-hans": "类目“{{ category_zh }}”已受限",
        },
        {
            "en": "You may not sell in {{ category_en }} until this is resolved. Reason: "
            "{{ reason_en }}. {{ reason_text }}",
            "zh-hans": "在问题解决前，您不能在“{{ category_zh }}”类目销售。原因：{{ reason_zh }}。"
            "{{ reason_text }}",
        },
    ),
    "merchants.category_restriction_lifted": (
        {
            "en": "Category {{ category_en }}: restriction lifted",
            "zh-hans": "类目“{{ category_zh }}”已解除限制",
        },
        {
            "en": "{{ reason_en }}. {{ reason_text }} Your shop is now {{ standing_en }}.",
            "zh-hans": "{{ reason_zh }}。{{ reason_text }} 店铺当前经营状态：{{ standing_zh }}。",
        },
    ),
    "merchants.agreement_published": (
        {
            "en": "Please sign {{ title }} (version {{ version }}) by {{ deadline }}",
            "zh-hans": "请在 {{ deadline }} 前签署《{{ title_zh }}》（第 {{ version }} 版）",
        },
        {
            "en": "A new version of {{ title }} is in force. Read it and sign it in the merchant "
            "portal by {{ deadline }}; otherwise your shop is restricted until you sign.",
            "zh-hans": "《{{ title_zh }}》已发布新版本。"
            "请在 {{ deadline }} 前在商家后台阅读并签署，"
            "逾期未签署的店铺将被限制经营，直至签署为止。",
        },
    ),
    "merchants.agreement_sign_required": (
        {
            "en": "Sign {{ title }} to start selling",
            "zh-hans": "请签署《{{ title_zh }}》后开始销售",
        },
        {
            "en": "Your shop is approved. Read {{ title }} (version {{ version }}) in the "
            "merchant portal; the owner signs it, and then you may start selling.",
            "zh-hans": "您的店铺已通过审核。请在商家后台阅读《{{ title_zh }}》"
            "（第 {{ version }} 版），由店主签署后即可开始销售。",
        },
    ),
    "merchants.agreement_resign_reminder": (
        {
            "en": "Reminder: sign {{ title }} (version {{ version }}) by {{ deadline }}",
            "zh-hans": "提醒：请在 {{ deadline }} 前签署《{{ title_zh }}》（第 {{ version }} 版）",
        },
        {
            "en": "Your shop is restricted if the agreement is not signed by {{ deadline }}.",
            "zh-hans": "如未在 {{ deadline }} 前签署，店铺将被限制经营。",
        },
    ),
    "merchants.reverification_due": (
        {
            "en": "Re-verify {{ merchant }} by {{ due_on }}",
            "zh-hans": "请在 {{ due_on }} 前复核 {{ merchant }}",
        },
        {
            "en": "The six-monthly check of {{ merchant }}'s identity and licences (PRC E-Commerce "
            "Law Art. 27) is due on {{ due_on }}.",
            "zh-hans": "{{ merchant }} 的半年度身份及资质复核"
            "（《电子商务法》第二十七条）将于 {{ due_on }} 到期。",
        },
    ),
    "merchants.reverification_overdue": (
        {
            "en": "Re-verification of {{ merchant }} is overdue",
            "zh-hans": "{{ merchant }} 的复核已逾期",
        },
        {
            "en": "It was due on {{ due_on }}. Please complete it now.",
            "zh-hans": "复核已于 {{ due_on }} 到期，请尽快完成。",
        },
    ),
}


def _merchant_of(organisation_id: int) -> Merchant | None:
    return Merchant.objects.filter(organisation_id=organisation_id).first()


def on_document_expired(
    *, organisation_id: int, type_code: str, document_id: int | None = None, **_: Any
) -> None:
    merchant = _merchant_of(organisation_id)
    if merchant is None or merchant.standing not in RESTRICTABLE:
        return
    affected: set[int] = set()
    for market in merchant.markets or ["CN"]:
        affected.update(catalog.categories_requiring(document_type_code=type_code, market=market))
    mine = MerchantCategory.objects.filter(merchant=merchant, category_id__in=affected)
    for category_id in mine.values_list("category_id", flat=True):
        services_standing.restrict_category(
            actor=None,
            merchant_id=merchant.pk,
            category_id=category_id,
            reason_code="document_expired",
            document_type_code=type_code,
            evidence={"document_id": document_id},
        )


def on_document_verified(*, organisation_id: int, document_id: int | None = None, **_: Any) -> None:
    merchant = _merchant_of(organisation_id)
    if merchant is None:
        return
    restricted = sorted(
        set(
            StandingRestriction.objects.filter(
                merchant=merchant,
                lifted_at__isnull=True,
                reason_code="document_expired",
                category__isnull=False,
            ).values_list("category_id", flat=True)
        )
    )
    if not restricted:
        return
    from qms.documents import selectors as documents  # documents is a lower layer, loaded late

    valid = set(
        documents.valid_document_codes(
            organisation_id=organisation_id, on=services_standing.business_today()
        )
    )
    for category_id in restricted:
        required: set[str] = set()
        for market in merchant.markets or ["CN"]:
            required.update(catalog.required_document_codes(category_id=category_id, market=market))
        if required <= valid:
            services_standing.lift_category_restriction(
                actor=None,
                merchant_id=merchant.pk,
                category_id=category_id,
                reason_code="documents_valid",
                only_reason_codes=["document_expired"],
                evidence={"document_id": document_id},
            )


def on_standing_changed(*, merchant_id: int, old: str, new: str, **_: Any) -> None:
    if old == Standing.PENDING and new == Standing.ACTIVE:
        services_standing.record_activation(merchant_id=merchant_id)
        services_agreements.ask_new_merchant_to_sign(merchant_id=merchant_id)
        services_reverification.schedule_reverification(merchant_id=merchant_id)
    elif new == Standing.TERMINATED:
        services_reverification.stop_reverification(merchant_id=merchant_id)


def on_reverification_deadline(deadline: Deadline, point: str) -> None:
    from .models import ReverificationTask

    task = (
        ReverificationTask.objects.select_related("merchant")
        .filter(pk=deadline.payload.get("task_id"))
        .first()
    )
    if task is None or task.state not in ("open", "overdue"):
        return
    if point == "due":
        services_reverification.mark_reverification_overdue(task_id=task.pk)
    else:
        services_reverification.notify_reviewers(task=task, kind="merchants.reverification_due")


def register() -> None:
    from .selectors import DASHBOARD_CONTRIBUTORS
    from .selectors_agreements import agreement_counts, reverification_counts

    for contributor in (reverification_counts, agreement_counts):
        if contributor not in DASHBOARD_CONTRIBUTORS:
            DASHBOARD_CONTRIBUTORS.append(contributor)
    for key, (subject, body) in KINDS.items():
        register_kind(NotificationKind(key=key, subject=subject, body=body))
    register_handler(services_reverification.REVERIFICATION_KIND, on_reverification_deadline)
    register_handler(services_agreements.RESIGN_KIND, services_agreements.handle_resign_deadline)
    subscribe("documents.expired", on_document_expired)
    subscribe("documents.verified", on_document_verified)
    subscribe("merchants.standing_changed", on_standing_changed)
