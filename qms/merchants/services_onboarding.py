"""The onboarding workflow: one service per transition of ``domain/onboarding.py``.

Each service locks the application row, checks the move against the transition table, writes
the new state, an ``ApplicationStatusChange`` row and an audit row in one transaction, and
queues notifications after commit. Two reviewers deciding at once: the second waits for the
lock, then finds the state moved on and gets ``IllegalTransition`` (409); nothing changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qms.accounts.permissions import ensure_can, profile
from qms.catalog import selectors as catalog_selectors
from qms.shared.audit import record_event
from qms.shared.calendars import business_calendar
from qms.shared.deadlines import cancel_deadline, schedule_deadline
from qms.shared.errors import Conflict, NotFound, ValidationFailed
from qms.shared.events import publish

from . import notifications
from .domain.onboarding import (
    EDITABLE_STATES,
    Action,
    AppState,
    approval_action,
    max_risk,
    needs_second_approval,
    next_state,
    required_deposit,
)
from .domain.reasons import REASONS, check_reason_codes
from .models import (
    Application,
    ApplicationCategory,
    ApplicationStatusChange,
    Merchant,
    MerchantBrand,
    MerchantCategory,
)
from .selectors_onboarding import missing_documents
from .services import activate_merchant, check_markets

INFO_RESPONSE_WORKING_DAYS = 15
REVIEW_SLA_WORKING_DAYS = 3
INFO_REMINDER_BEFORE = dt.timedelta(days=3)


def info_deadline_key(application_id: int) -> str:
    return f"merchants.application.{application_id}.info_response"


def review_deadline_key(application_id: int) -> str:
    return f"merchants.application.{application_id}.review_sla"


def working_days_from(start: dt.datetime, days: int) -> dt.datetime:
    """``days`` working days (CN calendar) after ``start``, same local time of day."""
    return business_calendar("CN").working_days_after(start, days)


def _schedule_review_sla(app: Application) -> None:
    """Reviewers are warned when a review runs past its SLA (CN working days)."""
    assert app.review_started_at is not None
    schedule_deadline(
        key=review_deadline_key(app.pk),
        kind="merchants.review_sla",
        subject_type="merchants.application",
        subject_id=str(app.pk),
        due_at=working_days_from(app.review_started_at, REVIEW_SLA_WORKING_DAYS),
        calendar="CN",
        payload={"lock_version": app.lock_version},
    )


def _schedule_info_deadline(app: Application) -> None:
    """The merchant is reminded before, and the application lapses at, the answer deadline."""
    assert app.info_response_due_at is not None
    schedule_deadline(
        key=info_deadline_key(app.pk),
        kind="merchants.info_response",
        subject_type="merchants.application",
        subject_id=str(app.pk),
        due_at=app.info_response_due_at,
        warnings=[INFO_REMINDER_BEFORE],
        calendar="CN",
        payload={"lock_version": app.lock_version},
    )


@transaction.atomic
def ensure_application_deadlines() -> int:
    """Schedule the deadline each open application's state calls for (the review SLA while in
    review, the answer deadline while information is requested) where it is missing: for
    applications imported or generated without going through these services. Idempotent;
    returns how many were scheduled."""
    from qms.shared.models import Deadline

    keys = set(Deadline.objects.filter(kind__startswith="merchants.").values_list("key", flat=True))
    made = 0
    in_review = Application.objects.filter(
        state=AppState.IN_REVIEW.value, review_started_at__isnull=False
    )
    for app in in_review:
        if review_deadline_key(app.pk) not in keys:
            _schedule_review_sla(app)
            made += 1
    waiting = Application.objects.filter(
        state=AppState.INFO_REQUESTED.value, info_response_due_at__isnull=False
    )
    for app in waiting:
        if info_deadline_key(app.pk) not in keys:
            _schedule_info_deadline(app)
            made += 1
    return made


def _lock(
    *, actor: Any, application_id: int, perm: str, expected_version: int | None = None
) -> Application:
    app = (
        Application.objects.select_for_update()
        .select_related("merchant")
        .filter(pk=application_id)
        .first()
    )
    p = profile(actor)
    if app is None or not (p.is_platform or app.merchant.organisation_id in p.merchant_org_ids):
        raise NotFound("No such application.", code="application_not_found")
    ensure_can(actor, perm, merchant_org_id=app.merchant.organisation_id)
    if expected_version is not None and expected_version != app.lock_version:
        raise Conflict(
            "Someone else changed this application; reload it and try again.",
            code="stale_application",
            current_version=app.lock_version,
            state=app.state,
        )
    return app


def _move(
    app: Application,
    *,
    actor: Any,
    action: Action,
    fields: Iterable[str] = (),
    reason: str = "",
    reason_codes: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> str:
    """Apply ``action`` (checked against the table), save, history row, audit row."""
    old = app.state
    app.state = next_state(old, action).value
    app.lock_version += 1
    app.updated_at = timezone.now()
    app.save(update_fields=["state", "lock_version", "updated_at", *fields])
    codes = list(reason_codes)
    ApplicationStatusChange.objects.create(
        application=app,
        from_state=old,
        to_state=app.state,
        action=action.value,
        actor=actor if getattr(actor, "pk", None) else None,
        at=app.updated_at,
        reason=reason,
        reason_codes=codes,
    )
    record_event(
        actor=actor,
        obj=app,
        action=f"application.{action.value}",
        reason=reason,
        organisation_id=app.merchant.organisation_id,
        before={"state": old},
        after={"state": app.state, **({"reason_codes": codes} if codes else {})},
        detail=detail,
    )
    return old


def _links(app: Application) -> tuple[str, str]:
    return (reverse("portal:application"), reverse("merchants:application_review", args=[app.pk]))


def _ctx(app: Application, **extra: Any) -> dict[str, Any]:
    return {
        "code": f"A{app.pk}",
        "merchant": app.merchant.legal_name,
        "markets": ", ".join(app.markets),
        **extra,
    }


def _set_categories(app: Application, category_ids: Iterable[int]) -> None:
    ids = sorted(set(category_ids))
    found = {pk: c for pk, c in catalog_selectors.categories_by_ids(ids).items() if c.is_active}
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise ValidationFailed(
            "Unknown or inactive categories.", code="unknown_category", unknown=unknown
        )
    app.category_rows.exclude(category_id__in=ids).delete()
    have = set(app.category_rows.values_list("category_id", flat=True))
    ApplicationCategory.objects.bulk_create(
        [ApplicationCategory(application=app, category=found[i]) for i in ids if i not in have]
    )


def _set_brands(app: Application, brand_ids: Iterable[int]) -> None:
    ids = sorted(set(brand_ids))
    for brand_id in ids:
        try:
            catalog_selectors.brand_by_id(brand_id)
        except NotFound:
            raise ValidationFailed(
                "Unknown brand.", code="unknown_brand", unknown=[brand_id]
            ) from None
    app.brands.set(ids)


def _snapshot_risk(app: Application) -> None:
    """Copy each category's current risk and deposit; derive the application's."""
    rows = list(app.category_rows.select_related("category"))
    for row in rows:
        row.risk_level = row.category.risk_level
        row.deposit_amount, row.deposit_currency = (
            row.category.deposit_amount,
            row.category.currency,
        )
    ApplicationCategory.objects.bulk_update(
        rows, ["risk_level", "deposit_amount", "deposit_currency"]
    )
    levels = [r.risk_level for r in rows]
    app.risk_level = max_risk(levels)
    app.requires_second_approval = needs_second_approval(levels)
    app.deposit_amount, app.deposit_currency = required_deposit(
        (r.deposit_amount, r.deposit_currency) for r in rows
    )


@transaction.atomic
def create_application(
    *,
    actor: Any,
    merchant_id: int,
    markets: Iterable[str] = ("CN",),
    category_ids: Iterable[int] = (),
    brand_ids: Iterable[int] = (),
) -> Application:
    merchant = Merchant.objects.select_for_update().filter(pk=merchant_id).first()
    p = profile(actor)
    if merchant is None or not (p.is_platform or merchant.organisation_id in p.merchant_org_ids):
        raise NotFound("No such merchant.", code="merchant_not_found")
    ensure_can(actor, "merchants.apply", merchant_org_id=merchant.organisation_id)
    if merchant.standing in {"suspended", "terminated"}:
        raise Conflict(
            "A suspended or terminated merchant cannot apply.", code="merchant_not_eligible"
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            app = Application.objects.create(
                merchant=merchant,
                markets=check_markets(markets),
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:
        raise Conflict(
            "The merchant already has an open application.", code="application_open_exists"
        ) from exc
    _set_categories(app, category_ids)
    _set_brands(app, brand_ids)
    record_event(
        actor=actor,
        obj=app,
        action="application.create",
        organisation_id=merchant.organisation_id,
        after={"state": app.state, "markets": app.markets},
    )
    return app


@transaction.atomic
def update_application(
    *,
    actor: Any,
    application_id: int,
    markets: Iterable[str] | None = None,
    category_ids: Iterable[int] | None = None,
    brand_ids: Iterable[int] | None = None,
    expected_version: int | None = None,
) -> Application:
    app = _lock(
        actor=actor,
        application_id=application_id,
        perm="merchants.apply",
        expected_version=expected_version,
    )
    if AppState(app.state) not in EDITABLE_STATES:
        raise Conflict(
            "The application can be changed only as a draft or when information was requested.",
            code="application_not_editable",
            state=app.state,
        )
    before = {
        "markets": app.markets,
        "categories": sorted(app.category_rows.values_list("category_id", flat=True)),
        "brands": sorted(app.brands.values_list("pk", flat=True)),
    }
    if markets is not None:
        app.markets = check_markets(markets)
    if category_ids is not None:
        _set_categories(app, category_ids)
    if brand_ids is not None:
        _set_brands(app, brand_ids)
    app.lock_version += 1
    app.updated_at = timezone.now()
    app.save(update_fields=["markets", "lock_version", "updated_at"])
    after = {
        "markets": app.markets,
        "categories": sorted(app.category_rows.values_list("category_id", flat=True)),
        "brands": sorted(app.brands.values_list("pk", flat=True)),
    }
    record_event(
        actor=actor,
        obj=app,
        action="application.update",
        organisation_id=app.merchant.organisation_id,
        before=before,
        after=after,
    )
    return app


def _check_complete(app: Application) -> None:
    m = app.merchant
    missing = [
        f
        for f in ("registration_number", "legal_representative", "registered_address")
        if not getattr(m, f)
    ]
    if not app.markets:
        missing.append("markets")
    if not app.category_rows.exists():
        missing.append("categories")
    if "EU" in app.markets and not hasattr(m, "trader_info"):
        missing.append("trader_info")
    if missing:
        raise ValidationFailed(
            "The application is incomplete: " + ", ".join(missing) + ".",
            code="application_incomplete",
            missing=missing,
        )


def _notify_reviewers(app: Application, kind: str, point: str, **extra: Any) -> None:
    _, console = _links(app)
    notifications.send(
        kind,
        user_ids=notifications.reviewer_ids(),
        context=_ctx(app, **extra),
        dedupe_key=f"application:{app.pk}:{point}",
        link=console,
    )


def _notify_merchant(app: Application, kind: str, point: str, **extra: Any) -> None:
    portal, _ = _links(app)
    notifications.send(
        kind,
        user_ids=notifications.merchant_user_ids(app.merchant.organisation_id),
        context=_ctx(app, **extra),
        dedupe_key=f"application:{app.pk}:{point}",
        link=portal,
    )


@transaction.atomic
def submit_application(
    *, actor: Any, application_id: int, expected_version: int | None = None
) -> Application:
    app = _lock(
        actor=actor,
        application_id=application_id,
        perm="merchants.apply",
        expected_version=expected_version,
    )
    _hand_in(app, actor=actor, action=Action.SUBMIT)
    return app


def _hand_in(app: Application, *, actor: Any, action: Action, reason: str = "") -> None:
    """Submit or resubmit: check the move and completeness, fix the risk and deposit as of
    now, record the move and tell the reviewers."""
    next_state(app.state, action)
    _check_complete(app)
    _snapshot_risk(app)
    app.submitted_at = timezone.now()
    _move(
        app,
        actor=actor,
        action=action,
        reason=reason,
        fields=[
            "submitted_at",
            "risk_level",
            "requires_second_approval",
            "deposit_amount",
            "deposit_currency",
        ],
    )
    _notify_reviewers(app, "merchants.application_submitted", f"submit:{app.lock_version}")


@transaction.atomic
def start_review(
    *, actor: Any, application_id: int, expected_version: int | None = None
) -> Application:
    app = _lock(
        actor=actor,
        application_id=application_id,
        perm="merchants.review_application",
        expected_version=expected_version,
    )
    app.reviewer, app.review_started_at = actor, timezone.now()
    _move(app, actor=actor, action=Action.START_REVIEW, fields=["reviewer", "review_started_at"])
    _schedule_review_sla(app)
    return app


@transaction.atomic
def request_info(
    *,
    actor: Any,
    application_id: int,
    reason_codes: list[str],
    text: str,
    expected_version: int | None = None,
) -> Application:
    app = _lock(
        actor=actor,
        application_id=application_id,
        perm="merchants.request_info",
        expected_version=expected_version,
    )
    next_state(app.state, Action.REQUEST_INFO)
    codes = check_reason_codes(reason_codes, use="request_info", text=text)
    if not text.strip():
        raise ValidationFailed(
            "Tell the merchant what is needed.", code="info_request_text_required"
        )
    now = timezone.now()
    app.info_request, app.info_requested_at = text.strip(), now
    app.info_response_due_at = working_days_from(now, INFO_RESPONSE_WORKING_DAYS)
    app.reason_codes = codes
    _move(
        app,
        actor=actor,
        action=Action.REQUEST_INFO,
        reason=text.strip(),
        reason_codes=codes,
        fields=["info_request", "info_requested_at", "info_response_due_at", "reason_codes"],
        detail={"due_at": app.info_response_due_at},
    )
    cancel_deadline(key=review_deadline_key(app.pk))
    _schedule_info_deadline(app)
    due = timezone.localtime(app.info_response_due_at, ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE))
    _notify_merchant(
        app,
        "merchants.application_info_requested",
        f"info:{app.lock_version}",
        info_request=app.info_request,
        due=f"{due:%Y-%m-%d %H:%M}",
    )
    return app


@transaction.atomic
def resubmit_application(
    *, actor: Any, application_id: int, response: str = "", expected_version: int | None = None
) -> Application:
    app = _lock(
        actor=actor,
        application_id=application_id,
        perm="merchants.apply",
        expected_version=expected_version,
    )
    _hand_in(app, actor=actor, action=Action.RESUBMIT, reason=response.strip())
    cancel_deadline(key=info_deadline_key(app.pk))
    return app


def _ensure_approvable(app: Application) -> None:
    missing = missing_documents(app)
    if missing:
        raise Conflict(
            "Mandatory documents are missing or not verified.",
            code="documents_not_verified",
            missing=[
                {"category": c, "market": m, "document_type": d}
                for (c, m), codes in sorted(missing.items())
                for d in codes
            ],
        )
    if "EU" in app.markets:
        info = getattr(app.merchant, "trader_info", None)
        if info is None or info.verification_status != "verified":
            raise Conflict(
                "The EU trader information (DSA Art. 30) is not verified.",
                code="trader_info_not_verified",
            )


def _finish_approval(app: Application, *, actor: Any) -> None:
    merchant = Merchant.objects.select_for_update().get(pk=app.merchant_id)
    now = timezone.now()
    today = timezone.localdate(now, ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE))
    probation = today + dt.timedelta(days=app.probation_days) if app.probation_days else None
    deposit = max(
        (merchant.deposit_amount, merchant.deposit_currency),
        (app.deposit_amount, app.deposit_currency),
        key=lambda d: Decimal(d[0]),
    )
    if merchant.standing == "pending":
        activate_merchant(
            actor=actor,
            merchant=merchant,
            reason=f"application A{app.pk} approved",
            probation_until=probation,
            conditions=app.conditions,
            deposit=deposit,
        )
    else:
        merchant.deposit_amount, merchant.deposit_currency = deposit
        merchant.save(update_fields=["deposit_amount", "deposit_currency"])
    merchant.markets = sorted(set(merchant.markets) | set(app.markets))
    merchant.risk_level = max_risk([merchant.risk_level, app.risk_level])
    merchant.updated_at = now
    merchant.save(update_fields=["markets", "risk_level", "updated_at"])
    for row in app.category_rows.all():
        MerchantCategory.objects.update_or_create(
            merchant=merchant,
            category_id=row.category_id,
            defaults={
                "status": "active",
                "restricted_reason_code": "",
                "restricted_since": None,
                "restricted_by_document_type": "",
                "granted_at": now,
                "application": app,
            },
        )
    for brand_id in app.brands.values_list("pk", flat=True):
        MerchantBrand.objects.update_or_create(
            merchant=merchant,
            brand_id=brand_id,
            defaults={"status": "active", "granted_at": now, "application": app},
        )
    publish(
        "merchants.application_decided",
        application_id=app.pk,
        merchant_id=merchant.pk,
        state=app.state,
    )
    _notify_merchant(
        app,
        "merchants.application_approved",
        "decided",
        deposit=f"{app.deposit_amount} {app.deposit_currency}",
        conditions=app.conditions,
    )


@transaction.atomic
def approve_application(
    *,
    actor: Any,
    application_id: int,
    probation_days: int | None = None,
    conditions: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> Application:
    """First (or only) approval. High-risk applications go on to a second approver."""
    app = _lock(
        actor=actor,
        application_id=application_id,
        perm="merchants.decide_application",
        expected_version=expected_version,
    )
    action = approval_action(requires_second_approval=app.requires_second_approval)
    next_state(app.state, action)
    if probation_days is not None and not 0 <= probation_days <= 365:
        raise ValidationFailed("Probation lasts 0 to 365 days.", code="invalid_probation")
    _ensure_approvable(app)
    now = timezone.now()
    app.first_decision_by, app.first_decision_at = actor, now
    app.probation_days, app.conditions = probation_days or None, conditions.strip()
    fields = ["first_decision_by", "first_decision_at", "probation_days", "conditions"]
    if action is Action.APPROVE:
        app.decided_at = now
        fields.append("decided_at")
    _move(
        app,
        actor=actor,
        action=action,
        reason=reason,
        fields=fields,
        detail={"probation_days": app.probation_days, "conditions": app.conditions},
    )
    cancel_deadline(key=review_deadline_key(app.pk))
    if action is Action.APPROVE:
        _finish_approval(app, actor=actor)
    else:
        _, console = _links(app)
        notifications.send(
            "merchants.application_awaiting_second_approval",
            user_ids=notifications.second_approver_ids(exclude=[actor.pk]),
            context=_ctx(app, first_approver=str(actor)),
            dedupe_key=f"application:{app.pk}:second",
            link=console,
        )
    return app


@transaction.atomic
def second_approve_application(
    *, actor: Any, application_id: int, reason: str = "", expected_version: int | None = None
) -> Application:
    app = _lock(
        actor=actor,
        application_id=application_id,
        perm="merchants.second_approval",
        expected_version=expected_version,
    )
    next_state(app.state, Action.SECOND_APPROVE)
    if app.first_decision_by_id == actor.pk:
        raise Conflict("The second approval must come from another person.", code="same_approver")
    _ensure_approvable(app)
    app.second_decision_by, app.second_decision_at = actor, timezone.now()
    app.decided_at = app.second_decision_at
    _move(
        app,
        actor=actor,
        action=Action.SECOND_APPROVE,
        reason=reason,
        fields=["second_decision_by", "second_decision_at", "decided_at"],
    )
    _finish_approval(app, actor=actor)
    return app


@transaction.atomic
def reject_application(
    *,
    actor: Any,
    application_id: int,
    reason_codes: list[str],
    text: str = "",
    expected_version: int | None = None,
) -> Application:
    app = _lock(
        actor=actor,
        application_id=application_id,
        perm="merchants.decide_application",
        expected_version=expected_version,
    )
    next_state(app.state, Action.REJECT)
    codes = check_reason_codes(reason_codes, use="reject", text=text)
    now = timezone.now()
    fields = ["reason_codes", "decision_text", "decided_at"]
    if app.state == AppState.AWAITING_SECOND_APPROVAL:
        ensure_can(actor, "merchants.second_approval")
        if app.first_decision_by_id == actor.pk:
            raise Conflict(
                "The second decision must come from another person.", code="same_approver"
            )
        app.second_decision_by, app.second_decision_at = actor, now
        fields += ["second_decision_by", "second_decision_at"]
    else:
        app.first_decision_by, app.first_decision_at = actor, now
        fields += ["first_decision_by", "first_decision_at"]
    app.reason_codes, app.decision_text, app.decided_at = codes, text.strip(), now
    _move(
        app,
        actor=actor,
        action=Action.REJECT,
        reason=text.strip(),
        reason_codes=codes,
        fields=fields,
    )
    cancel_deadline(key=review_deadline_key(app.pk))
    publish(
        "merchants.application_decided",
        application_id=app.pk,
        merchant_id=app.merchant_id,
        state=app.state,
    )
    lang_reasons = "; ".join(REASONS[c].en for c in codes)
    _notify_merchant(
        app,
        "merchants.application_rejected",
        "decided",
        reasons=lang_reasons,
        text=app.decision_text,
    )
    return app


@transaction.atomic
def withdraw_application(
    *, actor: Any, application_id: int, reason: str = "", expected_version: int | None = None
) -> Application:
    app = _lock(
        actor=actor,
        application_id=application_id,
        perm="merchants.apply",
        expected_version=expected_version,
    )
    was = app.state
    _move(app, actor=actor, action=Action.WITHDRAW, reason=reason)
    cancel_deadline(key=info_deadline_key(app.pk))
    if was != AppState.DRAFT:
        _notify_reviewers(
            app,
            "merchants.application_withdrawn",
            "withdrawn",
            why="The merchant withdrew the application.",
        )
    return app


@transaction.atomic
def expire_application(*, application_id: int) -> Application | None:
    """The information deadline passed without an answer: withdraw (system). Idempotent."""
    app = (
        Application.objects.select_for_update()
        .select_related("merchant")
        .filter(pk=application_id)
        .first()
    )
    if app is None or app.state != AppState.INFO_REQUESTED:
        return app
    _move(
        app,
        actor=None,
        action=Action.EXPIRE,
        reason=f"No answer within {INFO_RESPONSE_WORKING_DAYS} working days.",
    )
    why = "No answer to the information request arrived before the deadline."
    _notify_merchant(app, "merchants.application_withdrawn", "expired", why=why)
    _notify_reviewers(app, "merchants.application_withdrawn", "expired", why=why)
    return app


def notify_info_due_soon(app: Application, *, point: str) -> None:
    assert app.info_response_due_at is not None
    due = timezone.localtime(app.info_response_due_at, ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE))
    _notify_merchant(
        app,
        "merchants.application_info_due_soon",
        f"info:{app.lock_version}:{point}",
        due=f"{due:%Y-%m-%d %H:%M}",
    )


def notify_review_overdue(app: Application, *, point: str) -> None:
    _notify_reviewers(
        app, "merchants.application_review_overdue", f"review:{app.lock_version}:{point}"
    )
