"""Who the actor is and what it may see, for shared selectors, without importing accounts.

``qms.shared`` is the lowest layer and may not import ``qms.accounts`` (import-linter). The
permission module is therefore named by a setting, as Django names the user model:
``QMS_PERMISSIONS_MODULE`` (default ``"qms.accounts.permissions"``) must provide
``profile(user)`` (with ``.permissions``, ``.is_platform``, ``.is_merchant``,
``.merchant_org_ids``) and ``ensure_can(user, perm, *, merchant_org_id=None)``.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from types import ModuleType
from typing import Any, Protocol

from django.conf import settings

DEFAULT_PERMISSIONS_MODULE = "qms.accounts.permissions"


class ActorAccess(Protocol):
    """What shared code needs to know about an actor (``accounts.permissions.ActorProfile``)."""

    @property
    def user_id(self) -> int: ...

    @property
    def permissions(self) -> frozenset[str]: ...

    @property
    def is_platform(self) -> bool: ...

    @property
    def is_merchant(self) -> bool: ...

    @property
    def merchant_org_ids(self) -> frozenset[int]: ...


@cache
def _module(path: str) -> ModuleType:
    return import_module(path)


def _permissions() -> ModuleType:
    return _module(getattr(settings, "QMS_PERMISSIONS_MODULE", DEFAULT_PERMISSIONS_MODULE))


def actor_access(user: Any) -> ActorAccess:
    """The actor's profile; ``NotAuthenticated`` for an anonymous user."""
    result: ActorAccess = _permissions().profile(user)
    return result


def ensure_can(user: Any, perm: str, *, merchant_org_id: int | None = None) -> ActorAccess:
    """Raise ``PermissionDenied`` unless ``user`` holds ``perm`` (see accounts.permissions)."""
    result: ActorAccess = _permissions().ensure_can(user, perm, merchant_org_id=merchant_org_id)
    return result


def ensure_any(user: Any, *perms: str) -> ActorAccess:
    """The actor's profile if it holds at least one of ``perms``, else ``PermissionDenied``."""
    access = actor_access(user)
    if not any(p in access.permissions for p in perms):
        ensure_can(user, perms[0])
    return access
