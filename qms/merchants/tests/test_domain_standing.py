"""The standing transition table, the selling verdict and the re-verification calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qms.merchants.domain.standing import (
    TRANSITIONS,
    Reason,
    SellingFacts,
    Standing,
    StandingAction,
    add_months,
    allowed_actions,
    next_standing,
    reason_label,
    reason_text_required,
    reinstate_action,
    selling_verdict,
    target_action,
)
from qms.shared.errors import IllegalTransition

S, A = Standing, StandingAction


def test_terminated_is_final():
    assert allowed_actions(S.TERMINATED) == []
    for action in A:
        with pytest.raises(IllegalTransition):
            next_standing(S.TERMINATED, action)


@given(st.sampled_from(list(S)), st.sampled_from(list(A)))
def test_every_move_is_in_the_table_or_refused(state, action):
    if (state, action) in TRANSITIONS:
        assert next_standing(state, action) is TRANSITIONS[(state, action)]
    else:
        with pytest.raises(IllegalTransition) as exc:
            next_standing(state, action)
        assert exc.value.code == "illegal_transition"
        assert exc.value.details == {"state": state.value, "action": action.value}


@given(st.sampled_from(list(S)), st.sampled_from(list(A)))
def test_nothing_goes_back_to_pending(state, action):
    if (state, action) in TRANSITIONS:
        assert TRANSITIONS[(state, action)] is not S.PENDING


def test_unknown_state_or_action_is_an_illegal_transition():
    with pytest.raises(IllegalTransition):
        next_standing("dormant", "restrict")
    with pytest.raises(IllegalTransition):
        next_standing("active", "fly")


def test_reinstating_keeps_restrictions_in_force():
    assert reinstate_action(restrictions_in_force=True) is A.REINSTATE_RESTRICTED
    assert next_standing(S.SUSPENDED, reinstate_action(restrictions_in_force=True)) is S.RESTRICTED
    assert next_standing(S.SUSPENDED, reinstate_action(restrictions_in_force=False)) is S.ACTIVE


def test_target_action_for_the_console_form():
    assert target_action(S.ACTIVE, S.SUSPENDED, restrictions_in_force=False) is A.SUSPEND
    assert target_action(S.RESTRICTED, S.ACTIVE, restrictions_in_force=True) is A.LIFT
    assert target_action(S.SUSPENDED, S.ACTIVE, restrictions_in_force=True) is (
        A.REINSTATE_RESTRICTED
    )
    assert target_action(S.ACTIVE, S.RESTRICTED, restrictions_in_force=False) is A.RESTRICT
    with pytest.raises(IllegalTransition):
        target_action(S.ACTIVE, S.ACTIVE, restrictions_in_force=False)
    with pytest.raises(IllegalTransition):
        target_action(S.TERMINATED, S.ACTIVE, restrictions_in_force=False)
    with pytest.raises(IllegalTransition):
        target_action(S.PENDING, S.SUSPENDED, restrictions_in_force=False)


def test_suspension_and_judgement_reasons_need_words():
    assert reason_text_required(reason=Reason.AGREEMENT_NOT_SIGNED, action=A.SUSPEND)
    assert reason_text_required(reason=Reason.QUALITY_VIOLATION, action=A.RESTRICT)
    assert not reason_text_required(reason=Reason.DOCUMENT_EXPIRED, action=A.RESTRICT)


def test_every_reason_has_both_labels():
    for reason in Reason:
        assert reason_label(reason.value, "en")
        assert reason_label(reason.value, "zh-hans")
    assert reason_label("document_expired", "zh-hans") == "必需的资质文件已过期"
    assert reason_label("no_such_code") == "no_such_code"


def _facts(**kw):
    base = dict(
        standing=S.ACTIVE,
        merchant_wide_restrictions=(),
        restricted_category_ids=frozenset(),
        active_category_ids=frozenset({1, 2}),
        unsigned_agreements=(),
    )
    base.update(kw)
    return SellingFacts(**base)


def test_active_signed_merchant_may_sell():
    assert selling_verdict(_facts()) == (True, [])
    assert selling_verdict(_facts(), category_id=1) == (True, [])


def test_restricted_for_some_categories_sells_in_the_others():
    facts = _facts(
        standing=S.RESTRICTED,
        restricted_category_ids=frozenset({1}),
        active_category_ids=frozenset({2}),
    )
    assert selling_verdict(facts) == (True, [])
    assert selling_verdict(facts, category_id=2) == (True, [])
    assert selling_verdict(facts, category_id=1) == (False, ["category_restricted"])
    assert selling_verdict(facts, category_id=3) == (False, ["category_not_approved"])


def test_merchant_wide_restriction_and_unsigned_agreement_block():
    facts = _facts(
        standing=S.RESTRICTED,
        merchant_wide_restrictions=("agreement_not_signed",),
        unsigned_agreements=("quality-agreement",),
    )
    assert selling_verdict(facts) == (
        False,
        ["restricted_agreement_not_signed", "agreement_not_signed"],
    )


@pytest.mark.parametrize("state", [S.PENDING, S.SUSPENDED, S.TERMINATED])
def test_standing_that_forbids_selling(state):
    assert selling_verdict(_facts(standing=state)) == (False, [f"standing_{state.value}"])


def test_no_active_category_means_nothing_to_sell():
    facts = _facts(active_category_ids=frozenset(), restricted_category_ids=frozenset({1}))
    assert selling_verdict(facts) == (False, ["no_active_category"])


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 25), 6) == dt.date(2027, 5, 25)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
    st.integers(min_value=0, max_value=48),
)
def test_add_months_never_exceeds_the_period(day, months):
    later = add_months(day, months)
    assert later >= day
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day <= day.day
