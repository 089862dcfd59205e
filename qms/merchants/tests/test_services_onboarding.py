from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from qms.accounts.domain.roles import Role
from qms.merchants import services_onboarding as onboarding
from qms.merchants.models import Application, MerchantBrand, MerchantCategory
from qms.merchants.services_trader import save_trader_info, verify_trader_info
from qms.shared.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from qms.shared.events import subscribe
from qms.shared.models import AuditEvent
from qms.shared.rules import business_today

from .factories import give_document, make_brand, make_category, make_merchant

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Callable[..., Any]) -> dict[str, Any]:
    tea = make_category(
        "tea",
        risk="medium",
        deposit="30000.00",
        requires={
            "CN": ["business_licence", "food_business_licence"],
            "EU": ["eu_trade_register_extract"],
        },
    )
    baby = make_category(
        "baby_formula",
        risk="high",
        deposit="50000.00",
        requires={"CN": ["business_licence", "food_production_licence_sc"]},
    )
    merchant, app, owner = make_merchant("Tea House")
    return {
        "tea": tea,
        "baby": baby,
        "merchant": merchant,
        "app": app,
        "owner": owner,
        "reviewer": make_user(Role.REVIEWER, username="rev1"),
        "reviewer2": make_user(Role.REVIEWER, username="rev2"),
        "qm": make_user(Role.QUALITY_MANAGER, username="qm1"),
        "qm2": make_user(Role.QUALITY_MANAGER, username="qm2"),
    }


def _to_review(w: dict[str, Any], categories: list[Any]) -> Application:
    onboarding.update_application(
        actor=w["owner"], application_id=w["app"].pk, category_ids=[c.pk for c in categories]
    )
    onboarding.submit_application(actor=w["owner"], application_id=w["app"].pk)
    return onboarding.start_review(actor=w["reviewer"], application_id=w["app"].pk)


def _docs(w: dict[str, Any], *codes: str) -> None:
    for code in codes:
        give_document(w["merchant"], code)


def test_submit_snapshots_risk_and_deposit(world: dict[str, Any]) -> None:
    w = world
    onboarding.update_application(
        actor=w["owner"], application_id=w["app"].pk, category_ids=[w["tea"].pk, w["baby"].pk]
    )
    app = onboarding.submit_application(actor=w["owner"], application_id=w["app"].pk)
    assert app.state == "submitted"
    assert (app.risk_level, app.requires_second_approval) == ("high", True)
    assert (app.deposit_amount, app.deposit_currency) == (Decimal("50000.00"), "CNY")
    change = app.history.get()
    assert (change.from_state, change.to_state, change.action, change.actor_id) == (
        "draft",
        "submitted",
        "submit",
        w["owner"].pk,
    )
    audit = AuditEvent.objects.get(action="application.submit", object_id=str(app.pk))
    assert audit.organisation_id == w["merchant"].organisation_id
    assert audit.before == {"state": "draft"}
    assert audit.after == {"state": "submitted"}


