"""Applications in every state with their history, granted categories and brands, signed
(and unsigned) quality agreements, and the standing history of restricted merchants."""

from __future__ import annotations

import datetime as dt

from qms.merchants.models import (
    AgreementSignature,
    Application,
    ApplicationCategory,
    ApplicationStatusChange,
    MerchantBrand,
    MerchantCategory,
)
from qms.merchants.models.standing import StandingChange, StandingRestriction

from .context import Context
from .plan import MerchantPlan
from .writer import db_datetime, db_json_list

# The path an application took to reach each state: (action, from, to).
PATHS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "draft": (),
    "submitted": (("submit", "draft", "submitted"),),
    "in_review": (("submit", "draft", "submitted"), ("start_review", "submitted", "in_review")),
    "info_requested": (
        ("submit", "draft", "submitted"),
        ("start_review", "submitted", "in_review"),
        ("request_info", "in_review", "info_requested"),
    ),
    "awaiting_second_approval": (
        ("submit", "draft", "submitted"),
        ("start_review", "submitted", "in_review"),
        ("first_approve", "in_review", "awaiting_second_approval"),
    ),
    "approved": (
        ("submit", "draft", "submitted"),
        ("start_review", "submitted", "in_review"),
        ("approve", "in_review", "approved"),
    ),
    "rejected": (
        ("submit", "draft", "submitted"),
        ("start_review", "submitted", "in_review"),
        ("reject", "in_review", "rejected"),
    ),
    "withdrawn": (("submit", "draft", "submitted"), ("withdraw", "submitted", "withdrawn")),
}
HIGH_RISK_APPROVED = (
    ("submit", "draft", "submitted"),
    ("start_review", "submitted", "in_review"),
    ("first_approve", "in_review", "awaiting_second_approval"),
    ("second_approve", "awaiting_second_approval", "approved"),
)
REJECT_REASONS = (
    "documents_missing",
    "documents_invalid",
    "licence_scope_mismatch",
    "brand_authorisation_missing",
    "company_data_mismatch",
)
INFO_REQUESTS = (
    (
        "documents_missing",
        "请补充上传有效的食品经营许可证。Please upload a valid food business licence.",
    ),
    (
        "documents_invalid",
        "营业执照照片不清晰，请重新上传。The business licence scan is unreadable.",
    ),
    (
        "brand_authorisation_missing",
        "请提供品牌方到经销商的授权书。Please provide the brand owner's "
        "authorisation of your distributor.",
    ),
    (
        "trader_info_unverified",
        "Please complete your trade register number and IBAN (DSA Art. 30).",
    ),
)


def build_onboarding(ctx: Context, plan: MerchantPlan) -> None:
    r, ids, sink = plan.rng, ctx.ids, ctx.sink
    created = plan.created_at(ctx)
    high = any(c.risk_level == "high" for c in plan.categories)
    path = PATHS[plan.state]
    if plan.state == "approved" and high:
        path = HIGH_RISK_APPROVED
    # Each step a few hours to days after the previous one; the last one ends before now.
    span = max(plan.created_days_ago * 86400 - 3600, 3600)
    steps = [
        created + dt.timedelta(seconds=span * (i + 1) / (len(path) + 1)) for i in range(len(path))
    ]
    app_id = plan.application_id = ids.take("merchants.Application")
    at = {action: db_datetime(when) for (action, _f, _t), when in zip(path, steps, strict=True)}
    decided = (
        at.get("approve") or at.get("second_approve") or at.get("reject") or at.get("withdraw")
    )
    risk = (
        "high"
        if high
        else ("medium" if any(c.risk_level == "medium" for c in plan.categories) else "low")
    )
    deposit = max((c.deposit_amount for c in plan.categories), key=float, default="0.00")
    reason_codes: list[str] = []
    info_request = decision = ""
    if plan.state == "rejected":
        reason_codes = [r.choice(REJECT_REASONS)]
        decision = (
            "资质文件不符合类目要求，驳回申请。Documents do not meet the category requirements."
        )
    elif plan.state == "info_requested":
        code, info_request = r.choice(INFO_REQUESTS)
        reason_codes = [code]
    info_at = at.get("request_info")
    info_due = (
        db_datetime(ctx.now + dt.timedelta(days=1 + int(r.random() * 13))) if info_at else None
    )
    first = at.get("first_approve") or at.get("approve")
    sink.table(
        Application,
        (
            "id",
            "merchant_id",
            "state",
            "markets",
            "submitted_at",
            "review_started_at",
            "risk_level",
            "requires_second_approval",
            "first_decision_at",
            "second_decision_at",
            "reason_codes",
            "decision_text",
            "probation_days",
            "deposit_amount",
            "deposit_currency",
            "info_request",
            "info_requested_at",
            "info_response_due_at",
            "decided_at",
            "created_by_id",
            "created_at",
            "updated_at",
        ),
    ).add(
        (
            app_id,
            plan.merchant_id,
            plan.state,
            db_json_list(plan.markets),
            at.get("submit"),
            at.get("start_review"),
            risk,
            high,
            first,
            at.get("second_approve"),
            db_json_list(reason_codes),
            decision,
            90 if plan.state == "approved" and risk != "low" else None,
            deposit,
            "CNY",
            info_request,
            info_at,
            info_due,
            decided,
            plan.owner_user_id,
            db_datetime(created),
            db_datetime(steps[-1] if steps else created),
        )
    )
    history = sink.table(
        ApplicationStatusChange,
        (
            "id",
            "application_id",
            "from_state",
            "to_state",
            "action",
            "actor_id",
            "at",
            "reason",
            "reason_codes",
        ),
    )
    history.add(
        (
            ids.take("merchants.ApplicationStatusChange"),
            app_id,
            "",
            "draft",
            "create",
            plan.owner_user_id,
            db_datetime(created),
            "",
            "[]",
        )
    )
    for action, from_state, to_state in path:
        by_merchant = action in {"submit", "withdraw"}
        codes = db_json_list(reason_codes) if action in {"reject", "request_info"} else "[]"
        history.add(
            (
                ids.take("merchants.ApplicationStatusChange"),
                app_id,
                from_state,
                to_state,
                action,
                plan.owner_user_id if by_merchant else None,
                at[action],
                info_request
                if action == "request_info"
                else decision
                if action == "reject"
                else "",
                codes,
            )
        )
    cats = sink.table(
        ApplicationCategory,
        ("id", "application_id", "category_id", "risk_level", "deposit_amount", "deposit_currency"),
    )
    for c in plan.categories:
        cats.add(
            (
                ids.take("merchants.ApplicationCategory"),
                app_id,
                c.id,
                c.risk_level,
                c.deposit_amount,
                c.currency,
            )
        )
    if plan.approved:
        _grants(ctx, plan, decided or db_datetime(created))


