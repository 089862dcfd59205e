"""Merchant standing: the states, the transition table, the reason codes, and the selling rule.

Pure Python (no Django). A merchant is ``pending`` while it applies, ``active`` once approved,
``restricted`` while at least one restriction is in force (merchant-wide, or on some of its
categories), ``suspended`` by a staff decision (nothing may be sold), and ``terminated`` for good.

Restrictions are facts kept in their own rows; the standing follows them: restricting an active
merchant makes it ``restricted``, lifting the last restriction makes it ``active`` again. While
suspended, restrictions still accumulate; reinstating goes to ``restricted`` if any remain.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from qms.shared.errors import IllegalTransition


class Standing(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    RESTRICTED = "restricted"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class StandingAction(StrEnum):
    ACTIVATE = "activate"
    RESTRICT = "restrict"
    LIFT = "lift"  # the last restriction was lifted
    SUSPEND = "suspend"
    REINSTATE = "reinstate"  # back from suspension, no restriction left
    REINSTATE_RESTRICTED = "reinstate_restricted"  # back from suspension, restrictions remain
    TERMINATE = "terminate"


S, A = Standing, StandingAction

TRANSITIONS: dict[tuple[Standing, StandingAction], Standing] = {
    (S.PENDING, A.ACTIVATE): S.ACTIVE,
    (S.PENDING, A.TERMINATE): S.TERMINATED,
    (S.ACTIVE, A.RESTRICT): S.RESTRICTED,
    (S.RESTRICTED, A.RESTRICT): S.RESTRICTED,
    (S.RESTRICTED, A.LIFT): S.ACTIVE,
    (S.ACTIVE, A.SUSPEND): S.SUSPENDED,
    (S.RESTRICTED, A.SUSPEND): S.SUSPENDED,
    (S.SUSPENDED, A.RESTRICT): S.SUSPENDED,
    (S.SUSPENDED, A.REINSTATE): S.ACTIVE,
    (S.SUSPENDED, A.REINSTATE_RESTRICTED): S.RESTRICTED,
    (S.ACTIVE, A.TERMINATE): S.TERMINATED,
    (S.RESTRICTED, A.TERMINATE): S.TERMINATED,
    (S.SUSPENDED, A.TERMINATE): S.TERMINATED,
}

# States in which a merchant trades with the platform (asked to re-sign, re-verified).
LIVE_STANDINGS: frozenset[Standing] = frozenset({S.ACTIVE, S.RESTRICTED, S.SUSPENDED})
# States in which restrictions may still be recorded against the merchant.
RESTRICTABLE: frozenset[Standing] = frozenset({S.ACTIVE, S.RESTRICTED, S.SUSPENDED})


def next_standing(state: Standing | str, action: StandingAction | str) -> Standing:
    """The standing after ``action``; ``IllegalTransition`` if the table has no such move."""
    try:
        return TRANSITIONS[(Standing(state), StandingAction(action))]
    except (KeyError, ValueError):
        raise IllegalTransition(state=str(state), action=str(action)) from None


def allowed_actions(state: Standing | str) -> list[StandingAction]:
    st = Standing(state)
    return [a for (s, a) in TRANSITIONS if s is st]


def reinstate_action(*, restrictions_in_force: bool) -> StandingAction:
    return A.REINSTATE_RESTRICTED if restrictions_in_force else A.REINSTATE


def target_action(
    state: Standing | str, target: Standing | str, *, restrictions_in_force: bool
) -> StandingAction:
    """The action that moves ``state`` to ``target`` (for a generic "change standing" form)."""
    st, to = Standing(state), Standing(target)
    if st is S.SUSPENDED and to in (S.ACTIVE, S.RESTRICTED):
        # reinstating lands where the restrictions in force put it
        return reinstate_action(restrictions_in_force=restrictions_in_force)
    else:
        action = {
            S.ACTIVE: A.ACTIVATE if st is S.PENDING else A.LIFT,
            S.RESTRICTED: A.RESTRICT,
            S.SUSPENDED: A.SUSPEND,
            S.TERMINATED: A.TERMINATE,
        }.get(to, A.ACTIVATE)
    if next_standing(st, action) is not to:
        raise IllegalTransition(
            state=st.value,
            action=action.value,
            message=f"Cannot move from {st.value} to {to.value}.",
        )
    return action


class Reason(StrEnum):
    """Why the standing or a category changed. Stable codes, shown translated to people."""

    AGREEMENT_NOT_SIGNED = "agreement_not_signed"
    AGREEMENT_SIGNED = "agreement_signed"
    DOCUMENT_EXPIRED = "document_expired"
    DOCUMENTS_VALID = "documents_valid"
    REVERIFICATION_FAILED = "reverification_failed"
    REVERIFICATION_PASSED = "reverification_passed"
    QUALITY_VIOLATION = "quality_violation"
    COUNTERFEIT = "counterfeit"
    FALSE_INFORMATION = "false_information"
    RECTIFICATION_OVERDUE = "rectification_overdue"
    RECTIFIED = "rectified"
    APPEAL_UPHELD = "appeal_upheld"
    MERCHANT_REQUEST = "merchant_request"
    APPLICATION_APPROVED = "application_approved"
    OTHER = "other"


REASON_LABELS: dict[Reason, tuple[str, str]] = {
    Reason.AGREEMENT_NOT_SIGNED: (
        "The quality agreement in force was not signed by its deadline",
        "未在期限内签署现行质量协议",
    ),
    Reason.AGREEMENT_SIGNED: ("The quality agreement in force was signed", "已签署现行质量协议"),
    Reason.DOCUMENT_EXPIRED: ("A required qualification document expired", "必需的资质文件已过期"),
    Reason.DOCUMENTS_VALID: ("All required documents are valid again", "所需资质文件均已恢复有效"),
    Reason.REVERIFICATION_FAILED: ("Periodic re-verification failed", "定期复核未通过"),
    Reason.REVERIFICATION_PASSED: ("Periodic re-verification passed", "定期复核已通过"),
    Reason.QUALITY_VIOLATION: ("Quality violation", "质量违规"),
    Reason.COUNTERFEIT: ("Counterfeit or infringing goods", "销售假冒或侵权商品"),
    Reason.FALSE_INFORMATION: ("False or forged information", "提供虚假或伪造信息"),
    Reason.RECTIFICATION_OVERDUE: ("Rectification not completed by its deadline", "未按期完成整改"),
    Reason.RECTIFIED: ("The problem was rectified", "问题已整改"),
    Reason.APPEAL_UPHELD: ("The merchant's appeal was upheld", "商家申诉成立"),
    Reason.MERCHANT_REQUEST: ("At the merchant's request", "应商家申请"),
    Reason.APPLICATION_APPROVED: ("Onboarding application approved", "入驻申请已通过"),
    Reason.OTHER: ("Other (see the text)", "其他（见说明）"),
}

STANDING_LABELS: dict[Standing, tuple[str, str]] = {
    S.PENDING: ("pending", "待审核"),
    S.ACTIVE: ("active", "正常经营"),
    S.RESTRICTED: ("restricted", "受限经营"),
    S.SUSPENDED: ("suspended", "暂停经营"),
    S.TERMINATED: ("terminated", "已清退"),
}


def reason_label(code: str, lang: str = "en") -> str:
    try:
        en, zh = REASON_LABELS[Reason(code)]
    except ValueError:
        return code
    return zh if lang.startswith("zh") else en


# Reasons a person must explain in words (the system's own reasons carry evidence instead).
REASONS_NEEDING_TEXT: frozenset[Reason] = frozenset(
    {
        Reason.QUALITY_VIOLATION,
        Reason.COUNTERFEIT,
        Reason.FALSE_INFORMATION,
        Reason.REVERIFICATION_FAILED,
        Reason.OTHER,
    }
)
# Restrictions the system places itself and lifts itself when the cause is gone.
AUTOMATIC_RESTRICTIONS: frozenset[Reason] = frozenset(
    {
        Reason.AGREEMENT_NOT_SIGNED,
        Reason.DOCUMENT_EXPIRED,
    }
)


def parse_reason(code: str) -> Reason:
    try:
        return Reason(code)
    except ValueError:
        raise ValueError(f"Unknown reason code {code!r}.") from None


def reason_text_required(*, reason: Reason, action: StandingAction) -> bool:
    """Suspending and terminating always need words; so do the judgement-based reasons."""
    return action in (A.SUSPEND, A.TERMINATE) or reason in REASONS_NEEDING_TEXT


# Periodic re-verification (PRC E-Commerce Law Art. 27): at least every six months.
REVERIFY_EVERY_MONTHS = 6
REVERIFY_WARNING_DAYS = 14


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class SellingFacts:
    """What decides whether a merchant may sell, gathered by the selector."""

    standing: Standing
    merchant_wide_restrictions: tuple[str, ...]  # reason codes in force on the whole merchant
    restricted_category_ids: frozenset[int]
    active_category_ids: frozenset[int]
    unsigned_agreements: tuple[str, ...]  # codes of current agreements neither signed nor in grace


def selling_verdict(
    facts: SellingFacts, *, category_id: int | None = None
) -> tuple[bool, list[str]]:
    """(may sell, reason codes why not). With ``category_id``, for that category only."""
    reasons: list[str] = []
    if facts.standing in (S.PENDING, S.SUSPENDED, S.TERMINATED):
        reasons.append(f"standing_{facts.standing.value}")
    reasons.extend(_dedupe(f"restricted_{code}" for code in facts.merchant_wide_restrictions))
    if category_id is not None:
        if category_id in facts.restricted_category_ids:
            reasons.append("category_restricted")
        elif category_id not in facts.active_category_ids:
            reasons.append("category_not_approved")
    elif not facts.active_category_ids:
        reasons.append("no_active_category")
    if facts.unsigned_agreements:
        reasons.append("agreement_not_signed")
    return (not reasons, reasons)


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