def test_submit_incomplete_is_refused(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        onboarding.submit_application(actor=world["owner"], application_id=world["app"].pk)
    assert exc.value.code == "application_incomplete"
    assert exc.value.details["missing"] == ["categories"]
    world["app"].refresh_from_db()
    assert world["app"].state == "draft"


def test_eu_submission_needs_trader_info(world: dict[str, Any]) -> None:
    w = world
    onboarding.update_application(
        actor=w["owner"],
        application_id=w["app"].pk,
        markets=["CN", "EU"],
        category_ids=[w["tea"].pk],
    )
    with pytest.raises(ValidationFailed) as exc:
        onboarding.submit_application(actor=w["owner"], application_id=w["app"].pk)
    assert exc.value.details["missing"] == ["trader_info"]


def test_approve_low_risk_activates_merchant(world: dict[str, Any]) -> None:
    w = world
    brand = make_brand("Longjing")
    onboarding.update_application(
        actor=w["owner"], application_id=w["app"].pk, brand_ids=[brand.pk]
    )
    _to_review(w, [w["tea"]])
    _docs(w, "business_licence", "food_business_licence")
    decided: list[dict[str, Any]] = []
    subscribe("merchants.application_decided", lambda **kw: decided.append(kw))
    app = onboarding.approve_application(
        actor=w["reviewer"],
        application_id=w["app"].pk,
        probation_days=90,
        conditions="Monthly sampling",
    )
    assert app.state == "approved"
    m = app.merchant
    m.refresh_from_db()
    assert m.standing == "active"
    # the business date (Asia/Shanghai), which is a day ahead of UTC from 16:00 UTC
    assert m.probation_until == business_today() + dt.timedelta(days=90)
    assert (m.deposit_amount, m.conditions, m.markets) == (
        Decimal("30000.00"),
        "Monthly sampling",
        ["CN"],
    )
    assert MerchantCategory.objects.get(merchant=m).status == "active"
    assert MerchantBrand.objects.get(merchant=m).brand_id == brand.pk
    assert {"application_id": app.pk, "merchant_id": m.pk, "state": "approved"} in decided
    assert AuditEvent.objects.filter(
        action="merchant.standing_change", object_id=str(m.pk)
    ).exists()


def test_approve_needs_verified_documents(world: dict[str, Any]) -> None:
    w = world
    _to_review(w, [w["tea"]])
    give_document(w["merchant"], "business_licence")
    give_document(w["merchant"], "food_business_licence", status="pending")
    with pytest.raises(Conflict) as exc:
        onboarding.approve_application(actor=w["reviewer"], application_id=w["app"].pk)
    assert exc.value.code == "documents_not_verified"
    assert exc.value.details["missing"] == [
        {"category": "tea", "market": "CN", "document_type": "food_business_licence"}
    ]
    w["app"].refresh_from_db()
    assert w["app"].state == "in_review"


def test_high_risk_needs_a_different_second_approver(world: dict[str, Any]) -> None:
    w = world
    _to_review(w, [w["baby"]])
    _docs(w, "business_licence", "food_production_licence_sc")
    app = onboarding.approve_application(actor=w["qm"], application_id=w["app"].pk)
    assert app.state == "awaiting_second_approval"
    assert app.merchant.standing == "pending"
    with pytest.raises(Conflict) as exc:
        onboarding.second_approve_application(actor=w["qm"], application_id=app.pk)
    assert exc.value.code == "same_approver"
    with pytest.raises(PermissionDenied):
        onboarding.second_approve_application(actor=w["reviewer2"], application_id=app.pk)
    app = onboarding.second_approve_application(actor=w["qm2"], application_id=app.pk)
    assert app.state == "approved"
    assert (app.first_decision_by_id, app.second_decision_by_id) == (w["qm"].pk, w["qm2"].pk)
    assert [h.action for h in app.history.all()] == [
        "submit",
        "start_review",
        "first_approve",
        "second_approve",
    ]


def test_two_reviewers_deciding_one_wins(world: dict[str, Any]) -> None:
    w = world
    app = _to_review(w, [w["tea"]])
    _docs(w, "business_licence", "food_business_licence")
    version = app.lock_version
    onboarding.approve_application(
        actor=w["reviewer"], application_id=app.pk, expected_version=version
    )
    with pytest.raises(Conflict) as exc:
        onboarding.reject_application(
            actor=w["reviewer2"],
            application_id=app.pk,
            reason_codes=["documents_invalid"],
            expected_version=version,
        )
    assert exc.value.code == "stale_application"
    with pytest.raises(IllegalTransition):
        onboarding.reject_application(
            actor=w["reviewer2"], application_id=app.pk, reason_codes=["documents_invalid"]
        )
    app.refresh_from_db()
    assert app.state == "approved"
    assert app.reason_codes == []
    assert app.history.filter(action="reject").count() == 0


def test_request_info_and_resubmit(world: dict[str, Any]) -> None:
    w = world
    _to_review(w, [w["tea"]])
    app = onboarding.request_info(
        actor=w["reviewer"],
        application_id=w["app"].pk,
        reason_codes=["documents_missing"],
        text="Upload the food business licence.",
    )
    assert app.state == "info_requested"
    assert app.info_response_due_at is not None
    assert (app.info_response_due_at - app.info_requested_at).days >= 15
    app = onboarding.resubmit_application(
        actor=w["owner"], application_id=app.pk, response="Uploaded."
    )
    assert app.state == "submitted"
    assert app.history.last().action == "resubmit"


def test_expire_withdraws_unanswered(world: dict[str, Any]) -> None:
    w = world
    _to_review(w, [w["tea"]])
    onboarding.request_info(
        actor=w["reviewer"],
        application_id=w["app"].pk,
        reason_codes=["other"],
        text="Explain the scope.",
    )
    app = onboarding.expire_application(application_id=w["app"].pk)
    assert app is not None
    assert app.state == "withdrawn"
    last = app.history.last()
    assert (last.action, last.actor_id) == ("expire", None)
    again = onboarding.expire_application(application_id=w["app"].pk)
    assert again is not None
    assert again.history.count() == last.application.history.count()


def test_reject_with_codes(world: dict[str, Any]) -> None:
    w = world
    _to_review(w, [w["tea"]])
    with pytest.raises(ValidationFailed) as exc:
        onboarding.reject_application(
            actor=w["reviewer"], application_id=w["app"].pk, reason_codes=["bogus"]
        )
    assert exc.value.code == "unknown_reason_code"
    app = onboarding.reject_application(
        actor=w["reviewer"],
        application_id=w["app"].pk,
        reason_codes=["false_information"],
        text="Forged licence",
    )
    assert (app.state, app.reason_codes, app.decision_text) == (
        "rejected",
        ["false_information"],
        "Forged licence",
    )
    app.merchant.refresh_from_db()
    assert app.merchant.standing == "pending"


def test_one_open_application_per_merchant(world: dict[str, Any]) -> None:
    with pytest.raises(Conflict) as exc:
        onboarding.create_application(actor=world["owner"], merchant_id=world["merchant"].pk)
    assert exc.value.code == "application_open_exists"


def test_other_merchant_cannot_touch_application(world: dict[str, Any]) -> None:
    _, _, other_owner = make_merchant("Other")
    with pytest.raises(NotFound):
        onboarding.submit_application(actor=other_owner, application_id=world["app"].pk)
    with pytest.raises(PermissionDenied):
        onboarding.start_review(actor=world["owner"], application_id=world["app"].pk)


def test_eu_approval_needs_verified_trader_info(world: dict[str, Any]) -> None:
    w = world
    onboarding.update_application(
        actor=w["owner"], application_id=w["app"].pk, markets=["CN", "EU"]
    )
    identity = give_document(w["merchant"], "identity_document")
    save_trader_info(
        actor=w["owner"],
        merchant_id=w["merchant"].pk,
        name="Tea House EU",
        address="Hauptstr. 1, Berlin",
        phone="+49 30 123456",
        email="eu@tea.example",
        identity_document_id=identity.pk,
        payment_account_iban="DE89 3704 0044 0532 0130 00",
        trade_register_name="AG Berlin",
        trade_register_number="HRB 12345",
        self_certified=True,
    )
    _to_review(w, [w["tea"]])
    _docs(
        w,
        "business_licence",
        "food_business_licence",
        "eu_trade_register_extract",
    )
    with pytest.raises(Conflict) as exc:
        onboarding.approve_application(actor=w["reviewer"], application_id=w["app"].pk)
    assert exc.value.code == "trader_info_not_verified"
    verify_trader_info(actor=w["reviewer"], merchant_id=w["merchant"].pk, verified=True)
    app = onboarding.approve_application(actor=w["reviewer"], application_id=w["app"].pk)
    assert app.state == "approved"
    app.merchant.refresh_from_db()
    assert app.merchant.markets == ["CN", "EU"]


def test_missing_deadlines_of_open_applications_are_scheduled_once(
    world: dict[str, Any],
) -> None:
    from qms.shared.models import Deadline

    w = world
    app = _to_review(w, [w["tea"]])
    Deadline.objects.all().delete()  # as if imported or generated without the services
    assert onboarding.ensure_application_deadlines() == 1
    row = Deadline.objects.get()
    assert (row.key, row.kind) == (onboarding.review_deadline_key(app.pk), "merchants.review_sla")
    assert onboarding.ensure_application_deadlines() == 0
    onboarding.request_info(
        actor=w["reviewer"],
        application_id=app.pk,
        reason_codes=["documents_missing"],
        text="Upload the food business licence.",
    )
    Deadline.objects.filter(kind="merchants.info_response").delete()
    assert onboarding.ensure_application_deadlines() == 1
    assert Deadline.objects.filter(key=onboarding.info_deadline_key(app.pk)).exists()
