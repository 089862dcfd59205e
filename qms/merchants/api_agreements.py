"""``/api/v1/merchants`` (second router): quality agreements, standing, re-verification.

Parse, call the service or selector, shape. Another merchant's objects are 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from qms.shared.pagination import Page, paginate
from qms.shared.requests import request_actor as _actor

from . import selectors_agreements as sel
from . import services_agreements as agreements
from . import services_reverification as reverification
from . import services_standing as standing
from .models import AgreementSignature, AgreementTemplate, Merchant

router = Router(tags=["merchants: agreements and standing"])


# --- schemas -------------------------------------------------------------------------------


class AgreementTemplateOut(Schema):
    id: int
    code: str
    version: int
    title: str
    title_zh: str
    status: str
    text_sha256: str
    change_summary: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    effective_at: dt.datetime | None
    resign_deadline: dt.date | None
    retired_at: dt.datetime | None


class AgreementTemplateDetailOut(AgreementTemplateOut):
    body_en: str
    body_zh: str


class AgreementTemplateIn(Schema):
    code: str = Field(max_length=50)
    title: str = Field(max_length=200)
    title_zh: str = Field(max_length=200)
    body_en: str
    body_zh: str
    change_summary: str = ""


class AgreementTemplatePatch(Schema):
    title: str | None = Field(None, max_length=200)
    title_zh: str | None = Field(None, max_length=200)
    body_en: str | None = None
    body_zh: str | None = None
    change_summary: str | None = None


class PublishIn(Schema):
    resign_days: int = agreements.DEFAULT_RESIGN_DAYS
    effective_at: dt.datetime | None = None


class SignIn(Schema):
    template_id: int
    text_sha256: str = Field(min_length=64, max_length=64)
    language: str = "zh-hans"


class SignatureOut(Schema):
    id: int
    merchant_id: int
    template_id: int
    signer_id: int
    signer_name: str
    signed_at: dt.datetime
    text_sha256: str
    language: str


class AgreementItemOut(Schema):
    template_id: int
    code: str
    version: int
    title: str
    title_zh: str
    text_sha256: str
    state: str
    satisfied: bool
    resign_deadline: dt.date | None
    signed_version: int | None
    signed_at: dt.datetime | None


class AgreementStatusOut(Schema):
    merchant_id: int
    ok: bool
    items: list[AgreementItemOut]


class CoverageMerchantOut(Schema):
    merchant_id: int
    legal_name: str
    standing: str
    signed_at: dt.datetime | None = None


class CoverageOut(Schema):
    template_id: int
    version: int
    percent: int
    signed: list[CoverageMerchantOut]
    unsigned: list[CoverageMerchantOut]


class RestrictionOut(Schema):
    id: int
    category_id: int | None
    reason_code: str
    document_type_code: str
    reason_text: str
    created_at: dt.datetime


class StandingOut(Schema):
    merchant_id: int
    standing: str
    standing_changed_at: dt.datetime | None
    restrictions: list[RestrictionOut]
    can_sell: bool
    why_not: list[str]


class StandingChangeIn(Schema):
    to: str
    reason_code: str
    reason_text: str = ""
    evidence: dict[str, Any] = Field(default_factory=dict)


class CategoryRestrictIn(Schema):
    reason_code: str
    reason_text: str = ""
    evidence: dict[str, Any] = Field(default_factory=dict)


class StandingChangeOut(Schema):
    id: int
    category_id: int | None
    action: str
    from_standing: str
    to_standing: str
    reason_code: str
    reason_text: str
    actor_id: int | None
    at: dt.datetime
    evidence: dict[str, Any]


class CanSellOut(Schema):
    can_sell: bool
    reasons: list[str]


class ReverificationTaskOut(Schema):
    id: int
    merchant_id: int
    merchant_name: str = Field(alias="merchant.legal_name")
    due_on: dt.date
    state: str
    completed_by_id: int | None
    completed_at: dt.datetime | None
    outcome: str
    outcome_notes: str


class CompleteIn(Schema):
    outcome: str
    notes: str = ""


# --- agreements ----------------------------------------------------------------------------


@router.get(
    "/agreement-templates",
    response=Page[AgreementTemplateOut],
    summary="Agreement templates (staff: all versions; merchants: published ones)",
)
def list_templates(
    request: HttpRequest, status: str | None = None, cursor: str | None = None, limit: int = 50
) -> dict:
    qs = sel.templates_for(actor=_actor(request), status=status)
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("-created_at", "-id"))
    return {"items": items, "next_cursor": nxt}


@router.post(
    "/agreement-templates",
    response={201: AgreementTemplateDetailOut},
    summary="Create a draft (the next version of its code)",
)
def create_template(request: HttpRequest, body: AgreementTemplateIn) -> Status:
    return Status(201, agreements.create_template_draft(actor=_actor(request), **body.dict()))


@router.get("/agreement-templates/{int:template_id}", response=AgreementTemplateDetailOut)
def get_template(request: HttpRequest, template_id: int) -> AgreementTemplate:
    return sel.template_for(actor=_actor(request), template_id=template_id)


@router.patch(
    "/agreement-templates/{int:template_id}",
    response=AgreementTemplateDetailOut,
    summary="Edit a draft",
)
def edit_template(
    request: HttpRequest, template_id: int, body: AgreementTemplatePatch
) -> AgreementTemplate:
    sel.template_for(actor=_actor(request), template_id=template_id)
    changes = {k: v for k, v in body.dict().items() if v is not None}
    return agreements.update_template_draft(
        actor=_actor(request), template_id=template_id, **changes
    )


@router.post(
    "/agreement-templates/{int:template_id}/publish",
    response=AgreementTemplateDetailOut,
    summary="Publish: retire the previous version, ask every live merchant to sign",
)
def publish_template(request: HttpRequest, template_id: int, body: PublishIn) -> AgreementTemplate:
    sel.template_for(actor=_actor(request), template_id=template_id)
    return agreements.publish_template(
        actor=_actor(request),
        template_id=template_id,
        resign_days=body.resign_days,
        effective_at=body.effective_at,
    )


@router.get(
    "/agreement-templates/{int:template_id}/coverage",
    response=CoverageOut,
    summary="Which live merchants have signed this version",
)
def coverage(request: HttpRequest, template_id: int) -> dict:
    cov = sel.signature_coverage(actor=_actor(request), template_id=template_id)
    return {
        "template_id": cov.template.pk,
        "version": cov.template.version,
        "percent": cov.percent,
        "signed": [_cov(m, s) for m, s in cov.signed],
        "unsigned": [_cov(m) for m in cov.unsigned],
    }


def _cov(m: Merchant, s: AgreementSignature | None = None) -> dict:
    return {
        "merchant_id": m.pk,
        "legal_name": m.legal_name,
        "standing": m.standing,
        "signed_at": s.signed_at if s else None,
    }


def _status(status: sel.AgreementStatus) -> dict:
    return {
        "merchant_id": status.merchant_id,
        "ok": status.ok,
        "items": [
            {
                "template_id": i.template.pk,
                "code": i.template.code,
                "version": i.template.version,
                "title": i.template.title,
                "title_zh": i.template.title_zh,
                "text_sha256": i.template.text_sha256,
                "state": i.state,
                "satisfied": i.satisfied,
                "resign_deadline": i.template.resign_deadline,
                "signed_version": i.signed_version,
                "signed_at": i.signature.signed_at if i.signature else None,
            }
            for i in status.items
        ],
    }


@router.get(
    "/me/agreement",
    response=AgreementStatusOut,
    summary="My merchant's agreement status (merchant users)",
)
def my_agreement(request: HttpRequest) -> dict:
    merchant = sel.own_merchant(actor=_actor(request))
    return _status(sel.agreement_status(merchant_id=merchant.pk))


@router.get("/{int:merchant_id}/agreement", response=AgreementStatusOut)
def merchant_agreement(request: HttpRequest, merchant_id: int) -> dict:
    return _status(sel.agreement_status_for(actor=_actor(request), merchant_id=merchant_id))


@router.post(
    "/{int:merchant_id}/agreement/sign",
    response={201: SignatureOut},
    summary="Sign the version in force (merchant owner; echo its text_sha256)",
)
def sign(request: HttpRequest, merchant_id: int, body: SignIn) -> Status:
    signature = agreements.sign_agreement(
        actor=_actor(request),
        merchant_id=merchant_id,
        template_id=body.template_id,
        text_sha256=body.text_sha256,
        ip=request.META.get("REMOTE_ADDR"),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        language=body.language,
    )
    return Status(201, signature)


# --- standing ------------------------------------------------------------------------------


def _standing(request: HttpRequest, merchant_id: int) -> dict:
    merchant = sel.scoped_merchant(actor=_actor(request), merchant_id=merchant_id)
    ok, why = sel.can_sell(merchant_id=merchant.pk)
    return {
        "merchant_id": merchant.pk,
        "standing": merchant.standing,
        "standing_changed_at": merchant.standing_changed_at,
        "restrictions": list(
            sel.restrictions_in_force(actor=_actor(request), merchant_id=merchant.pk)
        ),
        "can_sell": ok,
        "why_not": why,
    }


@router.get(
    "/{int:merchant_id}/standing",
    response=StandingOut,
    summary="Standing, restrictions in force, and whether it may sell",
)
def get_standing(request: HttpRequest, merchant_id: int) -> dict:
    return _standing(request, merchant_id)


@router.post(
    "/{int:merchant_id}/standing",
    response=StandingOut,
    summary="Change the standing (restricted, active, suspended, terminated)",
)
def change_standing(request: HttpRequest, merchant_id: int, body: StandingChangeIn) -> dict:
    sel.scoped_merchant(actor=_actor(request), merchant_id=merchant_id)
    standing.change_standing(
        actor=_actor(request),
        merchant_id=merchant_id,
        to=body.to,
        reason_code=body.reason_code,
        reason_text=body.reason_text,
        evidence=body.evidence,
    )
    return _standing(request, merchant_id)


@router.post("/{int:merchant_id}/categories/{int:category_id}/restrict", response=StandingOut)
def restrict_category(
    request: HttpRequest, merchant_id: int, category_id: int, body: CategoryRestrictIn
) -> dict:
    sel.scoped_merchant(actor=_actor(request), merchant_id=merchant_id)
    standing.restrict_category(
        actor=_actor(request),
        merchant_id=merchant_id,
        category_id=category_id,
        reason_code=body.reason_code,
        reason_text=body.reason_text,
        evidence=body.evidence,
    )
    return _standing(request, merchant_id)


@router.post(
    "/{int:merchant_id}/categories/{int:category_id}/lift",
    response=StandingOut,
    summary="Lift every restriction in force on the category",
)
def lift_category(
    request: HttpRequest, merchant_id: int, category_id: int, body: CategoryRestrictIn
) -> dict:
    sel.scoped_merchant(actor=_actor(request), merchant_id=merchant_id)
    standing.lift_category_restriction(
        actor=_actor(request),
        merchant_id=merchant_id,
        category_id=category_id,
        reason_code=body.reason_code,
        reason_text=body.reason_text,
        evidence=body.evidence,
    )
    return _standing(request, merchant_id)


@router.get("/{int:merchant_id}/standing-history", response=Page[StandingChangeOut])
def standing_history(
    request: HttpRequest, merchant_id: int, cursor: str | None = None, limit: int = 50
) -> dict:
    qs = sel.standing_history(actor=_actor(request), merchant_id=merchant_id)
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("-at", "-id"))
    return {"items": items, "next_cursor": nxt}


@router.get(
    "/{int:merchant_id}/can-sell",
    response=CanSellOut,
    summary="May the merchant sell (in a category)? With the reasons if not",
)
def can_sell(request: HttpRequest, merchant_id: int, category_id: int | None = None) -> dict:
    merchant = sel.scoped_merchant(actor=_actor(request), merchant_id=merchant_id)
    ok, reasons = sel.can_sell(merchant_id=merchant.pk, category_id=category_id)
    return {"can_sell": ok, "reasons": reasons}


# --- re-verification -----------------------------------------------------------------------


@router.get(
    "/reverification-tasks",
    response=Page[ReverificationTaskOut],
    summary="Re-verification tasks (state: open, overdue, done, cancelled or due)",
)
def list_reverifications(
    request: HttpRequest,
    state: str | None = None,
    merchant_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict:
    qs = sel.reverification_tasks_for(actor=_actor(request), state=state, merchant_id=merchant_id)
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("due_on", "id"))
    return {"items": items, "next_cursor": nxt}


@router.get("/reverification-tasks/{int:task_id}", response=ReverificationTaskOut)
def get_reverification(request: HttpRequest, task_id: int) -> Any:
    return sel.reverification_task_for(actor=_actor(request), task_id=task_id)


@router.post(
    "/reverification-tasks/{int:task_id}/complete",
    response=ReverificationTaskOut,
    summary="Record the outcome; the next check is scheduled six months later",
)
def complete_reverification(request: HttpRequest, task_id: int, body: CompleteIn) -> Any:
    sel.reverification_task_for(actor=_actor(request), task_id=task_id)
    task = reverification.complete_reverification(
        actor=_actor(request), task_id=task_id, outcome=body.outcome, notes=body.notes
    )
    return sel.reverification_task_for(actor=_actor(request), task_id=task.pk)
