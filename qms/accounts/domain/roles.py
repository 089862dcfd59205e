"""Roles and what each may do. Pure data: the one table permissions are checked against.

Platform roles belong to members of the platform organisation; merchant roles to members of
a merchant organisation; lab roles to a lab. A consumer has no organisation.
"""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    PLATFORM = "platform"
    MERCHANT = "merchant"
    SUPPLIER = "supplier"
    LAB = "lab"


class Role(StrEnum):
    ADMIN = "admin"
    QUALITY_MANAGER = "quality_manager"
    REVIEWER = "reviewer"
    INSPECTOR = "inspector"
    AUDITOR = "auditor"
    CS_AGENT = "cs_agent"
    LAB_USER = "lab_user"
    MERCHANT_OWNER = "merchant_owner"
    MERCHANT_STAFF = "merchant_staff"


ROLE_ORG_KIND: dict[Role, OrgKind] = {
    Role.ADMIN: OrgKind.PLATFORM,
    Role.QUALITY_MANAGER: OrgKind.PLATFORM,
    Role.REVIEWER: OrgKind.PLATFORM,
    Role.INSPECTOR: OrgKind.PLATFORM,
    Role.AUDITOR: OrgKind.PLATFORM,
    Role.CS_AGENT: OrgKind.PLATFORM,
    Role.LAB_USER: OrgKind.LAB,
    Role.MERCHANT_OWNER: OrgKind.MERCHANT,
    Role.MERCHANT_STAFF: OrgKind.MERCHANT,
}

PLATFORM_ROLES = frozenset(r for r, k in ROLE_ORG_KIND.items() if k is OrgKind.PLATFORM)
MERCHANT_ROLES = frozenset({Role.MERCHANT_OWNER, Role.MERCHANT_STAFF})

# Permission names are "<context>.<verb>". A merchant permission is always checked together
# with object scoping: it allows the action on the merchant's own objects only.
_READ_ALL = {
    "accounts.view_users",
    "audit.view",
    "catalog.view",
    "merchants.view",
    "documents.view",
    "signals.view",
    "listings.view",
}
_REVIEW = {
    "merchants.review_application",
    "merchants.request_info",
    "merchants.decide_application",
    "documents.verify",
    "merchants.reverify",
    "listings.review",
    "listings.take_down",
}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(
        _READ_ALL
        | _REVIEW
        | {
            "accounts.manage_users",
            "accounts.manage_tokens",
            "audit.export",
            "catalog.manage",
            "merchants.manage",
            "merchants.change_standing",
            "merchants.manage_agreements",
            "merchants.second_approval",
            "documents.manage",
            "system.run_jobs",
            "listings.rescan",
            "listings.manage_rules",
        }
    ),
    Role.QUALITY_MANAGER: frozenset(
        _READ_ALL
        | _REVIEW
        | {
            "audit.export",
            "catalog.manage",
            "merchants.change_standing",
            "merchants.manage_agreements",
            "merchants.second_approval",
            "documents.manage",
            "system.run_jobs",
            "listings.rescan",
            "listings.manage_rules",
        }
    ),
    Role.REVIEWER: frozenset(_READ_ALL | _REVIEW),
    Role.INSPECTOR: frozenset({"catalog.view", "merchants.view", "documents.view", "signals.view"}),
    Role.AUDITOR: frozenset(_READ_ALL | {"audit.export"}),
    Role.CS_AGENT: frozenset({"catalog.view", "merchants.view", "signals.view"}),
    Role.LAB_USER: frozenset({"catalog.view"}),
    Role.MERCHANT_OWNER: frozenset(
        {
            "catalog.view",
            "catalog.edit_own",
            "merchants.view_own",
            "merchants.apply",
            "merchants.edit_own",
            "merchants.sign_agreement",
            "documents.view_own",
            "documents.upload",
            "accounts.manage_own_org",
            "audit.view_own",
            "audit.export_own",
            "signals.view_own",
            "listings.view_own",
            "listings.edit_own",
        }
    ),
    Role.MERCHANT_STAFF: frozenset(
        {
            "catalog.view",
            "catalog.edit_own",
            "merchants.view_own",
            "merchants.edit_own",
            "documents.view_own",
            "documents.upload",
            "audit.view_own",
            "signals.view_own",
            "listings.view_own",
            "listings.edit_own",
        }
    ),
}


def permissions_for(roles: frozenset[Role] | set[Role]) -> frozenset[str]:
    out: set[str] = set()
    for role in roles:
        out |= ROLE_PERMISSIONS[role]
    return frozenset(out)


# API token scopes: a token may carry a subset of its owner's permissions, by scope name.
TOKEN_SCOPES: dict[str, str] = {
    "read": "read everything the owner may read",
    "write": "change what the owner may change",
}
