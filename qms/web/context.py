"""Template context for every page: product name, navigation, unread notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from qms.accounts.permissions import ActorProfile, profile
from qms.shared.notifications import unread_count

from .nav import nav_for, resolve_url, user_menu_for

PRODUCT_NAME = _("Marketplace Quality")
_CACHE_ATTR = "_qms_shell_context"


def _profile(request: HttpRequest) -> ActorProfile | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return profile(user)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Computed once per request (a view that renders several templates pays once)."""
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    p = _profile(request)
    nav = nav_for(p, path=request.path)
    result = {
        "qms_product_name": PRODUCT_NAME,
        "qms_nav": nav["items"],
        "qms_audience": nav["audience"],
        "qms_user_menu": user_menu_for(p, path=request.path),
        "qms_unread": unread_count(p.user_id) if p is not None else None,
        "qms_inbox_url": resolve_url("notifications:inbox") if p is not None else None,
    }
    setattr(request, _CACHE_ATTR, result)
    return result
