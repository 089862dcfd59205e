"""The merchants API (/api/v1/merchants): parse, call a service or selector, shape."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from qms.accounts.services import check_login_throttle
from qms.shared.errors import NotFound
from qms.shared.pagination import Page, page_response
from qms.shared.requests import request_actor as _actor

from . import selectors, selectors_onboarding, services, services_trader
from . import services_onboarding as onboarding
from .domain.reasons import REASONS
from .schemas import (
    ApplicationApproveIn,
    ApplicationChecklistItemOut,
    ApplicationCreateIn,
    ApplicationOut,
    ApplicationRejectIn,
    ApplicationRequestInfoIn,
    ApplicationResubmitIn,
    ApplicationSecondApproveIn,
    ApplicationStatusChangeOut,
    ApplicationUpdateIn,
    ApplicationVersionIn,
    ApplicationWithdrawIn,
    DecisionReasonCodeOut,
    MerchantContactIn,
    MerchantContactOut,
    MerchantOut,
    MerchantRegistrationIn,
    MerchantRegistrationOut,
    MerchantShopIn,
    MerchantShopOut,
    MerchantShopUpdateIn,
    MerchantSupplierEndIn,
    MerchantSupplierIn,
    MerchantSupplierLinkOut,
    MerchantUpdateIn,
    TraderInfoIn,
    TraderInfoOut,
    TraderVerifyIn,
)

router = Router(tags=["merchants"])


def _page(qs: Any, cursor: str | None, limit: int, order: tuple[str, str]) -> dict[str, Any]:
    return page_response(qs, cursor=cursor, limit=limit, order=order)


# --- reference ---------------------------------------------------------------------------


@router.get("/reason-codes", response=list[DecisionReasonCodeOut], summary="Decision reason codes")
def reason_codes(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"code": r.code, "en": r.en, "zh": r.zh, "uses": sorted(r.uses)} for r in REASONS.values()
    ]


# --- sign-up -----------------------------------------------------------------------------


@router.post(
    "/register",
    response={201: MerchantRegistrationOut},
    auth=None,
    summary="Sign up as a merchant: organisation, owner account and a draft application",
)
def register(request: HttpRequest, body: MerchantRegistrationIn) -> Status:
    check_login_throttle(username=body.username, ip=request.META.get("REMOTE_ADDR"))
    merchant, application = services.register_merchant_applicant(
        organisation_name=body.legal_name,
        username=body.username,
        email=body.email,
        password=body.password,
        legal_name=body.legal_name,
        country="CN" if body.market == "CN" else body.country.upper(),
        registration_scheme="cn_uscc" if body.market == "CN" else "eu_trade_register",
        registration_number=body.registration_number,
        markets=(body.market,),
        display_name=body.display_name,
        preferred_language=body.preferred_language,
    )
    return Status(
        201,
        MerchantRegistrationOut(
            merchant_id=merchant.pk,
            organisation_id=merchant.organisation_id,
            application_id=application.pk,
            username=body.username,
        ),
    )


# --- applications ------------------------------------------------------------------------


@router.get("/applications", response=Page[ApplicationOut], summary="Applications I may see")
def list_applications(
    request: HttpRequest, state: str = "", cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    qs = selectors_onboarding.applications_for(actor=_actor(request))
    if state:
        qs = qs.filter(state=state)
    return _page(qs, cursor, limit, ("-created_at", "-id"))


@router.get(
    "/applications/queue", response=Page[ApplicationOut], summary="The review queue, oldest first"
)
def application_queue(
    request: HttpRequest,
    state: str = "",
    risk: str = "",
    market: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    qs = selectors_onboarding.application_queue(
        actor=_actor(request), state=state or None, risk=risk or None, market=market or None
    )
    return _page(qs, cursor, limit, ("submitted_at", "id"))


@router.post("/applications", response={201: ApplicationOut}, summary="Start a draft application")
def create_application(request: HttpRequest, body: ApplicationCreateIn) -> Status:
    app = onboarding.create_application(
        actor=_actor(request),
        merchant_id=body.merchant_id,
        markets=body.markets,
        category_ids=body.category_ids,
        brand_ids=body.brand_ids,
    )
    return Status(201, app)


@router.get("/applications/{application_id}", response=ApplicationOut)
def get_application(request: HttpRequest, application_id: int) -> Any:
    return selectors_onboarding.get_application(
        actor=_actor(request), application_id=application_id
    )


@router.patch(
    "/applications/{application_id}",
    response=ApplicationOut,
    summary="Change a draft (or an application awaiting information)",
)
def update_application(request: HttpRequest, application_id: int, body: ApplicationUpdateIn) -> Any:
    return onboarding.update_application(
        actor=_actor(request),
        application_id=application_id,
        markets=body.markets,
        category_ids=body.category_ids,
        brand_ids=body.brand_ids,
        expected_version=body.lock_version,
    )


@router.get("/applications/{application_id}/history", response=list[ApplicationStatusChangeOut])
def application_history(request: HttpRequest, application_id: int) -> Any:
    return list(
        selectors_onboarding.application_history(
            actor=_actor(request), application_id=application_id
        )
    )


@router.get(
    "/applications/{application_id}/checklist",
    response=list[ApplicationChecklistItemOut],
    summary="Mandatory documents per category and market, and whether they are verified",
)
def application_checklist(request: HttpRequest, application_id: int) -> Any:
    app = selectors_onboarding.get_application(actor=_actor(request), application_id=application_id)
    return selectors_onboarding.document_checklist(app)


@router.post("/applications/{application_id}/submit", response=ApplicationOut)
def submit(request: HttpRequest, application_id: int, body: ApplicationVersionIn) -> Any:
    return onboarding.submit_application(
        actor=_actor(request), application_id=application_id, expected_version=body.lock_version
    )


@router.post("/applications/{application_id}/start-review", response=ApplicationOut)
def start_review(request: HttpRequest, application_id: int, body: ApplicationVersionIn) -> Any:
    return onboarding.start_review(
        actor=_actor(request), application_id=application_id, expected_version=body.lock_version
    )


@router.post("/applications/{application_id}/request-info", response=ApplicationOut)
def request_info(request: HttpRequest, application_id: int, body: ApplicationRequestInfoIn) -> Any:
    return onboarding.request_info(
        actor=_actor(request),
        application_id=application_id,
        reason_codes=body.reason_codes,
        text=body.text,
        expected_version=body.lock_version,
    )


@router.post("/applications/{application_id}/resubmit", response=ApplicationOut)
def resubmit(request: HttpRequest, application_id: int, body: ApplicationResubmitIn) -> Any:
    return onboarding.resubmit_application(
        actor=_actor(request),
        application_id=application_id,
        response=body.response,
        expected_version=body.lock_version,
    )


@router.post("/applications/{application_id}/approve", response=ApplicationOut)
def approve(request: HttpRequest, application_id: int, body: ApplicationApproveIn) -> Any:
    return onboarding.approve_application(
        actor=_actor(request),
        application_id=application_id,
        probation_days=body.probation_days,
        conditions=body.conditions,
        reason=body.reason,
        expected_version=body.lock_version,
    )


@router.post("/applications/{application_id}/second-approve", response=ApplicationOut)
def second_approve(
    request: HttpRequest, application_id: int, body: ApplicationSecondApproveIn
) -> Any:
    return onboarding.second_approve_application(
        actor=_actor(request),
        application_id=application_id,
        reason=body.reason,
        expected_version=body.lock_version,
    )


@router.post("/applications/{application_id}/reject", response=ApplicationOut)
def reject(request: HttpRequest, application_id: int, body: ApplicationRejectIn) -> Any:
    return onboarding.reject_application(
        actor=_actor(request),
        application_id=application_id,
        reason_codes=body.reason_codes,
        text=body.text,
        expected_version=body.lock_version,
    )


@router.post("/applications/{application_id}/withdraw", response=ApplicationOut)
def withdraw(request: HttpRequest, application_id: int, body: ApplicationWithdrawIn) -> Any:
    return onboarding.withdraw_application(
        actor=_actor(request),
        application_id=application_id,
        reason=body.reason,
        expected_version=body.lock_version,
    )


# --- merchants ---------------------------------------------------------------------------


@router.get("", response=Page[MerchantOut], summary="Merchants I may see (search and filters)")
def list_merchants(
    request: HttpRequest,
    q: str = "",
    standing: str = "",
    category: str = "",
    risk: str = "",
    market: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    qs = selectors.search_merchants(
        actor=_actor(request), q=q, standing=standing, category=category, risk=risk, market=market
    )
    return _page(qs, cursor, limit, ("-created_at", "-id"))


@router.get("/{merchant_id}", response=MerchantOut)
def get_merchant(request: HttpRequest, merchant_id: int) -> Any:
    return selectors.get_merchant(actor=_actor(request), merchant_id=merchant_id)


@router.patch("/{merchant_id}", response=MerchantOut, summary="Update the company profile")
def update_merchant(request: HttpRequest, merchant_id: int, body: MerchantUpdateIn) -> Any:
    return services.update_merchant_profile(
        actor=_actor(request), merchant_id=merchant_id, **body.dict(exclude_unset=True)
    )


@router.get("/{merchant_id}/shops", response=list[MerchantShopOut])
def list_shops(request: HttpRequest, merchant_id: int) -> Any:
    return list(selectors.shops_for(actor=_actor(request), merchant_id=merchant_id))


@router.post("/{merchant_id}/shops", response={201: MerchantShopOut})
def create_shop(request: HttpRequest, merchant_id: int, body: MerchantShopIn) -> Status:
    shop = services.create_shop(
        actor=_actor(request),
        merchant_id=merchant_id,
        name=body.name,
        markets=body.markets,
        url=body.url,
        slug=body.slug,
    )
    return Status(201, shop)


@router.patch("/shops/{shop_id}", response=MerchantShopOut)
def update_shop(request: HttpRequest, shop_id: int, body: MerchantShopUpdateIn) -> Any:
    selectors.get_shop(actor=_actor(request), shop_id=shop_id)
    return services.update_shop(
        actor=_actor(request), shop_id=shop_id, name=body.name, markets=body.markets, url=body.url
    )


@router.get("/{merchant_id}/contacts", response=list[MerchantContactOut])
def list_contacts(request: HttpRequest, merchant_id: int) -> Any:
    return list(selectors.contacts_for(actor=_actor(request), merchant_id=merchant_id))


@router.put(
    "/{merchant_id}/contacts/{kind}",
    response=MerchantContactOut,
    summary="Set the contact of a kind (legal, quality, after_sales, emergency)",
)
def put_contact(request: HttpRequest, merchant_id: int, kind: str, body: MerchantContactIn) -> Any:
    return services.save_contact(
        actor=_actor(request),
        merchant_id=merchant_id,
        kind=kind,
        name=body.name,
        phone=body.phone,
        email=body.email,
    )


@router.post(
    "/{merchant_id}/contacts/{kind}/validate",
    response=MerchantContactOut,
    summary="Staff: the contact answered (a call or a reply to a test e-mail)",
)
def validate_contact(request: HttpRequest, merchant_id: int, kind: str) -> Any:
    contact = (
        selectors.contacts_for(actor=_actor(request), merchant_id=merchant_id)
        .filter(kind=kind)
        .first()
    )
    if contact is None:
        raise NotFound("No such contact.", code="contact_not_found")
    return services.mark_contact_validated(actor=_actor(request), contact_id=contact.pk)


@router.get("/{merchant_id}/suppliers", response=list[MerchantSupplierLinkOut])
def list_suppliers(request: HttpRequest, merchant_id: int) -> Any:
    return list(selectors.supplier_links_for(actor=_actor(request), merchant_id=merchant_id))


@router.post(
    "/{merchant_id}/suppliers",
    response={201: MerchantSupplierLinkOut},
    summary="Add a supplier (factory, distributor, brand owner) and link it",
)
def add_supplier(request: HttpRequest, merchant_id: int, body: MerchantSupplierIn) -> Status:
    link = services.add_supplier(actor=_actor(request), merchant_id=merchant_id, **body.dict())
    return Status(201, link)


@router.post("/{merchant_id}/suppliers/{link_id}/end", response=MerchantSupplierLinkOut)
def end_supplier(
    request: HttpRequest, merchant_id: int, link_id: int, body: MerchantSupplierEndIn
) -> Any:
    links = selectors.supplier_links_for(actor=_actor(request), merchant_id=merchant_id)
    link = links.filter(pk=link_id).first()
    if link is None:
        raise NotFound("No such supplier link.", code="supplier_link_not_found")
    return services.end_supplier_link(actor=_actor(request), link_id=link.pk, until=body.until)


@router.get(
    "/{merchant_id}/trader-info",
    response=TraderInfoOut,
    summary="EU trader information (DSA Art. 30)",
)
def get_trader_info(request: HttpRequest, merchant_id: int) -> Any:
    return selectors.trader_info_for(actor=_actor(request), merchant_id=merchant_id)


@router.put(
    "/{merchant_id}/trader-info",
    response=TraderInfoOut,
    summary="Set EU trader information; any change resets verification",
)
def put_trader_info(request: HttpRequest, merchant_id: int, body: TraderInfoIn) -> Any:
    return services_trader.save_trader_info(
        actor=_actor(request), merchant_id=merchant_id, **body.dict()
    )


@router.post(
    "/{merchant_id}/trader-info/verify",
    response=TraderInfoOut,
    summary="Verify (or fail, with reasons) the trader information",
)
def verify_trader_info(request: HttpRequest, merchant_id: int, body: TraderVerifyIn) -> Any:
    return services_trader.verify_trader_info(
        actor=_actor(request), merchant_id=merchant_id, verified=body.verified, reasons=body.reasons
    )
