"""Writes to brands and brand authorisation chains (``catalog.manage``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qms.shared.audit import record_event, snapshot

from ..domain.authorisation import MAX_CHAIN_LENGTH, chain_upwards, grant_problem
from ..domain.brand_states import next_authorisation_status, next_brand_status
from ..errors import ErrorCode, conflict, invalid, not_found
from ..models import Brand, BrandAuthorisation
from ..selectors.brands import business_today, to_link
from ._common import clean_markets, clean_name, ensure_manage, now, organisation

BRAND_FIELDS = [
    "name",
    "name_zh",
    "owner_name",
    "owner_org",
    "trademark_no",
    "trademark_country",
    "status",
]
AUTH_FIELDS = [
    "brand",
    "parent",
    "grantor_org",
    "grantor_name",
    "grantee_org",
    "markets",
    "valid_from",
    "valid_to",
    "document_id",
    "status",
]


def _lock_brand(brand_id: int) -> Brand:
    try:
        return Brand.objects.select_for_update().get(pk=brand_id)
    except Brand.DoesNotExist:
        raise not_found(ErrorCode.BRAND_NOT_FOUND, "Brand", brand_id=brand_id) from None


def _name_taken(name: str, exclude_id: int | None = None) -> bool:
    qs = Brand.objects.filter(name__iexact=name)
    return qs.exclude(pk=exclude_id).exists() if exclude_id else qs.exists()


@transaction.atomic
def create_brand(
    *,
    actor: Any,
    name: str,
    owner_name: str,
    name_zh: str = "",
    trademark_no: str = "",
    trademark_country: str = "",
    owner_org_id: int | None = None,
) -> Brand:
    ensure_manage(actor)
    name = clean_name(name, "brand name")
    if _name_taken(name):
        raise conflict(ErrorCode.BRAND_NAME_TAKEN, "A brand with this name exists.", name=name)
    brand = Brand.objects.create(
        name=name,
        name_zh=name_zh.strip(),
        owner_name=clean_name(owner_name, "brand owner"),
        owner_org=organisation(owner_org_id),
        trademark_no=trademark_no.strip(),
        trademark_country=trademark_country.strip().upper(),
    )
    record_event(
        actor=actor, obj=brand, action="catalog.brand.create", after=snapshot(brand, BRAND_FIELDS)
    )
    return brand


@transaction.atomic
def update_brand(*, actor: Any, brand_id: int, **changes: Any) -> Brand:
    """Change name, name_zh, owner_name, owner_org_id, trademark_no or trademark_country."""
    ensure_manage(actor)
    allowed = {"name", "name_zh", "owner_name", "owner_org_id", "trademark_no", "trademark_country"}
    if set(changes) - allowed:
        raise invalid(
            ErrorCode.FIELD_NOT_EDITABLE,
            f"These fields cannot be changed: {', '.join(sorted(set(changes) - allowed))}.",
        )
    brand = _lock_brand(brand_id)
    fields = sorted(f.removesuffix("_id") for f in changes)
    before = snapshot(brand, fields)
    if "name" in changes:
        changes["name"] = clean_name(changes["name"], "brand name")
        if _name_taken(changes["name"], exclude_id=brand.pk):
            raise conflict(ErrorCode.BRAND_NAME_TAKEN, "A brand with this name exists.")
    if "owner_name" in changes:
        changes["owner_name"] = clean_name(changes["owner_name"], "brand owner")
    if "owner_org_id" in changes:
        organisation(changes["owner_org_id"])
    if "trademark_country" in changes:
        changes["trademark_country"] = str(changes["trademark_country"]).strip().upper()
    for key, value in changes.items():
        setattr(brand, key, value.strip() if isinstance(value, str) else value)
    brand.updated_at = now()
    brand.save(update_fields=[*changes, "updated_at"])
    record_event(
        actor=actor,
        obj=brand,
        action="catalog.brand.update",
        before=before,
        after=snapshot(brand, fields),
    )
    return brand


def _change_brand_status(actor: Any, brand_id: int, action: str, reason: str) -> Brand:
    ensure_manage(actor)
    brand = _lock_brand(brand_id)
    old = brand.status
    brand.status = next_brand_status(old, action).value
    brand.updated_at = now()
    brand.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        obj=brand,
        action=f"catalog.brand.{action}",
        before={"status": old},
        after={"status": brand.status},
        reason=reason,
    )
    return brand


@transaction.atomic
def suspend_brand(*, actor: Any, brand_id: int, reason: str) -> Brand:
    """Suspend a brand (counterfeit alerts, trademark dispute): no chain of it is valid."""
    return _change_brand_status(actor, brand_id, "suspend", clean_name(reason, "reason"))


@transaction.atomic
def reinstate_brand(*, actor: Any, brand_id: int, reason: str) -> Brand:
    return _change_brand_status(actor, brand_id, "reinstate", clean_name(reason, "reason"))


@transaction.atomic
def grant_brand_authorisation(
    *,
    actor: Any,
    brand_id: int,
    grantee_org_id: int,
    markets: list[str],
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    parent_id: int | None = None,
    grantor_org_id: int | None = None,
    grantor_name: str = "",
    document_id: int | None = None,
) -> BrandAuthorisation:
    """Record one link of a chain. Without ``parent_id`` the grantor is the brand owner
    (``grantor_org_id`` or ``grantor_name``, default the brand's owner); with it, the grantor
    is the parent's grantee and the link must stay within the parent's markets and dates."""
    ensure_manage(actor)
    brand = _lock_brand(brand_id)
    grantee = organisation(grantee_org_id)
    clean = clean_markets(markets)
    parent = None
    if parent_id is not None:
        parent = (
            BrandAuthorisation.objects.select_for_update()
            .filter(pk=parent_id, brand_id=brand.pk)
            .first()
        )
        if parent is None:
            raise not_found(
                ErrorCode.AUTHORISATION_NOT_FOUND, "Parent authorisation", parent_id=parent_id
            )
        grantor_org_id = grantor_org_id or parent.grantee_org_id
        grantor_name = ""
        above = {a.pk: to_link(a) for a in BrandAuthorisation.objects.filter(brand_id=brand.pk)}
        if len(chain_upwards(parent.pk, above)) >= MAX_CHAIN_LENGTH:
            raise invalid(
                ErrorCode.AUTHORISATION_CHAIN_TOO_LONG,
                f"A chain has at most {MAX_CHAIN_LENGTH} links.",
            )
    else:
        if grantor_org_id is None and not grantor_name.strip():
            grantor_org_id = brand.owner_org_id
            grantor_name = "" if grantor_org_id else brand.owner_name
    grantor = organisation(grantor_org_id)
    problem = grant_problem(
        parent=to_link(parent) if parent else None,
        markets=frozenset(clean),
        valid_from=valid_from,
        valid_to=valid_to,
        grantor_org_id=grantor_org_id,
        today=business_today(),
    )
    if problem:
        raise invalid(problem[0], problem[1])
    if grantor is not None and grantor.pk == grantee.pk:
        raise invalid(
            ErrorCode.AUTHORISATION_SELF_GRANT, "An organisation cannot authorise itself."
        )
    link = BrandAuthorisation.objects.create(
        brand=brand,
        parent=parent,
        grantor_org=grantor,
        grantor_name=grantor_name.strip(),
        grantee_org=grantee,
        markets=clean,
        valid_from=valid_from,
        valid_to=valid_to,
        document_id=document_id,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(
        actor=actor,
        obj=link,
        action="catalog.authorisation.grant",
        after=snapshot(link, AUTH_FIELDS),
        organisation_id=grantee.pk,
    )
    return link


@transaction.atomic
def revoke_brand_authorisation(
    *, actor: Any, authorisation_id: int, reason: str
) -> BrandAuthorisation:
    """Revoke one link. Every link below it stops being valid with it (chain rule)."""
    ensure_manage(actor)
    link = BrandAuthorisation.objects.select_for_update().filter(pk=authorisation_id).first()
    if link is None:
        raise not_found(
            ErrorCode.AUTHORISATION_NOT_FOUND,
            "Brand authorisation",
            authorisation_id=authorisation_id,
        )
    reason = clean_name(reason, "reason")
    old = link.status
    link.status = next_authorisation_status(old, "revoke").value
    link.revoked_at = now()
    link.revoked_reason = reason
    link.save(update_fields=["status", "revoked_at", "revoked_reason"])
    record_event(
        actor=actor,
        obj=link,
        action="catalog.authorisation.revoke",
        before={"status": old},
        after={"status": link.status, "revoked_at": link.revoked_at},
        reason=reason,
        organisation_id=link.grantee_org_id,
    )
    return link
