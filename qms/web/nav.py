"""The navigation registry: what each audience sees in the console or portal, as data.

Every entry names a URL (``namespace:name``) and the permission that shows it. URL names
belong to other contexts, which add them as they are built: an entry whose name does not
resolve yet is logged once and hidden, so the shell never breaks on a missing page.
``unresolved_url_names()`` lists them; the test suite fails on it when ``QMS_STRICT_NAV`` is on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qms.accounts.permissions import ActorProfile

logger = logging.getLogger(__name__)

STAFF = "staff"
MERCHANT = "merchant"


@dataclass(frozen=True)
class NavItem:
    """One navigation entry. ``permission`` empty means any member of the audience.
    ``icon`` is the name of a symbol in ``web/_icons.html``. ``exact``: the entry is current
    only on its own URL, not on the pages below it."""

    label: str | Promise
    url_name: str
    permission: str = ""
    icon: str = "dot"
    children: tuple[NavItem, ...] = ()
    exact: bool = False


STAFF_NAV: tuple[NavItem, ...] = (
    NavItem(_("Dashboard"), "web:home", icon="home", exact=True),
    NavItem(
        _("Merchants"),
        "merchants:merchant_list",
        "merchants.view",
        icon="store",
        children=(
            NavItem(_("Re-verification"), "merchants:reverification_queue", "merchants.reverify"),
        ),
    ),
    NavItem(
        _("Applications"),
        "merchants:application_queue",
        "merchants.review_application",
        icon="inbox",
    ),
    NavItem(
        _("Documents"),
        "documents:review_queue",
        "documents.view",
        icon="file",
        children=(NavItem(_("Expiring"), "documents:expiring", "documents.view"),),
    ),
    NavItem(
        _("Catalog"),
        "catalog:category_list",
        "catalog.view",
        icon="tag",
        children=(
            NavItem(_("Brands"), "catalog:brand_list", "catalog.view"),
            NavItem(_("Products"), "catalog:product_list", "catalog.view"),
        ),
    ),
    NavItem(
        _("Listings"),
        "listings:listing_list",
        "listings.view",
        icon="list",
        children=(
            NavItem(_("Review queue"), "listings:queue", "listings.review"),
            NavItem(_("Re-scans"), "listings:rescan_list", "listings.view"),
            NavItem(_("Rules"), "listings:rule_list", "listings.view"),
        ),
    ),
    NavItem(_("Agreements"), "merchants:agreement_list", "merchants.view", icon="pen"),
    NavItem(_("Audit"), "audit:list", "audit.view", icon="shield"),
    NavItem(_("Users"), "accounts:users", "accounts.view_users", icon="user"),
)

MERCHANT_NAV: tuple[NavItem, ...] = (
    NavItem(_("Portal home"), "portal:home", "merchants.view_own", icon="home", exact=True),
    NavItem(_("My application"), "portal:application", "merchants.view_own", icon="inbox"),
    NavItem(_("Documents"), "documents:my_documents", "documents.view_own", icon="file"),
    NavItem(
        _("My listings"),
        "listings_portal:list",
        "listings.view_own",
        icon="list",
        children=(NavItem(_("Listing rules"), "listings_portal:rules", "listings.view_own"),),
    ),
    NavItem(_("Agreement"), "portal:agreement", "merchants.view_own", icon="pen"),
    NavItem(_("Notifications"), "notifications:inbox", icon="bell"),
)

# The user menu (top right), for everyone signed in; an entry with a permission shows only to
# its holders.
USER_MENU: tuple[NavItem, ...] = (
    NavItem(_("My account"), "web:account", icon="user"),
    NavItem(_("Team"), "accounts:team", "accounts.manage_own_org", icon="store"),
    NavItem(_("API tokens"), "accounts:tokens", icon="lock"),
)
USER_MENU_AUDIENCE = "user_menu"

REGISTRY: dict[str, tuple[NavItem, ...]] = {
    STAFF: STAFF_NAV,
    MERCHANT: MERCHANT_NAV,
    USER_MENU_AUDIENCE: USER_MENU,
}

_reported: set[str] = set()


def _walk(items: Iterable[NavItem]) -> Iterable[NavItem]:
    for item in items:
        yield item
        yield from _walk(item.children)


def resolve_url(url_name: str) -> str | None:
    """The path of ``url_name``, or None (logged once per process) when it does not exist."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        if url_name not in _reported:
            _reported.add(url_name)
            logger.warning(
                "navigation: URL name %r does not resolve; its entry is hidden", url_name
            )
        return None


