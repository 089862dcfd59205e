from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from qms.shared.pagination import Page, paginate
from qms.shared.requests import request_actor as _actor

from . import selectors, services
from .permissions import profile
from .schemas import (
    AccountReasonIn,
    MemberIn,
    MemberOut,
    MembershipOut,
    MeOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserOut,
)

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="Who am I: roles, permissions, organisations")
def me(request: HttpRequest) -> MeOut:
    user = _actor(request)
    p = profile(user)
    memberships = [
        MembershipOut(
            organisation_id=m.organisation_id,
            organisation_name=m.organisation.name,
            organisation_kind=m.organisation.kind,
            role=m.role,
        )
        for m in selectors.memberships_of(user=user)
    ]
    return MeOut(
        id=user.pk,
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        preferred_language=user.preferred_language,
        roles=sorted(r.value for r in p.roles),
        permissions=sorted(p.permissions),
        memberships=memberships,
    )


@router.get("/tokens", response=Page[TokenOut], summary="My API tokens")
def list_tokens(request: HttpRequest, cursor: str | None = None, limit: int = 50) -> dict:
    items, nxt = paginate(selectors.tokens_of(user=_actor(request)), cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": nxt}


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Issue an API token")
def create_token(request: HttpRequest, body: TokenIn) -> Status:
    token, secret = services.issue_token(
        actor=_actor(request),
        name=body.name,
        scopes=body.scopes,
        expires_in_days=body.expires_in_days,
    )
    out = TokenOut.from_orm(token).dict()
    out["token"] = secret
    return Status(201, out)


@router.post("/tokens/{int:token_id}/revoke", response=TokenOut, summary="Revoke an API token")
def revoke_token(request: HttpRequest, token_id: int) -> object:
    return services.revoke_token(actor=_actor(request), token_id=token_id)


def _member_out(m: Any) -> MemberOut:
    return MemberOut(
        membership_id=m.pk,
        user_id=m.user_id,
        username=m.user.username,
        display_name=m.user.display_name,
        email=m.user.email,
        role=m.role,
        is_active=m.user.is_active,
        created_at=m.created_at,
    )


@router.get(
    "/organisations/{int:organisation_id}/members",
    response=list[MemberOut],
    summary="Members of an organisation (own organisation, or any for staff)",
)
def list_members(request: HttpRequest, organisation_id: int) -> list[MemberOut]:
    rows = selectors.members_of(actor=_actor(request), organisation_id=organisation_id)
    return [_member_out(m) for m in rows]


@router.post(
    "/organisations/{int:organisation_id}/members",
    response={201: MemberOut},
    summary="Add a user to an organisation with a role",
)
def add_member(request: HttpRequest, organisation_id: int, body: MemberIn) -> Status:
    m = services.invite_member(
        actor=_actor(request),
        organisation_id=organisation_id,
        username=body.username,
        email=body.email,
        role=body.role,
        display_name=body.display_name,
        password=body.password,
    )
    return Status(201, _member_out(m))


@router.post(
    "/memberships/{int:membership_id}/remove",
    response={204: None},
    summary="Remove a role from a user",
)
def remove_member(request: HttpRequest, membership_id: int, body: AccountReasonIn) -> Status:
    services.remove_membership(
        actor=_actor(request),
        membership_id=membership_id,
        reason=body.reason,
    )
    return Status(204, None)


@router.get("/users", response=Page[UserOut], summary="All users (platform staff)")
def list_users(
    request: HttpRequest, q: str = "", cursor: str | None = None, limit: int = 50
) -> dict:
    items, nxt = paginate(
        selectors.users_for(actor=_actor(request), q=q), cursor=cursor, limit=limit
    )
    return {"items": items, "next_cursor": nxt}


@router.post("/users/{int:user_id}/disable", response=UserOut, summary="Disable an account")
def disable_user(request: HttpRequest, user_id: int, body: AccountReasonIn) -> object:
    return services.set_user_active(
        actor=_actor(request),
        user_id=user_id,
        active=False,
        reason=body.reason,
    )


@router.post("/users/{int:user_id}/enable", response=UserOut, summary="Re-enable an account")
def enable_user(request: HttpRequest, user_id: int, body: AccountReasonIn) -> object:
    return services.set_user_active(
        actor=_actor(request),
        user_id=user_id,
        active=True,
        reason=body.reason,
    )
