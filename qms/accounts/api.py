from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from qms.shared.pagination import Page, paginate

from . import selectors, services
from .permissions import profile
from .schemas import MeOut, MembershipOut, TokenCreatedOut, TokenIn, TokenOut

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="Who am I: roles, permissions, organisations")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    p = profile(user)
    memberships = [
        MembershipOut(organisation_id=m.organisation_id, organisation_name=m.organisation.name,
                      organisation_kind=m.organisation.kind, role=m.role)
        for m in selectors.memberships_of(user=user)
    ]
    return MeOut(
        id=user.pk, username=user.username, display_name=user.display_name, email=user.email,
        preferred_language=user.preferred_language, roles=sorted(r.value for r in p.roles),
        permissions=sorted(p.permissions), memberships=memberships,
    )


@router.get("/tokens", response=Page[TokenOut], summary="My API tokens")
def list_tokens(request: HttpRequest, cursor: str | None = None, limit: int = 50) -> dict:
    items, nxt = paginate(selectors.tokens_of(user=request.auth), cursor=cursor, limit=limit)  # type: ignore[attr-defined]
    return {"items": items, "next_cursor": nxt}


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Issue an API token")
def create_token(request: HttpRequest, body: TokenIn) -> Status:
    token, secret = services.issue_token(
        actor=request.auth, name=body.name, scopes=body.scopes,  # type: ignore[attr-defined]
        expires_in_days=body.expires_in_days,
    )
    out = TokenOut.from_orm(token).dict()
    out["token"] = secret
    return Status(201, out)


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke an API token")
def revoke_token(request: HttpRequest, token_id: int) -> object:
    return services.revoke_token(actor=request.auth, token_id=token_id)  # type: ignore[attr-defined]
