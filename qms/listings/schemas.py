"""API schemas of the listings context."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

MAX_ID = 2**63 - 1


class ListingHitOut(Schema):
    rule: str
    kind: str
    field: str
    start: int
    end: int
    text: str
    market: str = ""
    severity: str = ""
    basis: str = ""
    message_en: str = ""
    message_zh: str = ""


class ListingVersionOut(Schema):
    id: int
    listing_id: int
    number: int
    title: str
    description: str
    attributes: dict[str, Any]
    images: list[dict[str, Any]]
    price: Decimal | None
    currency: str
    state: str
    verdict: str
    hits: list[ListingHitOut]
    risk_score: int
    reason_codes: list[str]
    decision_note: str
    checked_at: dt.datetime | None
    decided_at: dt.datetime | None
    created_at: dt.datetime


class ListingOut(Schema):
    id: int
    merchant_org_id: int
    external_id: str
    category: str = Field(..., alias="category.code")
    brand_id: int | None
    product_id: int | None
    sku_id: int | None
    markets: list[str]
    gtin: str
    state: str
    review_hold: str = Field("", description="Set after a takedown: new versions go to a reviewer")
    live_version_id: int | None
    latest_version_id: int | None
    latest_version: ListingVersionOut | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ListingIn(Schema):
    merchant_org_id: int | None = Field(None, ge=1, le=MAX_ID)
    external_id: str = Field("", max_length=100)
    category: str = Field(..., max_length=120, description="Category code, e.g. food/tea")
    brand_id: int | None = Field(None, ge=1, le=MAX_ID)
    product_id: int | None = Field(None, ge=1, le=MAX_ID)
    sku_id: int | None = Field(None, ge=1, le=MAX_ID)
    markets: list[str] = Field(..., description="CN and/or EU")
    gtin: str = Field("", max_length=20)
    title: str = Field(..., max_length=300)
    description: str = Field("", max_length=20000)
    attributes: dict[str, str] = {}
    image_ids: list[int] = []
    price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3)


class ListingVersionIn(Schema):
    """A new version (an edit). Listing fields left out keep their value."""

    title: str = Field(..., max_length=300)
    description: str = Field("", max_length=20000)
    attributes: dict[str, str] = {}
    image_ids: list[int] = []
    price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3)
    category: str | None = Field(None, max_length=120)
    brand_id: int | None = Field(None, ge=1, le=MAX_ID)
    markets: list[str] | None = None
    gtin: str | None = Field(None, max_length=20)


class ListingWithdrawIn(Schema):
    reason: str = Field("", max_length=500)


class ListingTakeDownIn(Schema):
    reason_codes: list[str] = Field(..., min_length=1, max_length=10)
    note: str = Field(..., max_length=4000, description="What was found; the merchant reads it")
    evidence: str = Field("", max_length=500, description="A reference: report number, link")


class ListingImageOut(Schema):
    id: int
    sha256: str
    phash: str
    mime: str
    size: int
    width: int
    height: int
    original_name: str
    created_at: dt.datetime


class ListingBulkOut(Schema):
    rows: int
    created: list[int]
    updated: list[int]
    verdicts: dict[str, int]


class ReviewTaskOut(Schema):
    id: int
    version_id: int
    listing_id: int = Field(..., alias="version.listing_id")
    merchant_org_id: int
    kind: str
    state: str
    risk_score: int
    claimed_by_id: int | None
    claimed_at: dt.datetime | None
    decision: str
    reason_codes: list[str]
    note: str
    decided_at: dt.datetime | None
    created_at: dt.datetime
    due_at: dt.datetime | None = Field(None, description="review SLA: one CN working day")


class ListingDecideIn(Schema):
    decision: str = Field(..., description="approve or reject")
    reason_codes: list[str] = Field(default_factory=list)
    note: str = Field("", max_length=4000)


class ListingReasonOut(Schema):
    code: str
    decision: str
    en: str
    zh: str


class ListingAppealIn(Schema):
    reason: str = Field(..., max_length=4000)


class ListingAppealOut(Schema):
    id: int
    version_id: int
    merchant_org_id: int
    reason: str
    state: str
    task_id: int | None
    created_at: dt.datetime
    decided_at: dt.datetime | None


class ListingRescanIn(Schema):
    reason: str = Field(..., max_length=300)
    grace_days: int = Field(7, ge=1, le=90)


class ListingRescanOut(Schema):
    id: int
    state: str
    reason: str
    grace_days: int
    total: int
    processed: int
    flagged: int
    percent: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class RescanFindingOut(Schema):
    id: int
    job_id: int
    listing_id: int
    version_id: int
    merchant_org_id: int
    hits: list[ListingHitOut]
    due_at: dt.datetime
    state: str
    closed_at: dt.datetime | None


class ListingRuleChangeOut(Schema):
    id: str
    version: int
    title: str
    legal_basis: str
    severity: str
    effective_from: dt.date
    announced_on: dt.date | None
    markets: list[str]
    categories: list[str]


class RuleAnnounceIn(Schema):
    within_days: int = Field(60, ge=1, le=365)


class RuleAnnounceOut(Schema):
    dates: list[str]
    rules: int
    notices: int


# --- the rule book ----------------------------------------------------------------------------


class ListingRuleOut(Schema):
    id: str
    version: int
    title: str
    title_zh: str = Field("", description="Chinese title where the rule has one (terms)")
    type: str
    kind: str
    term: str
    markets: list[str]
    categories: list[str]
    allow: list[str]
    severity: str
    legal_basis: str
    effective_from: dt.date
    announced_on: dt.date | None
    message_en: str
    message_zh: str
    source: str = Field(description="starting_set (shipped data files) or quality_team")
    status: str = Field(description="in_force, changing, upcoming or retired")
    next_change: dt.date | None = None
    reason: str = ""


class ListingRuleDetailOut(ListingRuleOut):
    history: list[ListingRuleOut]


class ListingRulePerformanceOut(Schema):
    rule_id: str
    title: str
    kind: str
    hits: int = Field(description="submitted versions the rule fired on")
    reviewed: int = Field(description="of those, versions a reviewer decided")
    overruled: int = Field(description="versions a reviewer approved although the rule fired")
    appeals_won: int = Field(description="rejections an appeal overturned")
    overrule_rate: float | None


class ListingRulePage(Schema):
    items: list[ListingRuleOut]
    count: int
    next_offset: int | None = None


class _RuleChangeCommon(Schema):
    effective_from: dt.date | None = Field(
        None, description="Default: the earliest allowed (7 days ahead; today when urgent)"
    )
    urgent: bool = Field(False, description="Skip the 7-day notice; needs a reason")
    reason: str = Field("", max_length=300)


class ListingTermRuleIn(_RuleChangeCommon):
    term: str = Field(..., min_length=1, max_length=50)
    kind: str = Field(..., description="absolute_claim, medical_claim, prohibited_item, ...")
    markets: list[str] = Field(..., min_length=1, max_length=5)
    severity: str = ""
    categories: list[str] = Field(default_factory=list, max_length=50)
    exempt_categories: list[str] | None = Field(None, max_length=50)
    allow: list[str] = Field(default_factory=list, max_length=100)
    legal_basis: str = Field("", max_length=300)
    message_en: str = Field("", max_length=2000)
    message_zh: str = Field("", max_length=2000)


class ListingRuleChangeIn(_RuleChangeCommon):
    severity: str | None = None
    markets: list[str] | None = Field(None, max_length=5)
    categories: list[str] | None = Field(None, max_length=50)
    allow: list[str] | None = Field(None, max_length=100)
    legal_basis: str | None = Field(None, max_length=300)
    message_en: str | None = Field(None, max_length=2000)
    message_zh: str | None = Field(None, max_length=2000)


class ListingRuleRetireIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)
    effective_from: dt.date | None = None
