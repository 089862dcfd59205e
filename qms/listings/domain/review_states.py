"""Listing version review: states, the transition table, reason taxonomy and risk. Pure Python.

A version is ``submitted`` while the rules run, then ``auto_approved``, ``rejected`` or
``in_review``. A reviewer approves or rejects it (high risk needs a second, different
reviewer); a sampled auto-approval can be revoked and any live version taken down by the
platform (``reject``); a rejected version can be
appealed once (back to ``in_review``, decided by a reviewer who did not reject it). Any version
not yet decided, or live, can be ``withdrawn`` (superseded by a newer version, pulled by the
merchant, or withdrawn after a re-scan deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from qms.shared.errors import IllegalTransition


class VersionState(StrEnum):
    SUBMITTED = "submitted"
    AUTO_APPROVED = "auto_approved"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    AUTO_APPROVE = "auto_approve"
    AUTO_REJECT = "auto_reject"
    QUEUE = "queue"
    APPROVE = "approve"
    REJECT = "reject"
    APPEAL = "appeal"
    WITHDRAW = "withdraw"


S, A = VersionState, Action

TRANSITIONS: dict[tuple[VersionState, Action], VersionState] = {
    (S.SUBMITTED, A.AUTO_APPROVE): S.AUTO_APPROVED,
    (S.SUBMITTED, A.AUTO_REJECT): S.REJECTED,
    (S.SUBMITTED, A.QUEUE): S.IN_REVIEW,
    (S.IN_REVIEW, A.APPROVE): S.APPROVED,
    (S.IN_REVIEW, A.REJECT): S.REJECTED,
    (S.AUTO_APPROVED, A.REJECT): S.REJECTED,  # a sampled auto-approval revoked, or taken down
    (S.APPROVED, A.REJECT): S.REJECTED,  # a live version taken down by the platform
    (S.REJECTED, A.APPEAL): S.IN_REVIEW,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.IN_REVIEW, A.WITHDRAW): S.WITHDRAWN,
    (S.AUTO_APPROVED, A.WITHDRAW): S.WITHDRAWN,
    (S.APPROVED, A.WITHDRAW): S.WITHDRAWN,
}

PENDING_STATES = frozenset({S.SUBMITTED, S.IN_REVIEW})
LIVE_STATES = frozenset({S.AUTO_APPROVED, S.APPROVED})


def next_state(state: str, action: str) -> VersionState:
    """The state after ``action``; ``IllegalTransition`` when the table has no such move."""
    try:
        return TRANSITIONS[(VersionState(state), Action(action))]
    except (KeyError, ValueError):
        raise IllegalTransition(state=str(state), action=str(action)) from None


def allowed_actions(state: str) -> list[Action]:
    return [a for (s, a) in TRANSITIONS if s == state]


class ListingState(StrEnum):
    PENDING = "pending"  # no version approved yet
    LIVE = "live"
    WITHDRAWN = "withdrawn"


class TaskKind(StrEnum):
    FIRST = "first"  # the first human review of a queued version (or one under a review hold)
    SECOND = "second"  # high risk: a second reviewer confirms an approval
    SAMPLE = "sample"  # quality sample of an auto-approval
    APPEAL = "appeal"  # the merchant appealed a rejection


class TaskState(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    DONE = "done"
    CANCELLED = "cancelled"


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


# --- decision reasons: the taxonomy reviewers pick from --------------------------------------


@dataclass(frozen=True)
class Reason:
    code: str
    decision: Decision
    en: str
    zh: str


REASONS: tuple[Reason, ...] = (
    Reason("compliant", Decision.APPROVE, "Compliant", "合规"),
    Reason("false_positive", Decision.APPROVE, "Rule hit is a false positive", "规则误报"),
    Reason(
        "allowed_context", Decision.APPROVE, "Term used in an allowed context", "用语在允许语境中"
    ),
    Reason(
        "banned_claim", Decision.REJECT, "Banned or absolute advertising claim", "违禁或绝对化用语"
    ),
    Reason(
        "medical_claim",
        Decision.REJECT,
        "Medical or health claim not allowed",
        "违规医疗或保健功效宣传",
    ),
    Reason(
        "missing_information",
        Decision.REJECT,
        "Required product information missing",
        "缺少必需的商品信息",
    ),
    Reason(
        "malformed_information",
        Decision.REJECT,
        "Product information malformed",
        "商品信息格式错误",
    ),
    Reason(
        "missing_certificate",
        Decision.REJECT,
        "Required certificate or licence missing",
        "缺少必需的证照",
    ),
    Reason(
        "brand_unauthorised",
        Decision.REJECT,
        "Brand not authorised for this merchant",
        "未获品牌授权",
    ),
    Reason("prohibited_item", Decision.REJECT, "Prohibited or restricted item", "禁售或限售商品"),
    Reason(
        "counterfeit_risk",
        Decision.REJECT,
        "Counterfeit risk (price or images)",
        "疑似假冒（价格或图片）",
    ),
    Reason("duplicate_listing", Decision.REJECT, "Duplicate of another listing", "重复铺货"),
    Reason(
        "misleading",
        Decision.REJECT,
        "Misleading title, description or images",
        "标题、描述或图片误导",
    ),
    Reason("other", Decision.REJECT, "Other (see note)", "其他（见备注）"),
)
REASONS_BY_CODE: dict[str, Reason] = {r.code: r for r in REASONS}


def check_reasons(decision: str, codes: list[str]) -> list[str]:
    """The reason codes, deduplicated, if every one exists and fits ``decision``; else the
    offending codes raise ``ValueError``. A rejection needs at least one reason."""
    unique = list(dict.fromkeys(codes))
    bad = [c for c in unique if c not in REASONS_BY_CODE or REASONS_BY_CODE[c].decision != decision]
    if bad:
        raise ValueError(bad)
    if decision == Decision.REJECT and not unique:
        raise ValueError(["reason_required"])
    return unique


# --- risk score ----------------------------------------------------------------------------

CATEGORY_RISK_POINTS = {"low": 10, "medium": 25, "high": 40}
HIT_POINTS = 12  # per review-worthy hit, up to HIT_POINTS_MAX
HIT_POINTS_MAX = 36
REJECTION_POINTS = 4  # per rejected version of the merchant in the look-back window
REJECTION_POINTS_MAX = 20
NEW_MERCHANT_POINTS = 10  # the merchant has no live listing yet
SECOND_REVIEW_AT = 60  # a risk score at or above this needs a second reviewer
SAMPLE_RATE = 0.05  # share of auto-approvals drawn for a quality re-review


@dataclass(frozen=True)
class RiskFactors:
    category_risk: str
    hit_count: int
    recent_rejections: int
    has_live_listing: bool
    grade_points: int = 0  # from the merchant grade, when analytics provides one


def risk_score(f: RiskFactors) -> int:
    """0-100: category risk, hits, the merchant's recent rejections, being new, grade."""
    score = CATEGORY_RISK_POINTS.get(f.category_risk, CATEGORY_RISK_POINTS["medium"])
    score += min(f.hit_count * HIT_POINTS, HIT_POINTS_MAX)
    score += min(f.recent_rejections * REJECTION_POINTS, REJECTION_POINTS_MAX)
    if not f.has_live_listing:
        score += NEW_MERCHANT_POINTS
    score += f.grade_points
    return max(0, min(100, score))


def needs_second_review(score: int) -> bool:
    return score >= SECOND_REVIEW_AT


def is_sampled(draw: float, rate: float = SAMPLE_RATE) -> bool:
    """Whether an auto-approval with the random ``draw`` in [0, 1) is re-reviewed."""
    return draw < rate


VERDICT_ORDER = {"approve": 0, "review": 1, "reject": 2}


def worst_verdict(*verdicts: str) -> str:
    """The strictest of the verdicts (reject > review > approve)."""
    return max(verdicts, key=lambda v: VERDICT_ORDER[v], default="approve")
