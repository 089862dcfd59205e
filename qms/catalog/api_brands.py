"""Brand and brand-authorisation routes of ``/api/v1/catalog`` (mounted by ``api.router``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from qms.shared.pagination import Page, paginate
from qms.shared.requests import request_actor as _actor

from . import selectors, services
from .schemas import (
    AuthorisationCheckOut,
    AuthorisationIn,
    AuthorisationOut,
    BrandIn,
    BrandOut,
    BrandPatchIn,
    ChainOut,
    ReasonIn,
)
from .services._common import clean_market

brands_router = Router(tags=["catalog"])


@brands_router.get("/brands", response=Page[BrandOut], summary="Brands")
def list_brands(
    request: HttpRequest, q: str = "", status: str = "", cursor: str | None = None, limit: int = 50
) -> dict:
    qs = selectors.list_brands(actor=_actor(request), q=q, status=status)
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("name", "id"))
    return {"items": items, "next_cursor": nxt}


@brands_router.post("/brands", response={201: BrandOut}, summary="Create a brand")
def create_brand(request: HttpRequest, body: BrandIn) -> Status:
    return Status(201, services.create_brand(actor=_actor(request), **body.dict()))


@brands_router.get("/brands/{brand_id}", response=BrandOut, summary="A brand")
def get_brand(request: HttpRequest, brand_id: int) -> Any:
    return selectors.get_brand(actor=_actor(request), brand_id=brand_id)


@brands_router.patch("/brands/{brand_id}", response=BrandOut, summary="Change a brand")
def update_brand(request: HttpRequest, brand_id: int, body: BrandPatchIn) -> Any:
    return services.update_brand(
        actor=_actor(request), brand_id=brand_id, **body.dict(exclude_unset=True)
    )


@brands_router.post("/brands/{brand_id}/suspend", response=BrandOut, summary="Suspend a brand")
def suspend_brand(request: HttpRequest, brand_id: int, body: ReasonIn) -> Any:
    return services.suspend_brand(actor=_actor(request), brand_id=brand_id, reason=body.reason)


@brands_router.post(
    "/brands/{brand_id}/reinstate", response=BrandOut, summary="Reinstate a suspended brand"
)
def reinstate_brand(request: HttpRequest, brand_id: int, body: ReasonIn) -> Any:
    return services.reinstate_brand(actor=_actor(request), brand_id=brand_id, reason=body.reason)


@brands_router.get(
    "/brands/{brand_id}/chains",
    response=list[ChainOut],
    summary="Authorisation chains of a brand with each link's validity",
)
def brand_chains(
    request: HttpRequest, brand_id: int, on: dt.date | None = None, market: str = ""
) -> list:
    chains = selectors.brand_chains(
        actor=_actor(request),
        brand_id=brand_id,
        on=on,
        market=clean_market(market) if market else None,
    )
    return [
        {
            "valid": c["valid"],
            "links": [
                {
                    "authorisation": row["authorisation"],
                    "valid": row["valid"],
                    "failure": row["failure"].value if row["failure"] else None,
                }
                for row in c["links"]
            ],
        }
        for c in chains
    ]


@brands_router.get(
    "/authorisations",
    response=Page[AuthorisationOut],
    summary="Brand authorisations (a merchant sees its own chains)",
)
def list_authorisations(
    request: HttpRequest,
    brand_id: int | None = None,
    grantee_org_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict:
    qs = selectors.authorisations_visible_to(actor=_actor(request))
    if brand_id is not None:
        qs = qs.filter(brand_id=brand_id)
    if grantee_org_id is not None:
        qs = qs.filter(grantee_org_id=grantee_org_id)
    items, nxt = paginate(qs, cursor=cursor, limit=limit, order=("-created_at", "-id"))
    return {"items": items, "next_cursor": nxt}


@brands_router.get(
    "/authorisations/check",
    response=AuthorisationCheckOut,
    summary="May this organisation sell this brand in this market on this day?",
)
def check_authorisation(
    request: HttpRequest,
    organisation_id: int,
    brand_id: int,
    market: str,
    on: dt.date | None = None,
) -> dict:
    day = on or selectors.business_today()
    verdict = selectors.check_authorisation(
        actor=_actor(request),
        organisation_id=organisation_id,
        brand_id=brand_id,
        market=clean_market(market),
        on=day,
    )
    links = selectors.authorisations_by_ids([link.id for link in verdict.chain])
    return {
        "ok": verdict.ok,
        "organisation_id": organisation_id,
        "brand_id": brand_id,
        "market": clean_market(market),
        "on": day,
        "failure": verdict.failure.value if verdict.failure else None,
        "message": verdict.message,
        "failing_link_id": verdict.failing_link_id,
        "chain": [links[link.id] for link in verdict.chain],
    }


@brands_router.post(
    "/authorisations",
    response={201: AuthorisationOut},
    summary="Record a link of an authorisation chain",
)
def grant_authorisation(request: HttpRequest, body: AuthorisationIn) -> Status:
    return Status(201, services.grant_brand_authorisation(actor=_actor(request), **body.dict()))


@brands_router.get(
    "/authorisations/{authorisation_id}", response=AuthorisationOut, summary="A brand authorisation"
)
def get_authorisation(request: HttpRequest, authorisation_id: int) -> Any:
    return selectors.get_authorisation(actor=_actor(request), authorisation_id=authorisation_id)


@brands_router.post(
    "/authorisations/{authorisation_id}/revoke",
    response=AuthorisationOut,
    summary="Revoke a link (and with it every link below)",
)
def revoke_authorisation(request: HttpRequest, authorisation_id: int, body: ReasonIn) -> Any:
    return services.revoke_brand_authorisation(
        actor=_actor(request), authorisation_id=authorisation_id, reason=body.reason
    )
