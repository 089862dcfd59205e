"""Reading brands and brand authorisation chains."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from qms.accounts.permissions import ensure_can

from ..domain.authorisation import (
    MAX_CHAIN_LENGTH,
    ChainVerdict,
    Link,
    best_chain,
    chain_upwards,
)
from ..domain.constants import BrandStatus
from ..errors import ErrorCode, not_found
from ..models import Brand, BrandAuthorisation


def business_today() -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE))


def business_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE)).date()


def to_link(a: BrandAuthorisation) -> Link:
    return Link(
        id=a.pk,
        parent_id=a.parent_id,
        grantee_org_id=a.grantee_org_id,
        grantor_org_id=a.grantor_org_id,
        markets=frozenset(a.markets or ()),
        valid_from=a.valid_from,
        valid_to=a.valid_to,
        revoked_on=business_date(a.revoked_at) if a.revoked_at else None,
    )


# ---- brands: every logged-in user reads them ----


def list_brands(*, actor: Any, q: str = "", status: str = "") -> QuerySet[Brand]:
    ensure_can(actor, "catalog.view")
    qs = Brand.objects.all()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_zh__icontains=q)
            | Q(owner_name__icontains=q)
            | Q(trademark_no__icontains=q)
        )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("name", "id")


def brand_by_id(brand_id: int) -> Brand:
    try:
        return Brand.objects.get(pk=brand_id)
    except Brand.DoesNotExist:
        raise not_found(ErrorCode.BRAND_NOT_FOUND, "Brand", brand_id=brand_id) from None


def get_brand(*, actor: Any, brand_id: int) -> Brand:
    ensure_can(actor, "catalog.view")
    return brand_by_id(brand_id)


# ---- authorisations: merchants see the chains that end at their own organisations ----


def _all_links_of_brand(brand_id: int) -> list[BrandAuthorisation]:
    return list(
        BrandAuthorisation.objects.filter(brand_id=brand_id).select_related(
            "grantor_org", "grantee_org", "brand"
        )
    )


def authorisations_visible_to(*, actor: Any) -> QuerySet[BrandAuthorisation]:
    """Platform readers: all links. A merchant: links it received or granted, and every link
    above those (its chain up to the owner)."""
    p = ensure_can(actor, "catalog.view")
    qs = BrandAuthorisation.objects.select_related("brand", "grantor_org", "grantee_org")
    if p.is_platform:
        return qs
    own = set(
        BrandAuthorisation.objects.filter(
            Q(grantee_org_id__in=p.merchant_org_ids) | Q(grantor_org_id__in=p.merchant_org_ids)
        ).values_list("id", flat=True)
    )
    visible = set(own)
    frontier = set(own)
    while frontier:  # walk up; chains are short (domain.authorisation.MAX_CHAIN_LENGTH)
        parents = (
            set(
                BrandAuthorisation.objects.filter(
                    pk__in=frontier, parent__isnull=False
                ).values_list("parent_id", flat=True)
            )
            - visible
        )
        visible |= parents
        frontier = parents
    return qs.filter(pk__in=visible)


def get_authorisation(*, actor: Any, authorisation_id: int) -> BrandAuthorisation:
    try:
        return authorisations_visible_to(actor=actor).get(pk=authorisation_id)
    except BrandAuthorisation.DoesNotExist:
        raise not_found(
            ErrorCode.AUTHORISATION_NOT_FOUND,
            "Brand authorisation",
            authorisation_id=authorisation_id,
        ) from None


def brand_chains(
    *, actor: Any, brand_id: int, on: dt.date | None = None, market: str | None = None
) -> list[dict[str, Any]]:
    """Each visible chain of the brand (owner first), with the validity of every link on
    ``on`` (today in business time by default). For pages and the API."""
    brand = get_brand(actor=actor, brand_id=brand_id)
    day = on or business_today()
    visible = {a.pk: a for a in authorisations_visible_to(actor=actor).filter(brand_id=brand.pk)}
    links = {pk: to_link(a) for pk, a in visible.items()}
    parents = {link.parent_id for link in links.values()}
    leaves = [pk for pk in visible if pk not in parents]
    chains = []
    for leaf in sorted(leaves):
        chain = chain_upwards(leaf, links)
        rows = []
        for link in chain:
            markets = [market] if market else sorted(link.markets) or [""]
            failure = next((f for m in markets if (f := link.failure_on(on=day, market=m))), None)
            rows.append(
                {"authorisation": visible[link.id], "failure": failure, "valid": failure is None}
            )
        chains.append({"links": rows, "valid": all(r["valid"] for r in rows)})
    return chains


def is_authorised(
    *, organisation_id: int, brand_id: int, market: str, on: dt.date | None = None
) -> ChainVerdict:
    """Whether the organisation may sell the brand in ``market`` on ``on`` (today in
    business time by default). ``verdict.ok``; ``verdict.chain`` (owner's link first) when
    good; otherwise ``verdict.failure`` (a ``ChainFailure`` code) and ``failing_link_id``."""
    brand = brand_by_id(brand_id)
    return best_chain(
        grantee_org_id=organisation_id,
        links=links_above(brand_id=brand.pk, grantee_org_id=organisation_id),
        on=on or business_today(),
        market=market,
        brand_active=brand.status == BrandStatus.ACTIVE.value,
    )


def links_above(*, brand_id: int, grantee_org_id: int) -> list[Link]:
    """The grantee's links of the brand and every link above them: one query per level
    (chains have at most ``MAX_CHAIN_LENGTH`` links), however many links the brand has."""
    rows = list(BrandAuthorisation.objects.filter(brand_id=brand_id, grantee_org_id=grantee_org_id))
    found = {a.pk: to_link(a) for a in rows}
    wanted = _missing_parents(found)
    for _ in range(MAX_CHAIN_LENGTH):
        if not wanted:
            break
        for a in BrandAuthorisation.objects.filter(pk__in=wanted, brand_id=brand_id):
            found[a.pk] = to_link(a)
        wanted = _missing_parents(found)
    return list(found.values())


def _missing_parents(found: dict[int, Link]) -> set[int]:
    return {
        link.parent_id
        for link in found.values()
        if link.parent_id is not None and link.parent_id not in found
    }


def check_authorisation(
    *, actor: Any, organisation_id: int, brand_id: int, market: str, on: dt.date | None = None
) -> ChainVerdict:
    """``is_authorised`` for an actor: a merchant may only ask about its own organisations
    (another organisation is reported as an unknown brand, not a refusal)."""
    p = ensure_can(actor, "catalog.view")
    if not p.is_platform and organisation_id not in p.merchant_org_ids:
        raise not_found(
            ErrorCode.ORGANISATION_NOT_FOUND, "Organisation", organisation_id=organisation_id
        )
    return is_authorised(organisation_id=organisation_id, brand_id=brand_id, market=market, on=on)


def authorisations_by_ids(ids: list[int]) -> dict[int, BrandAuthorisation]:
    return {
        a.pk: a
        for a in BrandAuthorisation.objects.filter(pk__in=ids).select_related(
            "grantor_org", "grantee_org"
        )
    }