def _grants(ctx: Context, plan: MerchantPlan, granted_s: str) -> None:
    r, ids, sink = plan.rng, ctx.ids, ctx.sink
    restricted_cat = (
        plan.categories[0].id if plan.standing == "restricted" and plan.categories else None
    )
    grants = sink.table(
        MerchantCategory,
        (
            "id",
            "merchant_id",
            "category_id",
            "status",
            "restricted_reason_code",
            "restricted_since",
            "restricted_by_document_type",
            "granted_at",
            "application_id",
        ),
    )
    for c in plan.categories:
        restricted = c.id == restricted_cat
        grants.add(
            (
                ids.take("merchants.MerchantCategory"),
                plan.merchant_id,
                c.id,
                "restricted" if restricted else "active",
                "document_expired" if restricted else "",
                db_datetime(ctx.now - dt.timedelta(days=2)) if restricted else None,
                plan.restricted_code if restricted else "",
                granted_s,
                plan.application_id,
            )
        )
    if restricted_cat is not None:
        sink.table(
            StandingRestriction,
            (
                "id",
                "merchant_id",
                "category_id",
                "reason_code",
                "document_type_code",
                "reason_text",
                "created_at",
            ),
        ).add(
            (
                ids.take("merchants.StandingRestriction"),
                plan.merchant_id,
                restricted_cat,
                "document_expired",
                plan.restricted_code,
                "A required qualification document expired.",
                db_datetime(ctx.now - dt.timedelta(days=2)),
            )
        )
    brands = sink.table(
        MerchantBrand, ("id", "merchant_id", "brand_id", "status", "granted_at", "application_id")
    )
    for brand_id in plan.brand_ids:
        brands.add(
            (
                ids.take("merchants.MerchantBrand"),
                plan.merchant_id,
                brand_id,
                "active",
                granted_s,
                plan.application_id,
            )
        )
    changes = sink.table(
        StandingChange,
        (
            "id",
            "merchant_id",
            "category_id",
            "action",
            "from_standing",
            "to_standing",
            "reason_code",
            "reason_text",
            "at",
            "evidence",
        ),
    )
    changes.add(
        (
            ids.take("merchants.StandingChange"),
            plan.merchant_id,
            None,
            "activate",
            "pending",
            "active",
            "application_approved",
            "",
            granted_s,
            "{}",
        )
    )
    if plan.standing != "active":
        action = {"restricted": "restrict", "suspended": "suspend", "terminated": "terminate"}[
            plan.standing
        ]
        reason = {
            "restricted": "document_expired",
            "suspended": "quality_violation",
            "terminated": "merchant_request",
        }[plan.standing]
        changes.add(
            (
                ids.take("merchants.StandingChange"),
                plan.merchant_id,
                restricted_cat,
                action,
                "active",
                plan.standing,
                reason,
                "",
                db_datetime(ctx.now - dt.timedelta(days=2)),
                "{}",
            )
        )
    # Most live merchants signed the current agreements; some have not re-signed yet.
    sigs = sink.table(
        AgreementSignature,
        (
            "id",
            "merchant_id",
            "template_id",
            "signer_id",
            "signer_name",
            "signed_at",
            "ip",
            "user_agent",
            "language",
            "text_sha256",
        ),
    )
    for template_id, sha in ctx.ref.templates:
        if r.random() < 0.85:
            sigs.add(
                (
                    ids.take("merchants.AgreementSignature"),
                    plan.merchant_id,
                    template_id,
                    plan.owner_user_id,
                    plan.owner_name,
                    granted_s,
                    "203.0.113." + str(1 + plan.index % 250),
                    "Mozilla/5.0 (qms demo)",
                    "en" if plan.eu else "zh-hans",
                    sha,
                )
            )