def unresolved_url_names() -> list[str]:
    """Every URL name in the registry that does not resolve (sorted, no duplicates)."""
    names = {item.url_name for nav in REGISTRY.values() for item in _walk(nav)}
    missing = []
    for name in sorted(names):
        try:
            reverse(name)
        except NoReverseMatch:
            missing.append(name)
    return missing


def audience_of(p: ActorProfile | None) -> str | None:
    """``staff`` for platform users, ``merchant`` for merchant users, None for the rest."""
    if p is None:
        return None
    if p.is_platform:
        return STAFF
    if p.is_merchant:
        return MERCHANT
    return None


@dataclass(frozen=True)
class NavLink:
    """A resolved entry, ready for the template. ``active``: the current page;
    ``open``: the current page is this entry or one of its children."""

    label: str | Promise
    url: str
    icon: str
    active: bool
    open: bool
    children: tuple[NavLink, ...]
    url_name: str


def _matches(item: NavItem, url: str, path: str) -> int:
    """How well ``path`` matches the entry: the length of the matching prefix, 0 if none."""
    if path == url:
        return len(url) + 1
    if item.exact:
        return 0
    return len(url) if path.startswith(url) else 0


def build(items: Sequence[NavItem], *, permissions: frozenset[str], path: str) -> list[NavLink]:
    """The entries the holder of ``permissions`` may see. The entry whose URL is the longest
    prefix of ``path`` is the active one (``/console/merchants/applications/`` is
    Applications, not Merchants), and its parent is open."""
    visible: list[tuple[NavItem, str, list[tuple[NavItem, str]]]] = []
    for item in items:
        if item.permission and item.permission not in permissions:
            continue
        url = resolve_url(item.url_name)
        if url is None:
            continue
        kids = []
        for child in item.children:
            if child.permission and child.permission not in permissions:
                continue
            child_url = resolve_url(child.url_name)
            if child_url is not None:
                kids.append((child, child_url))
        visible.append((item, url, kids))
    scores = {
        id(entry): _matches(entry, url, path)
        for item, item_url, kids in visible
        for entry, url in [(item, item_url), *kids]
    }
    best = max(scores.values(), default=0)
    winner = next((key for key, score in scores.items() if best and score == best), None)
    links = []
    for item, url, kids in visible:
        children = tuple(
            NavLink(
                label=c.label,
                url=c_url,
                icon=c.icon,
                active=id(c) == winner,
                open=False,
                children=(),
                url_name=c.url_name,
            )
            for c, c_url in kids
        )
        active = id(item) == winner
        links.append(
            NavLink(
                label=item.label,
                url=url,
                icon=item.icon,
                active=active,
                open=active or any(c.active for c in children),
                children=children,
                url_name=item.url_name,
            )
        )
    return links


def user_menu_for(p: ActorProfile | None, *, path: str) -> list[NavLink]:
    """The user menu's entries the actor may see."""
    if p is None:
        return []
    return build(USER_MENU, permissions=p.permissions, path=path)


def nav_for(p: ActorProfile | None, *, path: str) -> dict[str, Any]:
    """The navigation of the actor's audience: ``{"audience": ..., "items": [...]}``."""
    audience = audience_of(p)
    if audience is None or p is None:
        return {"audience": None, "items": []}
    return {
        "audience": audience,
        "items": build(REGISTRY[audience], permissions=p.permissions, path=path),
    }
