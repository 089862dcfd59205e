"""Permissions in one place: who the actor is, what it may do, which rows it may see.

Every selector and service of every context asks here. Results are cached on the user
object for the duration of a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qms.shared.errors import NotAuthenticated, PermissionDenied

from .domain.roles import MERCHANT_ROLES, PLATFORM_ROLES, OrgKind, Role, permissions_for
from .models import Membership


@dataclass(frozen=True)
class ActorProfile:
    user_id: int
    roles: frozenset[Role]
    permissions: frozenset[str]
    org_ids: dict[str, frozenset[int]]  # org kind -> ids

    @property
    def is_platform(self) -> bool:
        return bool(self.roles & PLATFORM_ROLES)

    @property
    def is_merchant(self) -> bool:
        return bool(self.roles & MERCHANT_ROLES)

    @property
    def merchant_org_ids(self) -> frozenset[int]:
        return self.org_ids.get(OrgKind.MERCHANT.value, frozenset())


_CACHE_ATTR = "_qms_actor_profile"


def profile(user: Any) -> ActorProfile:
    if user is None or not getattr(user, "is_authenticated", False):
        raise NotAuthenticated("Log in or send an API token.")
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    rows = list(
        Membership.objects.filter(user_id=user.pk, organisation__is_active=True).values_list(
            "role", "organisation_id", "organisation__kind"
        )
    )
    roles = frozenset(Role(r) for r, _, _ in rows)
    by_kind: dict[str, set[int]] = {}
    for _, org_id, kind in rows:
        by_kind.setdefault(kind, set()).add(org_id)
    perms = permissions_for(roles)
    if getattr(user, "is_superuser", False):
        perms = permissions_for(frozenset({Role.ADMIN}))
        roles = roles | {Role.ADMIN}
    result = ActorProfile(
        user_id=user.pk,
        roles=roles,
        permissions=perms,
        org_ids={k: frozenset(v) for k, v in by_kind.items()},
    )
    setattr(user, _CACHE_ATTR, result)
    return result


def forget(user: Any) -> None:
    """Drop the cached profile (after a membership change in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_perm(user: Any, perm: str) -> bool:
    try:
        return perm in profile(user).permissions
    except NotAuthenticated:
        return False


def ensure_can(user: Any, perm: str, *, merchant_org_id: int | None = None) -> ActorProfile:
    """Raise unless ``user`` holds ``perm``. For a ``*_own`` permission, the object's
    merchant organisation must be one of the user's."""
    p = profile(user)
    if perm not in p.permissions:
        raise PermissionDenied(
            "Your role does not allow this action.", code="permission_denied", permission=perm
        )
    scoped = perm.endswith("_own") or (p.is_merchant and not p.is_platform)
    if scoped and merchant_org_id is not None and merchant_org_id not in p.merchant_org_ids:
        raise PermissionDenied("This belongs to another organisation.", code="permission_denied")
    return p


def can_view_all_merchants(user: Any) -> bool:
    return has_perm(user, "merchants.view")
