from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qms.merchants.domain.onboarding import (
    FINAL_STATES,
    OPEN_STATES,
    TRANSITIONS,
    Action,
    AppState,
    allowed_actions,
    approval_action,
    max_risk,
    needs_second_approval,
    next_state,
    progress_index,
    required_deposit,
)
from qms.merchants.domain.reasons import REASONS, check_reason_codes, reason_choices
from qms.merchants.domain.trader import TraderData, self_certification_hash, trader_problems
from qms.shared.errors import IllegalTransition, ValidationFailed


def test_happy_path() -> None:
    state = AppState.DRAFT
    for action in ("submit", "start_review", "request_info", "resubmit", "start_review", "approve"):
        state = next_state(state, action)
    assert state is AppState.APPROVED


def test_high_risk_path_goes_through_second_approval() -> None:
    state = next_state(AppState.IN_REVIEW, approval_action(requires_second_approval=True))
    assert state is AppState.AWAITING_SECOND_APPROVAL
    assert next_state(state, "second_approve") is AppState.APPROVED


@given(st.sampled_from(list(AppState)), st.sampled_from(list(Action)))
def test_next_state_is_the_table_or_illegal(state: AppState, action: Action) -> None:
    if (state, action) in TRANSITIONS:
        assert next_state(state, action) is TRANSITIONS[(state, action)]
    else:
        with pytest.raises(IllegalTransition) as exc:
            next_state(state, action)
        assert exc.value.code == "illegal_transition"
        assert exc.value.details == {"state": state.value, "action": action.value}


def test_final_states_have_no_way_out() -> None:
    for state in FINAL_STATES:
        assert allowed_actions(state) == []
    assert set(AppState) == OPEN_STATES | FINAL_STATES


def test_unknown_action_is_illegal() -> None:
    with pytest.raises(IllegalTransition):
        next_state("draft", "teleport")


def test_progress_index() -> None:
    assert [progress_index(s) for s in ("draft", "submitted", "in_review", "approved")] == [
        0,
        1,
        2,
        3,
    ]
    assert progress_index("info_requested") == 2


def test_risk_and_deposit() -> None:
    assert max_risk([]) == "low"
    assert max_risk(["low", "high", "medium"]) == "high"
    assert needs_second_approval(["low", "high"])
    assert not needs_second_approval(["medium"])
    amount = required_deposit([(Decimal("10000"), "CNY"), (Decimal("50000"), "CNY")])
    assert amount == (Decimal("50000"), "CNY")
    assert required_deposit([]) == (Decimal("0.00"), "CNY")


def test_reason_codes() -> None:
    assert check_reason_codes(["documents_missing", "documents_missing"], use="reject") == [
        "documents_missing"
    ]
    with pytest.raises(ValidationFailed) as exc:
        check_reason_codes([], use="reject")
    assert exc.value.code == "reason_required"
    with pytest.raises(ValidationFailed) as exc:
        check_reason_codes(["false_information"], use="request_info")
    assert exc.value.code == "unknown_reason_code"
    with pytest.raises(ValidationFailed) as exc:
        check_reason_codes(["other"], use="reject", text=" ")
    assert exc.value.code == "reason_text_required"
    assert {r.code for r in reason_choices("reject")} == set(REASONS)


def _trader(**kw: object) -> TraderData:
    base = dict(
        name="Acme GmbH",
        address="Hauptstr. 1, 10115 Berlin",
        phone="+49 30 1234567",
        email="eu@acme.example",
        identity_document_verified=True,
        payment_account_iban="DE89370400440532013000",
        trade_register_name="AG Berlin",
        trade_register_number="HRB 12345",
        self_certified=True,
    )
    base.update(kw)
    return TraderData(**base)  # type: ignore[arg-type]


def test_trader_checks() -> None:
    assert trader_problems(_trader()) == []
    assert trader_problems(_trader(payment_account_iban="DE89370400440532013001")) == [
        "iban_check_digits"
    ]
    problems = trader_problems(
        _trader(
            identity_document_verified=False,
            self_certified=False,
            email="nope",
            trade_register_number="",
        )
    )
    assert problems == [
        "trader_email_invalid",
        "identity_document_not_verified",
        "trade_register_missing",
        "self_certification_missing",
    ]
    assert len(self_certification_hash()) == 64
