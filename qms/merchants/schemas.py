"""API schemas of the merchants context (``XIn`` / ``XOut``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from .domain.onboarding import allowed_actions


class MerchantOut(Schema):
    id: int
    code: str
    organisation_id: int
    legal_name: str
    legal_name_en: str
    country: str
    registration_scheme: str
    registration_number: str
    legal_representative: str
    registered_address: str
    business_scope: str
    established_on: dt.date | None
    standing: str
    markets: list[str]
    risk_level: str
    probation_until: dt.date | None
    conditions: str
    deposit_amount: Decimal
    deposit_currency: str
    created_at: dt.datetime


class MerchantUpdateIn(Schema):
    legal_name: str | None = None
    legal_name_en: str | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    registration_scheme: str | None = None
    registration_number: str | None = None
    legal_representative: str | None = None
    registered_address: str | None = None
    business_scope: str | None = None
    established_on: dt.date | None = None


class MerchantShopIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    slug: str = Field("", max_length=80)
    markets: list[str] = Field(default_factory=list)
    url: str = Field("", max_length=200)


class MerchantShopUpdateIn(Schema):
    name: str | None = None
    markets: list[str] | None = None
    url: str | None = None


class MerchantShopOut(Schema):
    id: int
    merchant_id: int
    name: str
    slug: str
    markets: list[str]
    url: str
    created_at: dt.datetime


class MerchantContactIn(Schema):
    name: str = Field(..., max_length=100)
    phone: str = Field(..., max_length=40)
    email: str = Field(..., max_length=254)


class MerchantContactOut(Schema):
    id: int
    kind: str
    name: str
    phone: str
    email: str
    validated: bool
    validated_at: dt.datetime | None


class MerchantSupplierIn(Schema):
    name: str = Field(..., max_length=200)
    kind: str
    relation: str
    since: dt.date
    country: str = Field("CN", min_length=2, max_length=2)
    registration_number: str = ""
    address: str = ""
    certifications: str = ""


class MerchantSupplierEndIn(Schema):
    until: dt.date


class MerchantSupplierOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    registration_number: str
    address: str
    certifications: str


class MerchantSupplierLinkOut(Schema):
    id: int
    merchant_id: int
    relation: str
    since: dt.date
    until: dt.date | None
    supplier: MerchantSupplierOut


class TraderInfoIn(Schema):
    name: str = Field(..., max_length=200)
    address: str = Field(..., max_length=300)
    phone: str = Field(..., max_length=40)
    email: str = Field(..., max_length=254)
    identity_document_id: int | None = None
    payment_account_holder: str = ""
    payment_account_iban: str = ""
    trade_register_name: str = ""
    trade_register_number: str = ""
    self_certified: bool = False


class TraderInfoOut(Schema):
    merchant_id: int
    name: str
    address: str
    phone: str
    email: str
    identity_document_id: int | None
    payment_account_holder: str
    payment_account_iban: str
    trade_register_name: str
    trade_register_number: str
    self_certified: bool
    self_certified_at: dt.datetime | None
    self_certification_text_hash: str
    verification_status: str
    verification_reasons: list[str]
    verified_by_id: int | None
    verified_at: dt.datetime | None
    updated_at: dt.datetime


class TraderVerifyIn(Schema):
    verified: bool
    reasons: list[str] = Field(default_factory=list)


class ApplicationCreateIn(Schema):
    merchant_id: int
    markets: list[str] = Field(default_factory=lambda: ["CN"])
    category_ids: list[int] = Field(default_factory=list)
    brand_ids: list[int] = Field(default_factory=list)


class ApplicationUpdateIn(Schema):
    markets: list[str] | None = None
    category_ids: list[int] | None = None
    brand_ids: list[int] | None = None
    lock_version: int | None = None


class ApplicationVersionIn(Schema):
    lock_version: int | None = None


class ApplicationResubmitIn(ApplicationVersionIn):
    response: str = ""


class ApplicationRequestInfoIn(ApplicationVersionIn):
    reason_codes: list[str]
    text: str = Field(..., max_length=5000)


class ApplicationApproveIn(ApplicationVersionIn):
    probation_days: int | None = Field(None, ge=0, le=365)
    conditions: str = Field("", max_length=5000)
    reason: str = ""


class ApplicationSecondApproveIn(ApplicationVersionIn):
    reason: str = ""


class ApplicationRejectIn(ApplicationVersionIn):
    reason_codes: list[str]
    text: str = Field("", max_length=5000)


class ApplicationWithdrawIn(ApplicationVersionIn):
    reason: str = ""


class ApplicationOut(Schema):
    id: int
    merchant_id: int
    state: str
    markets: list[str]
    category_ids: list[int]
    brand_ids: list[int]
    submitted_at: dt.datetime | None
    risk_level: str
    requires_second_approval: bool
    reviewer_id: int | None
    first_decision_by_id: int | None
    first_decision_at: dt.datetime | None
    second_decision_by_id: int | None
    second_decision_at: dt.datetime | None
    reason_codes: list[str]
    decision_text: str
    probation_days: int | None
    conditions: str
    deposit_amount: Decimal
    deposit_currency: str
    info_request: str
    info_response_due_at: dt.datetime | None
    decided_at: dt.datetime | None
    lock_version: int
    allowed_actions: list[str]
    created_at: dt.datetime

    @staticmethod
    def resolve_category_ids(obj: Any) -> list[int]:
        return sorted(r.category_id for r in obj.category_rows.all())

    @staticmethod
    def resolve_brand_ids(obj: Any) -> list[int]:
        return sorted(b.pk for b in obj.brands.all())

    @staticmethod
    def resolve_allowed_actions(obj: Any) -> list[str]:
        return [a.value for a in allowed_actions(obj.state)]


class ApplicationStatusChangeOut(Schema):
    id: int
    from_state: str
    to_state: str
    action: str
    actor_id: int | None
    at: dt.datetime
    reason: str
    reason_codes: list[str]


class ApplicationChecklistItemOut(Schema):
    category_code: str
    market: str
    document_type: str
    verified: bool


class DecisionReasonCodeOut(Schema):
    code: str
    en: str
    zh: str
    uses: list[str]


class MerchantRegistrationIn(Schema):
    legal_name: str = Field(..., min_length=2, max_length=200)
    registration_number: str = Field(..., min_length=1, max_length=64)
    market: str = Field("CN", pattern="^(CN|EU)$")
    country: str = Field("CN", min_length=2, max_length=2)
    username: str = Field(..., min_length=3, max_length=150)
    email: str = Field(..., min_length=3, max_length=254)
    password: str = Field(..., min_length=10, max_length=200)
    display_name: str = Field("", max_length=150)
    preferred_language: str = Field("zh-hans", pattern="^(zh-hans|en)$")


class MerchantRegistrationOut(Schema):
    merchant_id: int
    organisation_id: int
    application_id: int
    username: str
