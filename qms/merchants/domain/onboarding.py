"""The onboarding application: states, the transition table, risk and deposit rules.

Pure Python. Services look the move up here before they write anything; an illegal move
raises ``IllegalTransition`` and nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from qms.shared.errors import IllegalTransition


class AppState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    INFO_REQUESTED = "info_requested"
    AWAITING_SECOND_APPROVAL = "awaiting_second_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    REQUEST_INFO = "request_info"
    RESUBMIT = "resubmit"
    APPROVE = "approve"  # the only approval a low-risk application needs
    FIRST_APPROVE = "first_approve"  # high risk: passes to a second approver
    SECOND_APPROVE = "second_approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"  # the merchant gives up
    EXPIRE = "expire"  # no answer to an information request before the deadline


S, A = AppState, Action
TRANSITIONS: dict[tuple[AppState, Action], AppState] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.START_REVIEW): S.IN_REVIEW,
    (S.IN_REVIEW, A.REQUEST_INFO): S.INFO_REQUESTED,
    (S.INFO_REQUESTED, A.RESUBMIT): S.SUBMITTED,
    (S.IN_REVIEW, A.APPROVE): S.APPROVED,
    (S.IN_REVIEW, A.FIRST_APPROVE): S.AWAITING_SECOND_APPROVAL,
    (S.AWAITING_SECOND_APPROVAL, A.SECOND_APPROVE): S.APPROVED,
    (S.IN_REVIEW, A.REJECT): S.REJECTED,
    (S.AWAITING_SECOND_APPROVAL, A.REJECT): S.REJECTED,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.INFO_REQUESTED, A.WITHDRAW): S.WITHDRAWN,
    (S.INFO_REQUESTED, A.EXPIRE): S.WITHDRAWN,
}

OPEN_STATES = frozenset(
    {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.AWAITING_SECOND_APPROVAL}
)
FINAL_STATES = frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN})
# What the merchant may still edit: company data, categories, brands, markets.
EDITABLE_STATES = frozenset({S.DRAFT, S.INFO_REQUESTED})
# The step indicator on the portal: the path a successful application takes.
PROGRESS_STEPS: tuple[AppState, ...] = (S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.APPROVED)


def next_state(state: AppState | str, action: Action | str) -> AppState:
    try:
        return TRANSITIONS[(AppState(state), Action(action))]
    except (KeyError, ValueError):
        raise IllegalTransition(state=str(state), action=str(action)) from None


def allowed_actions(state: AppState | str) -> list[Action]:
    return [a for (s, a) in TRANSITIONS if s == AppState(state)]


def approval_action(*, requires_second_approval: bool) -> Action:
    return A.FIRST_APPROVE if requires_second_approval else A.APPROVE


def progress_index(state: AppState | str) -> int:
    """Which step of ``PROGRESS_STEPS`` the application has reached (info requested counts
    as under review; rejected and withdrawn stop where the review stopped)."""
    state = AppState(state)
    mapping = {
        S.DRAFT: 0,
        S.SUBMITTED: 1,
        S.IN_REVIEW: 2,
        S.INFO_REQUESTED: 2,
        S.AWAITING_SECOND_APPROVAL: 2,
        S.REJECTED: 2,
        S.WITHDRAWN: 1,
        S.APPROVED: 3,
    }
    return mapping[state]


RISK_ORDER = {"low": 0, "medium": 1, "high": 2}


def max_risk(levels: Iterable[str]) -> str:
    """The highest of the category risk levels (``low`` for none)."""
    best = "low"
    for level in levels:
        if RISK_ORDER[level] > RISK_ORDER[best]:
            best = level
    return best


def needs_second_approval(levels: Iterable[str]) -> bool:
    return any(level == "high" for level in levels)


def required_deposit(
    deposits: Iterable[tuple[Decimal, str]], *, default_currency: str = "CNY"
) -> tuple[Decimal, str]:
    """The deposit of the application: the highest category deposit (not the sum)."""
    best: tuple[Decimal, str] = (Decimal("0.00"), default_currency)
    for amount, currency in deposits:
        if amount > best[0]:
            best = (Decimal(amount), currency or default_currency)
    return best
